/* JointLab Atlas calculators: collects the form, runs the Rust engine (compiled to WebAssembly,
   loaded by assets/calculator.js as the global `atlas_calc`) on the calculator's bundle, and shows
   the results with their citations in the page's language. A classic script: works from file://,
   no network. Results and messages are inserted as text nodes only. The words of the page come
   from the catalogue (the form's data-w-* attributes) and the engine (both languages). What the
   planner page shares (collecting a form, result lines, the calendar) is in calc-core.js. */
(function () {
  "use strict";

  var form = document.querySelector("form.calculator");
  var core = window.AtlasCalcCore;
  if (!form || !core) { return; }
  var id = form.getAttribute("data-calc");
  var en = form.getAttribute("data-lang") === "en";
  var rel = form.getAttribute("data-rel") || "";
  var section = document.querySelector(".calc-results");
  var bundles = window.ATLAS_CALC_BUNDLES || {};
  var lastOutput = null;
  var storeKey = "atlas-calc:" + id;

  function word(name) { return form.getAttribute("data-w-" + name) || ""; }

  var ctx = { en: en, rel: rel, id: id };
  var el = core.el;
  var each = core.each;
  function tr(zh, english) { return core.tr(ctx, zh, english); }

  /* ---- lists: records (committee members) and ordered choices (one result per year) ---- */
  function addRecord(fieldset) {
    var tpl = fieldset.querySelector("template.record-row");
    fieldset.querySelector("tbody").appendChild(document.importNode(tpl.content, true));
  }

  function renumber(fieldset) {
    var pattern = fieldset.getAttribute("data-item-label") || "";
    each(fieldset.querySelectorAll("ol.list-rows > li"), function (li, i) {
      var label = li.querySelector("label");
      var select = label.querySelector("select");
      label.firstChild.nodeValue = pattern.replace("{n}", String(i + 1)) + " ";
      select.setAttribute("data-item", String(i + 1));
    });
  }

  function addItem(fieldset) {
    var ol = fieldset.querySelector("ol.list-rows");
    var first = ol.querySelector("li");
    var li = first.cloneNode(true);
    li.querySelector("select").value = "";
    ol.appendChild(li);
    renumber(fieldset);
  }

  each(form.querySelectorAll("fieldset[data-kind='record-list']"), function (fs) {
    fs.addEventListener("click", function (ev) {
      var t = ev.target;
      if (t.classList.contains("add-row")) { addRecord(fs); }
      if (t.classList.contains("add-rows")) {
        var n = parseInt(t.getAttribute("data-count"), 10) || 1;
        for (var i = 0; i < n; i++) { addRecord(fs); }
      }
      if (t.classList.contains("remove-row")) { var row = t.closest("tr"); row.parentNode.removeChild(row); }
      save();
    });
  });
  each(form.querySelectorAll("fieldset[data-kind='enum-list']"), function (fs) {
    fs.addEventListener("click", function (ev) {
      var t = ev.target;
      if (t.classList.contains("add-item")) { addItem(fs); }
      if (t.classList.contains("remove-row")) {
        var items = fs.querySelectorAll("ol.list-rows > li");
        var li = t.closest("li");
        if (items.length > 1) { li.parentNode.removeChild(li); } else { li.querySelector("select").value = ""; }
        renumber(fs);
      }
      save();
    });
  });

  function collect() { return core.collect(form); }

  /* ---- values kept across pages (the other language, a reload) for this tab ---- */
  function save() {
    try { sessionStorage.setItem(storeKey, JSON.stringify(collect())); } catch (e) { /* storage off */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") { return; }
    each(form.querySelectorAll("[data-input]"), function (node) {
      var name = node.getAttribute("data-input");
      var kind = node.getAttribute("data-kind");
      var v = saved[name];
      if (v === undefined) { return; }
      if (kind === "enum-list" && Array.isArray(v)) {
        var fixed = parseInt(node.getAttribute("data-rows"), 10) > 0;
        while (!fixed && node.querySelectorAll("select").length < v.length) { addItem(node); }
        var selects = node.querySelectorAll("select");
        v.forEach(function (x, i) { if (selects[i]) { selects[i].value = x; } });
      } else if (kind === "enum-set" && Array.isArray(v)) {
        each(node.querySelectorAll("input[type=checkbox]"), function (c) { c.checked = v.indexOf(c.value) >= 0; });
      } else if (kind === "record-list" && Array.isArray(v)) {
        node.querySelector("tbody").textContent = "";
        v.forEach(function (rec) {
          addRecord(node);
          var rows = node.querySelectorAll("tbody tr");
          var row = rows[rows.length - 1];
          each(row.querySelectorAll("[data-field]"), function (f) {
            var x = rec[f.getAttribute("data-field")];
            if (x === undefined) { return; }
            if (f.getAttribute("data-kind") === "bool") { f.checked = !!x; } else { f.value = String(x); }
          });
        });
      } else if (kind === "bool") {
        node.checked = !!v;
      } else {
        node.value = String(v);
      }
    });
  }

  /* ---- errors, named by the form's own labels ---- */
  function clearErrors() {
    each(form.querySelectorAll(".field-error"), function (p) { p.hidden = true; p.textContent = ""; });
    each(form.querySelectorAll("[aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
    var fe = form.querySelector(".form-error");
    fe.hidden = true;
    fe.textContent = "";
  }

  /* `members[2].age` → the row and the field's label ("row 3 · Age"), and the element to mark. */
  function locate(field, root) {
    var m = /^[^\[]*\[(\d+)\](?:\.(.+))?$/.exec(field);
    var input = form.querySelector("[data-input='" + root.replace(/'/g, "") + "']");
    if (!m || !input) { return { words: "", node: input }; }
    var n = parseInt(m[1], 10);
    var words = word("row").replace("{n}", String(n + 1));
    var node = input;
    var rows = input.querySelectorAll("tbody tr, ol.list-rows > li");
    var row = rows[n];
    if (m[2]) {
      var f = row ? row.querySelector("[data-field='" + m[2].replace(/'/g, "") + "']") : null;
      var label = f ? f.getAttribute("aria-label") : "";
      if (label) { words += " · " + label; }
      if (f) { node = f; }
    } else if (row) {
      node = row.querySelector("select") || row;
    }
    return { words: words, node: node };
  }

  function showError(err) {
    var field = String(err.field || "");
    var msg = tr(err.message_zh, err.message);
    if (field === "definition" || field === "facts" || field === "calendar" || field === "bundle") {
      var d = form.querySelector(".form-error");
      d.textContent = word("definition");
      d.hidden = false;
      return;
    }
    var root = field.replace(/[\[.].*$/, "");
    var p = form.querySelector("[data-error-for='" + root.replace(/'/g, "") + "']");
    var where = locate(field, root);
    if (p) {
      p.textContent = (where.words ? where.words + (en ? ": " : "：") : "") + msg;
      p.hidden = false;
      if (where.node) { where.node.setAttribute("aria-invalid", "true"); }
      (err.also || []).forEach(function (other) {
        var n = form.querySelector("[data-input='" + String(other).replace(/'/g, "") + "']");
        if (n) { n.setAttribute("aria-invalid", "true"); }
      });
    } else {
      var fe = form.querySelector(".form-error");
      fe.textContent = msg;
      fe.hidden = false;
    }
  }

  /* ---- results ---- */
  function render(out) {
    lastOutput = out;
    core.lineRows(ctx, section.querySelector("table.lines tbody"), out.lines);
    core.messages(ctx, section.querySelector(".warnings"), out.warnings, "warning-list", word("warnings"));
    core.messages(ctx, section.querySelector(".notes"), out.notes, "note-list", word("notes"));
    var trace = section.querySelector(".trace ol");
    trace.textContent = "";
    (out.trace || []).forEach(function (s) {
      var li = el("li", tr(s.text_zh, s.text));
      if (s.citation) { li.appendChild(document.createTextNode(" — ")); li.appendChild(core.citationLink(ctx, s.citation)); }
      trace.appendChild(li);
    });
    section.querySelector("textarea.summary").value = summary(out);
    section.querySelector(".export-ics").hidden = !(out.events && out.events.length);
    section.hidden = false;
  }

  function summary(out) {
    var title = document.querySelector("h1").textContent;
    var lines = [title];
    var colon = en ? ": " : "：";
    out.lines.forEach(function (l) {
      var c = l.citation ? (en ? " (" + l.citation.text_en + ")" : "（" + l.citation.text + "）") : "";
      lines.push(tr(l.label, l.label_en) + colon + tr(l.value, l.value_en) + c);
    });
    (out.warnings || []).forEach(function (m) { lines.push(word("warnings") + colon + tr(m.text, m.text_en)); });
    (out.notes || []).forEach(function (m) { lines.push(word("notes") + colon + tr(m.text, m.text_en)); });
    return lines.join("\n");
  }

  /* ---- calendar (RFC 5545): one all-day event per obligation the engine lists ---- */
  function ics(out) {
    return core.ics({ en: en, id: id, reasons: word("reasons"), provisional: word("provisional") }, out.events);
  }

  section.querySelector(".copy-summary").addEventListener("click", function () {
    var ta = section.querySelector("textarea.summary");
    ta.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selected for manual copying */ }
  });
  section.querySelector(".export-ics").addEventListener("click", function () {
    if (lastOutput) { core.download(id + ".ics", ics(lastOutput), "text/calendar;charset=utf-8"); }
  });

  /* ---- run ---- */
  function run() {
    clearErrors();
    save();
    var bundle = bundles[id];
    var result;
    try {
      if (typeof atlas_calc === "undefined" || !bundle) { throw new Error("engine"); }
      result = JSON.parse(atlas_calc.run_json(bundle, JSON.stringify(collect())));
    } catch (e) {
      // A trap inside the module (which the engine is written never to cause) lands here.
      var fe = form.querySelector(".form-error");
      fe.textContent = word("error");
      fe.hidden = false;
      section.hidden = true;
      return null;
    }
    if (result.error) { showError(result.error); section.hidden = true; return result; }
    render(result.ok);
    return result;
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  // For tests and scripting: run with a given input object, as the form would; the calendar of
  // the last result.
  window.AtlasCalc = { run: run, collect: collect, ics: function () { return lastOutput ? ics(lastOutput) : ""; },
    runWith: function (input) {
      return JSON.parse(atlas_calc.run_json(bundles[id], JSON.stringify(input)));
    } };
})();
