/* syllabus — glossary terms. The stylesheet shows a term's definition while
   the pointer is over the term (or its definition) or the term has keyboard
   focus; this script only lets Escape hide it without moving the pointer or
   the focus (WCAG 1.4.13, "dismissible"). Once the pointer and the focus have
   both left the term, its definition shows again the next time. */
(function () {
  "use strict";

  var DISMISSED = "glossary-dismissed";

  function active(term) {
    return term.matches(":hover") || term.matches(":focus-within");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelectorAll(".glossary:hover, .glossary:focus-within");
    for (var i = 0; i < open.length; i++) {
      if (!open[i].classList.contains(DISMISSED)) {
        open[i].classList.add(DISMISSED);
        event.preventDefault();
      }
    }
  });

  function reset(event) {
    var term = event.currentTarget;
    // After the event the pointer or the focus may still be on the term.
    setTimeout(function () {
      if (!active(term)) term.classList.remove(DISMISSED);
    }, 0);
  }

  var terms = document.querySelectorAll(".glossary");
  for (var i = 0; i < terms.length; i++) {
    terms[i].addEventListener("mouseleave", reset);
    terms[i].addEventListener("focusout", reset);
  }
})();
