/* syllabus — content tabs (`=== "Windows"` in Markdown).
   Without this script each tab is a <details> (the selected one open), which
   works with the keyboard and screen readers as it is. With it, each set
   becomes a tab list as the WAI-ARIA tabs pattern describes: Tab reaches the
   selected tab, Left/Right (or Up/Down) select the previous/next one, Home/End
   the first/last; the panel follows. Choosing a label also selects the tab of
   the same label in the page's other sets (Windows everywhere, say). */
(function () {
  "use strict";

  var sets = [];
  var count = 0;

  function upgrade(set) {
    var blocks = Array.prototype.filter.call(set.children, function (el) {
      return el.tagName === "DETAILS" && el.classList.contains("tabbed-block");
    });
    if (!blocks.length) return;
    var id = "sy-tabs-" + (++count);
    var list = document.createElement("div");
    list.className = "tabbed-labels";
    list.setAttribute("role", "tablist");
    var tabs = [];
    var panels = [];
    var selected = 0;
    for (var b = 0; b < blocks.length; b++) {
      if (blocks[b].open) { selected = b; break; }
    }
    blocks.forEach(function (block, i) {
      var summary = block.firstElementChild && block.firstElementChild.tagName === "SUMMARY"
        ? block.firstElementChild : null;
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "tabbed-tab";
      tab.id = id + "-tab-" + i;
      tab.setAttribute("role", "tab");
      var panel = document.createElement("div");
      panel.className = "tabbed-panel";
      panel.id = id + "-panel-" + i;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.setAttribute("aria-controls", panel.id);
      if (summary) {
        while (summary.firstChild) tab.appendChild(summary.firstChild);
        block.removeChild(summary);
      }
      panel.setAttribute("data-label", tab.textContent.trim());
      while (block.firstChild) panel.appendChild(block.firstChild);
      tab.addEventListener("click", function () { choose(entry, i, true); });
      tabs.push(tab);
      panels.push(panel);
      list.appendChild(tab);
    });
    blocks.forEach(function (block) { set.removeChild(block); });
    set.insertBefore(list, set.firstChild);
    panels.forEach(function (panel) { set.appendChild(panel); });
    set.classList.add("is-tabbed");
    var entry = { tabs: tabs, panels: panels };
    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) return;
      var next = null;
      switch (event.key) {
        case "ArrowRight": case "ArrowDown": next = (current + 1) % tabs.length; break;
        case "ArrowLeft": case "ArrowUp": next = (current - 1 + tabs.length) % tabs.length; break;
        case "Home": next = 0; break;
        case "End": next = tabs.length - 1; break;
        default: return;
      }
      event.preventDefault();
      choose(entry, next, true);
      tabs[next].focus();
    });
    sets.push(entry);
    choose(entry, selected, false);
  }

  function select(entry, index) {
    entry.tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      entry.panels[i].hidden = !on;
    });
  }

  function choose(entry, index, linked) {
    select(entry, index);
    if (!linked) return;
    var label = entry.tabs[index].textContent.trim();
    sets.forEach(function (other) {
      if (other === entry) return;
      for (var i = 0; i < other.tabs.length; i++) {
        if (other.tabs[i].textContent.trim() === label) { select(other, i); break; }
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".tabbed-set"), upgrade);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
