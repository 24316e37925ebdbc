/* JointLab Atlas calculators: collects the form, runs the Rust engine (compiled to WebAssembly,
   loaded by assets/calculator.js as the global `atlas_calc`) on the calculator's bundle, and shows
   the results with their citations. A classic script: works from file://, no network.
   Results and messages are inserted as text nodes only. */
(function () {
  "use strict";

  var form = document.querySelector("form.calculator");
  if (!form) { return; }
  var id = form.getAttribute("data-calc");
  var en = form.getAttribute("data-lang") === "en";
  var rel = form.getAttribute("data-rel") || "";
  var section = document.querySelector(".calc-results");
  var bundles = window.ATLAS_CALC_BUNDLES || {};
  var lastOutput = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function tr(zh, english) { return en && english ? english : zh; }

  /* ---- record lists (e.g. committee members) ---- */
  function addRow(fieldset) {
    var tpl = fieldset.querySelector("template.record-row");
    var body = fieldset.querySelector("tbody");
    body.appendChild(document.importNode(tpl.content, true));
  }
  Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-kind='record-list']"), function (fs) {
    fs.addEventListener("click", function (ev) {
      var t = ev.target;
      if (t.classList.contains("add-row")) { addRow(fs); }
      if (t.classList.contains("add-rows")) {
        var n = parseInt(t.getAttribute("data-count"), 10) || 1;
        for (var i = 0; i < n; i++) { addRow(fs); }
      }
      if (t.classList.contains("remove-row")) { var row = t.closest("tr"); row.parentNode.removeChild(row); }
    });
  });

  /* ---- collecting input ---- */
  function scalar(kind, node) {
    if (kind === "bool") { return node.checked; }
    var v = (node.value || "").trim();
    if (v === "") { return undefined; }
    if (kind === "int" && /^-?\d{1,15}$/.test(v)) { return parseInt(v, 10); }
    return v; // money, percent, date, enum: the engine parses and explains
  }

  function collect() {
    var input = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-input]"), function (node) {
      var name = node.getAttribute("data-input");
      var kind = node.getAttribute("data-kind");
      var v;
      if (kind === "enum-list") {
        v = [];
        var selects = node.querySelectorAll("select");
        for (var i = 0; i < selects.length; i++) {
          if (!selects[i].value) { break; } // later years have no result yet
          v.push(selects[i].value);
        }
        if (v.length === 0) { v = undefined; }
      } else if (kind === "record-list") {
        v = [];
        Array.prototype.forEach.call(node.querySelectorAll("tbody tr"), function (row) {
          var rec = {};
          Array.prototype.forEach.call(row.querySelectorAll("[data-field]"), function (f) {
            var x = scalar(f.getAttribute("data-kind"), f);
            if (x !== undefined) { rec[f.getAttribute("data-field")] = x; }
          });
          v.push(rec);
        });
      } else {
        v = scalar(kind, node);
      }
      if (v !== undefined) { input[name] = v; }
    });
    return input;
  }

  /* ---- errors ---- */
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (p) { p.hidden = true; p.textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
    var fe = form.querySelector(".form-error");
    fe.hidden = true;
    fe.textContent = "";
  }

  function showError(err) {
    var field = String(err.field || "");
    var root = field.replace(/[\[.].*$/, "");
    var msg = tr(err.message_zh, err.message);
    var p = form.querySelector("[data-error-for='" + root.replace(/'/g, "") + "']");
    if (p) {
      p.textContent = (field !== root ? field + "：" : "") + msg;
      p.hidden = false;
      var input = form.querySelector("[data-input='" + root.replace(/'/g, "") + "']");
      if (input) { input.setAttribute("aria-invalid", "true"); }
    } else {
      var fe = form.querySelector(".form-error");
      fe.textContent = field + "：" + msg;
      fe.hidden = false;
    }
  }

  /* ---- results ---- */
  function citationLink(c) {
    var a = el("a", c.text || c.anchor);
    a.href = rel + "measures/" + c.measure + ".html#" + c.anchor;
    a.title = c.quote || "";
    return a;
  }

  function messages(box, list, cls, heading) {
    box.textContent = "";
    if (!list || !list.length) { return; }
    box.appendChild(el("h3", heading));
    var ul = el("ul", null, cls);
    list.forEach(function (m) {
      var li = el("li", tr(m.text, m.text_en));
      if (m.citation) { li.appendChild(document.createTextNode(" — ")); li.appendChild(citationLink(m.citation)); }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function render(out) {
    lastOutput = out;
    var body = section.querySelector("table.lines tbody");
    body.textContent = "";
    out.lines.forEach(function (l) {
      var row = el("tr");
      row.setAttribute("data-result", l.result);
      row.appendChild(el("td", tr(l.label, l.label_en)));
      var v = el("td", null, "value");
      v.appendChild(el("strong", l.value));
      if (l.exact) { v.appendChild(el("div", "= " + l.exact, "exact")); }
      row.appendChild(v);
      var c = el("td");
      if (l.citation) { c.appendChild(citationLink(l.citation)); }
      row.appendChild(c);
      body.appendChild(row);
    });
    messages(section.querySelector(".warnings"), out.warnings, "warning-list", en ? "Warnings" : "提示");
    messages(section.querySelector(".notes"), out.notes, "note-list", en ? "Notes" : "说明");
    var trace = section.querySelector(".trace ol");
    trace.textContent = "";
    (out.trace || []).forEach(function (s) { trace.appendChild(el("li", s.result + " — " + s.rule + "：" + tr(s.text_zh || s.text, s.text))); });
    section.querySelector("textarea.summary").value = summary(out);
    section.querySelector("pre.json").textContent = JSON.stringify(out, null, 2);
    section.querySelector(".export-ics").hidden = dates(out.results).length === 0;
    section.hidden = false;
  }

  function summary(out) {
    var title = document.querySelector("h1").textContent;
    var lines = [title];
    out.lines.forEach(function (l) {
      lines.push(tr(l.label, l.label_en) + "：" + l.value + (l.citation ? "（" + l.citation.text + "）" : ""));
    });
    (out.warnings || []).forEach(function (m) { lines.push((en ? "Warning: " : "提示：") + tr(m.text, m.text_en)); });
    (out.notes || []).forEach(function (m) { lines.push((en ? "Note: " : "说明：") + tr(m.text, m.text_en)); });
    return lines.join("\n");
  }

  /* Every YYYY-MM-DD string in the results, with the path that names it. */
  function dates(results) {
    var found = [];
    (function walk(v, path) {
      if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) { found.push({ path: path, date: v }); }
      else if (Array.isArray(v)) { v.forEach(function (x, i) { walk(x, path + "[" + (i + 1) + "]"); }); }
      else if (v && typeof v === "object") { Object.keys(v).sort().forEach(function (k) { walk(v[k], path ? path + "." + k : k); }); }
    })(results, "");
    return found;
  }

  function ics(out) {
    var title = document.querySelector("h1").textContent;
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    var esc = function (s) { return String(s).replace(/[\\;,]/g, function (c) { return "\\" + c; }).replace(/\n/g, "\\n"); };
    var label = {};
    out.lines.forEach(function (l) { label[l.result] = tr(l.label, l.label_en); });
    var ev = dates(out.results).map(function (d) {
      var day = d.date.replace(/-/g, "");
      var root = d.path.replace(/[\[.].*$/, "");
      return ["BEGIN:VEVENT", "UID:" + id + "-" + d.path.replace(/[^\w]+/g, "-") + "-" + day + "@jointlab-atlas",
        "DTSTAMP:" + stamp, "DTSTART;VALUE=DATE:" + day,
        "SUMMARY:" + esc((label[root] || d.path) + " · " + title), "END:VEVENT"].join("\r\n");
    });
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//JointLab Atlas//Calculators//ZH", "CALSCALE:GREGORIAN"].concat(ev, ["END:VCALENDAR"]).join("\r\n") + "\r\n";
  }

  function download(name, text, type) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }

  section.querySelector(".copy-summary").addEventListener("click", function () {
    var ta = section.querySelector("textarea.summary");
    ta.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selected for manual copying */ }
  });
  section.querySelector(".export-ics").addEventListener("click", function () {
    if (lastOutput) { download(id + ".ics", ics(lastOutput), "text/calendar;charset=utf-8"); }
  });

  /* ---- run ---- */
  function run() {
    clearErrors();
    var bundle = bundles[id];
    var result;
    try {
      if (typeof atlas_calc === "undefined" || !bundle) { throw new Error("calculator engine not loaded"); }
      result = JSON.parse(atlas_calc.run_json(bundle, JSON.stringify(collect())));
    } catch (e) {
      // A trap inside the module (which the engine is written never to cause) lands here.
      var fe = form.querySelector(".form-error");
      fe.textContent = (en ? "Internal calculator error: " : "计算器内部错误：") + (e && e.message ? e.message : e);
      fe.hidden = false;
      section.hidden = true;
      return null;
    }
    if (result.error) { showError(result.error); section.hidden = true; return result; }
    render(result.ok);
    return result;
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  // For tests and scripting: run with a given input object, as the form would.
  window.AtlasCalc = { run: run, collect: collect, runWith: function (input) {
    return JSON.parse(atlas_calc.run_json(bundles[id], JSON.stringify(input)));
  } };
})();
