/* Comparison pages: column filters, CSV export of what is shown, and the side-by-side picker.
   A classic script so it works from file://; without it every column is simply shown. */
(function () {
  "use strict";

  function columns(table) {
    return Array.prototype.slice.call(table.querySelectorAll("thead th[data-measure]"));
  }

  function showOnly(table, visible) {
    var cells = table.querySelectorAll("[data-measure]");
    for (var i = 0; i < cells.length; i++) {
      cells[i].hidden = !visible(cells[i].getAttribute("data-measure"));
    }
  }

  function checked(form, name) {
    var out = {};
    var boxes = form.querySelectorAll("input[name='" + name + "']");
    for (var i = 0; i < boxes.length; i++) { out[boxes[i].value] = boxes[i].checked; }
    return out;
  }

  var matrix = document.getElementById("matrix");
  var filters = document.querySelector("form.filters");
  if (matrix && filters) {
    var meta = {};
    columns(matrix).forEach(function (th) {
      meta[th.getAttribute("data-measure")] = { level: th.getAttribute("data-level"), status: th.getAttribute("data-status") };
    });
    var apply = function () {
      var levels = checked(filters, "level");
      var statuses = checked(filters, "status");
      showOnly(matrix, function (id) { var m = meta[id]; return !!m && levels[m.level] !== false && statuses[m.status] !== false; });
    };
    filters.addEventListener("change", apply);
    apply();
    var btn = filters.querySelector(".export-csv");
    if (btn) {
      btn.addEventListener("click", function () {
        var csv = tableCsv(matrix);
        var a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob(["\ufeff" + csv], { type: "text/csv;charset=utf-8" }));
        a.download = "jointlab-atlas-matrix.csv";
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
      });
    }
  }

  /* CSV of the visible cells, one line per row; quotes doubled per RFC 4180. */
  function tableCsv(table) {
    var lines = [];
    var rows = table.querySelectorAll("tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].querySelectorAll("th, td");
      var out = [];
      for (var c = 0; c < cells.length; c++) {
        if (cells[c].hidden) { continue; }
        out.push('"' + cells[c].textContent.replace(/\s+/g, " ").trim().replace(/"/g, '""') + '"');
      }
      lines.push(out.join(","));
    }
    return lines.join("\r\n") + "\r\n";
  }

  var pair = document.getElementById("pair");
  var pick = document.querySelector("form.pick");
  if (pair && pick) {
    var a = pick.querySelector("select[name='a']");
    var b = pick.querySelector("select[name='b']");
    var params = new URLSearchParams(window.ATLAS_SF ? window.ATLAS_SF.search : window.location.search);
    if (params.get("a")) { a.value = params.get("a"); }
    if (params.get("b")) { b.value = params.get("b"); }
    var update = function () {
      showOnly(pair, function (id) { return id === a.value || id === b.value; });
    };
    pick.addEventListener("change", update);
    update();
  }
})();
