/* JointLab Atlas planner: one profile, every calculator. Reads the profile form, gives each
   calculator the inputs it names (the page's #planner-spec, made from content: which profile
   field or measure field each input reads), runs the same engine as the calculator pages
   (assets/calculator.js, WebAssembly) and shows per measure each calculator's lines with their
   citations, then one timeline of every dated obligation, exportable as one .ics. The profile is
   kept in the page's address (to share) and in this browser's local storage; nothing is sent.
   A classic script, file:// only; text goes in as text nodes. Shared code: calc-core.js. */
(function () {
  "use strict";

  var form = document.querySelector("form.planner");
  var core = window.AtlasCalcCore;
  var specNode = document.getElementById("planner-spec");
  if (!form || !core || !specNode) { return; }
  var spec = JSON.parse(specNode.textContent);
  var en = form.getAttribute("data-lang") === "en";
  var ctx = { en: en, rel: form.getAttribute("data-rel") || "", id: "planner", product: "Planner" };
  var bundles = window.ATLAS_CALC_BUNDLES || {};
  var results = document.querySelector(".plan-results");
  var storeKey = "atlas-planner";
  var lastEvents = [];
  var el = core.el;
  var each = core.each;
  ctx.reasons = word("reasons");
  ctx.provisional = word("provisional");

  function word(name) { return form.getAttribute("data-w-" + name) || ""; }
  function tr(zh, english) { return core.tr(ctx, zh, english); }
  function field(key) { return form.querySelector("[data-input='" + key.replace(/'/g, "") + "']"); }

  /* ---- the profile as text: a query string (the address) and local storage. Profile fields
     lose their "profile-" prefix; a list is its values joined by commas. ---- */
  function encode(values) {
    var parts = [];
    Object.keys(values).sort().forEach(function (key) {
      var v = values[key];
      if (Array.isArray(v)) { v = v.join(","); } else if (v === true) { v = "1"; }
      parts.push(encodeURIComponent(key.replace(/^profile-/, "")) + "=" + encodeURIComponent(String(v)));
    });
    return parts.join("&");
  }

  function decode(text) {
    var out = {};
    String(text || "").replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var i = pair.indexOf("=");
      var k, v;
      try {
        k = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
        v = i < 0 ? "" : decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " "));
      } catch (e) { return; }
      if (!field(k) && field("profile-" + k)) { k = "profile-" + k; }
      out[k] = v;
    });
    return out;
  }

  function fill(values) {
    each(form.querySelectorAll("[data-input]"), function (node) {
      var key = node.getAttribute("data-input");
      var kind = node.getAttribute("data-kind");
      var v = values[key];
      if (kind === "enum-set") {
        var list = v ? String(v).split(",") : [];
        each(node.querySelectorAll("input[type=checkbox]"), function (c) { c.checked = list.indexOf(c.value) >= 0; });
      } else if (kind === "bool") {
        node.checked = v === "1" || v === "true";
      } else {
        node.value = v === undefined ? "" : String(v);
      }
    });
  }

  function query() { return window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search; }

  function keep(values) {
    var text = encode(values);
    try { localStorage.setItem(storeKey, text); } catch (e) { /* storage off: the address still has it */ }
    try {
      if (window.ATLAS_SF) {
        window.ATLAS_SF.search = text ? "?" + text : "";
        window.history.replaceState(null, "", "#!/" + window.ATLAS_SF.path + window.ATLAS_SF.search);
      } else {
        window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
      }
    } catch (e) { /* an address that cannot change: the storage still has it */ }
  }

  function restore() {
    var text = query();
    if (!text || text === "?") {
      try { text = localStorage.getItem(storeKey) || ""; } catch (e) { text = ""; }
    }
    fill(decode(text));
  }

  /* ---- messages at the fields ---- */
  function clearMessages() {
    each(form.querySelectorAll(".field-error"), function (p) { p.hidden = true; p.textContent = ""; });
    each(form.querySelectorAll("[aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
  }

  function say(key, text) {
    var p = form.querySelector("[data-error-for='" + key.replace(/'/g, "") + "']");
    var node = field(key);
    if (!p) { return false; }
    if (p.textContent.indexOf(text) < 0) { p.textContent += (p.textContent ? " " : "") + text; }
    p.hidden = false;
    if (node) { node.setAttribute("aria-invalid", "true"); }
    if (p.closest("details")) { p.closest("details").open = true; }
    return true;
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* A date of something that has happened cannot be after today: said at the field, and the
     value is not used. */
  function checkPast(values) {
    var now = today();
    spec.past.forEach(function (key) {
      var v = values[key];
      if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && v > now) {
        say(key, word("past").replace("{today}", now));
        delete values[key];
      }
    });
  }

  /* ---- dated lists (recognitions held, each with when it was obtained and revoked) ---- */
  var isDate = function (v) { return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v); };
  var dateKey = function (d, c, id) { return d.key + "." + c + "." + id; };

  /* A choice's dates are asked once it is ticked. */
  function showDates() {
    (spec.dated || []).forEach(function (d) {
      var list = field(d.key);
      if (!list) { return; }
      each(list.querySelectorAll("input[type=checkbox]"), function (box) {
        var dates = list.querySelector(".choice-dates[data-dates-for='" + box.value.replace(/'/g, "") + "']");
        if (dates) { dates.hidden = !box.checked; }
      });
    });
  }

  /* The dates of a choice not ticked are not used. */
  function dropUnticked(values) {
    (spec.dated || []).forEach(function (d) {
      var ticked = values[d.key] || [];
      d.choices.forEach(function (c) {
        if (ticked.indexOf(c) >= 0) { return; }
        d.starts.concat(d.ends).forEach(function (x) { delete values[dateKey(d, c, x.id)]; });
      });
    });
  }

  /* What an input reading the list is given: the choices held on the day that counts (the
     planned filing date, else today): obtained by then, and not revoked by then. A revocation
     before the recognition is said at its field and not used. */
  function heldOn(values) {
    (spec.dated || []).forEach(function (d) {
      var ticked = values[d.key];
      if (!ticked) { return; }
      var on = d.on && isDate(values[d.on]) ? values[d.on] : today();
      ticked.forEach(function (c) {
        d.ends.forEach(function (e) {
          var ek = dateKey(d, c, e.id);
          d.starts.forEach(function (s) {
            var sv = values[dateKey(d, c, s.id)];
            if (isDate(sv) && isDate(values[ek]) && values[ek] < sv) {
              say(ek, word("ends-before").replace("{a}", tr(e.label, e.label_en)).replace("{b}", tr(s.label, s.label_en)).replace("{date}", sv));
              delete values[ek];
            }
          });
        });
      });
      values[d.key] = ticked.filter(function (c) {
        var from = d.starts.every(function (s) { var v = values[dateKey(d, c, s.id)]; return !isDate(v) || v <= on; });
        var ended = d.ends.some(function (e) { var v = values[dateKey(d, c, e.id)]; return isDate(v) && v <= on; });
        return from && !ended;
      });
    });
  }

  /* ---- running every calculator ---- */
  function inputFor(calc, values) {
    var input = {};
    var missing = [];
    calc.inputs.forEach(function (i) {
      var v = i.key ? values[i.key] : undefined;
      // A profile list's choices that this input does not take are for other inputs.
      if (i.accepts && Array.isArray(v)) { v = v.filter(function (c) { return i.accepts.indexOf(c) >= 0; }); }
      if (v !== undefined) { input[i.name] = v; } else if (!i.optional) { missing.push(i); }
    });
    return { input: input, missing: missing };
  }

  function engine(calc, input) {
    var bundle = bundles[calc.id];
    if (typeof atlas_calc === "undefined" || !bundle) { throw new Error("engine"); }
    return JSON.parse(atlas_calc.run_json(bundle, JSON.stringify(input)));
  }

  /* The one thing missing is a choice the applicant cannot know yet (the grade of an evaluation
     to come, the type of base to apply as): the outcome of each choice, from the engine. Null
     when a choice's run fails (the usual "fill in" then stands). */
  function byChoice(calc, got, choice) {
    var runs = [];
    for (var k = 0; k < choice.choices.length; k++) {
      var c = choice.choices[k], input = {};
      Object.keys(got.input).forEach(function (n) { input[n] = got.input[n]; });
      input[choice.name] = c.id;
      var r = engine(calc, input);
      if (!r.ok) { return null; }
      runs.push({ label: tr(c.label, c.label_en), out: r.ok });
    }
    return { choice: tr(choice.label, choice.label_en), runs: runs };
  }

  function keyOf(calc, errField) {
    var root = String(errField || "").replace(/[\[.].*$/, "");
    var i = calc.inputs.filter(function (x) { return x.name === root; })[0];
    return i ? i.key : "";
  }

  /* The last input and outcome of each calculator: a change of one figure runs only the
     calculators that read it (the engine is deterministic). */
  var memo = {};

  function runOne(calc, values) {
    var got = inputFor(calc, values);
    var key = JSON.stringify(got.input) + "\u0000" + got.missing.map(function (i) { return i.name; }).join(" ");
    var last = memo[calc.id];
    if (last && last.key === key) { return last.r; }
    var r = compute(calc, got);
    memo[calc.id] = { key: key, r: r };
    return r;
  }

  function compute(calc, got) {
    var names = got.missing.map(function (i) { return tr(i.label, i.label_en); });
    try {
      if (got.missing.length && calc.scoped) {
        // Whom the rule is for is known before the rest: one it is not for is told so now.
        var first = engine(calc, got.input);
        if (first.ok && first.ok.results && first.ok.results.verdict === "not-applicable") { return first; }
      }
      if (got.missing.length === 1 && got.missing[0].choices) {
        var each = byChoice(calc, got, got.missing[0]);
        if (each) { return { byChoice: each }; }
      }
      if (got.missing.length) { return { missing: names }; }
      var r = engine(calc, got.input);
      // Nothing of the profile reaches this calculator: it cannot tell yet, rather than
      // greeting a blank profile with an error at a field (its inputs are all optional, and
      // the engine asks for one of them).
      if (r.error && !Object.keys(got.input).length) { return { blank: true }; }
      return r;
    } catch (e) {
      return { broken: true };
    }
  }

  function showCalc(article, calc, r) {
    var state = article.querySelector(".plan-state");
    var table = article.querySelector("table.lines");
    var colon = en ? ": " : "：";
    state.textContent = "";
    state.removeAttribute("data-status");
    table.hidden = true;
    core.messages(ctx, article.querySelector(".warnings"), [], "", "");
    core.messages(ctx, article.querySelector(".notes"), [], "", "");
    if (r.notHere !== undefined) {
      state.setAttribute("data-status", "not-here");
      state.textContent = word("not-here").replace("{place}", r.notHere);
      return;
    }
    if (r.blank) {
      state.setAttribute("data-status", "cannot-tell");
      state.textContent = word("blank");
      return;
    }
    if (r.byChoice) {
      showByChoice(article, table, state, r.byChoice);
      return;
    }
    if (r.missing) {
      state.setAttribute("data-status", "cannot-tell");
      state.textContent = word("missing") + colon + r.missing.join(en ? ", " : "、");
      return;
    }
    if (r.broken || (r.error && !keyOf(calc, r.error.field))) {
      state.setAttribute("data-status", "cannot-tell");
      state.textContent = r.error ? tr(r.error.message_zh, r.error.message) : word("error");
      return;
    }
    if (r.error) {
      say(keyOf(calc, r.error.field), tr(r.error.message_zh, r.error.message));
      (r.error.also || []).forEach(function (other) {
        var k = keyOf(calc, other);
        if (k && field(k)) { field(k).setAttribute("aria-invalid", "true"); }
      });
      state.setAttribute("data-status", "cannot-tell");
      state.textContent = word("see-field");
      return;
    }
    var out = r.ok;
    // The engine's verdict (result `verdict`) and the line that words it: said above the
    // table, not again as its last row.
    var code = out.results && out.results.verdict;
    var verdict = code ? out.lines.filter(function (l) { return l.status === code; }).pop() : null;
    var rows = out.lines.filter(function (l) { return l !== verdict; });
    core.lineRows(ctx, table.querySelector("tbody"), rows);
    table.hidden = !rows.length;
    if (verdict) {
      state.setAttribute("data-status", code);
      state.textContent = tr(verdict.label, verdict.label_en) + colon + tr(verdict.value, verdict.value_en);
    }
    core.messages(ctx, article.querySelector(".warnings"), out.warnings, "warning-list", word("warnings"));
    core.messages(ctx, article.querySelector(".notes"), out.notes, "note-list", word("notes"));
  }

  /* The outcomes by choice: what every choice gives alike once, then, for each choice, what
     differs (of a calculator with a verdict, the verdict), named by the choice. */
  function showByChoice(article, table, state, each) {
    var said = function (l) { return l.label + "\u0000" + l.value; };
    var first = each.runs[0].out.lines;
    var common = first.filter(function (l) {
      return each.runs.every(function (run) { return run.out.lines.some(function (m) { return said(m) === said(l); }); });
    });
    var verdictOf = function (out) {
      var code = out.results && out.results.verdict;
      return code ? out.lines.filter(function (l) { return l.status === code; }).pop() : null;
    };
    // Every choice gives the same verdict (a bar that holds whatever the type of base): it does
    // not depend on the choice, and is said once, as a verdict.
    var one = verdictOf(each.runs[0].out);
    var same = one && each.runs.every(function (run) { var v = verdictOf(run.out); return v && said(v) === said(one); });
    var rows = common.filter(function (l) { return !same || said(l) !== said(one); });
    if (same) {
      state.setAttribute("data-status", each.runs[0].out.results.verdict);
      state.textContent = tr(one.label, one.label_en) + (en ? ": " : "：") + tr(one.value, one.value_en);
    } else {
      state.setAttribute("data-status", "cannot-tell");
      state.textContent = word("by-choice").replace("{input}", each.choice);
    }
    var verdicts = !!same;
    each.runs.filter(function () { return !same; }).forEach(function (run) {
      var verdict = verdictOf(run.out);
      verdicts = verdicts || !!verdict;
      run.out.lines.filter(function (l) {
        return verdict ? l === verdict : !common.some(function (m) { return said(m) === said(l); });
      }).forEach(function (l) {
        var copy = {};
        Object.keys(l).forEach(function (key) { copy[key] = l[key]; });
        // Named by the choice unless the line's own words already do (“优秀：奖励经费”).
        var own = tr(l.label, l.label_en);
        if (own.indexOf(run.label) < 0) { copy.label = run.label + "：" + l.label; copy.label_en = run.label + ": " + l.label_en; }
        rows.push(copy);
      });
    });
    core.lineRows(ctx, table.querySelector("tbody"), rows);
    table.hidden = !rows.length;
    // The warnings and notes of every choice; of verdicts, only those all choices share (each
    // type of base has its own list of conditions to confirm: its own page lists them).
    var merge = function (key) {
      var seen = {}, out = [];
      each.runs.forEach(function (run) {
        (run.out[key] || []).forEach(function (m) {
          var all = each.runs.every(function (o) { return (o.out[key] || []).some(function (x) { return x.text === m.text; }); });
          if (!seen[m.text] && (all || !verdicts)) { seen[m.text] = 1; out.push(m); }
        });
      });
      return out;
    };
    core.messages(ctx, article.querySelector(".warnings"), merge("warnings"), "warning-list", word("warnings"));
    core.messages(ctx, article.querySelector(".notes"), merge("notes"), "note-list", word("notes"));
  }

  function showTimeline(events) {
    var section = results.querySelector(".plan-timeline");
    var table = section.querySelector("table.timeline");
    var body = table.querySelector("tbody");
    body.textContent = "";
    events.forEach(function (e) {
      var row = el("tr");
      row.setAttribute("data-calc", e.calc);
      row.setAttribute("data-key", e.key);
      row.appendChild(el("td", e.date + (e.provisional ? ctx.provisional : "")));
      row.appendChild(el("td", tr(e.title, e.title_en)));
      row.appendChild(el("td", e.measureTitle));
      var c = el("td");
      if (e.citation) { c.appendChild(core.citationLink(ctx, e.citation)); }
      row.appendChild(c);
      body.appendChild(row);
    });
    table.hidden = events.length === 0;
    section.querySelector(".timeline-empty").hidden = events.length > 0;
    section.querySelector(".export-ics").hidden = events.length === 0;
  }

  function run() {
    clearMessages();
    var values = core.collect(form);
    keep(values);
    showDates();
    dropUnticked(values);
    checkPast(values);
    heldOn(values);
    var events = [];
    var placeNode = field("place");
    var place = values.place || "";
    var opt = placeNode && placeNode.selectedOptions ? placeNode.selectedOptions[0] : null;
    var also = opt ? (opt.getAttribute("data-within") || "").split(" ") : [];
    each(results.querySelectorAll(".plan-measure"), function (sec) {
      var j = sec.getAttribute("data-jurisdiction");
      var here = !place || sec.hasAttribute("data-everywhere") || j === place || also.indexOf(j) >= 0;
      sec.setAttribute("data-applies", here ? "yes" : "no");
    });
    spec.calculators.forEach(function (calc) {
      var article = results.querySelector(".plan-calc[data-calc='" + calc.id.replace(/'/g, "") + "']");
      if (!article) { return; }
      var sec = article.closest(".plan-measure");
      var r = runOne(calc, values);
      var applies = sec.getAttribute("data-applies") !== "no";
      // Drawn again only when its outcome or its place changed; a message at a field (cleared
      // at the start of every run) is said again.
      var fresh = article.shown !== r || article.shownApplies !== applies;
      article.shown = r;
      article.shownApplies = applies;
      if (!applies) {
        // Not for this place, but a profile that makes no sense is still said at its field.
        if (r.error && keyOf(calc, r.error.field)) { say(keyOf(calc, r.error.field), tr(r.error.message_zh, r.error.message)); }
        if (fresh) { showCalc(article, calc, { notHere: sec.getAttribute("data-where") }); }
        return;
      }
      if (fresh || r.error) { showCalc(article, calc, r); }
      if (r.ok && r.ok.events) {
        var heading = article.closest(".plan-measure").querySelector("h3");
        r.ok.events.forEach(function (e) {
          var copy = {};
          Object.keys(e).forEach(function (k) { copy[k] = e[k]; });
          copy.calc = calc.id;
          copy.measureTitle = heading ? heading.textContent : "";
          events.push(copy);
        });
      }
    });
    // A call still open on the status date is a date to act by, for a measure of the unit's place.
    each(results.querySelectorAll(".plan-measure[data-applies='yes'] .plan-call[data-open]"), function (p) {
      var sec = p.closest(".plan-measure");
      var measure = sec.getAttribute("data-measure");
      var title = p.getAttribute("data-title");
      var cite = p.getAttribute("data-cite-text");
      var quote = p.querySelector(".quote").textContent.replace(/^「|」$/g, "");
      events.push({
        key: "call", date: p.getAttribute("data-closes"), title: title, title_en: title,
        description: quote, description_en: quote, calc: measure,
        measureTitle: sec.querySelector("h3").textContent,
        citation: { measure: measure, anchor: p.getAttribute("data-cite"), text: cite, text_en: cite, quote: quote }
      });
    });
    events.sort(function (a, b) {
      return a.date < b.date ? -1 : a.date > b.date ? 1 : (a.calc < b.calc ? -1 : a.calc > b.calc ? 1 : 0);
    });
    lastEvents = events;
    showTimeline(events);
  }

  var timer = null;
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { timer = null; run(); }, 120);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", function () { showDates(); later(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  form.querySelector(".clear-profile").addEventListener("click", function () {
    fill({});
    try { localStorage.removeItem(storeKey); } catch (e) { /* storage off */ }
    run();
  });
  results.querySelector(".export-ics").addEventListener("click", function () {
    if (lastEvents.length) { core.download("planner.ics", core.ics(ctx, lastEvents), "text/calendar;charset=utf-8"); }
  });
  results.querySelector(".print-plan").addEventListener("click", function () { window.print(); });

  restore();
  run();
  // For tests and scripting: run now (instead of after the pause that follows typing), and the
  // calendar of the last run.
  window.AtlasPlanner = { run: run, ics: function () { return core.ics(ctx, lastEvents); } };
})();
