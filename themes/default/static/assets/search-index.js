/* syllabus — search, part 2 of 3: the index.
   The index (written by syllabus under search/, see docs/search.md) is split
   into small files: index.json lists them; a query downloads the term shards
   of its words and the page shards of its best results, nothing else.
   - every word must match; the word being typed matches as a prefix;
   - words are stemmed at build time: each word of the course points to its
     stem, so the browser needs no stemmer;
   - title hits first, then heading hits, then how often the word occurs;
   - the excerpt is the sentence around the hit, read from the result's page
     (fetched once), under the heading it is in.
   Adds `index` to `window.syllabusSearch`; search.js is the box. */
(function () {
  "use strict";

  var shared = window.syllabusSearch;
  var box = document.getElementById("sy-search");
  if (!shared || !box) return;

  var MAX_RESULTS = 10;
  /* A prefix may stand for many words: the most common ones count. */
  var PREFIX_STEMS = 40;
  var PREFIX_SHARDS = 3;
  var FORMS = 24;
  var EXCERPT_CHARS = 240;
  var WORD = shared.WORD;
  var tokens = shared.tokens;

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

  shared.index = {
    MAX_RESULTS: MAX_RESULTS,
    load: load,
    search: search,
    page: page,
    pageBlocks: pageBlocks,
    excerpt: excerpt
  };
})();
