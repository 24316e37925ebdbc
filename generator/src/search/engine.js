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

  /* ---------- tokenizer (spec: generator/src/search/tokenizer.rs, version 2) ---------- */

  /* The traditional → simplified table of rule 1 (tokenizer.rs SIMPLIFIED), put in by the
     index writer (index.rs engine()) as a number string: per pair, the traditional character's
     gap from the previous one minus one (from U+3400), then zigzag(simplified − traditional).
     Decoded below into SIMP, by code point from U+3400 (0 = not folded). */
  var SIMPLIFIED = "@SIMPLIFIED@";
  var SIMP = new Uint16Array(0xFB00 - 0x3400);

  function foldCode(u) {
    if (u >= 0xFF01 && u <= 0xFF5E) { u -= 0xFEE0; }
    if (u === 0x3000) { return 0x20; }
    if (u >= 0x41 && u <= 0x5A) { return u + 32; }
    if (u >= 0x3400 && u < 0xFB00 && SIMP[u - 0x3400]) { return SIMP[u - 0x3400]; }
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

  (function () {
    if (SIMPLIFIED.charAt(0) === "@") { return; } // the engine as written, not yet as shipped
    var n = nums(SIMPLIFIED), t = 0x3400 - 1;
    for (var i = 0; i + 1 < n.length; i += 2) {
      t += n[i] + 1;
      SIMP[t - 0x3400] = t + unzig(n[i + 1]);
    }
  })();

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
    if (name === "meta" || name === "arts") { return name + ".js"; }
    return name.charAt(0) + "-" + name.slice(1) + ".js";
  }

  /** Calls cb(err) once every named index script has been loaded. */
  function need(names, cb) {
    var left = 0, done = false;
    function finish(err) { if (!done) { done = true; cb(err); } }
    names.forEach(function (name) {
      if (loaded[name] !== undefined) { return; }
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
    function keys(s) { return tokenize(s || "").map(function (x) { return x.t; }); }
    m.topics.forEach(function (tp) { tp.zhToks = keys(tp.zh); tp.enToks = keys(tp.en); });
    // The glossary's wordings, each ready to stand in for a run of terms as a phrase: it needs
    // every one of its tokens (query.rs rule 5).
    m.syn = (m.syn || []).map(function (group) {
      return group.map(function (w) {
        var toks = tokenize(w).map(function (x) { return x.t; }), need = [];
        toks.forEach(function (t) { if (need.indexOf(t) < 0) { need.push(t); } });
        return { text: w, toks: toks, term: { toks: toks, need: need } };
      });
    });
    m.docs = { m: M, k: K, x: X, tpOff: tpOff, tp: Int32Array.from(tpList) };
    // What a document's kind adds to its rank (see rank): measure text before the facts and
    // topics restating it, the Chinese before its summary.
    m.kindRank = m.kinds.map(function (k) {
      return (k === "fact" || k === "topic" ? 0 : 1 << 8) + (k === "summary" ? 0 : 1 << 6);
    });
    m.isList = m.kinds.map(function (k) { return k === "clause" || k === "item"; });
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
    // Per text: 2 × gap + 1 and the count minus two, or 2 × gap alone for one occurrence.
    var shard = loaded[shardOf(c)], flat = nums((shard && shard.c[c]) || "");
    var T = new Int32Array(flat.length), F = new Int32Array(flat.length), text = -1, k = 0;
    for (var i = 0; i < flat.length; k++) {
      var g = flat[i++];
      text += Math.floor(g / 2) + 1;
      T[k] = text;
      F[k] = g % 2 ? flat[i++] + 2 : 1;
    }
    var out = { t: T.subarray(0, k), f: F.subarray(0, k), o: null, p: EMPTY };
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

  /* ---------- reading a query ---------- */

  /** Queries are cut to this many UTF-16 code units (a pasted page must not stall the page). */
  var MAX_QUERY = 200;

  /** Whether a token is two Han characters (a pair of a longer run). */
  function isPair(t) { return t.length === 2 && isHan(t.charCodeAt(0)) && isHan(t.charCodeAt(1)); }

  /** A term: tokens that make it up, in order, and the keys a unit must have for the term to
      count as present when not as a phrase: its words and lone characters, and of each run of
      Han pairs a cover (first, every other, last: 年度报告 → 年度, 报告), so the words of a
      Chinese phrase match apart and in any order. */
  function term(toks) {
    var need = [], i = 0;
    while (i < toks.length) {
      if (!isPair(toks[i].t)) { need.push(toks[i].t); i++; continue; }
      var j = i;
      while (j + 1 < toks.length && isPair(toks[j + 1].t) && toks[j + 1].s === toks[j].s + 1) { j++; }
      for (var k = i; k <= j; k += 2) { need.push(toks[k].t); }
      if ((j - i) % 2 === 1) { need.push(toks[j].t); }
      i = j + 1;
    }
    return { toks: toks.map(function (t) { return t.t; }), need: need };
  }

  /** The terms of `s`: its white-space separated pieces that have tokens. */
  function termsOf(s) {
    var out = [];
    s.split(/[\s\u3000]+/).forEach(function (piece) {
      var toks = tokenize(piece);
      if (toks.length) { out.push(term(toks.slice(0, 40))); }
    });
    return out;
  }

  var CN = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  /** 十九 → 19, 一百零二 → 102, 19 → 19. */
  function cnNumber(s) {
    if (/^[0-9]+$/.test(s)) { return parseInt(s, 10); }
    var total = 0, cur = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c === "十") { total += (cur || 1) * 10; cur = 0; }
      else if (c === "百") { total += (cur || 1) * 100; cur = 0; }
      else { cur = CN[c] || 0; }
    }
    return total + cur;
  }

  var NUM = "[0-9]+|[〇零一二三四五六七八九十百两]+";
  var CN_ART = new RegExp("(第)?\\s*(" + NUM + ")\\s*条(?![件文例款])(?:\\s*(?:第\\s*(" + NUM + ")|\\(\\s*(" + NUM + ")\\s*\\))\\s*([项款目])?)?");
  var EN_ART = /\b(?:art|article|arts|articles)\b\.?\s*([0-9]+)(?:\s*\(\s*([0-9]+)\s*\))?/;

  /** The article (and clause or paragraph) a query names — 第十九条, 十九条, 19条, 第十九条第二项,
      第十九条（二）, art. 19, article 19(2) — as {n, sub, kind ("clause"|"para"|""), rest}
      with `rest` the query without it; null when it names none. Works on the folded query
      (full-width digits and brackets are ASCII by then). */
  function articleRef(q) {
    var f = "";
    for (var i = 0; i < q.length; i++) { f += String.fromCharCode(foldCode(q.charCodeAt(i))); }
    var m = CN_ART.exec(f), n, sub = 0, kind = "";
    // Without 第, a single Chinese numeral before 条 is a count (一条龙), not an article.
    if (m && (m[1] || /^[0-9]+$/.test(m[2]) || m[2].length > 1)) {
      n = cnNumber(m[2]);
      var s = m[3] || m[4];
      if (s) { sub = cnNumber(s); kind = m[5] === "款" ? "para" : "clause"; }
    } else {
      m = EN_ART.exec(f);
      if (!m) { return null; }
      n = parseInt(m[1], 10);
      if (m[2]) { sub = parseInt(m[2], 10); kind = "clause"; }
    }
    if (!n || n > 9999) { return null; }
    return { n: n, sub: sub, kind: kind, rest: q.slice(0, m.index) + " " + q.slice(m.index + m[0].length) };
  }

  /** A query read (generator/src/search/query.rs, the specification): its terms, its tokens as
      typed (for marking), the tokens of the whole with white space between Han characters
      dropped (the exact phrase), the article it names, and whether it was cut. */
  function parse(q) {
    q = String(q == null ? "" : q);
    var cut = q.length > MAX_QUERY;
    if (cut) { q = q.slice(0, MAX_QUERY); }
    var art = articleRef(q), text = art ? art.rest : q;
    // White space between two Han characters goes (query.rs rule 4).
    var joined = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      joined += text.charAt(i);
      if (!isHan(c)) { continue; }
      var j = i + 1;
      while (j < text.length && /\s/.test(text.charAt(j))) { j++; }
      if (j > i + 1 && j < text.length && isHan(text.charCodeAt(j))) { i = j - 1; }
    }
    return {
      q: q, cut: cut, art: art, text: text.trim(),
      terms: termsOf(text), tokens: tokenize(text).slice(0, 40),
      phrase: tokenize(joined).slice(0, 40).map(function (t) { return t.t; })
    };
  }

  function queryTokens(q) { return tokenize(String(q || "").slice(0, MAX_QUERY)).slice(0, 40); }

  /** Whether token list `a` occurs in `b` at consecutive places. */
  function within(a, b) {
    outer:
    for (var i = 0; i + a.length <= b.length; i++) {
      for (var j = 0; j < a.length; j++) { if (a[j] !== b[i + j]) { continue outer; } }
      return true;
    }
    return false;
  }

  /** Other ways of saying the query, from the glossary's terms (meta.syn): where a run of whole
      terms is one wording of a glossary term, each other wording in its place. Each is a plan
      {terms, phrase, alt} (alt: the wording put in). At most 8. */
  function alternatives(pq, meta) {
    var out = [], terms = pq.terms;
    meta.syn.forEach(function (group) {
      group.forEach(function (w) {
        for (var i = 0; i < terms.length && out.length < 8; i++) {
          var got = [], j = i;
          while (j < terms.length && got.length < w.toks.length) { got = got.concat(terms[j].toks); j++; }
          if (got.join(" ") !== w.toks.join(" ")) { continue; }
          group.forEach(function (v) {
            if (v === w || out.length >= 8 || !v.toks.length) { return; }
            var ts = terms.slice(0, i).concat([v.term], terms.slice(j));
            var phrase = [];
            ts.forEach(function (t) { phrase = phrase.concat(t.toks); });
            out.push({ terms: ts, phrase: phrase, alt: v.text });
          });
        }
      });
    });
    return out;
  }

  /** Topics a plan names: those whose Chinese or English name holds one of its terms (年度报告,
      matching funds), with `all` set when every term of the plan is in the name. */
  function namedTopics(plans, meta) {
    var out = {};
    meta.topics.forEach(function (tp, i) {
      plans.forEach(function (p) {
        var inName = p.terms.filter(function (t) {
          return t.toks.length && !(t.toks.length === 1 && isHanChar(t.toks[0])) && (within(t.toks, tp.zhToks) || within(t.toks, tp.enToks));
        }).length;
        if (!inName) { return; }
        var all = inName === p.terms.length;
        out[i] = out[i] || all;
      });
    });
    return out;
  }

  /* ---------- searching ---------- */

  /** Runs query `q` with filters {measure, level, topic}; cb(err, result) with the best `limit`
      hits (100 unless given) in order and the number of all: {hits: [{doc, rank, score, why,
      marks}], total, partial, tokens, corrected, cut, art, empty}. `why` says how a hit
      matched: {jump, topic, level, alt}; `marks` are the tokens to mark in its snippet. */
  function search(q, filters, cb, limit, noFix) {
    var pq = parse(q);
    filters = filters || {};
    limit = limit || 100;
    if (!pq.terms.length && !pq.art) {
      cb(null, { hits: [], total: 0, partial: false, tokens: [], cut: pq.cut, empty: true });
      return;
    }
    need(["meta"], function (err) {
      if (err) { cb(err); return; }
      var meta = loaded.meta, plans = [];
      // With an article number, words that name a measure (昆明, Kunming) only choose the
      // measure; other words are searched for too.
      var words = pq.art ? pq.terms.filter(function (t) { return !namesMeasure(t, meta); }) : pq.terms;
      if (words.length) { plans.push({ terms: pq.terms, phrase: pq.phrase, alt: null }); }
      plans = plans.concat(words.length ? alternatives(pq, meta) : []);
      var names = [];
      function add(n) { if (names.indexOf(n) < 0) { names.push(n); } }
      plans.forEach(function (p) {
        p.phrase.forEach(function (t) { add(shardOf(t)); });
        p.terms.forEach(function (t) { t.need.concat(t.toks).forEach(function (k) { add(shardOf(k)); }); });
      });
      if (pq.art) { add("arts"); }
      need(names, function (err2) {
        if (err2) { cb(err2); return; }
        var res = rank(pq, plans, filters, meta, limit, false);
        jumps(pq, res, filters, meta, limit, function (err3) {
          if (err3) { cb(err3); return; }
          if (res.total) { cb(null, res); return; }
          // Nothing has every word: a wording one character away if the texts have one,
          // else the units with most of the words.
          function partly() { cb(null, rank(pq, plans, filters, meta, limit, true)); }
          if (noFix) { partly(); return; }
          correct(pq, function (fixed) {
            if (!fixed) { partly(); return; }
            search(fixed, filters, function (err4, res2) {
              if (err4 || !res2.total || res2.partial) { partly(); return; }
              res2.corrected = fixed;
              res2.original = pq.q;
              cb(null, res2);
            }, limit, true);
          });
        });
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

  /** A cursor over a key's texts, for texts visited in increasing order. */
  function Cursor(p) { this.p = p; this.i = 0; }
  /** Index of text t in the postings, or −1 (t never below the previous call's). */
  Cursor.prototype.at = function (t) {
    var ts = this.p.t;
    this.i = seek(ts, this.i, t);
    return this.i < ts.length && ts[this.i] === t ? this.i : -1;
  };

  /* Where each token's positions in the current text start and end, and a pointer into them:
     reused for every text (the phrase test runs for tens of thousands of texts a query). */
  var PS = new Int32Array(64), PE = new Int32Array(64), PP = new Int32Array(64);

  /** Occurrences of the phrase of cursors `curs` (one per token) in text t, allocating
      nothing. */
  function phraseCount(curs, t) {
    var n = curs.length, i;
    for (i = 0; i < n; i++) {
      var c = curs[i], ix = c.at(t);
      if (ix < 0 || !c.p.o) { return 0; }
      PS[i] = c.p.o[ix]; PE[i] = c.p.o[ix + 1]; PP[i] = PS[i];
    }
    var count = 0, P0 = curs[0].p.p;
    outer:
    for (var a = PS[0]; a < PE[0]; a++) {
      var p0 = P0[a];
      for (i = 1; i < n; i++) {
        var P = curs[i].p.p, j = PP[i], e = PE[i];
        while (j < e && P[j] < p0 + i) { j++; }
        PP[i] = j;
        if (j === e) { break outer; }
        if (P[j] !== p0 + i) { continue outer; }
      }
      count++;
    }
    return count;
  }

  /** Positions of the phrase `toks` in text t (cursors per token), as start positions. */
  function phraseAt(curs, t) {
    var lists = [], i;
    for (i = 0; i < curs.length; i++) {
      var c = curs[i], ix = c.at(t);
      if (ix < 0) { return null; }
      var p = c.p;
      if (!p.o) { return null; }
      lists.push(p.p.subarray(p.o[ix], p.o[ix + 1]));
    }
    var out = [], ptr = new Int32Array(lists.length), first = lists[0];
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
      out.push(p0);
    }
    return out;
  }

  /** The smallest span of tokens holding one start of each list (each sorted). */
  function spanOf(lists) {
    var best = Infinity, ptr = new Int32Array(lists.length);
    for (;;) {
      var lo = Infinity, hi = -Infinity, at = -1;
      for (var i = 0; i < lists.length; i++) {
        var v = lists[i][ptr[i]];
        if (v < lo) { lo = v; at = i; }
        if (v > hi) { hi = v; }
      }
      if (hi - lo < best) { best = hi - lo; }
      if (++ptr[at] >= lists[at].length) { return best; }
    }
  }

  /* Levels of a match, best last: 0 none (a unit on a named topic, or partial), 1 the words
     apart (every term, a Chinese phrase's words in any order), 2 every term as typed but apart,
     3 every term as typed and near each other, 4 the exact phrase. A query with a wording from
     the glossary in place counts where each of its terms occurs as typed, at level 3 at most. */
  var NEAR = 12;
  var best = null;

  /** Scores every text matching `plan` into the per-text bests (`best`). */
  function matchPlan(plan, ai, meta, touched) {
    var N = meta.n, ndocs = meta.docs.m.length;
    var keys = [];
    plan.terms.forEach(function (t) { t.need.forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } }); });
    var nk = keys.length;
    if (!nk) { return; }
    // A lone Han character is looked up in the per-character table.
    var post = keys.map(function (k) { return isHanChar(k) ? charPostings(k) : tokenPostings(k); });
    var idf = post.map(function (p) { return p.df ? Math.log(1 + ndocs / p.df) : 0; });
    var single = plan.phrase.length === 1 && isHanChar(plan.phrase[0]);
    var phraseCur = single ? null : plan.phrase.map(function (t) { return new Cursor(tokenPostings(t)); });
    // Per term, cursors over its tokens' positional postings (a lone Han character's unigram
    // postings inside a longer term); a term that is one lone character has no positions.
    var termCur = plan.terms.length > 1 ? plan.terms.map(function (tm) {
      if (tm.toks.length === 1 && isHanChar(tm.toks[0])) { return null; }
      return tm.toks.map(function (t) { return new Cursor(tokenPostings(t)); });
    }) : null;
    var order = keys.map(function (_, i) { return i; }).sort(function (a, b) { return post[a].t.length - post[b].t.length; });
    var driver = post[order[0]], ptr = new Int32Array(nk), at = new Int32Array(nk);
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
      var score = 0;
      for (i = 0; i < nk; i++) { score += (1 + Math.log(post[i].f[at[i]])) * idf[i]; }
      score /= 1 + 0.15 * Math.log(1 + (N[t] || 1));
      var level = 1, count = 0;
      if (single) { count = post[0].f[at[0]]; }
      else { count = phraseCount(phraseCur, t); }
      if (count) { level = 4; score += Math.min(count, 5); }
      else if (termCur) {
        var lists = [];
        for (i = 0; i < termCur.length; i++) {
          var l = termCur[i] ? phraseAt(termCur[i], t) : [0];
          if (!l || !l.length) { lists = null; break; }
          lists.push(l);
        }
        if (lists) { level = spanOf(lists) <= NEAR ? 3 : 2; }
      }
      if (ai >= 0) {
        if (level < 2) { continue; }
        level = Math.min(level, 3);
      }
      if (level > best.level[t] || (level === best.level[t] && score > best.score[t])) {
        if (!best.level[t]) { touched.push(t); }
        best.level[t] = level; best.score[t] = score; best.alt[t] = ai + 1;
      }
    }
  }

  /** Documents tagged with topic i (built once per topic). */
  var topicDocs = {};
  function docsOfTopic(meta, i) {
    if (topicDocs[i]) { return topicDocs[i]; }
    var off = meta.docs.tpOff, tp = meta.docs.tp, out = [];
    for (var d = 0; d < meta.docs.m.length; d++) {
      for (var k = off[d]; k < off[d + 1]; k++) { if (tp[k] === i) { out.push(d); break; } }
    }
    return (topicDocs[i] = Int32Array.from(out));
  }

  /* Ranking: a hit's rank is, from the most to the least weighty, whether it is the provision
     an article number names, whether it is measure text on a topic the query names (年度报告:
     the units the annual-reporting facts cite, before a list of revocation grounds that
     mentions the words), its level (above), the measures' own words before the facts and
     topics of the comparison that restate them, the Chinese text before its English summary,
     and on a named topic an article before the items of its lists (a list of revocation
     grounds that refers to a rule is not on the rule's topic, so the rule comes first); then
     tf-idf with a length norm plus up to 5 for repeated
     phrases; then document order. Work is per distinct text (documents sharing a text share its
     score), postings are intersected rarest first, and only the best `limit` documents are kept
     in a heap, so a common word's tens of thousands of hits are counted and scored but never
     sorted. */

  function rank(pq, plans, filters, meta, limit, allowPartial) {
    var nt = meta.n.length;
    if (!best || best.level.length !== nt) {
      best = { level: new Uint8Array(nt), score: new Float64Array(nt), alt: new Uint8Array(nt) };
    }
    var touched = [];
    plans.forEach(function (p, i) { matchPlan(p, i - 1, meta, touched); });
    var named = plans.length ? namedTopics(plans, meta) : {};
    var namedList = Object.keys(named).map(Number);
    var pass = filterOf(meta, filters);
    var K = meta.docs.k, off = meta.docs.tpOff, tp = meta.docs.tp, kindRank = meta.kindRank, isList = meta.isList;
    var top = new Top(limit), total = 0;
    var tdOff = meta.textDocs.off, tdList = meta.textDocs.list;
    function topicOf(d) {
      for (var k = off[d]; k < off[d + 1]; k++) { if (named[tp[k]] !== undefined) { return tp[k]; } }
      return -1;
    }
    function offer(d, level, score, alt, partial) {
      if (pass && !pass(d)) { return; }
      var kr = kindRank[K[d]], topic = namedList.length ? topicOf(d) : -1, on = topic >= 0 && kr >= 1 << 8;
      // On the topic, an article before the items of its lists (云南 第二十一条 before its
      // （四）其他应予以取消……的).
      var r = (on ? 1 << 20 : 0) + (level << 16) + kr + (on && !isList[K[d]] ? 1 << 4 : 0);
      total++;
      top.offer(d, r, score, topic, level, alt, partial);
    }
    // The heap orders ties by document, so texts may come in any order.
    touched.forEach(function (t) {
      for (var j = tdOff[t]; j < tdOff[t + 1]; j++) { offer(tdList[j], best.level[t], best.score[t], best.alt[t] - 1, false); }
    });
    // Units on a topic the whole query names, whatever their words (national 第十四条 speaks of
    // 年度工作总结 under annual reporting).
    namedList.forEach(function (i) {
      if (!named[i]) { return; }
      docsOfTopic(meta, i).forEach(function (d) {
        if (best.level[meta.docs.x[d]] || kindRank[K[d]] < 1 << 8) { return; }
        offer(d, 0, 0, -1, false);
      });
    });
    var partial = false;
    if (!total && plans.length && allowPartial) {
      // No unit has every word: those with at least half of them, most words first.
      var p = plans[0], keys = [];
      p.terms.forEach(function (t) { t.need.forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } }); });
      if (keys.length > 1) {
        partial = true;
        var cover = new Uint8Array(nt), min = Math.max(1, Math.ceil(keys.length / 2));
        keys.forEach(function (k) {
          var ps = isHanChar(k) ? charPostings(k) : tokenPostings(k);
          for (var x = 0; x < ps.t.length; x++) { cover[ps.t[x]]++; }
        });
        for (var tt = 0; tt < nt; tt++) {
          if (cover[tt] < min) { continue; }
          for (var j = tdOff[tt]; j < tdOff[tt + 1]; j++) { offer(tdList[j], 0, cover[tt], -1, true); }
        }
      }
    }
    touched.forEach(function (t) { best.level[t] = 0; best.score[t] = 0; best.alt[t] = 0; });
    var hits = top.sorted();
    hits.forEach(function (h) {
      var plan = plans[h.why.alt + 1];
      h.marks = plan && h.why.alt >= 0 ? tokenize(plan.alt) : pq.tokens;
      h.why.alt = h.why.alt >= 0 ? plans[h.why.alt + 1].alt : null;
    });
    return { hits: hits, total: total, partial: partial, tokens: pq.tokens, cut: pq.cut, art: pq.art };
  }

  /** The best `limit` hits offered, kept in a heap with the worst on top. */
  function Top(limit) { this.limit = limit; this.h = []; }
  /** Whether hit a ranks before hit b. */
  function before(a, b) {
    return a.rank !== b.rank ? a.rank > b.rank : a.score !== b.score ? a.score > b.score : a.doc < b.doc;
  }
  /** Offers a document; its `why` (topic, level, alt, partial) is made only if it is kept. */
  Top.prototype.offer = function (doc, rank, score, topic, level, alt, partial) {
    var h = this.h;
    if (h.length >= this.limit) {
      // Full: most offers lose to the worst hit kept; decide before making an object.
      var w = h[0];
      if (!this.limit || !(rank !== w.rank ? rank > w.rank : score !== w.score ? score > w.score : doc < w.doc)) { return; }
    }
    var hit = { doc: doc, rank: rank, score: score, why: { topic: topic, level: level, alt: alt, partial: partial } };
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

  /* ---------- article numbers ---------- */

  /** Where each measure's articles start (arts.js, decoded once): per measure, [{n, doc}]. */
  function articles(meta) {
    if (meta.arts) { return meta.arts; }
    var a = nums(loaded.arts || ""), M = meta.docs.m, out = [], doc = 0, prevM = -2, prevN = 0;
    meta.measures.forEach(function () { out.push([]); });
    for (var i = 0; i + 1 < a.length; i += 2) {
      doc += a[i];
      var m = M[doc], n = (m === prevM ? prevN + 1 : 1) + unzig(a[i + 1]);
      if (m >= 0 && out[m]) { out[m].push({ n: n, doc: doc }); }
      prevM = m; prevN = n;
    }
    return (meta.arts = out);
  }

  /** The words of measure m's short titles and id (once). */
  function measureWords(m) {
    if (!m.words) { m.words = tokenize(m.short + " " + m.en + " " + m.id.replace(/-/g, " ")).map(function (t) { return t.t; }); }
    return m.words;
  }

  /** Whether term t is in some measure's short titles. */
  function namesMeasure(t, meta) {
    return meta.measures.some(function (m) { return within(t.toks, measureWords(m)); });
  }

  /** Measures in the order a query's other words name them (昆明, Kunming, 云南 …: the words found
      in a measure's short titles), then site order. */
  function measureOrder(pq, meta) {
    var words = pq.terms.reduce(function (a, t) { return a.concat(t.toks); }, []);
    var scored = meta.measures.map(function (m, i) {
      var s = 0, mw = measureWords(m);
      words.forEach(function (w) { if (mw.indexOf(w) >= 0) { s++; } });
      return { i: i, s: s };
    });
    scored.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    return scored;
  }

  /** Puts the provisions an article number names first in `res` (in the order of
      measureOrder; the measures its other words name above the rest); cb(err). */
  function jumps(pq, res, filters, meta, limit, cb) {
    if (!pq.art) { cb(null); return; }
    var arts = articles(meta), order = measureOrder(pq, meta), pass = filterOf(meta, filters);
    var M = meta.docs.m, K = meta.docs.k, wantKind = meta.kinds.indexOf(english() ? "summary" : "article");
    var found = [];
    order.forEach(function (o) {
      var list = arts[o.i];
      for (var k = 0; k < list.length; k++) {
        if (list[k].n !== pq.art.n) { continue; }
        var end = k + 1 < list.length ? list[k + 1].doc : list[k].doc + 1;
        while (end < M.length && M[end] === o.i && (k + 1 >= list.length)) { end++; }
        found.push({ start: list[k].doc, end: Math.min(end, list[k].doc + 200), named: o.s });
        break;
      }
    });
    function target(f, rows) {
      var d;
      if (pq.art.sub && rows) {
        var want = "art-" + pq.art.n + (pq.art.kind === "para" ? "-p" + pq.art.sub : "-" + pq.art.sub);
        if (pq.art.kind === "para" && pq.art.sub === 1) { want = "art-" + pq.art.n; }
        for (d = f.start; d < f.end; d++) {
          var href = rows[d] ? rows[d][0] : "";
          if (href.slice(href.indexOf("#") + 1) === want && (K[d] === wantKind || meta.kinds[K[d]] !== "summary")) { return d; }
        }
      }
      for (d = f.start; d < f.end; d++) { if (K[d] === wantKind) { return d; } }
      return f.start;
    }
    function finish(rows) {
      var ids = {}, hits = [];
      found.forEach(function (f) {
        var d = target(f, rows);
        if (pass && !pass(d)) { return; }
        ids[d] = true;
        hits.push({ doc: d, rank: 1 << 24, score: f.named, why: { jump: true, topic: -1, level: 4, alt: null }, marks: pq.tokens });
      });
      res.hits = hits.concat(res.hits.filter(function (h) { return !ids[h.doc]; })).slice(0, limit);
      res.total += hits.length;
      res.jumps = hits.length;
      cb(null);
    }
    if (!pq.art.sub || !found.length) { finish(null); return; }
    // The anchors of the first measures' articles (loading every measure's would cost a chunk
    // each); the others jump to the article.
    var ids = [];
    found.slice(0, 10).forEach(function (f) { for (var d = f.start; d < f.end && d < f.start + 60; d++) { ids.push(d); } });
    docs(ids, function (err, rows) { if (err) { cb(err); return; } finish(rows); }, true);
  }

  /* ---------- did you mean ---------- */

  /** Whether a and b (arrays of code units) differ by at most one insertion, deletion or
      substitution. */
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) { return false; }
      if (a.length > b.length) { i++; } else if (a.length < b.length) { j++; } else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  /** A wording of the query's longest Chinese run (three characters or more) that the texts
      have, one character different, missing or extra (中期平估 → 中期评估): candidates are the
      texts with all but one of its characters, its pairs counting double; the twelve best are
      loaded and searched. cb(query with the run replaced, or null). */
  function correct(pq, cb) {
    var run = "";
    (pq.text.match(/[\u3400-\u9fff\uf900-\ufaff\u3007]{3,}/g) || []).forEach(function (r) { if (r.length > run.length) { run = r; } });
    if (!run || run.length > 12) { cb(null); return; }
    var folded = [];
    for (var i = 0; i < run.length; i++) { folded.push(foldCode(run.charCodeAt(i))); }
    var chars = [];
    folded.forEach(function (c) { var s = String.fromCharCode(c); if (chars.indexOf(s) < 0) { chars.push(s); } });
    var pairs = [];
    for (i = 0; i + 1 < folded.length; i++) { pairs.push(String.fromCharCode(folded[i], folded[i + 1])); }
    var names = [];
    chars.concat(pairs).forEach(function (k) { var n = shardOf(k); if (names.indexOf(n) < 0) { names.push(n); } });
    need(names, function (err) {
      if (err) { cb(null); return; }
      var meta = loaded.meta, nt = meta.n.length, score = new Uint16Array(nt), have = new Uint8Array(nt);
      chars.forEach(function (c) { var p = charPostings(c); for (var x = 0; x < p.t.length; x++) { have[p.t[x]]++; score[p.t[x]] += 1; } });
      pairs.forEach(function (k) { var p = tokenPostings(k); for (var x = 0; x < p.t.length; x++) { score[p.t[x]] += 2; } });
      var cands = [];
      for (var t = 0; t < nt; t++) { if (have[t] >= chars.length - 1 && score[t]) { cands.push(t); } }
      cands.sort(function (a, b) { return score[b] - score[a] || meta.n[a] - meta.n[b] || a - b; });
      cands = cands.slice(0, 12);
      if (!cands.length) { cb(null); return; }
      var xs = [];
      cands.forEach(function (t) { var n = "x" + chunkOf(meta.texts, t); if (xs.indexOf(n) < 0) { xs.push(n); } });
      need(xs, function (err2) {
        if (err2) { cb(null); return; }
        var counts = {}, bestW = null;
        cands.forEach(function (t) {
          var c = chunkOf(meta.texts, t), text = loaded["x" + c][t - meta.texts[c]], f = [];
          for (var k = 0; k < text.length; k++) { f.push(foldCode(text.charCodeAt(k))); }
          for (var len = folded.length - 1; len <= folded.length + 1; len++) {
            for (var s = 0; s + len <= f.length; s++) {
              var w = f.slice(s, s + len), ok = true;
              for (var q = 0; q < w.length; q++) { if (!isHan(w[q])) { ok = false; break; } }
              if (!ok || w.join() === folded.join() || !oneEdit(folded, w)) { continue; }
              var key = String.fromCharCode.apply(null, w);
              counts[key] = (counts[key] || 0) + 1;
              if (!bestW || counts[key] > counts[bestW]) { bestW = key; }
            }
          }
        });
        cb(bestW ? pq.q.replace(run, bestW) : null);
      });
    });
  }

  /** Index of the chunk holding item `i`, given each chunk's first item (sorted). */
  function chunkOf(starts, i) {
    var lo = 0, hi = starts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= i) { lo = mid + 1; } else { hi = mid; } }
    return lo - 1;
  }

  /** Loads documents `ids` (their document and text chunks only) and calls
      cb(err, {id: [href, label, context, text, labelEn, contextEn]}); with `noText`, the
      document chunks only (text undefined). */
  function docs(ids, cb, noText) {
    var meta = loaded.meta, X = meta.docs.x, names = [];
    function add(n) { if (names.indexOf(n) < 0) { names.push(n); } }
    ids.forEach(function (d) { add("d" + chunkOf(meta.chunks, d)); if (!noText) { add("x" + chunkOf(meta.texts, X[d])); } });
    need(names, function (err) {
      if (err) { cb(err); return; }
      var out = {};
      ids.forEach(function (d) {
        var c = chunkOf(meta.chunks, d), chunk = loaded["d" + c], r = chunk.rows || (chunk.rows = nums(chunk.r));
        var at = (d - meta.chunks[c]) * 6, s = chunk.s, anchor = s[r[at + 1]], x = chunkOf(meta.texts, X[d]);
        out[d] = [s[r[at]] + (anchor ? "#" + anchor : ""), s[r[at + 2]], s[r[at + 3]], noText ? undefined : loaded["x" + x][X[d] - meta.texts[x]], s[r[at + 4]], s[r[at + 5]]];
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
  function snippet(text, qt, width, spans) {
    var el = document.createElement("span");
    el.className = "search-snippet";
    spans = spans || matchSpans(text, qt).spans;
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

  /** `el` with `text`, marked as Chinese in the English edition when it holds Chinese, and as
      English in the Chinese edition when it holds none (each edition speaks its own language
      outside marked elements). */
  function inLang(el, text) {
    el.textContent = text;
    return markLang(el, text);
  }
  function markLang(el, text) {
    if (english() && HAN_RUN.test(text)) { el.setAttribute("lang", "zh"); }
    else if (!english() && !HAN_RUN.test(text) && /[A-Za-z]{2,}/.test(text)) { el.setAttribute("lang", "en"); }
    return el;
  }
  var VERBATIM_KINDS = { article: 1, clause: 1, item: 1 };
  var HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]/;

  /** The part of document text `text` to show as its snippet, with its matches: the edition's
      own words (the text holds Chinese, then after U+001F English) unless only the other
      language's match the query, without the label it begins with (the result's name, shown
      above it). Null when nothing is left to show. */
  function snippetPart(text, labels, marks, tokens) {
    var parts = String(text || "").split("\u001f"), own = parts[english() ? 1 : 0] || "", other = parts[english() ? 0 : 1] || "";
    function spansIn(t) { var sp = matchSpans(t, marks).spans; return sp.length || marks === tokens ? sp : matchSpans(t, tokens).spans; }
    var part = own, spans = spansIn(own), lang = english() ? "en" : "zh";
    if (!own.trim() || (!spans.length && other.trim())) {
      var o = spansIn(other);
      if (o.length || !own.trim()) { part = other; spans = o; lang = english() ? "zh" : "en"; }
    }
    var cut = 0, again = true;
    while (again) {
      again = false;
      for (var k = 0; k < labels.length; k++) {
        var l = labels[k];
        if (l && part.indexOf(l, cut) === cut) {
          cut += l.length;
          while (cut < part.length && /[\s：:　\/]/.test(part.charAt(cut))) { cut++; }
          again = true;
        }
      }
    }
    if (cut) {
      part = part.slice(cut);
      spans = spans.map(function (sp) { return [sp[0] - cut, sp[1] - cut]; }).filter(function (sp) { return sp[1] > 0; })
        .map(function (sp) { return [Math.max(0, sp[0]), sp[1]]; });
    }
    return part.trim() ? { text: part, spans: spans, lang: lang } : null;
  }

  /** Marks the runs of the other language inside `el` (a snippet in the edition's language
      quoting a name in the other: 英文名称“Yunnan International Joint Laboratory of XX”); in English a
      run of Chinese begins at a Chinese character or a Chinese punctuation mark (「（). */
  function markRuns(el) {
    var re = english() ? /[\u3000-\u303f\uff00-\uffef\u3400-\u9fff\uf900-\ufaff][\u3000-\u303f\uff00-\uffef\u3400-\u9fff\uf900-\ufaff\d]*/g
      : /[A-Za-z]{2,}(?:[ \u00a0'’,.-]+[A-Za-z]+)+/g, other = english() ? "zh" : "en";
    var nodes = [];
    (function walk(n) { for (var c = n.firstChild; c; c = c.nextSibling) { if (c.nodeType === 3) { nodes.push(c); } else { walk(c); } } })(el);
    nodes.forEach(function (t) {
      var text = t.data, m, pos = 0, frag = document.createDocumentFragment();
      re.lastIndex = 0;
      while ((m = re.exec(text))) {
        if (m.index > pos) { frag.appendChild(document.createTextNode(text.slice(pos, m.index))); }
        var sp = document.createElement("span");
        sp.setAttribute("lang", other);
        sp.textContent = m[0];
        frag.appendChild(sp);
        pos = m.index + m[0].length;
      }
      if (!pos) { return; }
      if (pos < text.length) { frag.appendChild(document.createTextNode(text.slice(pos))); }
      t.parentNode.replaceChild(frag, t);
    });
    return el;
  }

  function resultHref(href, q) {
    var hash = "", i = href.indexOf("#");
    if (i >= 0) { hash = href.slice(i); href = href.slice(0, i); }
    return editionRoot() + href + (q ? "?hl=" + encodeURIComponent(q) : "") + hash;
  }

  /** Why hit `h` matched, in words (the results page's data-why-* strings): a list of
      [words, name] (the name of a topic or a synonym, in its own language, or ""). */
  function reason(h, say) {
    var w = h.why || {}, meta = loaded.meta, parts = [];
    function named(key, slot, name) {
      var words = say(key), at = words.indexOf(slot);
      if (!words) { return; }
      parts.push(at < 0 ? [words, ""] : [words.slice(0, at), name + words.slice(at + slot.length)]);
    }
    if (w.jump) { parts.push([say("why-article"), ""]); }
    if (w.topic >= 0 && meta.topics[w.topic]) {
      var tp = meta.topics[w.topic];
      named("why-topic", "{t}", english() && tp.en ? tp.en : tp.zh);
    }
    if (w.alt) { named("why-synonym", "{w}", w.alt); }
    if (w.partial) { parts.push([say("why-partial"), ""]); }
    else if (w.alt) { /* the synonym says it */ }
    else if (!w.jump && w.level === 3) { parts.push([say("why-near"), ""]); }
    else if (!w.jump && (w.level === 1 || w.level === 2)) { parts.push([say("why-apart"), ""]); }
    return parts.filter(function (p) { return p[0] || p[1]; });
  }

  /** Fills list `ol` with the first `limit` hits of `res` (only their documents are loaded and
      only their snippets built), one per link (a unit found through its text and its summary
      is shown once); `say(key)` gives the words of the reasons (none without it); cb(err) when
      done. */
  function renderHits(ol, res, q, limit, cb, say) {
    var meta = loaded.meta, top = res.hits.slice(0, limit), ids = top.map(function (h) { return h.doc; });
    function clear() { while (ol.firstChild) { ol.removeChild(ol.firstChild); } }
    if (!meta || !top.length) { clear(); if (cb) { cb(null); } return; }
    docs(ids, function (err, rows) {
      clear();
      if (err) { if (cb) { cb(err); } return; }
      var seen = {}, shown = 0;
      top.forEach(function (h) {
        var row = rows[h.doc], m = meta.docs.m[h.doc], mi = m >= 0 ? meta.measures[m] : null;
        if (seen[row[0]]) { return; }
        seen[row[0]] = true;
        var i = shown++;
        var li = document.createElement("li");
        li.className = "search-hit";
        // The link itself is the option (an option may not contain a link: nested-interactive).
        li.setAttribute("role", "none");
        var a = document.createElement("a");
        a.href = resultHref(row[0], h.why && h.why.alt ? h.why.alt : q);
        a.id = ol.id + "-" + i;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.setAttribute("tabindex", "-1");
        a.setAttribute("data-doc", String(h.doc));
        var head = document.createElement("span");
        head.className = "search-hit-head";
        var kind = meta.kinds[meta.docs.k[h.doc]];
        // A measure found by its titles is named by its title (not its short name as well).
        if (mi && kind !== "measure") {
          var ms = document.createElement("span");
          ms.className = "search-hit-measure";
          ms.textContent = english() && mi.en ? mi.en : mi.short;
          head.appendChild(ms);
          head.appendChild(document.createTextNode(" "));
        }
        // Each edition's own name and context; the Chinese ones where there is no English.
        var label = english() && row[4] ? row[4] : row[1];
        var context = english() ? row[5] : row[2];
        var lab = inLang(document.createElement("span"), label);
        lab.className = "search-hit-label";
        head.appendChild(lab);
        // The context says what the label does not: "第五条 申报条件" under "第五条" is
        // "申报条件"; none when the label holds it (a notice's part: “二、推荐要求”).
        var flat = function (t) { return String(t || "").replace(/[\s“”"「」]/g, ""); };
        if (context && context.indexOf(label + " ") === 0) { context = context.slice(label.length + 1); }
        if (context && flat(label).indexOf(flat(context)) >= 0) { context = ""; }
        if (context) {
          head.appendChild(document.createTextNode(" "));
          var ctx = inLang(document.createElement("span"), context);
          // A unit's context is its article's heading, in the measure's words.
          ctx.className = "search-hit-context" + (VERBATIM_KINDS[kind] || kind === "summary" ? " verbatim" : "");
          head.appendChild(ctx);
        }
        a.appendChild(head);
        // A topic the result's name or context already names is not named again.
        var why = (say ? reason(h, say) : []).filter(function (w) { return !w[1] || (label + " " + (context || "")).indexOf(w[1]) < 0; });
        if (why.length) {
          var wy = document.createElement("span");
          wy.className = "search-why";
          why.forEach(function (w, k) {
            if (k) { wy.appendChild(document.createTextNode(" · ")); }
            wy.appendChild(document.createTextNode(w[0]));
            if (w[1]) { wy.appendChild(inLang(document.createElement("span"), w[1])); }
          });
          a.appendChild(wy);
        }
        // What the head says is not said again at the start of the snippet: the name, the
        // context, an article's heading (its text begins with it). A measure's titles are
        // already its name.
        var heading = String(row[2] || "").split(" ").slice(1).join(" ");
        var part = kind === "measure" ? null : snippetPart(row[3], [row[1], row[4], row[2], row[5], heading], h.marks || res.tokens, res.tokens);
        if (part) {
          var sn = snippet(part.text, null, 90, part.spans);
          if (part.lang !== (english() ? "en" : "zh")) { sn.setAttribute("lang", part.lang); } else { markRuns(sn); }
          // The measure's own words (they may repeat themselves, as the source does).
          if (VERBATIM_KINDS[kind]) { sn.className += " verbatim"; }
          a.appendChild(sn);
        }
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
        renderHits(ol, res, res.corrected || q, 8, function () {
          if (!res.hits.length) {
            var li = document.createElement("li");
            li.className = "search-empty";
            li.textContent = form.getAttribute("data-no-results") || "";
            ol.appendChild(li);
          } else if (res.corrected) {
            var note = document.createElement("li");
            note.className = "search-empty";
            note.textContent = "→ " + res.corrected;
            ol.insertBefore(note, ol.firstChild);
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

  /** `s` with its %-escapes decoded; an escape that is not valid UTF-8 (`%`, `%E5%`) is kept
      as typed rather than throwing. */
  function decode(s) {
    s = String(s || "");
    try { return decodeURIComponent(s); } catch (e) {
      return s.replace(/(?:%[0-9a-fA-F]{2})+/g, function (run) {
        // Byte by byte: the longest sequence of up to four that is UTF-8, else the escape.
        var out = "", i = 0;
        next:
        while (i < run.length) {
          for (var n = 4; n >= 1; n--) {
            if (i + 3 * n > run.length) { continue; }
            try { out += decodeURIComponent(run.slice(i, i + 3 * n)); i += 3 * n; continue next; } catch (e2) { /* shorter */ }
          }
          out += run.slice(i, i + 3);
          i += 3;
        }
        return out;
      });
    }
  }

  function params() {
    var out = {}, s = String((window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search) || "").replace(/^\?/, "");
    s.split("&").forEach(function (kv) {
      if (!kv) { return; }
      var i = kv.indexOf("="), k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? "" : kv.slice(i + 1);
      out[decode(k)] = decode(v.replace(/\+/g, " "));
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
    var note = document.createElement("p");
    note.className = "search-note";
    note.hidden = true;
    ol.parentNode.insertBefore(note, ol);
    function say(key) { return app.getAttribute("data-" + key) || ""; }
    function done(msg, extra) {
      status.textContent = msg;
      note.textContent = extra || "";
      note.hidden = !extra;
      app.setAttribute("data-done", String(seq));
    }
    /* A query's results, or a calm word when there can be none: an exception in the engine
       shows the error message instead of leaving the page on "loading". */
    function guard(mine, fn) {
      return function () {
        if (mine !== seq) { return; }
        try { fn.apply(null, arguments); } catch (e) { done(text("error", 0)); }
      };
    }
    function run() {
      var q = input.value.trim(), mine = ++seq;
      try { window.history.replaceState(null, "", url(q.slice(0, 2000))); } catch (e) { /* some browsers refuse on file:// */ }
      nav.reset();
      if (!q) { while (ol.firstChild) { ol.removeChild(ol.firstChild); } done(""); return; }
      var pq = parse(q);
      var cut = pq.cut ? text("cut", MAX_QUERY) : "";
      if (!pq.terms.length && !pq.art) {
        while (ol.firstChild) { ol.removeChild(ol.firstChild); }
        done(text("empty", 0), cut);
        return;
      }
      status.textContent = text("loading", 0);
      search(q, filters(), guard(mine, function (err, res) {
        if (err) { done(text("error", 0)); return; }
        renderHits(ol, res, res.corrected || q, 100, guard(mine, function (err2) {
          if (err2) { done(text("error", 0)); return; }
          var msg = res.total ? text("count", res.total) : text("none", 0);
          if (res.partial && res.total) { msg = text("partial", res.total); }
          if (res.total > 100) { msg += " " + text("shown", 100); }
          var extra = res.corrected ? say("corrected").replace(/\{c\}/g, res.corrected).replace("{q}", res.original) : "";
          done(msg, [extra, cut].filter(Boolean).join(" "));
        }), say);
      }), 100);
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
    var id = decode(window.location.hash.replace(/^#/, ""));
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
      ".search-why{display:block;font-size:.8em;color:var(--muted,#666)}",
      ".search-note{margin:.3rem 0;padding:.3rem .5rem;background:var(--panel,#f3f3f3);border-left:3px solid #f0b400}",
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

  /** What the engine makes of query `q` (for the shared vectors): cb({article, terms, need,
      phrase, alternatives}), once meta.js (the glossary's wordings) is loaded. */
  function analyse(q, cb) {
    need(["meta"], function () {
      var pq = parse(q), art = pq.art;
      cb({
        article: art ? [art.n, art.sub, art.kind] : null,
        terms: pq.terms.map(function (t) { return t.toks; }),
        need: pq.terms.map(function (t) { return t.need; }),
        phrase: pq.phrase,
        alternatives: alternatives(pq, loaded.meta).map(function (p) { return p.alt; })
      });
    });
  }

  var api = {
    load: load, tokenize: tokenize, hash: hash, search: search, docs: docs, parse: parse, analyse: analyse,
    matchSpans: matchSpans, highlight: highlight, root: root, loaded: loaded
  };
  // Defined before init so that index scripts loaded from here on find it.
  window.AtlasSearch = api;
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  return api;
})();
