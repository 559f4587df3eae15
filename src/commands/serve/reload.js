// Live reload for `syllabus serve`; never part of a built site.
// Listens for rebuilds over server-sent events: reloads the page after a
// successful rebuild and shows the errors of a failed one over the page.
// An external script that builds its overlay through the DOM, so that a
// strict Content-Security-Policy (script-src 'self') still allows it.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = (script && script.getAttribute("data-version")) || "";
  var source = new EventSource(
    "/__syllabus/events?since=" + encodeURIComponent(version)
  );
  var overlay = null;
  // For tests and the curious: the live-reload connection (readyState 1 = open).
  window.__syllabusReload = source;

  source.addEventListener("reload", function () {
    source.close();
    window.location.reload();
  });
  source.addEventListener("build-error", function (event) {
    show(event.data);
  });
  source.addEventListener("build-ok", hide);

  function show(text) {
    hide();
    overlay = element("div", {
      position: "fixed",
      top: "0",
      right: "0",
      bottom: "0",
      left: "0",
      zIndex: "2147483647",
      overflow: "auto",
      padding: "2rem",
      boxSizing: "border-box",
      background: "#18181b",
      color: "#f4f4f5",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    });
    overlay.id = "syllabus-build-error";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build error");

    var heading = element("p", { display: "block", fontWeight: "bold", margin: "0 0 1rem" });
    heading.textContent =
      "syllabus: the last rebuild failed. This is the last good version of the page; fix the problem and save, and the page reloads.";

    var details = element("pre", {
      display: "block",
      whiteSpace: "pre-wrap",
      margin: "0 0 1rem",
      color: "#fca5a5",
    });
    details.textContent = text;

    var close = element("button", {
      padding: "0.3rem 0.8rem",
      border: "1px solid #f4f4f5",
      borderRadius: "4px",
      background: "transparent",
      color: "#f4f4f5",
      cursor: "pointer",
    });
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", hide);

    overlay.appendChild(heading);
    overlay.appendChild(details);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  // An element that inherits nothing from the page's styles. Styles are set
  // through the CSSOM, which a Content-Security-Policy does not block.
  function element(name, styles) {
    var node = document.createElement(name);
    node.style.all = "initial";
    node.style.font = "inherit";
    node.style.color = "inherit";
    for (var key in styles) {
      node.style[key] = styles[key];
    }
    return node;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }
})();
