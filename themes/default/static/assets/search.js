/* syllabus — offline full-text search.
   The index (written by syllabus under search/, see docs/search.md) is split
   into small files: index.json lists them; a query downloads the term shards
   of its words and the page shards of its best results, nothing else.
   - every word must match; the word being typed matches as a prefix;
   - words are stemmed at build time: each word of the course points to its
     stem, so the browser needs no stemmer;
   - title hits first, then heading hits, then how often the word occurs;
   - the excerpt is the sentence around the hit, read from the result's page
     (fetched once, when the result is listed), under the heading it is in;
   - the opened page marks the hit (?highlight=…) and Escape clears it. */
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  var MIN_QUERY = 2;
  /* A prefix may stand for many words: the most common ones count. */
  var PREFIX_STEMS = 40;
  var PREFIX_SHARDS = 3;
  var FORMS = 24;
  var EXCERPT_CHARS = 240;
  var EXCERPT_DELAY = 200;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  var box = document.getElementById("sy-search");
  var input = document.getElementById("sy-search-input");
  var status = document.getElementById("sy-search-status");

  /* Words as syllabus indexes them (outputs/search/words.rs): runs of letters and digits, lower-cased. */
  function tokens(text) {
    var out = [];
    (text.match(WORD) || []).forEach(function (w) {
      var word = w.toLowerCase();
      var n = Array.from(word).length;
      if (n >= MIN_QUERY && n <= 32 && out.indexOf(word) === -1) out.push(word);
    });
    return out;
  }

  /* Does a word match the hit's words: one of its forms, or a prefix being typed? */
  function matcher(forms, prefixes) {
    var set = new Set(forms);
    return function (word) {
      var w = word.toLowerCase();
      return set.has(w) || prefixes.some(function (p) { return w.indexOf(p) === 0; });
    };
  }

  /* Appends `text` to `parent`, its matching words in <mark>. */
  function appendMarked(parent, text, matches) {
    var last = 0;
    text.replace(WORD, function (word, offset) {
      if (!matches(word)) return word;
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = word;
      parent.appendChild(mark);
      last = offset + word.length;
      return word;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* ================================================================ */
  /* The hit on the opened page                                        */
  /* ================================================================ */

  var hits = [];

  function highlightPage() {
    var params = new URLSearchParams(window.location.search);
    var wanted = (params.get("highlight") || "").split(/\s+/).filter(Boolean);
    var root = document.querySelector("#sy-main .prose") || document.getElementById("sy-main");
    if (!wanted.length || !root) return;
    var forms = wanted.filter(function (w) { return !/\*$/.test(w); }).map(function (w) { return w.toLowerCase(); });
    var prefixes = wanted.filter(function (w) { return /\*$/.test(w); }).map(function (w) { return w.slice(0, -1).toLowerCase(); });
    var matches = matcher(forms, prefixes);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement && node.parentElement.closest("script, style, mark, .heading-anchor, button")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      if (hits.length >= 500 || !WORD.test(node.nodeValue)) return;
      WORD.lastIndex = 0;
      var fragment = document.createDocumentFragment();
      appendMarked(fragment, node.nodeValue, matches);
      var marks = Array.prototype.slice.call(fragment.querySelectorAll("mark"));
      if (!marks.length) return;
      marks.forEach(function (m) { m.className = "search-hit"; });
      hits = hits.concat(marks);
      node.parentNode.replaceChild(fragment, node);
    });
    if (!hits.length) return;
    var target = hits[0];
    var anchor = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (anchor) {
      for (var i = 0; i < hits.length; i++) {
        if (anchor.compareDocumentPosition(hits[i]) & Node.DOCUMENT_POSITION_FOLLOWING) { target = hits[i]; break; }
      }
    }
    target.classList.add("search-hit-current");
    target.scrollIntoView({ block: "center" });
    if (status) {
      var n = hits.length;
      window.setTimeout(function () {
        status.textContent = (n === 1 ? "1 match" : n + " matches") + " highlighted. Press Escape to clear.";
      }, 400);
    }
  }

  function clearHighlight() {
    hits.forEach(function (mark) {
      var parent = mark.parentNode;
      if (!parent) return;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    hits = [];
    var url = new URL(window.location.href);
    url.searchParams.delete("highlight");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    if (status) status.textContent = "Highlights cleared.";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !hits.length || event.target === input) return;
    clearHighlight();
  });

  highlightPage();

  if (!box || !input) return;

  /* ================================================================ */
  /* Index                                                             */
  /* ================================================================ */

  var indexUrl = box.getAttribute("data-index-url");
  var base = indexUrl.slice(0, indexUrl.lastIndexOf("/") + 1);
  var meta = null;
  var loading = null;
  var files = {};
  var pageTexts = {};

  function load() {
    if (meta) return Promise.resolve(meta);
    if (loading) return loading;
    loading = fetch(indexUrl, { credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data || data.v !== 2 || !Array.isArray(data.terms)) throw new Error("unknown index format");
        meta = data;
        return meta;
      })
      .catch(function (error) { loading = null; throw error; });
    return loading;
  }

  /* A shard of the index: gzip-compressed JSON (or plain JSON, if a host unpacked it). */
  function file(name) {
    if (!files[name]) {
      files[name] = fetch(base + name + "?v=" + meta.version, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.arrayBuffer();
        })
        .then(function (buffer) {
          var bytes = new Uint8Array(buffer);
          if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
          var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
          return new Response(stream).text();
        })
        .then(JSON.parse)
        .catch(function (error) { delete files[name]; throw error; });
    }
    return files[name];
  }

  /* The term shard a key is in: the last one whose first key is not after it. */
  function shardOf(key) {
    var terms = meta.terms, lo = 0, hi = terms.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (terms[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function termShard(i) {
    return file("t" + i + ".bin").then(function (entries) {
      if (!entries.byKey) {
        entries.byKey = new Map();
        entries.forEach(function (e) { entries.byKey.set(e[0], e); });
      }
      return entries;
    });
  }

  function stemEntry(key) {
    return termShard(shardOf(key)).then(function (entries) {
      var e = entries.byKey.get(key);
      return e && typeof e[1] !== "string" ? e : null;
    });
  }

  /* The stems a query word stands for: {entry, exact}. */
  function stemsOf(word, prefix) {
    var first = shardOf(word);
    var ids = [first];
    for (var j = first + 1; prefix && j < meta.terms.length && ids.length < PREFIX_SHARDS && meta.terms[j].indexOf(word) === 0; j++) ids.push(j);
    return Promise.all(ids.map(termShard)).then(function (shards) {
      var stems = new Map(); /* stem → whether the word itself (not a longer one) has it */
      shards.forEach(function (entries) {
        entries.forEach(function (e) {
          if (e[0] !== word && !(prefix && e[0].indexOf(word) === 0)) return;
          var stem = typeof e[1] === "string" ? e[1] : e[0];
          stems.set(stem, stems.get(stem) || e[0] === word);
        });
      });
      if (!stems.size) {
        /* A form the course never uses: the longest stem of the course it starts with. */
        var best = "";
        shards[0].forEach(function (e) {
          if (typeof e[1] !== "string" && e[0].length >= 4 && e[0].length > best.length && word.indexOf(e[0]) === 0) best = e[0];
        });
        if (best) stems.set(best, true);
      }
      var keys = Array.from(stems.keys());
      return Promise.all(keys.map(stemEntry)).then(function (entries) {
        var found = [];
        entries.forEach(function (e, i) { if (e) found.push({ entry: e, exact: stems.get(keys[i]) }); });
        found.sort(function (a, b) { return (b.exact - a.exact) || (b.entry[2].length - a.entry[2].length); });
        return found.slice(0, PREFIX_STEMS);
      });
    });
  }

  /* How much a posting's score (occurrences, +32 heading, +64 title) weighs. */
  function weight(score) {
    return (score & 64 ? 8 : 0) + (score & 32 ? 3 : 0) + 1 + Math.log(score & 31 || 1);
  }

  function search(query) {
    var words = tokens(query);
    if (!words.length) return Promise.resolve({ total: 0, hits: [], forms: [], prefixes: [] });
    var typing = !/\s$/.test(query);
    return Promise.all(words.map(function (w, i) { return stemsOf(w, typing && i === words.length - 1); }))
      .then(function (perWord) {
        var forms = [], prefixes = [];
        var scores = perWord.map(function (stems, i) {
          var byDoc = new Map();
          stems.forEach(function (s) {
            var postings = s.entry[2];
            var df = postings.length / 2;
            var idf = Math.log(1 + (meta.pages - df + 0.5) / (df + 0.5)) * (s.exact ? 1 : 0.7);
            for (var k = 0, doc = 0; k < postings.length; k += 2) {
              doc += postings[k];
              var value = idf * weight(postings[k + 1]);
              if (!(byDoc.get(doc) >= value)) byDoc.set(doc, value);
            }
            s.entry[1].forEach(function (f) { if (forms.length < FORMS * words.length && forms.indexOf(f) === -1) forms.push(f); });
          });
          if (typing && i === words.length - 1 && words[i].length >= 3) prefixes.push(words[i]);
          return byDoc;
        });
        scores.sort(function (a, b) { return a.size - b.size; });
        var found = [];
        scores[0].forEach(function (value, doc) {
          var total = value;
          for (var i = 1; i < scores.length; i++) {
            var s = scores[i].get(doc);
            if (s === undefined) return;
            total += s;
          }
          found.push({ doc: doc, score: total });
        });
        found.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        return { total: found.length, hits: found.slice(0, MAX_RESULTS), forms: forms, prefixes: prefixes };
      });
  }

  /* [url, title, section] of a result. */
  function page(doc) {
    var size = meta.pageShard;
    return file("p" + Math.floor(doc / size) + ".bin").then(function (rows) { return rows[doc % size]; });
  }

  /* ================================================================ */
  /* Excerpts: the sentence around the hit, read from the page itself  */
  /* ================================================================ */

  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, pre, figcaption, summary, blockquote";

  /* The page's text blocks, each with the heading (or slide) it is under. */
  function pageBlocks(url) {
    if (!pageTexts[url]) {
      pageTexts[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          /* Only the text counts: the page's own event handlers and styles are
             renamed first, so that parsing it reports nothing to the policy. */
          html = html.replace(/<[a-z][^>]*>/gi, function (tag) {
            return tag.replace(/(\s)(on[a-z]+|style)(\s*=)/gi, "$1data-sy-$2$3");
          });
          var doc = new DOMParser().parseFromString(html, "text/html");
          var root = doc.querySelector("main .prose") || doc.querySelector("main") || doc.body;
          if (!root) return [];
          root.querySelectorAll("script, style, template, .heading-anchor" + (meta.code ? "" : ", pre"))
            .forEach(function (el) { el.remove(); });
          var heading = null, blocks = [];
          root.querySelectorAll(BLOCKS + ", section.slide").forEach(function (el) {
            var text = el.textContent.replace(/\s+/g, " ").trim();
            if (el.matches("section.slide")) { heading = { id: el.id, text: "" }; return; }
            if (/^H\d$/.test(el.tagName) && el.id) heading = { id: el.id, text: text };
            if (text && !(el.matches("li, blockquote, td, th, dd") && el.querySelector(BLOCKS))) {
              blocks.push({ text: text, heading: heading, isHeading: /^H\d$/.test(el.tagName) });
            }
          });
          return blocks;
        })
        .catch(function () { return []; });
    }
    return pageTexts[url];
  }

  /* The sentence of `text` around offset `at`, cut to EXCERPT_CHARS. */
  function sentence(text, at) {
    var start = 0, end = text.length, m, before = /[.!?:]\s+/g;
    while ((m = before.exec(text)) && m.index < at) start = m.index + m[0].length;
    var after = /[.!?](\s|$)/g;
    after.lastIndex = at;
    if ((m = after.exec(text))) end = m.index + 1;
    if (end - start > EXCERPT_CHARS) {
      start = Math.max(start, at - 80);
      end = Math.min(end, start + EXCERPT_CHARS);
      var s = text.slice(start, end).replace(/^\S*\s/, "").replace(/\s\S*$/, "");
      return "… " + s + " …";
    }
    return text.slice(start, end);
  }

  /* The excerpt of a page for a query: {text, heading}, or null. */
  function excerpt(blocks, matches) {
    var best = null, bestCount = 0;
    blocks.forEach(function (block) {
      var seen = new Set();
      (block.text.match(WORD) || []).forEach(function (w) { if (matches(w)) seen.add(w.toLowerCase()); });
      if (seen.size > bestCount) { best = block; bestCount = seen.size; }
    });
    if (!best) return null;
    var i = blocks.indexOf(best);
    var block = best;
    /* A heading hit: the sentence after it says more than the heading again. */
    if (best.isHeading && blocks[i + 1] && !blocks[i + 1].isHeading) block = blocks[i + 1];
    var at = 0;
    block.text.replace(WORD, function (w, offset) { if (!at && matches(w)) at = offset; return w; });
    return { text: sentence(block.text, at), heading: best.heading };
  }

  /* ================================================================ */
  /* The search box                                                    */
  /* ================================================================ */

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
      return pageBlocks(result.url).then(function (blocks) {
        if (run !== runs) return;
        var ex = excerpt(blocks, matches);
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
    load()
      .then(function () { return search(query); })
      .then(function (found) {
        return Promise.all(found.hits.map(function (h) { return page(h.doc); })).then(function (rows) {
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
