/* syllabus — search, part 1 of 3: words and marks.
   How a text splits into words (as syllabus indexes them), marking the
   matching words of a text, and the hit on a page opened from a search result
   (?highlight=…): every match marked, the first one after the linked heading
   scrolled into view and outlined; Escape clears them. The other parts,
   search-index.js and search.js, use `window.syllabusSearch`. */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var MAX_CHARS = 32;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  var status = document.getElementById("sy-search-status");
  var input = document.getElementById("sy-search-input");

  /* Words as syllabus indexes them (outputs/search/words.rs): runs of letters and digits, lower-cased. */
  function tokens(text) {
    var out = [];
    (text.match(WORD) || []).forEach(function (w) {
      var word = w.toLowerCase();
      var n = Array.from(word).length;
      if (n >= MIN_CHARS && n <= MAX_CHARS && out.indexOf(word) === -1) out.push(word);
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

  window.syllabusSearch = { WORD: WORD, tokens: tokens, matcher: matcher, appendMarked: appendMarked };
})();
