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

  /* Language: the switch remembers the choice; a page opened in the other language follows it.
     localStorage works for file:// pages in Chromium and Firefox; if it is unavailable the
     switch still works, it just is not remembered. */
  var KEY = "atlas-lang";
  function stored() { try { return window.localStorage.getItem(KEY); } catch (e) { return null; } }
  function remember(lang) { try { window.localStorage.setItem(KEY, lang); } catch (e) { /* not remembered */ } }
  var here = document.body.getAttribute("data-lang");
  var want = stored();
  var alt = document.querySelector("a.lang-switch");
  if (want && here && want !== here && alt && !/[?&]lang=stay/.test(window.location.search)) {
    if (window.ATLAS_SF) { window.ATLAS_SF.nav(alt.getAttribute("href"), true); } else { window.location.replace(alt.href + window.location.hash); }
    return;
  }

  /* The copy-citation buttons of a measure page: each article heading and clause carries its
     citation in data-cite without the start the whole text shares (《title》（文号）), which the
     text carries once in data-citation-prefix; the button, holding the full citation, goes
     before the clause's items or notes. */
  var text = document.querySelector(".text[data-copy-label]");
  if (text) {
    var copyLabel = text.getAttribute("data-copy-label");
    var prefix = text.getAttribute("data-citation-prefix") || "";
    var units = text.querySelectorAll("[data-cite]");
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      var cite = prefix + unit.getAttribute("data-cite");
      var b = document.createElement("button");
      b.type = "button";
      b.className = unit.tagName === "H3" ? "copy-cite" : "copy-cite small";
      b.setAttribute("data-cite", cite);
      b.setAttribute("aria-label", copyLabel + "：" + cite);
      b.textContent = copyLabel;
      var before = null;
      for (var c = unit.firstElementChild; c; c = c.nextElementSibling) {
        if (c.tagName === "OL" || c.tagName === "ASIDE") { before = c; break; }
      }
      unit.insertBefore(document.createTextNode(" "), before);
      unit.insertBefore(b, before);
    }
  }

  document.addEventListener("click", function (ev) {
    var sw = ev.target.closest ? ev.target.closest("a.lang-switch") : null;
    if (sw) {
      remember(sw.getAttribute("data-switch-to"));
      // Keep the reader at the same article in the other language.
      if (window.location.hash) { sw.href = sw.href.split("#")[0] + window.location.hash; }
      return;
    }
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
