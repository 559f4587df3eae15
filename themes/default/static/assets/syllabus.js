/* syllabus — default theme behaviour.
   Everything here is an enhancement: the pages read and navigate without it.
   - theme toggle (data-theme on <html>, saved in localStorage)
   - course navigation drawer on small screens, section expand/collapse
   - copy button on code blocks
   - keyboard-focusable scrolling tables and code, named task-list boxes
   - table of contents that follows the reading position
   - light colours when printing */
(function () {
  "use strict";

  var root = document.documentElement;
  var THEME_KEY = "syllabus-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function $(selector, scope) { return (scope || document).querySelector(selector); }
  function $$(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }

  /* A polite live region for short announcements ("Copied"). */
  var announcer = null;
  function announce(message) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "visually-hidden";
      announcer.setAttribute("aria-live", "polite");
      announcer.setAttribute("aria-atomic", "true");
      document.body.appendChild(announcer);
    }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  /* ---------------------------------------------------------------- */
  /* Theme                                                             */
  /* ---------------------------------------------------------------- */

  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function syncThemeButtons() {
    var dark = currentTheme() === "dark";
    $$(".theme-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.setAttribute("title", dark ? "Switch to light theme" : "Switch to dark theme");
    });
  }

  function setupTheme() {
    $$(".theme-toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* not saved */ }
        syncThemeButtons();
      });
    });
    if (darkQuery) {
      var onChange = function () { syncThemeButtons(); };
      if (darkQuery.addEventListener) darkQuery.addEventListener("change", onChange);
      else if (darkQuery.addListener) darkQuery.addListener(onChange);
    }
    /* Another tab changed the theme. */
    window.addEventListener("storage", function (event) {
      if (event.key !== THEME_KEY) return;
      if (event.newValue === "light" || event.newValue === "dark") root.setAttribute("data-theme", event.newValue);
      else root.removeAttribute("data-theme");
      syncThemeButtons();
    });
    syncThemeButtons();
  }

  /* Print in light colours whatever the screen theme is. */
  function setupPrint() {
    var saved = null;
    window.addEventListener("beforeprint", function () {
      saved = root.getAttribute("data-theme");
      root.setAttribute("data-theme", "light");
    });
    window.addEventListener("afterprint", function () {
      if (saved) root.setAttribute("data-theme", saved);
      else root.removeAttribute("data-theme");
      saved = null;
    });
  }

  /* ---------------------------------------------------------------- */
  /* Navigation                                                        */
  /* ---------------------------------------------------------------- */

  var drawerQuery = window.matchMedia ? window.matchMedia("(max-width: 899.98px)") : null;

  function setupDrawer() {
    var button = $(".menu-btn");
    var sidebar = document.getElementById("sy-sidebar");
    if (!button || !sidebar) return;
    var behind = $$(".main, .toc-aside, .site-footer");

    function setOpen(open, restoreFocus) {
      root.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      behind.forEach(function (el) {
        if (open) el.setAttribute("inert", "");
        else el.removeAttribute("inert");
      });
      if (open) {
        var target = $("[aria-current='page']", sidebar) || $("a", sidebar);
        if (target) {
          target.focus({ preventScroll: true });
          revealInSidebar(sidebar, target);
        }
      } else if (restoreFocus) {
        button.focus();
      }
    }

    button.addEventListener("click", function () {
      setOpen(!root.classList.contains("nav-open"), false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && root.classList.contains("nav-open")) setOpen(false, true);
    });
    document.addEventListener("click", function (event) {
      if (!root.classList.contains("nav-open")) return;
      if (sidebar.contains(event.target) || button.contains(event.target)) return;
      setOpen(false, false);
    });
    if (drawerQuery) {
      var onChange = function () { if (!drawerQuery.matches) setOpen(false, false); };
      if (drawerQuery.addEventListener) drawerQuery.addEventListener("change", onChange);
      else if (drawerQuery.addListener) drawerQuery.addListener(onChange);
    }
  }

  function revealInSidebar(sidebar, link) {
    var top = link.offsetTop;
    var el = link.offsetParent;
    while (el && el !== sidebar && sidebar.contains(el)) { top += el.offsetTop; el = el.offsetParent; }
    if (top < sidebar.scrollTop || top + link.offsetHeight > sidebar.scrollTop + sidebar.clientHeight) {
      sidebar.scrollTop = Math.max(0, top - sidebar.clientHeight / 3);
    }
  }

  function setupNavTree() {
    $$(".nav-expand").forEach(function (button) {
      button.addEventListener("click", function () {
        var item = button.closest(".nav-item");
        if (!item) return;
        var open = !item.classList.contains("is-open");
        item.classList.toggle("is-open", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    var sidebar = document.getElementById("sy-sidebar");
    var current = sidebar && $(".nav-link[aria-current='page']", sidebar);
    if (current && !(drawerQuery && drawerQuery.matches)) revealInSidebar(sidebar, current);
  }

  /* ---------------------------------------------------------------- */
  /* Copy buttons                                                      */
  /* ---------------------------------------------------------------- */

  var COPY_ICONS =
    '<svg class="icon icon-copy" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">' +
    '<rect x="8.5" y="8.5" width="11" height="11" rx="2" fill="none" stroke="currentColor" stroke-width="1.8"/>' +
    '<path d="M15.5 8.5V6.5a2 2 0 0 0-2-2h-7a2 2 0 0 0-2 2v7a2 2 0 0 0 2 2h2" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>' +
    '<svg class="icon icon-check" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">' +
    '<path d="m5 12.5 4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

  /* The code's text without line numbers (they are CSS-generated) and
     without the trailing newline, so a pasted command does not run at once. */
  function codeText(pre) {
    var code = $("code", pre) || pre;
    var lines = $$(".line", code);
    var text;
    if (lines.length) {
      text = lines.map(function (line) { return line.textContent.replace(/\r?\n$/, ""); }).join("\n");
    } else {
      text = code.textContent;
    }
    return text.replace(/\s+$/, "");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function setupCopyButtons() {
    $$(".prose pre, .code-block pre").forEach(function (pre) {
      // A notebook's saved outputs are results to read, not code to copy.
      if (pre.dataset.copy === "done" || pre.closest(".nb-output")) return;
      pre.dataset.copy = "done";
      var holder = pre.closest(".code-block");
      if (!holder) {
        holder = document.createElement("div");
        holder.className = "code-block";
        pre.parentNode.insertBefore(holder, pre);
        holder.appendChild(pre);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-btn";
      button.innerHTML = COPY_ICONS + '<span class="copy-label">Copy</span>';
      var label = button.lastChild;
      var title = $(".code-title", holder);
      button.setAttribute("aria-label", title ? "Copy code: " + title.textContent : "Copy code");
      var timer = 0;
      button.addEventListener("click", function () {
        copyText(codeText(pre)).then(function () {
          button.classList.add("is-copied");
          label.textContent = "Copied";
          announce("Copied");
        }, function () {
          label.textContent = "Press Ctrl+C";
          announce("Copy failed. Select the code and copy it by hand.");
        });
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.classList.remove("is-copied");
          label.textContent = "Copy";
        }, 2000);
      });
      holder.appendChild(button);
    });
    clearFirstLines();
    var pending = 0;
    window.addEventListener("resize", function () {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(clearFirstLines);
    });
  }

  /* The copy button sits over the top-right corner of a block without a
     title. When the first line of code reaches under it, the block makes room
     above the code (`copy-clear`) instead of hiding the end of that line. */
  function clearFirstLines() {
    $$(".code-block").forEach(function (holder) {
      var button = $(".copy-btn", holder);
      var pre = $("pre", holder);
      if (!button || !pre || $(".code-title", holder)) return;
      var code = $("code", pre) || pre;
      var range = document.createRange();
      range.selectNodeContents(code);
      var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var end = node.data.indexOf("\n");
        if (end >= 0) { range.setEnd(node, end); break; }
      }
      var line = range.getBoundingClientRect();
      var reaches = line.width > 0 && line.right > button.getBoundingClientRect().left - 8;
      holder.classList.toggle("copy-clear", reaches);
    });
  }

  /* ---------------------------------------------------------------- */
  /* Regions that scroll sideways (tables, code) take keyboard focus   */
  /* ---------------------------------------------------------------- */

  function setupScrollables() {
    var tables = $$(".table-wrapper");
    /* Code, display maths and tables outside a wrapper scroll by themselves. */
    var blocks = $$(".prose pre, .prose math[display='block'], .prose :not(.table-wrapper) > table");
    if (!tables.length && !blocks.length) return;
    function overflows(el) { return el.scrollWidth > el.clientWidth + 1; }
    function update() {
      tables.forEach(function (wrapper) {
        if (overflows(wrapper)) {
          var caption = $("caption", wrapper);
          wrapper.setAttribute("tabindex", "0");
          wrapper.setAttribute("role", "region");
          wrapper.setAttribute("aria-label", caption ? caption.textContent : "Table, scrolls sideways");
        } else {
          wrapper.removeAttribute("tabindex");
          wrapper.removeAttribute("role");
          wrapper.removeAttribute("aria-label");
        }
      });
      blocks.forEach(function (block) {
        if (overflows(block)) block.setAttribute("tabindex", "0");
        else block.removeAttribute("tabindex");
      });
    }
    update();
    var pending = 0;
    window.addEventListener("resize", function () {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(update);
    });
  }

  /* Line numbers stay aligned past line 99 (CSSOM, allowed by the CSP). */
  function setupLineNumbers() {
    $$("pre.linenos").forEach(function (pre) {
      var lines = $$(".line[data-line]", pre);
      if (!lines.length) return;
      var last = lines[lines.length - 1].getAttribute("data-line") || "";
      if (last.length > 2) pre.style.setProperty("--ln-width", last.length + "ch");
    });
  }

  /* Task-list checkboxes are named by the text of their item. */
  function setupTaskLists() {
    $$(".prose li > input[type='checkbox']:first-child").forEach(function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby") || box.closest("label")) return;
      var item = box.parentNode;
      var text = (item.textContent || "").replace(/\s+/g, " ").trim();
      if (text) box.setAttribute("aria-label", text.length > 120 ? text.slice(0, 117) + "…" : text);
    });
  }

  /* ---------------------------------------------------------------- */
  /* Table of contents follows the reading position                   */
  /* ---------------------------------------------------------------- */

  function setupScrollSpy() {
    var links = $$(".toc-list a");
    if (!links.length) return;
    var byId = {};
    links.forEach(function (link) {
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      (byId[id] = byId[id] || []).push(link);
    });
    var headings = Object.keys(byId)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    if (!headings.length) return;
    var activeId = null;

    function update() {
      var offset = parseFloat(getComputedStyle(root).scrollPaddingTop) || 80;
      var line = offset + 24;
      var current = null;
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top <= line) current = headings[i];
        else break;
      }
      /* At the very bottom, the last heading is the one being read. */
      if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
        current = headings[headings.length - 1];
      }
      var id = current ? current.id : null;
      if (id === activeId) return;
      if (activeId && byId[activeId]) byId[activeId].forEach(function (l) { l.classList.remove("is-active"); l.removeAttribute("aria-current"); });
      activeId = id;
      if (id) byId[id].forEach(function (l) { l.classList.add("is-active"); l.setAttribute("aria-current", "location"); });
    }

    headings.sort(function (a, b) {
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var ticking = false;
    window.addEventListener("scroll", function () {
      if (ticking) return;
      ticking = true;
      window.requestAnimationFrame(function () { ticking = false; update(); });
    }, { passive: true });
    update();
  }

  /* ---------------------------------------------------------------- */

  function setupSearchShortcuts() {
    $$("[data-focus-search]").forEach(function (button) {
      button.addEventListener("click", function () {
        var toggle = $(".search-toggle");
        if (toggle && getComputedStyle(toggle).display !== "none") toggle.click();
        var input = document.getElementById("sy-search-input");
        if (input) input.focus();
      });
    });
  }

  function init() {
    setupTheme();
    setupPrint();
    setupDrawer();
    setupNavTree();
    setupCopyButtons();
    setupScrollables();
    setupTaskLists();
    setupLineNumbers();
    setupScrollSpy();
    setupSearchShortcuts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
