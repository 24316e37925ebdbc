/* JointLab Atlas offline search. A classic script (no modules, no fetch) so it works from file://.
   The index lives in assets/search/*.js: classic scripts that call AtlasSearch.load(name, data),
   injected with <script src> only when a search needs them (format: generator/src/search/index.rs).
   The tokenizer below implements generator/src/search/tokenizer.rs; tests/tokenizer-vectors.json
   holds the vectors both must reproduce. Indexed text only ever reaches the page as text nodes. */
var AtlasSearch = (function () {
  "use strict";

  /* ---------- tokenizer (spec: generator/src/search/tokenizer.rs, version 1) ---------- */

  function foldCode(u) {
    if (u >= 0xFF01 && u <= 0xFF5E) { u -= 0xFEE0; }
    if (u === 0x3000) { return 0x20; }
    if (u >= 0x41 && u <= 0x5A) { return u + 32; }
    return u;
  }
  function isHan(u) {
    return (u >= 0x3400 && u <= 0x4DBF) || (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF) || u === 0x3007;
  }
  function isDigit(u) { return u >= 0x30 && u <= 0x39; }
  function isWord(u) { return isDigit(u) || (u >= 0x61 && u <= 0x7A); }

  /** Tokens of `text`: [{t: text, s: start, e: end}], spans in UTF-16 code units. */
  function tokenize(text) {
    var cs = [], off = [], i = 0, o = 0;
    text = String(text);
    while (i < text.length) {
      var cp = text.codePointAt(i);
      cs.push(foldCode(cp));
      off.push(o);
      var w = cp > 0xFFFF ? 2 : 1;
      o += w; i += w;
    }
    off.push(o);
    var out = [], n = cs.length, k = 0;
    function digit(j) { return j >= 0 && j < n && isDigit(cs[j]); }
    while (k < n) {
      var c = cs[k], start = k;
      if (isWord(c)) {
        var word = "";
        while (k < n) {
          c = cs[k];
          if (isWord(c)) { word += String.fromCharCode(c); k++; }
          else if ((c === 0x2E || c === 0x3A || c === 0x2C) && k > start && digit(k - 1) && digit(k + 1)) {
            if (c !== 0x2C) { word += String.fromCharCode(c); }
            k++;
          } else if (c === 0x25 && digit(k - 1)) { word += "%"; k++; break; }
          else { break; }
        }
        out.push({ t: word, s: off[start], e: off[k] });
      } else if (isHan(c)) {
        while (k < n && isHan(cs[k])) { k++; }
        if (k - start === 1) {
          out.push({ t: String.fromCharCode(c), s: off[start], e: off[k] });
        } else {
          for (var j = start; j < k - 1; j++) {
            out.push({ t: String.fromCharCode(cs[j], cs[j + 1]), s: off[j], e: off[j + 2] });
          }
        }
      } else { k++; }
    }
    return out;
  }

  /** FNV-1a over code points, as in tokenizer.rs. */
  function hash(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      var cp = key.codePointAt(i);
      if (cp > 0xFFFF) { i++; }
      h ^= cp;
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h >>> 0;
  }

  function isHanChar(t) { return t.length === 1 && isHan(t.charCodeAt(0)); }

  /* ---------- loading index scripts on demand ---------- */

  var me = document.currentScript;
  // data-src: the single-file edition inlines the script but keeps where it would have been.
  var root = me ? (me.getAttribute("src") || me.getAttribute("data-src") || "").replace(/assets\/search\.js(\?.*)?$/, "") : "";
  var loaded = {}, waiting = {}, failed = {};

  function load(name, data) {
    loaded[name] = data;
    var cbs = waiting[name] || [];
    delete waiting[name];
    cbs.forEach(function (cb) { cb(); });
  }

  function fileOf(name) {
    if (name === "meta") { return "meta.js"; }
    return name.charAt(0) + "-" + name.slice(1) + ".js";
  }

  /** Calls cb(err) once every named index script has been loaded. */
  function need(names, cb) {
    var left = 0, done = false;
    function finish(err) { if (!done) { done = true; cb(err); } }
    names.forEach(function (name) {
      if (loaded[name]) { return; }
      if (failed[name]) { finish(new Error(name)); return; }
      left++;
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push(function () { if (--left === 0) { finish(null); } });
      if (first) {
        var s = document.createElement("script");
        var inlined = window.ATLAS_SF && window.ATLAS_SF.assets["assets/search/" + fileOf(name)];
        // The single-file edition carries the chunks inline; elsewhere they are files beside the page.
        if (inlined) { s.text = inlined; } else { s.src = root + "assets/search/" + fileOf(name); }
        s.charset = "utf-8";
        s.onerror = function () { failed[name] = true; delete waiting[name]; finish(new Error(name)); };
        // An inline chunk runs at once; let this script finish defining AtlasSearch first.
        if (inlined) { setTimeout(function () { document.head.appendChild(s); }, 0); } else { document.head.appendChild(s); }
      }
    });
    if (left === 0) { finish(null); }
  }

  /* ---------- postings ---------- */

  var decoded = {};
  /** Positional postings of token `t`: {doc: [positions]}. */
  function tokenPostings(t) {
    var key = "t:" + t;
    if (decoded[key]) { return decoded[key]; }
    var meta = loaded.meta, shard = loaded["t" + (hash(t) % meta.shards)];
    var flat = (shard && shard.t[t]) || [], out = {}, doc = 0, i = 0;
    while (i < flat.length) {
      doc += flat[i]; var n = flat[i + 1]; i += 2;
      var ps = [], p = 0;
      for (var j = 0; j < n; j++) { p += flat[i + j]; ps.push(p); }
      i += n; out[doc] = ps;
    }
    return (decoded[key] = out);
  }
  /** Per-character counts of Han character `c`: {doc: count}. */
  function charPostings(c) {
    var key = "c:" + c;
    if (decoded[key]) { return decoded[key]; }
    var meta = loaded.meta, shard = loaded["t" + (hash(c) % meta.shards)];
    var flat = (shard && shard.c[c]) || [], out = {}, doc = 0;
    for (var i = 0; i < flat.length; i += 2) { doc += flat[i]; out[doc] = flat[i + 1]; }
    return (decoded[key] = out);
  }

  /* ---------- querying ---------- */

  function queryTokens(q) { return tokenize(String(q || "").slice(0, 200)).slice(0, 40); }

  function shardsFor(toks, meta) {
    var names = [];
    toks.forEach(function (tk) {
      var n = "t" + (hash(tk.t) % meta.shards);
      if (names.indexOf(n) < 0) { names.push(n); }
    });
    return names;
  }

  function passes(meta, d, f) {
    var m = meta.docs.m[d];
    if (f.measure && (m < 0 || meta.measures[m].id !== f.measure)) { return false; }
    if (f.level && (m < 0 || meta.measures[m].level !== f.level)) { return false; }
    if (f.topic) {
      var ti = -1;
      meta.topics.forEach(function (t, i) { if (t.id === f.topic) { ti = i; } });
      var tp = meta.docs.tp ? meta.docs.tp[d] : [];
      if (ti < 0 || !tp || tp.indexOf(ti) < 0) { return false; }
    }
    return true;
  }

  /** Runs query `q` with filters {measure, level, topic}; cb(err, {hits, total, partial, tokens}). */
  function search(q, filters, cb) {
    var toks = queryTokens(q);
    filters = filters || {};
    if (!toks.length) { cb(null, { hits: [], total: 0, partial: false, tokens: toks }); return; }
    need(["meta"], function (err) {
      if (err) { cb(err); return; }
      var meta = loaded.meta;
      need(shardsFor(toks, meta), function (err2) {
        if (err2) { cb(err2); return; }
        cb(null, rank(toks, filters, meta));
      });
    });
  }

  function rank(toks, filters, meta) {
    var ndocs = meta.docs.m.length;
    // Distinct keys; a lone Han character is looked up in the per-character table.
    var keys = [];
    toks.forEach(function (tk) { if (keys.indexOf(tk.t) < 0) { keys.push(tk.t); } });
    var posting = keys.map(function (k) {
      if (isHanChar(k)) {
        var c = charPostings(k), out = {};
        Object.keys(c).forEach(function (d) { out[d] = c[d]; });
        return out;
      }
      var p = tokenPostings(k), o2 = {};
      Object.keys(p).forEach(function (d) { o2[d] = p[d].length; });
      return o2;
    });
    var cover = {};
    posting.forEach(function (p) { Object.keys(p).forEach(function (d) { cover[d] = (cover[d] || 0) + 1; }); });
    var need = keys.length, partial = false;
    var docs = Object.keys(cover).filter(function (d) { return cover[d] === need && passes(meta, +d, filters); });
    if (!docs.length && keys.length > 1) {
      partial = true;
      var min = Math.max(1, Math.ceil(keys.length / 2));
      docs = Object.keys(cover).filter(function (d) { return cover[d] >= min && passes(meta, +d, filters); });
    }
    // Document frequencies once per key (counting them per hit made common queries quadratic).
    var dfs = posting.map(function (p) { return Object.keys(p).length; });
    var hits = docs.map(function (ds) {
      var d = +ds, score = 0;
      keys.forEach(function (k, i) {
        var tf = posting[i][ds];
        if (!tf) { return; }
        score += (1 + Math.log(tf)) * Math.log(1 + ndocs / dfs[i]);
      });
      score /= 1 + 0.15 * Math.log(1 + (meta.docs.n[d] || 1));
      var phrases = phraseCount(toks, d);
      return { doc: d, phrase: phrases, cover: cover[ds], score: score + Math.min(phrases, 5) };
    });
    // Exact phrase first; then coverage; the measures' own words before the facts and topics
    // of the comparison, which restate them.
    var factKind = meta.kinds.indexOf("fact"), topicKind = meta.kinds.indexOf("topic");
    function derived(h) { var k = meta.docs.k[h.doc]; return k === factKind || k === topicKind ? 1 : 0; }
    hits.sort(function (a, b) {
      return (b.phrase > 0) - (a.phrase > 0) || b.cover - a.cover || derived(a) - derived(b) || b.score - a.score || a.doc - b.doc;
    });
    return { hits: hits, total: hits.length, partial: partial, tokens: toks };
  }

  /** Occurrences of the whole query as a phrase in document d (0 if it cannot be decided). */
  function phraseCount(toks, d) {
    if (toks.length === 1) {
      var t = toks[0].t;
      if (isHanChar(t)) { return charPostings(t)[d] || 0; }
      return (tokenPostings(t)[d] || []).length;
    }
    var lists = toks.map(function (tk) { return tokenPostings(tk.t)[d] || []; });
    if (lists.some(function (l) { return !l.length; })) { return 0; }
    var count = 0;
    lists[0].forEach(function (p) {
      for (var i = 1; i < lists.length; i++) { if (lists[i].indexOf(p + i) < 0) { return; } }
      count++;
    });
    return count;
  }

  /** Loads documents `ids` and calls cb(err, {id: [href, label, context, text]}). */
  function docs(ids, cb) {
    var meta = loaded.meta, chunks = meta.chunks, names = [];
    function chunkOf(d) { var c = 0; while (c + 1 < chunks.length && chunks[c + 1] <= d) { c++; } return c; }
    ids.forEach(function (d) { var n = "d" + chunkOf(d); if (names.indexOf(n) < 0) { names.push(n); } });
    need(names, function (err) {
      if (err) { cb(err); return; }
      var out = {};
      ids.forEach(function (d) { var c = chunkOf(d); out[d] = loaded["d" + c][d - chunks[c]]; });
      cb(null, out);
    });
  }

  /* ---------- matching spans in text (snippets and page highlighting) ---------- */

  /** Spans [[s, e]] of `text` to mark for query tokens `qt`: phrase occurrences when there are
      any, otherwise every matching token (and every occurrence of a one-character query). */
  function matchSpans(text, qt) {
    var tt = tokenize(text), spans = [], n = qt.length, i, j;
    if (!n) { return { spans: [], phrase: false }; }
    var single = n === 1 && isHanChar(qt[0].t);
    if (!single) {
      for (i = 0; i + n <= tt.length; i++) {
        for (j = 0; j < n && tt[i + j].t === qt[j].t; j++) { /* compare */ }
        if (j === n) { spans.push([tt[i].s, tt[i + n - 1].e]); }
      }
      if (spans.length) { return { spans: spans, phrase: true }; }
    }
    var words = {}, chars = {};
    qt.forEach(function (q) { if (isHanChar(q.t)) { chars[q.t] = 1; } else { words[q.t] = 1; } });
    tt.forEach(function (t) { if (words[t.t]) { spans.push([t.s, t.e]); } });
    if (Object.keys(chars).length) {
      for (i = 0; i < text.length; i++) { if (chars[text.charAt(i)]) { spans.push([i, i + 1]); } }
    }
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) { last[1] = Math.max(last[1], s[1]); } else { merged.push([s[0], s[1]]); }
    });
    return { spans: merged, phrase: single && merged.length > 0 };
  }

  /** Appends `text` to `el` with the given spans wrapped in <mark> (text nodes only). */
  function appendMarked(el, text, spans, from, to) {
    var pos = from;
    spans.forEach(function (s) {
      var a = Math.max(s[0], from), b = Math.min(s[1], to);
      if (b <= a) { return; }
      if (a > pos) { el.appendChild(document.createTextNode(text.slice(pos, a))); }
      var m = document.createElement("mark");
      m.textContent = text.slice(a, b);
      el.appendChild(m);
      pos = b;
    });
    if (pos < to) { el.appendChild(document.createTextNode(text.slice(pos, to))); }
  }

  /** A snippet element for `text`: a window around the first match, matches marked. */
  function snippet(text, qt, width) {
    var el = document.createElement("span");
    el.className = "search-snippet";
    var spans = matchSpans(text, qt).spans;
    width = width || 90;
    var from = 0, to = text.length;
    if (text.length > width) {
      var first = spans.length ? spans[0][0] : 0;
      from = Math.max(0, first - Math.floor(width / 3));
      to = Math.min(text.length, from + width);
      from = Math.max(0, to - width);
    }
    if (from > 0) { el.appendChild(document.createTextNode("…")); }
    appendMarked(el, text, spans, from, to);
    if (to < text.length) { el.appendChild(document.createTextNode("…")); }
    return el;
  }

  /* ---------- result rendering ---------- */

  /** The root of this page's language edition (the header form posts to its search page). */
  function editionRoot() {
    var f = document.querySelector("form.site-search");
    var a = f ? f.getAttribute("action") || "" : "";
    return /search\.html$/.test(a) ? a.replace(/search\.html$/, "") : root;
  }

  function english() { return document.body && document.body.getAttribute("data-lang") === "en"; }

  function resultHref(href, q) {
    var hash = "", i = href.indexOf("#");
    if (i >= 0) { hash = href.slice(i); href = href.slice(0, i); }
    return editionRoot() + href + "?hl=" + encodeURIComponent(q) + hash;
  }

  /** Fills list `ol` with the first `limit` hits of `res`; cb(err) when done. */
  function renderHits(ol, res, q, limit, cb) {
    var meta = loaded.meta, top = res.hits.slice(0, limit), ids = top.map(function (h) { return h.doc; });
    docs(ids, function (err, rows) {
      while (ol.firstChild) { ol.removeChild(ol.firstChild); }
      if (err) { if (cb) { cb(err); } return; }
      top.forEach(function (h, i) {
        var row = rows[h.doc], m = meta.docs.m[h.doc], mi = m >= 0 ? meta.measures[m] : null;
        var li = document.createElement("li");
        li.className = "search-hit";
        // The link itself is the option (an option may not contain a link: nested-interactive).
        li.setAttribute("role", "none");
        var a = document.createElement("a");
        a.href = resultHref(row[0], q);
        a.id = ol.id + "-" + i;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.setAttribute("tabindex", "-1");
        a.setAttribute("data-doc", String(h.doc));
        var head = document.createElement("span");
        head.className = "search-hit-head";
        if (mi) {
          var ms = document.createElement("span");
          ms.className = "search-hit-measure";
          ms.textContent = english() && mi.en ? mi.en : mi.short;
          head.appendChild(ms);
          head.appendChild(document.createTextNode(" "));
        }
        var lab = document.createElement("span");
        lab.className = "search-hit-label";
        lab.textContent = row[1];
        head.appendChild(lab);
        if (row[2] && row[1].indexOf(row[2]) !== 0) {
          var ctx = document.createElement("span");
          ctx.className = "search-hit-context";
          ctx.textContent = " " + row[2];
          head.appendChild(ctx);
        }
        a.appendChild(head);
        a.appendChild(snippet(row[3], res.tokens, 90));
        li.appendChild(a);
        ol.appendChild(li);
      });
      if (cb) { cb(null); }
    });
  }

  /* ---------- keyboard navigation over a result list ---------- */

  function keyNav(input, ol, onEnterNone) {
    var active = -1;
    function items() { return ol.querySelectorAll("li.search-hit"); }
    function set(i) {
      var list = items();
      if (!list.length || i < -1) { active = -1; input.removeAttribute("aria-activedescendant"); }
      else { active = (i + list.length) % list.length; }
      for (var k = 0; k < list.length; k++) {
        var on = k === active;
        list[k].classList.toggle("active", on);
        list[k].querySelector("a").setAttribute("aria-selected", on ? "true" : "false");
      }
      if (active < 0) { return; }
      input.setAttribute("aria-activedescendant", list[active].querySelector("a").id);
      if (list[active].scrollIntoView) { list[active].scrollIntoView({ block: "nearest" }); }
    }
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); set(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); set(active < 0 ? -1 : active - 1); }
      else if (ev.key === "Enter") {
        var list = items();
        ev.preventDefault();
        if (active >= 0 && list[active]) { navigate(list[active].querySelector("a").getAttribute("href")); }
        else if (onEnterNone) { onEnterNone(); }
      } else if (ev.key === "Escape") { set(-2); }
    });
    return { reset: function () { set(-2); } };
  }

  /* Goes to a relative URL; the single-file edition routes it inside the file. */
  function navigate(href) {
    if (window.ATLAS_SF) { window.ATLAS_SF.nav(href); } else { window.location.href = href; }
  }

  /* ---------- header box: suggestions ---------- */

  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  function initHeader(form) {
    var input = form.querySelector("input[name=q]"), ol = form.querySelector(".search-suggest");
    if (!input || !ol) { return; }
    function go() {
      var q = input.value.trim();
      navigate(editionRoot() + "search.html" + (q ? "?q=" + encodeURIComponent(q) : ""));
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); go(); });
    var nav = keyNav(input, ol, go);
    function hide() { ol.hidden = true; input.setAttribute("aria-expanded", "false"); }
    var run = debounce(function () {
      var q = input.value.trim();
      nav.reset();
      if (!q) { hide(); return; }
      search(q, {}, function (err, res) {
        if (err || input.value.trim() !== q) { return; }
        renderHits(ol, res, q, 8, function () {
          if (!res.hits.length) {
            var li = document.createElement("li");
            li.className = "search-empty";
            li.textContent = form.getAttribute("data-no-results") || "";
            ol.appendChild(li);
          }
          ol.hidden = false;
          input.setAttribute("aria-expanded", "true");
        });
      });
    }, 120);
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { need(["meta"], function () {}); });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) { hide(); } });
  }

  /* ---------- the results page ---------- */

  function params() {
    var out = {}, s = (window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search).replace(/^\?/, "");
    s.split("&").forEach(function (kv) {
      if (!kv) { return; }
      var i = kv.indexOf("="), k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? "" : kv.slice(i + 1);
      try { out[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, " ")); } catch (e) { /* malformed: ignore */ }
    });
    return out;
  }

  function initPage(app) {
    var form = app.querySelector("form"), input = app.querySelector("input[name=q]");
    var ol = app.querySelector(".search-results"), status = app.querySelector(".search-status");
    var selects = app.querySelectorAll("select");
    var p = params();
    input.value = p.q || "";
    Array.prototype.forEach.call(selects, function (s) { if (p[s.name]) { s.value = p[s.name]; } });
    function text(key, n) { return (app.getAttribute("data-" + key) || "").replace("{n}", String(n)); }
    function filters() {
      var f = {};
      Array.prototype.forEach.call(selects, function (s) { if (s.value) { f[s.name === "m" ? "measure" : s.name] = s.value; } });
      return f;
    }
    function url(q) {
      var parts = [];
      if (q) { parts.push("q=" + encodeURIComponent(q)); }
      Array.prototype.forEach.call(selects, function (s) { if (s.value) { parts.push(s.name + "=" + encodeURIComponent(s.value)); } });
      return "search.html" + (parts.length ? "?" + parts.join("&") : "");
    }
    var nav;
    var seq = 0;
    function run() {
      var q = input.value.trim(), mine = ++seq;
      try { window.history.replaceState(null, "", url(q)); } catch (e) { /* some browsers refuse on file:// */ }
      nav.reset();
      if (!q) { while (ol.firstChild) { ol.removeChild(ol.firstChild); } status.textContent = ""; return; }
      status.textContent = text("loading", 0);
      search(q, filters(), function (err, res) {
        if (mine !== seq) { return; }
        if (err) { status.textContent = text("error", 0); return; }
        renderHits(ol, res, q, 100, function (err2) {
          if (mine !== seq) { return; }
          if (err2) { status.textContent = text("error", 0); return; }
          var msg = res.total ? text("count", res.total) : text("none", 0);
          if (res.partial && res.total) { msg = text("partial", res.total); }
          if (res.total > 100) { msg += " " + text("shown", 100); }
          status.textContent = msg;
          app.setAttribute("data-done", String(seq));
        });
      });
    }
    nav = keyNav(input, ol, run);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    input.addEventListener("input", debounce(run, 200));
    Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", run); });
    run();
    if (!p.q) { input.focus(); }
  }

  /* ---------- landing on a result: highlight the words ---------- */

  var SKIP = { BUTTON: 1, DETAILS: 1, ASIDE: 1, SCRIPT: 1, STYLE: 1, MARK: 1 };

  function textNodes(el) {
    var out = [];
    (function walk(n) {
      for (var c = n.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) { out.push(c); }
        else if (c.nodeType === 1 && !SKIP[c.nodeName] && !(c.classList && (c.classList.contains("not-in-collection") || c.classList.contains("errata")))) { walk(c); }
      }
    })(el);
    return out;
  }

  /** Marks the words of query `q` inside element `el`; returns the number of marks. */
  function highlight(el, q) {
    var qt = queryTokens(q);
    if (!qt.length || !el) { return 0; }
    var nodes = textNodes(el), starts = [], all = "";
    nodes.forEach(function (n) { starts.push(all.length); all += n.nodeValue; });
    var spans = matchSpans(all, qt).spans, count = 0;
    nodes.forEach(function (n, i) {
      var s0 = starts[i], s1 = s0 + n.nodeValue.length;
      var local = spans.filter(function (s) { return s[0] < s1 && s[1] > s0; })
        .map(function (s) { return [Math.max(s[0], s0) - s0, Math.min(s[1], s1) - s0]; });
      if (!local.length) { return; }
      var frag = document.createDocumentFragment(), text = n.nodeValue;
      appendMarked(frag, text, local, 0, text.length);
      count += local.length;
      n.parentNode.replaceChild(frag, n);
    });
    return count;
  }

  function initLanding() {
    var q = params().hl;
    if (!q) { return; }
    var id = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    var target = (id && document.getElementById(id)) || document.querySelector(".text") || document.getElementById("main");
    if (!target) { return; }
    var n = highlight(target, q);
    if (n) {
      target.classList.add("search-landed");
      var m = target.querySelector("mark");
      if (id && target.scrollIntoView) { target.scrollIntoView({ block: "start" }); }
      else if (m && m.scrollIntoView) { m.scrollIntoView({ block: "center" }); }
    }
  }

  /* ---------- styles (kept here so the theme's stylesheet needs no change) ---------- */

  function addStyle() {
    if (document.getElementById("atlas-search-style")) { return; }
    var st = document.createElement("style");
    st.id = "atlas-search-style";
    st.textContent = [
      ".site-search{position:relative;display:flex;gap:.3rem;align-items:center}",
      ".site-search input{font:inherit;font-size:.9rem;padding:.15rem .4rem;border:1px solid var(--line,#ccc);border-radius:.25rem;min-width:12rem}",
      ".site-search button,.search-form button{font:inherit;font-size:.85rem}",
      ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
      ".search-suggest{position:absolute;top:100%;right:0;z-index:20;width:min(32rem,90vw);margin:.2rem 0 0;padding:0;list-style:none;background:#fff;border:1px solid var(--line,#ccc);border-radius:.3rem;box-shadow:0 4px 16px rgba(0,0,0,.12);max-height:70vh;overflow:auto}",
      ".search-suggest li,.search-results li{padding:.35rem .6rem;border-bottom:1px solid var(--line,#eee)}",
      ".search-results{list-style:none;padding:0}",
      ".search-hit a{display:block;text-decoration:none;color:inherit}",
      ".search-hit.active{background:var(--panel,#f3f3f3);outline:2px solid #f0b400}",
      ".search-hit-measure{color:var(--muted,#666);font-size:.85em}",
      ".search-hit-label{color:var(--link,#1a4f8b);font-weight:600}",
      ".search-hit-context{color:var(--muted,#666);font-size:.85em}",
      ".search-snippet{display:block;font-size:.9em;line-height:1.6}",
      ".search-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}",
      ".search-form input[type=search]{font:inherit;flex:1 1 16rem;padding:.3rem .5rem}",
      "mark{background:var(--mark,#fff3c4);color:inherit;padding:0 .05em}",
      ".search-landed{outline:2px solid #f0b400;outline-offset:2px}"
    ].join("\n");
    document.head.appendChild(st);
  }

  function init() {
    addStyle();
    var form = document.querySelector("form.site-search");
    if (form) { initHeader(form); }
    var app = document.getElementById("search-app");
    if (app) { initPage(app); }
    initLanding();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }

  return {
    load: load, tokenize: tokenize, hash: hash, search: search, docs: docs,
    matchSpans: matchSpans, highlight: highlight, root: root, loaded: loaded
  };
})();
