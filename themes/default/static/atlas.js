/* JointLab Atlas page behaviour: copy-citation and highlighting the linked unit.
   A classic script (no modules, no fetch) so it works from file://. */
(function () {
  "use strict";

  function copyText(text) {
    // navigator.clipboard needs a secure context; file:// pages may not have one.
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return Promise.resolve(legacyCopy(text));
  }

  function legacyCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest(".copy-cite") : null;
    if (!btn) { return; }
    var cite = btn.getAttribute("data-cite");
    var label = btn.textContent;
    copyText(cite).then(function () {
      btn.classList.add("done");
      btn.setAttribute("data-copied", cite);
      btn.textContent = document.documentElement.lang.indexOf("en") === 0 ? "Copied" : "已复制";
      setTimeout(function () { btn.classList.remove("done"); btn.textContent = label; }, 1500);
    });
  });
})();
