/* atlas serve only: reload when the site is rebuilt, show build errors over the page. */
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "atlas-serve-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(20,20,20,.92);color:#fff;padding:2rem;overflow:auto;font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "atlas: the content has errors (the last good site is shown underneath)\n\n" + text;
  }
  var es = new EventSource("/__atlas/events");
  es.addEventListener("reload", function () { window.location.reload(); });
  es.addEventListener("error", function (ev) { if (ev.data) { show(JSON.parse(ev.data)); } });
  es.addEventListener("ok", function () { if (overlay) { overlay.remove(); overlay = null; } });
})();
