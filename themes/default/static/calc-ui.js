/* JointLab Atlas calculators: collects the form, runs the Rust engine (compiled to WebAssembly,
   loaded by assets/calculator.js as the global `atlas_calc`) on the calculator's bundle, and shows
   the results with their citations in the page's language. A classic script: works from file://,
   no network. Results and messages are inserted as text nodes only. The words of the page come
   from the catalogue (the form's data-w-* attributes) and the engine (both languages). */
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
  var storeKey = "atlas-calc:" + id;

  function word(name) { return form.getAttribute("data-w-" + name) || ""; }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function tr(zh, english) { return en && english ? english : zh; }

  function each(list, f) { Array.prototype.forEach.call(list, f); }

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
    each(form.querySelectorAll("[data-input]"), function (node) {
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
      } else if (kind === "enum-set") {
        v = [];
        each(node.querySelectorAll("input[type=checkbox]:checked"), function (c) { v.push(c.value); });
        if (v.length === 0) { v = undefined; }
      } else if (kind === "record-list") {
        v = [];
        each(node.querySelectorAll("tbody tr"), function (row) {
          var rec = {};
          each(row.querySelectorAll("[data-field]"), function (f) {
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
  function citationLink(c) {
    var a = el("a", tr(c.text, c.text_en) || c.anchor);
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
      if (l.item) { row.setAttribute("data-item", String(l.item)); }
      if (l.status) { row.setAttribute("data-status", l.status); }
      row.appendChild(el("td", tr(l.label, l.label_en)));
      var v = el("td", null, "value");
      v.appendChild(el("strong", tr(l.value, l.value_en)));
      if (l.exact) { v.appendChild(el("div", "= " + l.exact, "exact")); }
      row.appendChild(v);
      var c = el("td");
      // On a phone the table is stacked (style.css): the cell says what it is.
      c.setAttribute("data-label", section.querySelector("table.lines thead th:nth-child(3)").textContent);
      if (l.citation) { c.appendChild(citationLink(l.citation)); }
      row.appendChild(c);
      body.appendChild(row);
    });
    messages(section.querySelector(".warnings"), out.warnings, "warning-list", word("warnings"));
    messages(section.querySelector(".notes"), out.notes, "note-list", word("notes"));
    var trace = section.querySelector(".trace ol");
    trace.textContent = "";
    (out.trace || []).forEach(function (s) {
      var li = el("li", tr(s.text_zh, s.text));
      if (s.citation) { li.appendChild(document.createTextNode(" — ")); li.appendChild(citationLink(s.citation)); }
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
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    var esc = function (s) { return String(s).replace(/[\\;,]/g, function (c) { return "\\" + c; }).replace(/\r?\n/g, "\\n"); };
    /* Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 sequence. */
    var fold = function (line) {
      var out = [];
      var cur = "";
      var size = 0;
      for (var i = 0; i < line.length; i++) {
        var ch = line.charAt(i);
        var code = line.charCodeAt(i);
        if (code >= 0xD800 && code <= 0xDBFF && i + 1 < line.length) { ch += line.charAt(++i); }
        var n = new TextEncoder().encode(ch).length;
        if (size + n > (out.length ? 74 : 75)) { out.push(cur); cur = ""; size = 0; }
        cur += ch;
        size += n;
      }
      out.push(cur);
      return out.join("\r\n ");
    };
    var next = function (day) {
      var d = new Date(Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8) + 1));
      return d.toISOString().slice(0, 10).replace(/-/g, "");
    };
    var ev = (out.events || []).map(function (e) {
      var day = e.date.replace(/-/g, "");
      var desc = tr(e.description, e.description_en);
      if (e.citation) {
        desc += "\n" + word("reasons") + (en ? ": " : "：") + tr(e.citation.text, e.citation.text_en) + (e.citation.quote ? (en ? " — " : "：") + "「" + e.citation.quote + "」" : "");
      }
      var title = tr(e.title, e.title_en) + (e.provisional ? word("provisional") : "");
      return ["BEGIN:VEVENT", "UID:" + id + "-" + e.key + "-" + day + "@jointlab-atlas",
        "DTSTAMP:" + stamp, "DTSTART;VALUE=DATE:" + day, "DTEND;VALUE=DATE:" + next(day),
        "SUMMARY:" + esc(title), "DESCRIPTION:" + esc(desc), "TRANSP:TRANSPARENT", "END:VEVENT"].map(fold).join("\r\n");
    });
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//JointLab Atlas//Calculators//" + (en ? "EN" : "ZH"), "CALSCALE:GREGORIAN", "METHOD:PUBLISH"].concat(ev, ["END:VCALENDAR"]).join("\r\n") + "\r\n";
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
