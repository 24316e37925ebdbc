/* JointLab Atlas calculators, shared by the calculator pages (calc-ui.js) and the planner
   (planner.js): reading a form's inputs, showing an engine's lines and messages with their
   citations, and writing a calendar file. A classic script: works from file://, no network;
   text goes in as text nodes only. Defines window.AtlasCalcCore. */
(function () {
  "use strict";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function each(list, f) { Array.prototype.forEach.call(list, f); }

  /* The words of a page: `ctx.en` picks English where the engine gives it. */
  function tr(ctx, zh, english) { return ctx.en && english ? english : zh; }

  /* ---- collecting input: every [data-input] element of `form`, by its data-kind ---- */
  function scalar(kind, node) {
    if (kind === "bool") { return node.checked; }
    var v = (node.value || "").trim();
    if (v === "") { return undefined; }
    if (kind === "int" && /^-?\d{1,15}$/.test(v)) { return parseInt(v, 10); }
    return v; // money, percent, date, enum: the engine parses and explains
  }

  function collect(form) {
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

  /* ---- results ---- */
  function citationLink(ctx, c) {
    var a = el("a", tr(ctx, c.text, c.text_en) || c.anchor);
    a.href = ctx.rel + "measures/" + c.measure + ".html#" + c.anchor;
    a.title = c.quote || "";
    return a;
  }

  /* One row per line of an engine's output: label, value (with the exact arithmetic), citation. */
  function lineRows(ctx, body, lines) {
    body.textContent = "";
    var table = body.closest("table");
    var head = table && table.querySelector("thead th:nth-child(3)");
    lines.forEach(function (l) {
      var row = el("tr");
      row.setAttribute("data-result", l.result);
      if (l.item) { row.setAttribute("data-item", String(l.item)); }
      if (l.status) { row.setAttribute("data-status", l.status); }
      row.appendChild(el("td", tr(ctx, l.label, l.label_en)));
      var v = el("td", null, "value");
      v.appendChild(el("strong", tr(ctx, l.value, l.value_en)));
      if (l.exact) { v.appendChild(el("div", "= " + l.exact, "exact")); }
      row.appendChild(v);
      var c = el("td");
      // On a phone the table is stacked (style.css): the cell says what it is.
      if (head) { c.setAttribute("data-label", head.textContent); }
      if (l.citation) { c.appendChild(citationLink(ctx, l.citation)); }
      row.appendChild(c);
      body.appendChild(row);
    });
  }

  /* Warnings or notes under a heading, each with its citation. */
  function messages(ctx, box, list, cls, heading) {
    box.textContent = "";
    if (!list || !list.length) { return; }
    box.appendChild(el("h3", heading));
    var ul = el("ul", null, cls);
    list.forEach(function (m) {
      var li = el("li", tr(ctx, m.text, m.text_en));
      if (m.citation) { li.appendChild(document.createTextNode(" — ")); li.appendChild(citationLink(ctx, m.citation)); }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  /* ---- calendar (RFC 5545): one all-day event per obligation. Each event may carry `calc`
     (the calculator it comes from, for its UID); else `ctx.id`. `ctx.reasons` and
     `ctx.provisional` are the page's words. ---- */
  function ics(ctx, events) {
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
    var ev = (events || []).map(function (e) {
      var day = e.date.replace(/-/g, "");
      var desc = tr(ctx, e.description, e.description_en);
      if (e.citation) {
        desc += "\n" + ctx.reasons + (ctx.en ? ": " : "：") + tr(ctx, e.citation.text, e.citation.text_en) + (e.citation.quote ? (ctx.en ? " — " : "：") + "「" + e.citation.quote + "」" : "");
      }
      var title = (e.prefix || "") + tr(ctx, e.title, e.title_en) + (e.provisional ? ctx.provisional : "");
      return ["BEGIN:VEVENT", "UID:" + (e.calc || ctx.id) + "-" + e.key + "-" + day + "@jointlab-atlas",
        "DTSTAMP:" + stamp, "DTSTART;VALUE=DATE:" + day, "DTEND;VALUE=DATE:" + next(day),
        "SUMMARY:" + esc(title), "DESCRIPTION:" + esc(desc), "TRANSP:TRANSPARENT", "END:VEVENT"].map(fold).join("\r\n");
    });
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//JointLab Atlas//" + (ctx.product || "Calculators") + "//" + (ctx.en ? "EN" : "ZH"), "CALSCALE:GREGORIAN", "METHOD:PUBLISH"].concat(ev, ["END:VCALENDAR"]).join("\r\n") + "\r\n";
  }

  function download(name, text, type) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }

  window.AtlasCalcCore = {
    el: el, each: each, tr: tr, scalar: scalar, collect: collect, citationLink: citationLink,
    lineRows: lineRows, messages: messages, ics: ics, download: download
  };
})();
