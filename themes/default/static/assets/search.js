/* syllabus — search, part 3 of 3: the search box.
   Type two characters or more: results as you type, the ten best with their
   excerpts; arrows, Home/End, Enter and Escape in the list; "/" or Ctrl/⌘+K
   focuses the box; on small screens the box opens over the header. The box
   is an ARIA combobox with a listbox of links (see docs/theme.md). */
(function () {
  "use strict";

  var shared = window.syllabusSearch;
  var box = document.getElementById("sy-search");
  var input = document.getElementById("sy-search-input");
  var status = document.getElementById("sy-search-status");
  if (!shared || !shared.index || !box || !input) return;

  var index = shared.index;
  var matcher = shared.matcher;
  var appendMarked = shared.appendMarked;
  var MAX_RESULTS = index.MAX_RESULTS;
  var MIN_QUERY = 2;
  var EXCERPT_DELAY = 200;

  var root = document.documentElement;
  var panel = box.querySelector(".search-panel");
  var list = document.getElementById("sy-search-results");
  var countEl = box.querySelector(".search-count");
  var toggle = document.querySelector(".search-toggle");
  var results = [];
  var active = -1;
  var announceTimer = 0;
  var excerptTimer = 0;
  var runs = 0;

  function highlightUrl(url, found) {
    var words = found.forms.concat(found.prefixes.map(function (p) { return p + "*"; }));
    var hash = url.indexOf("#");
    var path = hash === -1 ? url : url.slice(0, hash);
    var fragment = hash === -1 ? "" : url.slice(hash);
    return path + (path.indexOf("?") === -1 ? "?" : "&") + "highlight=" + encodeURIComponent(words.join(" ")) + fragment;
  }

  function render(query, found, rows) {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var matches = matcher(found.forms, found.prefixes);
    results = rows.map(function (row, i) {
      var li = document.createElement("li");
      li.className = "search-result";
      li.setAttribute("role", "none");
      /* The link is the option (a listbox's options hold no other controls),
         so a result still opens with a click, a middle-click or a new tab. */
      var a = document.createElement("a");
      a.href = highlightUrl(row[0], found);
      a.id = "sy-sr-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "sr-title";
      appendMarked(title, row[1], matches);
      a.appendChild(title);
      if (row[2] && row[2] !== row[1]) {
        var section = document.createElement("span");
        section.className = "sr-section";
        section.textContent = row[2];
        a.appendChild(section);
      }
      li.appendChild(a);
      li.addEventListener("mousemove", function () { if (active !== i) setActive(i, false); });
      list.appendChild(li);
      return { url: row[0], link: a, title: title };
    });
    var message;
    if (found.total === 0) message = "No results for “" + query.trim() + "”";
    else if (found.total === 1) message = "1 result";
    else if (found.total > MAX_RESULTS) message = "Top " + MAX_RESULTS + " of " + found.total + " results";
    else message = found.total + " results";
    countEl.textContent = message;
    /* What the list shows, and whether excerpts are still coming. */
    list.setAttribute("data-query", query);
    if (results.length) list.setAttribute("aria-busy", "true");
    else list.removeAttribute("aria-busy");
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { status.textContent = message; }, 450);
    open();
  }

  /* Fills in each result's excerpt and deep link as its page arrives. */
  function addExcerpts(run, found) {
    var matches = matcher(found.forms, found.prefixes);
    Promise.all(results.map(function (result) {
      return index.pageBlocks(result.url).then(function (blocks) {
        if (run !== runs) return;
        var ex = index.excerpt(blocks, matches);
        if (!ex) return;
        if (ex.heading && ex.heading.id) {
          result.link.href = highlightUrl(result.url + "#" + ex.heading.id, found);
          if (ex.heading.text && ex.heading.text !== result.title.textContent) {
            result.title.appendChild(document.createTextNode(" › "));
            var h = document.createElement("span");
            h.className = "sr-heading";
            appendMarked(h, ex.heading.text, matches);
            result.title.appendChild(h);
          }
        }
        var span = document.createElement("span");
        span.className = "sr-excerpt";
        appendMarked(span, ex.text, matches);
        result.link.appendChild(span);
      });
    })).then(function () { if (run === runs) list.removeAttribute("aria-busy"); });
  }

  function renderMessage(message) {
    list.textContent = "";
    list.removeAttribute("aria-busy");
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

  var UNAVAILABLE = "Search is unavailable: the index could not be loaded.";

  function run() {
    var query = input.value;
    var run = ++runs;
    if (query.trim().length < MIN_QUERY) {
      results = [];
      list.textContent = "";
      status.textContent = "";
      close();
      return;
    }
    index.load()
      .then(function () { return index.search(query); })
      .then(function (found) {
        return Promise.all(found.hits.map(function (h) { return index.page(h.doc); })).then(function (rows) {
          if (run !== runs) return;
          render(query, found, rows);
          /* Pages are fetched for the query typed, not for every letter on the way. */
          window.clearTimeout(excerptTimer);
          excerptTimer = window.setTimeout(function () { if (run === runs) addExcerpts(run, found); }, EXCERPT_DELAY);
        });
      })
      .catch(function () { if (run === runs) renderMessage(UNAVAILABLE); });
  }

  input.addEventListener("focus", function () {
    index.load().then(function () { if (input.value.trim().length >= MIN_QUERY) run(); }, function () {});
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
