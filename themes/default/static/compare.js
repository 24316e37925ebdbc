/* Comparison pages: which measures the matrix shows (the reader's choice of columns, and the
   level and status filters, kept in the URL so a view can be shared), CSV export of what is
   shown, and the side-by-side picker. A classic script so it works from file://; without it
   every column is simply shown. */
(function () {
  "use strict";

  /* The first measures of the hierarchy shown when the reader has chosen none: as many as
     fit side by side on a 1280 px screen. */
  var DEFAULT_COLUMNS = 5;

  function showOnly(table, visible) {
    var cells = table.querySelectorAll("[data-measure]");
    for (var i = 0; i < cells.length; i++) {
      cells[i].hidden = !visible(cells[i].getAttribute("data-measure"));
    }
    // A group heading spans the columns shown.
    var shown = table.querySelectorAll("thead th[data-measure]:not([hidden])").length;
    var groups = table.querySelectorAll("th[colspan]");
    for (var g = 0; g < groups.length; g++) { groups[g].colSpan = shown + 1; }
  }

  function boxes(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']"));
  }

  /* The page's query string: the file's own, or in the single-file edition its route's. */
  function query() {
    return new URLSearchParams(window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search);
  }

  /* Writes `params` into the address without adding to the history. */
  function keep(params) {
    var q = params.toString().replace(/%2C/g, ",");
    q = q ? "?" + q : "";
    try {
      if (window.ATLAS_SF) {
        window.ATLAS_SF.search = q;
        window.history.replaceState(null, "", "#!/" + window.ATLAS_SF.path + q);
      } else {
        window.history.replaceState(null, "", window.location.pathname + q + window.location.hash);
      }
    } catch (e) { /* some browsers refuse on file://; the view still works */ }
  }

  /* A spreadsheet reads a cell starting with = + - @ (or a tab or carriage return) as a
     formula: such a cell gets a leading apostrophe (OWASP, "CSV injection"), unless it is a
     number. */
  function neutral(text) {
    if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      return "'" + text;
    }
    return text;
  }

  function csvCell(text) {
    return '"' + neutral(text).replace(/"/g, '""') + '"';
  }

  /* What a cell says, for the CSV: a header's measure or topic name (not the status or the
     English name beside it), a cell's facts one per line. */
  function cellText(cell) {
    var own = function (el) { return el.textContent.replace(/\s+/g, " ").trim(); };
    if (cell.hasAttribute("data-csv")) { return cell.getAttribute("data-csv"); }
    var items = cell.querySelectorAll("li");
    if (items.length) { return Array.prototype.map.call(items, own).join("\n"); }
    var link = cell.tagName === "TH" ? cell.querySelector("a") : null;
    if (link) { return own(link); }
    // Without the name in the other language beside it.
    var copy = cell.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("[lang]"), function (x) {
      if (x.getAttribute("lang") !== document.documentElement.lang) { x.parentNode.removeChild(x); }
    });
    return own(copy);
  }

  /* CSV of the visible cells, one line per row and one cell per column (a group heading
     spanning the row fills its first cell); quotes doubled per RFC 4180. */
  function tableCsv(table) {
    var lines = [];
    var columns = table.querySelectorAll("thead th:not([hidden])").length;
    var rows = table.querySelectorAll("tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].querySelectorAll("th, td");
      var out = [];
      for (var c = 0; c < cells.length; c++) {
        if (cells[c].hidden) { continue; }
        out.push(csvCell(cellText(cells[c])));
      }
      while (out.length < columns) { out.push('""'); }
      lines.push(out.join(","));
    }
    return lines.join("\r\n") + "\r\n";
  }

  var matrix = document.getElementById("matrix");
  var filters = document.querySelector("form.filters");
  if (matrix && filters) {
    var meta = {};
    Array.prototype.forEach.call(matrix.querySelectorAll("thead th[data-measure]"), function (th) {
      meta[th.getAttribute("data-measure")] = { level: th.getAttribute("data-level"), status: th.getAttribute("data-status") };
    });
    var levels = boxes(filters, "level"), statuses = boxes(filters, "status"), columns = boxes(filters, "m");
    var count = filters.querySelector(".columns-count");
    // The view the URL names: checked levels, statuses and columns, each a comma-separated list
    // (absent: the default).
    var params = query();
    var restore = function (list, name) {
      var v = params.get(name);
      if (v === null) { return; }
      var want = v.split(",");
      list.forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });
    };
    restore(levels, "level");
    restore(statuses, "status");
    restore(columns, "m");
    var chosen = function (list) { return list.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); };
    var isDefault = function (list, name) {
      return list.every(function (b, i) { return b.checked === (name === "m" ? i < DEFAULT_COLUMNS : true); });
    };
    var apply = function () {
      var lv = {}, st = {}, col = {};
      chosen(levels).forEach(function (v) { lv[v] = true; });
      chosen(statuses).forEach(function (v) { st[v] = true; });
      chosen(columns).forEach(function (v) { col[v] = true; });
      showOnly(matrix, function (id) { var m = meta[id]; return !!m && lv[m.level] && st[m.status] && col[id]; });
      if (count) {
        var shown = matrix.querySelectorAll("thead th[data-measure]:not([hidden])").length;
        count.textContent = count.getAttribute("data-template").replace("{k}", shown).replace("{n}", columns.length);
      }
      var p = query();
      [[levels, "level"], [statuses, "status"], [columns, "m"]].forEach(function (x) {
        if (isDefault(x[0], x[1])) { p.delete(x[1]); } else { p.set(x[1], chosen(x[0]).join(",")); }
      });
      keep(p);
    };
    filters.addEventListener("change", apply);
    apply();
    var btn = filters.querySelector(".export-csv");
    if (btn) {
      btn.addEventListener("click", function () {
        // The byte order mark lets Excel read the file as UTF-8 (Chinese Windows would not).
        var blob = new Blob(["\ufeff" + tableCsv(matrix)], { type: "text/csv;charset=utf-8" });
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "jointlab-atlas-matrix.csv";
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
      });
    }
  }

  var pair = document.getElementById("pair");
  var pick = document.querySelector("form.pick");
  if (pair && pick) {
    var a = pick.querySelector("select[name='a']");
    var b = pick.querySelector("select[name='b']");
    var given = query();
    var known = function (s, v) { return Array.prototype.some.call(s.options, function (o) { return o.value === v; }); };
    if (given.get("a") && known(a, given.get("a"))) { a.value = given.get("a"); }
    if (given.get("b") && known(b, given.get("b"))) { b.value = given.get("b"); }
    var update = function () {
      showOnly(pair, function (id) { return id === a.value || id === b.value; });
      var p = query();
      p.set("a", a.value);
      p.set("b", b.value);
      keep(p);
    };
    pick.addEventListener("change", update);
    update();
  }
})();
