/* JointLab Atlas offline search engine (assets/search/engine.js). A classic script (no modules, no
   fetch) so it works from file://. The page's small assets/search.js loads it on first use (focus
   or typing in the search box, the results page, or landing on a result), so pages carry none of
   it before a search. It reads the index format of generator/src/search/index.rs (version 2): the
   index files are classic scripts calling AtlasSearch.load(name, data), injected with
   <script src> only when a search needs them. The tokenizer below implements
   generator/src/search/tokenizer.rs; tests/tokenizer-vectors.json holds the vectors both must
   reproduce. Indexed text only ever reaches the page as text nodes. */
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

  /* ---------- number strings (index.rs: ALPHABET, 60 final and 32 leading digits) ---------- */

  var ALPHABET = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  var DIGITS = new Int8Array(128);
  for (var di = 0; di < ALPHABET.length; di++) { DIGITS[ALPHABET.charCodeAt(di)] = di; }

  /** The numbers of number string `s`, as an Int32Array. */
  function nums(s) {
    var out = new Int32Array(s.length), n = 0, q = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGITS[s.charCodeAt(i) & 127];
      if (d >= 60) { q = q * 32 + d - 60; } else { out[n++] = q * 60 + d; q = 0; }
    }
    return out.subarray(0, n);
  }
  function unzig(v) { return v & 1 ? -((v + 1) / 2) : v / 2; }

  /* ---------- loading index scripts on demand ---------- */

  var boot = window.AtlasSearchBoot || {};
  var root = boot.root || "";
  var loaded = {}, waiting = {}, failed = {};

  function load(name, data) {
    if (name === "meta") { data = prepareMeta(data); }
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
        var fail = function () { failed[name] = true; delete waiting[name]; finish(new Error(name)); };
        s.charset = "utf-8";
        s.onerror = fail;
        if (window.ATLAS_SF) {
          // The single-file edition carries the chunks compressed inside it: their text comes
          // later (after the caller has finished), and runs inline.
          window.ATLAS_SF.text("assets/search/" + fileOf(name)).then(function (code) { s.text = code; document.head.appendChild(s); }, fail);
        } else { s.src = root + "assets/search/" + fileOf(name); document.head.appendChild(s); }
      }
    });
    if (left === 0) { finish(null); }
  }

  /** Decodes meta.js's columns into typed arrays, once. */
  function prepareMeta(m) {
    var nd = m.ndocs, mk = nums(m.docs.mk), xs = nums(m.docs.x);
    var M = new Int32Array(nd), K = new Uint8Array(nd), X = new Int32Array(nd), pm = 0, px = -1, d;
    for (d = 0; d < nd; d++) {
      K[d] = mk[d] & 7;
      pm += unzig(Math.floor(mk[d] / 8));
      M[d] = pm - 1;
      px += 1 + unzig(xs[d]);
      X[d] = px;
    }
    var N = nums(m.n), nt = N.length;
    // Documents of each text (CSR): ranking works on texts, results are documents.
    var off = new Int32Array(nt + 1), list = new Int32Array(nd), fill;
    for (d = 0; d < nd; d++) { off[X[d] + 1]++; }
    for (var t = 0; t < nt; t++) { off[t + 1] += off[t]; }
    fill = off.slice(0, nt);
    for (d = 0; d < nd; d++) { list[fill[X[d]]++] = d; }
    // Topics of each document (CSR).
    var tp = nums(m.docs.tp), tpOff = new Int32Array(nd + 1), tpList = [], i = 0, prev = -1, at = 0;
    while (i < tp.length) {
      var doc = prev + 1 + tp[i++], cnt = tp[i++];
      for (; at < doc; at++) { tpOff[at + 1] = tpList.length; }
      for (var j = 0; j < cnt; j++) { tpList.push(tp[i++]); }
      tpOff[doc + 1] = tpList.length;
      at = doc + 1;
      prev = doc;
    }
    for (; at < nd; at++) { tpOff[at + 1] = tpList.length; }
    m.measures = m.measures.map(function (a) {
      return { id: a[0], short: a[1], en: a[2], level: m.levels[a[3]] ? m.levels[a[3]].id : "" };
    });
    m.docs = { m: M, k: K, x: X, tpOff: tpOff, tp: Int32Array.from(tpList) };
    m.n = N;
    m.textDocs = { off: off, list: list };
    return m;
  }

  /* ---------- postings ---------- */

  function shardOf(key) {
    var cuts = loaded.meta.cuts, h = hash(key), lo = 0, hi = cuts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (cuts[mid] <= h) { lo = mid + 1; } else { hi = mid; } }
    return "t" + lo;
  }

  /** Documents carrying texts `ts` (for document frequencies). */
  function docCount(ts) {
    var off = loaded.meta.textDocs.off, n = 0;
    for (var i = 0; i < ts.length; i++) { n += off[ts[i] + 1] - off[ts[i]]; }
    return n;
  }

  var decoded = {};
  var EMPTY = new Int32Array(0);
  /** Positional postings of token `t`: texts `t`, counts `f`, positions `p` of text i from `o[i]`. */
  function tokenPostings(t) {
    var key = "t:" + t;
    if (decoded[key]) { return decoded[key]; }
    var shard = loaded[shardOf(t)], s = (shard && shard.t[t]) || "";
    var flat = nums(s), T = new Int32Array(flat.length), F = new Int32Array(flat.length);
    var O = new Int32Array(flat.length + 1), P = new Int32Array(flat.length);
    var i = 0, k = 0, np = 0, text = -1;
    while (i < flat.length) {
      text += flat[i++] + 1;
      var c = flat[i++] + 1, p = 0;
      T[k] = text; F[k] = c; O[k] = np;
      for (var j = 0; j < c; j++) { p = j ? p + flat[i++] + 1 : flat[i++]; P[np++] = p; }
      k++;
    }
    O[k] = np;
    var out = { t: T.subarray(0, k), f: F.subarray(0, k), o: O, p: P.subarray(0, np) };
    out.df = docCount(out.t);
    return (decoded[key] = out);
  }
  /** Per-character counts of Han character `c`: texts `t`, counts `f`. */
  function charPostings(c) {
    var key = "c:" + c;
    if (decoded[key]) { return decoded[key]; }
    var shard = loaded[shardOf(c)], flat = nums((shard && shard.c[c]) || "");
    var T = new Int32Array(flat.length / 2), F = new Int32Array(flat.length / 2), text = -1;
    for (var i = 0, k = 0; i < flat.length; i += 2, k++) { text += flat[i] + 1; T[k] = text; F[k] = flat[i + 1] + 1; }
    var out = { t: T, f: F, o: null, p: EMPTY };
    out.df = docCount(T);
    return (decoded[key] = out);
  }

  /** First index at or after `lo` where sorted `a` is at least `x` (galloping, then binary). */
  function seek(a, lo, x) {
    var n = a.length, step = 1, hi = lo;
    while (hi < n && a[hi] < x) { lo = hi + 1; hi += step; step *= 2; }
    if (hi > n) { hi = n; }
    while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid] < x) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  /* ---------- querying ---------- */

  function queryTokens(q) { return tokenize(String(q || "").slice(0, 200)).slice(0, 40); }

  /** Runs query `q` with filters {measure, level, topic}; cb(err, {hits, total, partial,
      tokens}) with the best `limit` hits (100 unless given) in order, and the number of all. */
  function search(q, filters, cb, limit) {
    var toks = queryTokens(q);
    filters = filters || {};
    if (!toks.length) { cb(null, { hits: [], total: 0, partial: false, tokens: toks }); return; }
    need(["meta"], function (err) {
      if (err) { cb(err); return; }
      var names = [];
      toks.forEach(function (tk) { var n = shardOf(tk.t); if (names.indexOf(n) < 0) { names.push(n); } });
      need(names, function (err2) {
        if (err2) { cb(err2); return; }
        cb(null, rank(toks, filters, loaded.meta, limit || 100));
      });
    });
  }

  /** The filter as a test on documents, or null for none. */
  function filterOf(meta, f) {
    var M = meta.docs.m, tests = [];
    if (f.measure) {
      var mi = -2;
      meta.measures.forEach(function (m, i) { if (m.id === f.measure) { mi = i; } });
      tests.push(function (d) { return M[d] === mi; });
    }
    if (f.level) {
      var ok = new Uint8Array(meta.measures.length);
      meta.measures.forEach(function (m, i) { ok[i] = m.level === f.level ? 1 : 0; });
      tests.push(function (d) { return M[d] >= 0 && ok[M[d]] === 1; });
    }
    if (f.topic) {
      var ti = -1, off = meta.docs.tpOff, tp = meta.docs.tp;
      meta.topics.forEach(function (t, i) { if (t.id === f.topic) { ti = i; } });
      tests.push(function (d) {
        for (var i = off[d]; i < off[d + 1]; i++) { if (tp[i] === ti) { return true; } }
        return false;
      });
    }
    if (!tests.length) { return null; }
    return function (d) { for (var i = 0; i < tests.length; i++) { if (!tests[i](d)) { return false; } } return true; };
  }

  /* Ranking: exact phrase first; then how many of the query's words a text has; the measures'
     own words before the facts and topics of the comparison, which restate them; then tf-idf
     with a length norm, plus up to 5 for repeated phrases; then document order. Work is done
     per distinct text (documents sharing a text share its score), postings are intersected
     rarest first, and only the best `limit` documents are kept in a heap, so a common word's
     tens of thousands of hits are counted and scored but never sorted. */

  function rank(toks, filters, meta, limit) {
    var ndocs = meta.docs.m.length, N = meta.n;
    var keys = [];
    toks.forEach(function (tk) { if (keys.indexOf(tk.t) < 0) { keys.push(tk.t); } });
    var nk = keys.length;
    // A lone Han character is looked up in the per-character table.
    var post = keys.map(function (k) { return isHanChar(k) ? charPostings(k) : tokenPostings(k); });
    var idf = post.map(function (p) { return p.df ? Math.log(1 + ndocs / p.df) : 0; });
    var pass = filterOf(meta, filters);
    var K = meta.docs.k, derivedKind = new Uint8Array(meta.kinds.length);
    meta.kinds.forEach(function (k, i) { derivedKind[i] = k === "fact" || k === "topic" ? 1 : 0; });
    // Each query token's place in `keys`, and its positional postings for the phrase test (a
    // lone Han character's unigram postings, as a one-token phrase of several tokens).
    var tokKey = toks.map(function (tk) { return keys.indexOf(tk.t); });
    var tokPost = toks.map(function (tk) { return tokenPostings(tk.t); });
    var top = new Top(limit), total = 0;
    var tdOff = meta.textDocs.off, tdList = meta.textDocs.list;

    /* Scores text `t` (index `at[i]` in key i's postings, −1 if absent) and offers its documents. */
    var at = new Int32Array(nk);
    function offer(t, cover) {
      var score = 0, i;
      for (i = 0; i < nk; i++) { if (at[i] >= 0) { score += (1 + Math.log(post[i].f[at[i]])) * idf[i]; } }
      score /= 1 + 0.15 * Math.log(1 + (N[t] || 1));
      var phrase = cover === nk ? phraseCount(t) : 0;
      score += Math.min(phrase, 5);
      for (var j = tdOff[t]; j < tdOff[t + 1]; j++) {
        var d = tdList[j];
        if (pass && !pass(d)) { continue; }
        total++;
        top.offer(d, phrase, cover, derivedKind[K[d]], score);
      }
    }

    /* Occurrences of the whole query as a phrase in text t (every key present). */
    function phraseCount(t) {
      if (toks.length === 1) { return post[0].f[at[0]]; }
      var lists = [], i;
      for (i = 0; i < toks.length; i++) {
        var p = tokPost[i], k = tokKey[i];
        // The same postings as the key's when it is a token (index known); else look it up.
        var ix = post[k] === p ? at[k] : seekExact(p.t, t);
        if (ix < 0) { return 0; }
        lists.push(p.p.subarray(p.o[ix], p.o[ix + 1]));
      }
      var ptr = new Int32Array(lists.length), count = 0, first = lists[0];
      outer:
      for (var a = 0; a < first.length; a++) {
        var p0 = first[a];
        for (i = 1; i < lists.length; i++) {
          var l = lists[i], j = ptr[i];
          while (j < l.length && l[j] < p0 + i) { j++; }
          ptr[i] = j;
          if (j === l.length) { break outer; }
          if (l[j] !== p0 + i) { continue outer; }
        }
        count++;
      }
      return count;
    }

    // Texts with every key: walk the rarest key's texts, seek the others forward.
    var order = keys.map(function (_, i) { return i; }).sort(function (a, b) { return post[a].t.length - post[b].t.length; });
    var driver = post[order[0]], ptr = new Int32Array(nk);
    walk:
    for (var a = 0; a < driver.t.length; a++) {
      var t = driver.t[a];
      at[order[0]] = a;
      for (var oi = 1; oi < nk; oi++) {
        var i = order[oi], ts = post[i].t, j = seek(ts, ptr[i], t);
        ptr[i] = j;
        if (j === ts.length) { break walk; }
        if (ts[j] !== t) { continue walk; }
        at[i] = j;
      }
      offer(t, nk);
    }
    var partial = false;
    if (!total && nk > 1) {
      // No document has every word: those with at least half of them, most words first.
      partial = true;
      var nt = N.length, cover = new Uint8Array(nt), where = new Int32Array(nt * nk).fill(-1), min = Math.max(1, Math.ceil(nk / 2));
      post.forEach(function (p, i) {
        for (var x = 0; x < p.t.length; x++) { cover[p.t[x]]++; where[p.t[x] * nk + i] = x; }
      });
      for (var tt = 0; tt < nt; tt++) {
        if (cover[tt] < min) { continue; }
        for (var ki = 0; ki < nk; ki++) { at[ki] = where[tt * nk + ki]; }
        offer(tt, cover[tt]);
      }
    }
    return { hits: top.sorted(), total: total, partial: partial, tokens: toks };
  }

  /** Index of `x` in sorted `a`, or −1. */
  function seekExact(a, x) {
    var i = seek(a, 0, x);
    return i < a.length && a[i] === x ? i : -1;
  }

  /** The best `limit` hits offered, kept in a heap with the worst on top. */
  function Top(limit) { this.limit = limit; this.h = []; }
  /** Whether hit a ranks before hit b. */
  function before(a, b) {
    return a.phrase > 0 !== b.phrase > 0 ? a.phrase > 0
      : a.cover !== b.cover ? a.cover > b.cover
      : a.derived !== b.derived ? a.derived < b.derived
      : a.score !== b.score ? a.score > b.score
      : a.doc < b.doc;
  }
  Top.prototype.offer = function (doc, phrase, cover, derived, score) {
    var h = this.h;
    if (h.length >= this.limit) {
      // Full: most offers lose to the worst hit kept; decide before making an object.
      var w = h[0];
      if (!this.limit || !(phrase > 0 !== w.phrase > 0 ? phrase > 0
        : cover !== w.cover ? cover > w.cover
        : derived !== w.derived ? derived < w.derived
        : score !== w.score ? score > w.score
        : doc < w.doc)) { return; }
    }
    var hit = { doc: doc, phrase: phrase, cover: cover, derived: derived, score: score };
    if (h.length < this.limit) {
      h.push(hit);
      for (var i = h.length - 1; i > 0;) {
        var up = (i - 1) >> 1;
        if (!before(h[up], h[i])) { break; }
        var x = h[up]; h[up] = h[i]; h[i] = x; i = up;
      }
      return;
    }
    h[0] = hit;
    for (var k = 0; ;) {
      var l = 2 * k + 1, r = l + 1, m = k;
      if (l < h.length && before(h[m], h[l])) { m = l; }
      if (r < h.length && before(h[m], h[r])) { m = r; }
      if (m === k) { break; }
      var y = h[m]; h[m] = h[k]; h[k] = y; k = m;
    }
  };
  Top.prototype.sorted = function () {
    return this.h.slice().sort(function (a, b) { return before(a, b) ? -1 : before(b, a) ? 1 : 0; });
  };

  /** Index of the chunk holding item `i`, given each chunk's first item (sorted). */
  function chunkOf(starts, i) {
    var lo = 0, hi = starts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= i) { lo = mid + 1; } else { hi = mid; } }
    return lo - 1;
  }

  /** Loads documents `ids` (their document and text chunks only) and calls
      cb(err, {id: [href, label, context, text]}). */
  function docs(ids, cb) {
    var meta = loaded.meta, X = meta.docs.x, names = [];
    function add(n) { if (names.indexOf(n) < 0) { names.push(n); } }
    ids.forEach(function (d) { add("d" + chunkOf(meta.chunks, d)); add("x" + chunkOf(meta.texts, X[d])); });
    need(names, function (err) {
      if (err) { cb(err); return; }
      var out = {};
      ids.forEach(function (d) {
        var c = chunkOf(meta.chunks, d), chunk = loaded["d" + c], r = chunk.rows || (chunk.rows = nums(chunk.r));
        var at = (d - meta.chunks[c]) * 4, s = chunk.s, anchor = s[r[at + 1]], x = chunkOf(meta.texts, X[d]);
        out[d] = [s[r[at]] + (anchor ? "#" + anchor : ""), s[r[at + 2]], s[r[at + 3]], loaded["x" + x][X[d] - meta.texts[x]]];
      });
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

  /** Fills list `ol` with the first `limit` hits of `res` (only their documents are loaded and
      only their snippets built); cb(err) when done. */
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
    // Submitting the form (Enter before this script was loaded) is search.js's.
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
      }, 8);
    }, 120);
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { need(["meta"], function () {}); });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) { hide(); } });
    // This script was loaded because the box was focused or typed in: catch up.
    if (document.activeElement === input) { need(["meta"], function () {}); }
    if (input.value.trim()) { run(); }
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
      }, 100);
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

  /* ---------- styles of results (the search box's own are search.js's) ---------- */

  function addStyle() {
    if (document.getElementById("atlas-search-results-style")) { return; }
    var st = document.createElement("style");
    st.id = "atlas-search-results-style";
    st.textContent = [
      ".search-suggest{position:absolute;top:100%;right:0;z-index:20;width:min(32rem,90vw);margin:.2rem 0 0;padding:0;list-style:none;background:#fff;border:1px solid var(--line,#ccc);border-radius:.3rem;box-shadow:0 4px 16px rgba(0,0,0,.12);max-height:70vh;overflow:auto}",
      ".search-suggest li,.search-results li{padding:.35rem .6rem;border-bottom:1px solid var(--line,#eee)}",
      ".search-results{list-style:none;padding:0}",
      ".search-hit a{display:block;text-decoration:none;color:inherit}",
      ".search-hit.active{background:var(--panel,#f3f3f3);outline:2px solid #f0b400}",
      ".search-hit-measure{color:var(--muted,#666);font-size:.85em}",
      ".search-hit-label{color:var(--link,#1a4f8b);font-weight:600}",
      ".search-hit-context{color:var(--muted,#666);font-size:.85em}",
      ".search-snippet{display:block;font-size:.9em;line-height:1.6}",
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

  var api = {
    load: load, tokenize: tokenize, hash: hash, search: search, docs: docs,
    matchSpans: matchSpans, highlight: highlight, root: root, loaded: loaded
  };
  // Defined before init so that index scripts loaded from here on find it.
  window.AtlasSearch = api;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  return api;
})();
