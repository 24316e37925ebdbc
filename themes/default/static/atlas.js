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

  /* Language. The switch remembers the reader's choice (localStorage works for file:// pages in
     Chromium and Firefox; without it the switch still works, it is just not remembered). The
     choice applies only where the reader has not been sent to a particular page: the Chinese
     home page opened as the site's entry. A link to a page in the other language (a shared
     address, a link of the site) opens that page as it is. A stored value other than "zh" or
     "en" (another script's, a hand-edited one) is ignored and removed: following it could
     only bounce between the editions. */
  var KEY = "atlas-lang";
  function stored() {
    var v = null;
    try { v = window.localStorage.getItem(KEY); } catch (e) { return null; }
    if (v === null || v === "zh" || v === "en") { return v; }
    try { window.localStorage.removeItem(KEY); } catch (e) { /* cannot clean it; ignored anyway */ }
    return null;
  }
  function remember(lang) {
    if (lang !== "zh" && lang !== "en") { return; }
    try { window.localStorage.setItem(KEY, lang); } catch (e) { /* not remembered */ }
  }
  var here = document.body.getAttribute("data-lang");
  var want = stored();
  var alt = document.querySelector("a.lang-switch");
  var search = window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search;
  var entry = document.body.classList.contains("page-home") && here === "zh" && !document.referrer;
  if (entry && want && want !== here && alt && alt.getAttribute("data-switch-to") === want &&
      !/[?&]lang=stay/.test(search)) {
    if (window.ATLAS_SF) { window.ATLAS_SF.nav(alt.getAttribute("href"), true); } else { window.location.replace(alt.href); }
    return;
  }
  /* Switching keeps what the reader was looking at: the query (a search), the article (the
     address's #fragment) and, on a page without one, how far down the reader was, as a share
     of the page (the other edition's page is laid out in other words, so not in pixels). */
  var POS = "atlas-switch-position";
  try {
    var pos = JSON.parse(window.sessionStorage.getItem(POS) || "null");
    window.sessionStorage.removeItem(POS);
    if (pos && pos.to === here && typeof pos.at === "number" && pos.at > 0 && pos.at <= 1 && !window.location.hash) {
      var restore = function () {
        var max = document.documentElement.scrollHeight - window.innerHeight;
        window.scrollTo(0, Math.round(pos.at * max));
      };
      if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
    }
  } catch (e) { /* storage off: the page opens at its top */ }

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

  /* "Go to article": a number as a reader types it (19, 第十九条, 十九, Art. 19) opens that
     article of the page, whatever its kind of unit (条, a notice's sections). */
  var DIGIT = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  function hanNumber(s) {
    var total = 0, cur = 0;
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (Object.prototype.hasOwnProperty.call(DIGIT, ch)) { cur = cur * 10 + DIGIT[ch]; }
      else if (ch === "十") { total += (cur || 1) * 10; cur = 0; }
      else if (ch === "百") { total += (cur || 1) * 100; cur = 0; }
      else { return NaN; }
    }
    return total + cur;
  }
  function unitNumber(q) {
    q = q.replace(/\s+/g, "").replace(/^(art(icle)?|sec(tion)?|part|§)\.?/i, "").replace(/^第/, "").replace(/[条章节部分]$/, "");
    if (/^\d{1,4}$/.test(q)) { return parseInt(q, 10); }
    return q ? hanNumber(q) : NaN;
  }
  var go = document.querySelector("form.goto");
  if (go) {
    go.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var raw = go.querySelector("input").value;
      var n = unitNumber(raw);
      var none = go.querySelector(".goto-none");
      var target = null;
      Array.prototype.forEach.call(document.querySelectorAll(".text article[id]"), function (a) {
        var m = /^[a-z]+-(\d+)$/.exec(a.id);
        if (!target && m && parseInt(m[1], 10) === n) { target = a; }
      });
      if (!target) { none.textContent = go.getAttribute("data-none").replace("{n}", raw.trim()); return; }
      none.textContent = "";
      if (window.ATLAS_SF) {
        window.history.pushState(null, "", "#!/" + window.ATLAS_SF.path + window.ATLAS_SF.search + "#" + target.id);
        Array.prototype.forEach.call(document.querySelectorAll(".sf-target"), function (x) { x.classList.remove("sf-target"); });
        target.classList.add("sf-target");
        target.scrollIntoView();
      } else {
        window.location.hash = target.id;
      }
    });
  }

  /* The address of the unit `el` is in, for a copied citation to lead back to it. */
  function unitLink(el) {
    var unit = el.closest("[id]");
    var id = unit ? unit.id : "";
    if (window.ATLAS_SF) {
      return window.location.href.split("#")[0] + "#!/" + window.ATLAS_SF.path + (id ? "#" + id : "");
    }
    return window.location.href.split("#")[0] + (id ? "#" + id : "");
  }

  document.addEventListener("click", function (ev) {
    var sw = ev.target.closest ? ev.target.closest("a.lang-switch") : null;
    if (sw) {
      var to = sw.getAttribute("data-switch-to");
      remember(to);
      var base = sw.getAttribute("href").split("#")[0].split("?")[0];
      var hash = window.ATLAS_SF ? "" : window.location.hash;
      var q = search;
      // The search page's form as it stands (the query typed, the filters chosen): ids and
      // words are the same in both editions.
      var sf = document.querySelector("#search-app form.search-form");
      if (sf) {
        var parts = [];
        Array.prototype.forEach.call(sf.querySelectorAll("input[name], select[name]"), function (f) {
          var v = f.value.trim();
          if (v) { parts.push(encodeURIComponent(f.name) + "=" + encodeURIComponent(v)); }
        });
        q = parts.length ? "?" + parts.join("&") : "";
      }
      sw.setAttribute("href", base + q + hash);
      var max = document.documentElement.scrollHeight - window.innerHeight;
      try {
        window.sessionStorage.setItem(POS, JSON.stringify({ to: to, at: max > 0 ? window.scrollY / max : 0 }));
      } catch (e) { /* the other page opens at its top */ }
      return;
    }
    var btn = ev.target.closest ? ev.target.closest(".copy-cite") : null;
    if (!btn) { return; }
    // The citation, then the provision's address (where the copy is pasted, it leads back).
    var cite = btn.getAttribute("data-cite") + " " + unitLink(btn);
    var label = btn.textContent;
    copyText(cite).then(function () {
      btn.classList.add("done");
      btn.setAttribute("data-copied", cite);
      btn.textContent = document.documentElement.lang.indexOf("en") === 0 ? "Copied" : "已复制";
      setTimeout(function () { btn.classList.remove("done"); btn.textContent = label; }, 1500);
    });
  });
})();
