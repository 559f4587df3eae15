/* syllabus — glossary terms. Each linked term (`a.glossary-term`) leads to
   its heading on the glossary page; this script shows the term's definition
   beside it while the pointer is over the term (or the definition) or the
   term has keyboard focus, and Escape hides it without moving either
   (WCAG 1.4.13). The definitions of the whole course are one file,
   assets/glossary.json (written by syllabus, named by this script's
   `data-definitions`), fetched once: pages carry no copy of them. */
(function () {
  "use strict";

  var script = document.currentScript;
  var source = script && script.getAttribute("data-definitions");
  if (!source) return;

  var definitions = null;
  var tip = null;
  var current = null;
  /* The term waiting for the definitions to arrive. */
  var waiting = null;

  function anchor(term) {
    try {
      return decodeURIComponent(term.hash.slice(1));
    } catch (e) {
      return term.hash.slice(1);
    }
  }

  function hovered(element) {
    return element.matches(":hover");
  }

  function active(term) {
    return hovered(term) || term === document.activeElement || (tip && hovered(tip));
  }

  function makeTip() {
    tip = document.createElement("div");
    tip.className = "glossary-tip";
    tip.id = "glossary-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseleave", function (event) {
      if (current && event.relatedTarget !== current && current !== document.activeElement) hide();
    });
    (document.querySelector("main") || document.body).appendChild(tip);
  }

  /* Where the tip's containing block starts, in viewport pixels. */
  function origin() {
    var p = tip.offsetParent;
    if (!p || getComputedStyle(p).position === "static") {
      return { x: -window.scrollX, y: -window.scrollY };
    }
    var r = p.getBoundingClientRect();
    return { x: r.left + p.clientLeft - p.scrollLeft, y: r.top + p.clientTop - p.scrollTop };
  }

  function show(term) {
    if (!definitions) {
      waiting = term;
      return;
    }
    var key = anchor(term);
    var text = Object.prototype.hasOwnProperty.call(definitions, key) ? definitions[key] : null;
    if (typeof text !== "string" || !text) return;
    if (!tip) makeTip();
    if (current && current !== term) current.removeAttribute("aria-describedby");
    current = term;
    tip.textContent = text;
    tip.hidden = false;
    term.setAttribute("aria-describedby", tip.id);
    var r = term.getBoundingClientRect();
    var o = origin();
    var room = document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.left = Math.max(0, Math.min(r.left, room)) - o.x + "px";
    tip.style.top = r.bottom - o.y + "px";
  }

  function hide() {
    waiting = null;
    if (!tip || tip.hidden) return false;
    tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    return true;
  }

  function onTerm(event) {
    var target = event.target;
    return (target.closest && target.closest("a.glossary-term")) || null;
  }

  document.addEventListener("mouseover", function (event) {
    var term = onTerm(event);
    if (term && term !== current && !term.contains(event.relatedTarget)) show(term);
  });
  document.addEventListener("mouseout", function (event) {
    var term = onTerm(event);
    if (!term || term.contains(event.relatedTarget)) return;
    if (waiting === term) waiting = null;
    var to = event.relatedTarget;
    if (term === current && !(tip && tip.contains(to)) && term !== document.activeElement) hide();
  });
  document.addEventListener("focusin", function (event) {
    var term = onTerm(event);
    if (term) show(term);
  });
  document.addEventListener("focusout", function (event) {
    var term = onTerm(event);
    if (!term) return;
    if (waiting === term) waiting = null;
    if (term === current && !hovered(term) && !(tip && hovered(tip))) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && hide()) event.preventDefault();
  });
  window.addEventListener("resize", hide);

  fetch(source, { credentials: "same-origin", cache: "no-cache" })
    .then(function (response) {
      return response.ok ? response.json() : {};
    })
    .then(function (loaded) {
      definitions = loaded;
      if (waiting && active(waiting)) show(waiting);
      waiting = null;
    })
    .catch(function () {
      definitions = {};
    });
})();
