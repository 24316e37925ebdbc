/* JointLab Atlas, single-file edition: every page of the site is carried in ATLAS_SF.pages and
   every asset in ATLAS_SF.assets; this router writes the requested page into the document
   (document.open/write keeps the window, so the router and the calculator engine survive),
   inlining its styles and scripts. Links are resolved against the page's virtual path. */
(function () {
  "use strict";
  var SF = window.ATLAS_SF;
  SF.path = "index.html";
  SF.search = "";

  function split(href) {
    var frag = "", query = "", i = href.indexOf("#");
    if (i >= 0) { frag = href.slice(i + 1); href = href.slice(0, i); }
    i = href.indexOf("?");
    if (i >= 0) { query = href.slice(i); href = href.slice(0, i); }
    return { path: href, frag: frag, query: query };
  }

  function resolve(base, href) {
    var p = split(href);
    if (!p.path) { return { path: base, frag: p.frag, query: p.query }; }
    var parts = base.split("/");
    parts.pop();
    p.path.split("/").forEach(function (seg) {
      if (seg === "..") { parts.pop(); } else if (seg !== "." && seg !== "") { parts.push(seg); }
    });
    return { path: parts.join("/"), frag: p.frag, query: p.query };
  }

  /* Attribute text as the browser reads it (tera escapes "/" as &#x2F;). */
  function attr(v) {
    return v.replace(/&#x2F;/g, "/").replace(/&#x27;/g, "'").replace(/&quot;/g, "\"").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function scriptTag(code, src) {
    return "<script data-src=\"" + src + "\">" + code.replace(/<\/(script)/gi, "<\\/$1") + "<\/script>";
  }

  function inline(html, path) {
    var deferred = [];
    // The file's own policy stays in force across document.open(); a second one would only
    // be rejected for standing outside <head>.
    html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
    html = html.replace(/<link rel="stylesheet" href="([^"]+)">/g, function (m, href) {
      var css = SF.assets[resolve(path, attr(href)).path];
      return css === undefined ? "" : "<style>" + css + "</style>";
    });
    html = html.replace(/<script src="([^"]+)"( defer)?><\/script>/g, function (m, src, defer) {
      var target = resolve(path, attr(src)).path;
      // The engine declares a global binding: load it once per window.
      if (target === "assets/calculator.js" && typeof atlas_calc !== "undefined") { return ""; }
      var code = SF.assets[target];
      if (code === undefined) { return ""; }
      if (defer) { deferred.push(scriptTag(code, src)); return ""; }
      return scriptTag(code, src);
    });
    return html.replace("</body>", deferred.join("") + "</body>");
  }

  function show(path, frag, query, replace) {
    if (SF.pages[path] === undefined) { path = "index.html"; frag = ""; query = ""; }
    SF.path = path;
    SF.search = query || "";
    var hash = "#!/" + path + (query || "") + (frag ? "#" + frag : "");
    if (window.location.hash !== hash) {
      if (replace) { window.history.replaceState(null, "", hash); } else { window.history.pushState(null, "", hash); }
    }
    document.open();
    document.write(inline(SF.pages[path], path));
    document.close();
    document.addEventListener("click", intercept, true);
    var target = frag ? document.getElementById(frag) : null;
    if (target) { target.classList.add("sf-target"); target.scrollIntoView(); } else { window.scrollTo(0, 0); }
  }

  SF.nav = function (href, replace) {
    var r = resolve(SF.path, href);
    if (SF.pages[r.path] !== undefined) { show(r.path, r.frag, r.query, replace); return; }
    var asset = SF.assets[r.path];
    if (asset !== undefined) {
      var type = /\.json$/.test(r.path) ? "application/json" : /\.csv$/.test(r.path) ? "text/csv" : "text/plain";
      window.open(URL.createObjectURL(new Blob([asset], { type: type + ";charset=utf-8" })));
    }
  };

  function intercept(ev) {
    var a = ev.target.closest ? ev.target.closest("a[href]") : null;
    if (!a || a.hasAttribute("download") && /^blob:/.test(a.getAttribute("href"))) { return; }
    var href = a.getAttribute("href");
    if (/^[a-z]+:/i.test(href) || href.indexOf("//") === 0) { return; }
    ev.preventDefault();
    if (a.classList.contains("lang-switch")) {
      try { window.localStorage.setItem("atlas-lang", a.getAttribute("data-switch-to")); } catch (e) { /* not remembered */ }
    }
    var r = resolve(SF.path, href);
    if (r.path === SF.path && !r.query && r.frag) {
      // An anchor on this page: scroll, and keep it in the address for bookmarks.
      var t = document.getElementById(r.frag);
      window.history.pushState(null, "", "#!/" + SF.path + SF.search + "#" + r.frag);
      Array.prototype.forEach.call(document.querySelectorAll(".sf-target"), function (x) { x.classList.remove("sf-target"); });
      if (t) { t.classList.add("sf-target"); t.scrollIntoView(); }
      return;
    }
    SF.nav(href);
  }

  function fromHash() {
    var h = window.location.hash;
    if (h.indexOf("#!/") !== 0) { return { path: SF.start, frag: "", query: "" }; }
    return split(h.slice(3));
  }

  window.addEventListener("popstate", function () { var r = fromHash(); show(r.path, r.frag, r.query, true); });
  // document.open() is ignored while this file is still being parsed: start once it is loaded.
  window.addEventListener("load", function () {
    var first = fromHash();
    show(first.path, first.frag, first.query, true);
  });
})();
