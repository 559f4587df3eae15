// Slide decks: one slide at a time, keyboard and buttons, slide number in the address.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("#deck > section.slide"));
  if (!slides.length) return;
  document.body.classList.add("deck-js");
  var count = document.querySelector(".deck-count");
  var current = 0;

  function fromHash() {
    var m = /^#slide-(\d+)$/.exec(location.hash);
    var n = m ? parseInt(m[1], 10) - 1 : 0;
    return Math.min(Math.max(n, 0), slides.length - 1);
  }

  function show(n) {
    current = Math.min(Math.max(n, 0), slides.length - 1);
    slides.forEach(function (s, i) { s.hidden = i !== current; });
    if (count) count.textContent = "Slide " + (current + 1) + " of " + slides.length;
    if (history.replaceState) history.replaceState(null, "", "#slide-" + (current + 1));
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var next = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 }[e.key];
    if (next) { show(current + next); e.preventDefault(); }
    else if (e.key === "Home") { show(0); e.preventDefault(); }
    else if (e.key === "End") { show(slides.length - 1); e.preventDefault(); }
  });
  document.querySelectorAll("[data-deck]").forEach(function (b) {
    b.addEventListener("click", function () { show(current + (b.getAttribute("data-deck") === "next" ? 1 : -1)); });
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
