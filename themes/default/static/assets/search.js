/* syllabus — offline search.
   Fetches search-index.json (written by syllabus at the site root) the first
   time the search box gets focus, then searches in the browser as you type:
   case-insensitive, every word must match, title and heading hits first.
   Index format: {"v":1,"pages":[{"t":title,"u":url,"s":section,
   "h":[[id,heading],…],"x":plain text}]} */
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  var MIN_QUERY = 2;

  var box = document.getElementById("sy-search");
  var input = document.getElementById("sy-search-input");
  if (!box || !input) return;

  var root = document.documentElement;
  var panel = box.querySelector(".search-panel");
  var list = document.getElementById("sy-search-results");
  var countEl = box.querySelector(".search-count");
  var status = document.getElementById("sy-search-status");
  var toggle = document.querySelector(".search-toggle");

  var pages = null;
  var loading = null;
  var failed = false;
  var results = [];
  var active = -1;
  var announceTimer = 0;

  /* ---------------------------------------------------------------- */
  /* Index                                                             */
  /* ---------------------------------------------------------------- */

  function load() {
    if (pages) return Promise.resolve(pages);
    if (loading) return loading;
    loading = fetch(box.getAttribute("data-index-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var raw = data && Array.isArray(data.pages) ? data.pages : [];
        pages = raw.map(function (p, order) {
          var headings = Array.isArray(p.h) ? p.h : [];
          return {
            order: order,
            title: String(p.t || ""),
            url: String(p.u || ""),
            section: String(p.s || ""),
            text: String(p.x || ""),
            headings: headings.map(function (h) { return { id: String(h[0] || ""), text: String(h[1] || "") }; }),
            titleLc: String(p.t || "").toLowerCase(),
            sectionLc: String(p.s || "").toLowerCase(),
            textLc: String(p.x || "").toLowerCase(),
            headingsLc: headings.map(function (h) { return String(h[1] || "").toLowerCase(); })
          };
        });
        failed = false;
        return pages;
      })
      .catch(function (error) {
        loading = null;
        failed = true;
        throw error;
      });
    return loading;
  }

  function words(query) {
    return query.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function score(page, terms, phrase) {
    var total = 0;
    var headingHits = page.headingsLc.map(function () { return 0; });
    for (var i = 0; i < terms.length; i++) {
      var w = terms[i];
      var inTitle = page.titleLc.indexOf(w) !== -1;
      var inSection = page.sectionLc.indexOf(w) !== -1;
      var inText = page.textLc.indexOf(w) !== -1;
      var inHeading = false;
      for (var j = 0; j < page.headingsLc.length; j++) {
        if (page.headingsLc[j].indexOf(w) !== -1) { headingHits[j]++; inHeading = true; }
      }
      if (!inTitle && !inSection && !inText && !inHeading) return null;
      if (inTitle) total += 100;
      if (inHeading) total += 40;
      if (inSection) total += 5;
      if (inText) total += 1;
    }
    if (terms.length > 1 && page.titleLc.indexOf(phrase) !== -1) total += 60;
    if (page.titleLc.indexOf(terms[0]) === 0) total += 20;
    if (terms.length > 1 && page.textLc.indexOf(phrase) !== -1) total += 3;

    var best = -1;
    for (var k = 0; k < headingHits.length; k++) {
      if (headingHits[k] > 0 && (best === -1 || headingHits[k] > headingHits[best])) best = k;
    }
    return { page: page, score: total, heading: best === -1 ? null : page.headings[best] };
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length || !pages) return [];
    var phrase = terms.join(" ");
    var found = [];
    for (var i = 0; i < pages.length; i++) {
      var hit = score(pages[i], terms, phrase);
      if (hit) found.push(hit);
    }
    found.sort(function (a, b) { return b.score - a.score || a.page.order - b.page.order; });
    return found.slice(0, MAX_RESULTS).map(function (hit) {
      hit.terms = terms;
      return hit;
    });
  }

  /* ---------------------------------------------------------------- */
  /* Rendering (DOM nodes only, never HTML strings from the index)     */
  /* ---------------------------------------------------------------- */

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function appendHighlighted(parent, text, terms) {
    var pattern = new RegExp("(" + terms.map(escapeRegExp).join("|") + ")", "gi");
    var last = 0;
    text.replace(pattern, function (match, _g, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = match;
      parent.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function excerpt(page, terms) {
    var text = page.text;
    if (!text) return "";
    var pos = -1;
    for (var i = 0; i < terms.length && pos === -1; i++) pos = page.textLc.indexOf(terms[i]);
    var length = 180;
    if (pos === -1) return text.length > length ? text.slice(0, length).replace(/\s+\S*$/, "") + " …" : text;
    var start = Math.max(0, pos - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < pos) start = space + 1;
    }
    var end = Math.min(text.length, start + length);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      if (cut > pos) end = cut;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function render(query) {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");

    results.forEach(function (hit, i) {
      /* The link is the option (a listbox's options hold no other controls),
         so a result still opens with a click, a middle-click or a new tab. */
      var li = document.createElement("li");
      li.className = "search-result";
      li.setAttribute("role", "none");

      var a = document.createElement("a");
      a.href = hit.heading && hit.heading.id ? hit.page.url + "#" + hit.heading.id : hit.page.url;
      a.id = "sy-sr-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;

      var title = document.createElement("span");
      title.className = "sr-title";
      appendHighlighted(title, hit.page.title, hit.terms);
      if (hit.heading) {
        title.appendChild(document.createTextNode(" › "));
        var h = document.createElement("span");
        h.className = "sr-heading";
        appendHighlighted(h, hit.heading.text, hit.terms);
        title.appendChild(h);
      }
      a.appendChild(title);

      if (hit.page.section && hit.page.section !== hit.page.title) {
        var section = document.createElement("span");
        section.className = "sr-section";
        section.textContent = hit.page.section;
        a.appendChild(section);
      }

      var text = excerpt(hit.page, hit.terms);
      if (text) {
        var ex = document.createElement("span");
        ex.className = "sr-excerpt";
        appendHighlighted(ex, text, hit.terms);
        a.appendChild(ex);
      }

      li.appendChild(a);
      li.addEventListener("mousemove", function () { if (active !== i) setActive(i, false); });
      list.appendChild(li);
    });

    var message;
    if (results.length === 0) message = "No results for “" + query.trim() + "”";
    else if (results.length === 1) message = "1 result";
    else if (results.length >= MAX_RESULTS) message = "Top " + MAX_RESULTS + " results";
    else message = results.length + " results";
    countEl.textContent = message;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { status.textContent = message; }, 450);
    open();
  }

  function renderMessage(message) {
    list.textContent = "";
    results = [];
    active = -1;
    input.removeAttribute("aria-activedescendant");
    countEl.textContent = message;
    status.textContent = message;
    open();
  }

  function setActive(i, scroll) {
    var items = list.querySelectorAll("[role='option']");
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
      if (scroll) items[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  /* ---------------------------------------------------------------- */
  /* Events                                                            */
  /* ---------------------------------------------------------------- */

  function run() {
    var query = input.value;
    if (query.trim().length < MIN_QUERY) {
      results = [];
      list.textContent = "";
      status.textContent = "";
      close();
      return;
    }
    if (!pages) {
      if (failed) renderMessage("Search is unavailable: the index could not be loaded.");
      load().then(function () { if (input.value === query) run(); }, function () {
        renderMessage("Search is unavailable: the index could not be loaded.");
      });
      return;
    }
    results = search(query);
    render(query);
  }

  input.addEventListener("focus", function () {
    load().then(function () { if (input.value.trim().length >= MIN_QUERY) run(); }, function () {});
  });

  input.addEventListener("input", run);

  input.addEventListener("keydown", function (event) {
    var count = list.children.length;
    switch (event.key) {
      case "ArrowDown":
        if (panel.hidden && input.value.trim().length >= MIN_QUERY) { run(); }
        if (count) { event.preventDefault(); setActive(active + 1 >= count ? 0 : active + 1, true); }
        break;
      case "ArrowUp":
        if (count) { event.preventDefault(); setActive(active <= 0 ? count - 1 : active - 1, true); }
        break;
      case "Home":
      case "End":
        if (count && active >= 0) { event.preventDefault(); setActive(event.key === "Home" ? 0 : count - 1, true); }
        break;
      case "Enter":
        if (count) {
          event.preventDefault();
          var item = list.children[active >= 0 ? active : 0];
          var link = item && item.querySelector("a");
          if (link) window.location.href = link.href;
        }
        break;
      case "Escape":
        event.preventDefault();
        if (!panel.hidden) close();
        else if (input.value) { input.value = ""; run(); }
        else closeOverlay(true);
        break;
    }
  });

  /* Close when focus or a click goes elsewhere. */
  box.addEventListener("focusout", function () {
    window.setTimeout(function () {
      if (box.contains(document.activeElement)) return;
      close();
      if (!input.value) closeOverlay(false);
    }, 0);
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target) && !(toggle && toggle.contains(event.target))) close();
  });

  /* Small screens: the search field opens over the header. */
  function openOverlay() {
    root.classList.add("search-open");
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    input.focus();
  }
  function closeOverlay(restoreFocus) {
    if (!root.classList.contains("search-open")) return;
    root.classList.remove("search-open");
    if (toggle) {
      toggle.setAttribute("aria-expanded", "false");
      if (restoreFocus) toggle.focus();
    }
  }
  var closeButton = box.querySelector(".search-close");
  if (closeButton) {
    closeButton.addEventListener("click", function () {
      input.value = "";
      run();
      closeOverlay(true);
    });
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      if (root.classList.contains("search-open")) closeOverlay(true);
      else openOverlay();
    });
  }

  /* "/" or Ctrl/⌘+K focuses the search box from anywhere. */
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    var slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
    var ctrlK = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
    if (!slash && !ctrlK) return;
    event.preventDefault();
    if (toggle && getComputedStyle(toggle).display !== "none") openOverlay();
    else { input.focus(); input.select(); }
  });
})();
