// Marks the current week on the schedule page. The site is static, so "now"
// is only known where the page is read: each week carries its first and last
// instant (data-week-start, data-week-end), and the reader's clock picks one.
// Without script the schedule reads the same, without the mark.
(function () {
  "use strict";
  var now = Date.now();
  var weeks = document.querySelectorAll(".schedule-week[data-week-start][data-week-end]");
  for (var i = 0; i < weeks.length; i++) {
    var week = weeks[i];
    var start = Date.parse(week.getAttribute("data-week-start"));
    var end = Date.parse(week.getAttribute("data-week-end"));
    if (start <= now && now < end) {
      week.classList.add("is-this-week");
      week.setAttribute("aria-current", "date");
      var badge = week.querySelector(".this-week-badge");
      if (badge) badge.hidden = false;
    }
  }
})();
