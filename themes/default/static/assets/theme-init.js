/* Runs in <head>, before the page is painted: marks that JavaScript runs and
   applies the saved colour theme, so a dark-mode reader never sees a flash. */
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  try {
    var theme = localStorage.getItem("syllabus-theme");
    if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
  } catch (e) { /* storage may be disabled */ }
})();
