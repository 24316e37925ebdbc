/* JointLab Atlas search box: the only search code every page loads. It styles the box, sends
   the form to the results page, and loads the search engine (assets/search/engine.js, written
   with the index by generator/src/search) on first use: focus or typing in the box, the results
   page, or a page opened from a result (?hl=). Classic scripts only, so it works from file://. */
(function () {
  "use strict";
  var me = document.currentScript;
  // data-src: the single-file edition inlines the script but keeps where it would have been.
  var root = me ? (me.getAttribute("src") || me.getAttribute("data-src") || "").replace(/assets\/search\.js(\?.*)?$/, "") : "";
  var requested = false;

  function engine() {
    if (requested) { return; }
    requested = true;
    window.AtlasSearchBoot = { root: root };
    var s = document.createElement("script");
    s.charset = "utf-8";
    if (window.ATLAS_SF) {
      // The single-file edition carries the engine compressed inside it; it runs inline.
      window.ATLAS_SF.text("assets/search/engine.js").then(function (code) { s.text = code; document.head.appendChild(s); });
    } else { s.src = root + "assets/search/engine.js"; document.head.appendChild(s); }
  }

  function navigate(href) {
    if (window.ATLAS_SF) { window.ATLAS_SF.nav(href); } else { window.location.href = href; }
  }

  function init() {
    if (!document.getElementById("atlas-search-style")) {
      var st = document.createElement("style");
      st.id = "atlas-search-style";
      st.textContent = ".site-search{position:relative;display:flex;gap:.3rem;align-items:center}" +
        ".site-search input{font:inherit;font-size:.9rem;padding:.15rem .4rem;border:1px solid var(--line,#ccc);border-radius:.25rem;min-width:12rem}" +
        ".site-search button,.search-form button{font:inherit;font-size:.85rem}" +
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
        ".search-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}" +
        ".search-form input[type=search]{font:inherit;flex:1 1 16rem;padding:.3rem .5rem}";
      document.head.appendChild(st);
    }
    var form = document.querySelector("form.site-search");
    var input = form && form.querySelector("input[name=q]");
    if (input) {
      input.addEventListener("focus", engine);
      input.addEventListener("input", engine);
      // Enter (before the engine handles keys itself) opens the shareable results page.
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var q = input.value.trim();
        navigate(form.getAttribute("action") + (q ? "?q=" + encodeURIComponent(q) : ""));
      });
    }
    var query = window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search;
    if (document.getElementById("search-app") || /[?&]hl=/.test(query)) { engine(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
