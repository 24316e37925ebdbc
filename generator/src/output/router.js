/* JointLab Atlas, single-file edition. Every file of the site is carried compressed in the
   #sf-data element (zlib streams, escaped as generator/src/output/bundle.rs describes) and
   listed in #sf-index; this router inflates the requested page and the styles and scripts it
   names with the browser's DecompressionStream (no fetch: it works from file://), writes the
   page into the document (document.open/write keeps the window, so the router and the
   calculator engine survive), and resolves links against the page's virtual path.
   ES5 syntax throughout, so that a browser too old to run it still shows the message. */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  /* Shows one of the file's own messages in place of the "opening" line. */
  function message(id) {
    var opening = byId("sf-opening"), m = byId(id);
    if (opening) { opening.hidden = true; }
    if (m) { m.hidden = false; }
  }

  if (typeof DecompressionStream !== "function" || typeof Response !== "function" ||
      typeof Blob !== "function" || typeof Map !== "function" || typeof TextDecoder !== "function" ||
      typeof Promise !== "function" || !window.history || !window.history.pushState) {
    message("sf-unsupported");
    return;
  }
  try { new DecompressionStream("deflate"); } catch (e) { message("sf-unsupported"); return; }

  var index = JSON.parse(byId("sf-index").textContent);
  // One character per byte of the file (the document is windows-1252).
  var data = byId("sf-data").textContent;
  // Kept to show after document.open() has replaced the file's own body.
  var brokenHtml = byId("sf-broken").innerHTML;

  var files = new Map(); // path -> [path, stream, offset, length]; only the file's own paths
  index.files.forEach(function (f) { files.set(f[0], f); });

  // windows-1252 decodes 27 of the bytes 0x80-0x9F to other code points: map them back.
  var high = new Map();
  (function () {
    var b = new Uint8Array(32);
    for (var i = 0; i < 32; i++) { b[i] = 0x80 + i; }
    var s = new TextDecoder("windows-1252").decode(b);
    for (i = 0; i < 32; i++) { high.set(s.charCodeAt(i), 0x80 + i); }
  })();

  /* A stream's text back into its bytes: line breaks skipped, "=" escapes undone. */
  function bytesOf(s) {
    var out = new Uint8Array(s.length), n = 0, c;
    for (var i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c === 10 || c === 13) { continue; }
      if (c === 61) { c = s.charCodeAt(++i) - 64; } else if (c > 255) { c = high.get(c); }
      out[n++] = c;
    }
    return out.subarray(0, n);
  }

  var inflated = new Map(); // stream number -> Promise of its bytes; the last few are kept
  var KEEP = 12;

  function stream(k) {
    var p = inflated.get(k);
    if (p) { inflated.delete(k); inflated.set(k, p); return p; }
    var r = index.streams[k];
    var packed = new Blob([bytesOf(data.slice(r[0], r[1]))]);
    p = new Response(packed.stream().pipeThrough(new DecompressionStream("deflate"))).arrayBuffer()
      .then(function (buf) { return new Uint8Array(buf); });
    p.catch(function () { inflated.delete(k); });
    inflated.set(k, p);
    if (inflated.size > KEEP) { inflated.delete(inflated.keys().next().value); }
    return p;
  }

  /* The bytes of one file of the site. */
  function bytes(path) {
    var f = files.get(path);
    if (!f) { return Promise.reject(new Error("not in this file: " + path)); }
    return stream(f[1]).then(function (b) { return b.subarray(f[2], f[2] + f[3]); });
  }

  var utf8 = new TextDecoder("utf-8");
  var texts = new Map(); // styles and scripts pages name, decoded once
  function text(path) {
    var t = texts.get(path);
    if (t) { return t; }
    t = bytes(path).then(function (b) { return utf8.decode(b); });
    if (!/\.html$/.test(path)) {
      texts.set(path, t);
      t.catch(function () { texts.delete(path); });
    }
    return t;
  }

  var SF = window.ATLAS_SF = {
    path: "index.html",
    search: "",
    start: index.start,
    /* Text of a file of the site (the search engine loads its index chunks with it). */
    text: text
  };

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

  function isPage(path) { return files.has(path) && /\.html$/.test(path); }

  /* Attribute text as the browser reads it (tera escapes "/" as &#x2F;). */
  function attr(v) {
    return v.replace(/&#x2F;/g, "/").replace(/&#x27;/g, "'").replace(/&quot;/g, "\"").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  var STYLE = /<link rel="stylesheet" href="([^"]+)">/g;
  var SCRIPT = /<script src="([^"]+)"( defer)?><\/script>/g;

  /* The engine declares a global binding: it is loaded once per window. */
  function engineLoaded(target) {
    return target === "assets/calculator.js" && typeof atlas_calc !== "undefined";
  }

  /* Paths of the styles and scripts a page names, to inflate before it is written. */
  function needs(html, path) {
    var out = [], m;
    [STYLE, SCRIPT].forEach(function (re) {
      re.lastIndex = 0;
      while ((m = re.exec(html)) !== null) {
        var target = resolve(path, attr(m[1])).path;
        if (files.has(target) && !engineLoaded(target) && out.indexOf(target) < 0) { out.push(target); }
      }
    });
    return out;
  }

  function scriptTag(code, src) {
    return "<script data-src=\"" + src + "\">" + code.replace(/<\/(script)/gi, "<\\/$1") + "<\/script>";
  }

  function inline(html, path, got) {
    var deferred = [];
    // The file's own policy stays in force across document.open(); a second one would only
    // be rejected for standing outside <head>.
    html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
    html = html.replace(STYLE, function (m, href) {
      var css = got.get(resolve(path, attr(href)).path);
      return css === undefined ? "" : "<style>" + css + "</style>";
    });
    html = html.replace(SCRIPT, function (m, src, defer) {
      var target = resolve(path, attr(src)).path;
      var code = engineLoaded(target) ? undefined : got.get(target);
      if (code === undefined) { return ""; }
      if (defer) { deferred.push(scriptTag(code, src)); return ""; }
      return scriptTag(code, src);
    });
    return html.replace("</body>", deferred.join("") + "</body>");
  }

  /* document.open() takes away the listeners of the document and of the window: added again
     after every page. */
  function listen() {
    document.addEventListener("click", intercept, true);
    window.addEventListener("popstate", onPop);
  }

  function broken(err) {
    if (window.console) { console.error("single-file edition: " + (err && err.message || err)); }
    document.open();
    document.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>JointLab Atlas</title></head><body style=\"font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem\">" + brokenHtml + "</body></html>");
    document.close();
    listen();
  }

  var shown = 0; // the latest request wins when pages are asked for faster than they open

  function show(path, frag, query, replace) {
    if (!isPage(path)) { path = SF.start; frag = ""; query = ""; }
    var me = ++shown;
    return text(path).then(function (html) {
      var want = needs(html, path);
      return Promise.all(want.map(text)).then(function (got) {
        if (me !== shown) { return; }
        var have = new Map();
        want.forEach(function (p, i) { have.set(p, got[i]); });
        SF.path = path;
        SF.search = query || "";
        var hash = "#!/" + path + (query || "") + (frag ? "#" + frag : "");
        if (window.location.hash !== hash) {
          if (replace) { window.history.replaceState(null, "", hash); } else { window.history.pushState(null, "", hash); }
        }
        document.open();
        document.write(inline(html, path, have));
        document.close();
        listen();
        var target = frag ? document.getElementById(frag) : null;
        if (target) { target.classList.add("sf-target"); target.scrollIntoView(); } else { window.scrollTo(0, 0); }
      });
    }).catch(function (err) { if (me === shown) { broken(err); } });
  }

  SF.nav = function (href, replace) {
    var r = resolve(SF.path, href);
    if (isPage(r.path)) { show(r.path, r.frag, r.query, replace); return; }
    if (files.has(r.path)) {
      var type = /\.json$/.test(r.path) ? "application/json" : /\.csv$/.test(r.path) ? "text/csv" : "text/plain";
      bytes(r.path).then(function (b) {
        window.open(URL.createObjectURL(new Blob([b], { type: type + ";charset=utf-8" })));
      }).catch(broken);
    }
  };

  function intercept(ev) {
    var a = ev.target.closest ? ev.target.closest("a[href]") : null;
    if (!a || a.hasAttribute("download") && /^blob:/.test(a.getAttribute("href"))) { return; }
    var href = a.getAttribute("href");
    if (/^[a-z]+:/i.test(href) || href.indexOf("//") === 0) { return; }
    ev.preventDefault();
    if (a.classList.contains("lang-switch")) {
      var to = a.getAttribute("data-switch-to");
      if (to === "zh" || to === "en") {
        try { window.localStorage.setItem("atlas-lang", to); } catch (e) { /* not remembered */ }
      }
      // The other edition's page with the same query (a search).
      href = href.split("#")[0].split("?")[0] + SF.search;
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

  /* Back, Forward, or an address edited by hand. */
  function onPop() {
    var r = fromHash();
    if (r.path === SF.path && (r.query || "") === SF.search) {
      // The same page: only the article in view changed.
      var t = r.frag ? document.getElementById(r.frag) : null;
      Array.prototype.forEach.call(document.querySelectorAll(".sf-target"), function (x) { x.classList.remove("sf-target"); });
      if (t) { t.classList.add("sf-target"); t.scrollIntoView(); } else { window.scrollTo(0, 0); }
      return;
    }
    show(r.path, r.frag, r.query, true);
  }

  // document.open() is ignored while this file is still being parsed: start once it is loaded.
  window.addEventListener("load", function start() {
    window.removeEventListener("load", start);
    var first = fromHash();
    show(first.path, first.frag, first.query, true);
  });
})();
