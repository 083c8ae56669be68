// Small progressive enhancements; every page still shows its data without them.

// <details data-fold-narrow open>: open on a wide screen, folded on a phone (the stylesheet's 700px),
// so the main menu and long filter forms do not push the page's content off the first screen.
(function () {
  var narrow = window.matchMedia("(max-width: 700px)");
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) { details.open = !narrow.matches; });
  }
  fold();
  narrow.addEventListener("change", fold);
})();
document.addEventListener("DOMContentLoaded", function () {
  // Bar charts: <div class="chart" data-bar-chart="ID" data-label-key="k" data-value-key="v">, where ID
  // is a json_script element holding a list of rows. Rendered with the vendored ECharts.
  document.querySelectorAll("[data-bar-chart]").forEach(function (element) {
    if (!window.echarts) return;
    var rows = JSON.parse(document.getElementById(element.dataset.barChart).textContent);
    var labelKey = element.dataset.labelKey, valueKey = element.dataset.valueKey;
    var chart = window.echarts.init(element);
    chart.setOption({
      tooltip: {}, grid: {left: 40, right: 10, bottom: 60},
      xAxis: {type: "category", data: rows.map(function (r) { return r[labelKey]; }), axisLabel: {rotate: 40}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: rows.map(function (r) { return r[valueKey]; }), itemStyle: {color: "#1f5faa"}}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});

// Formsets: a button with data-add-row="TABLE_ID" data-template="TEMPLATE_ID" data-prefix="P" adds a
// row from a Django formset's empty_form and bumps P-TOTAL_FORMS.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-row]");
  if (!button) return;
  var total = document.getElementById("id_" + button.dataset.prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + button.dataset.prefix + "-MAX_NUM_FORMS");
  var count = parseInt(total.value, 10);
  if (max && count >= parseInt(max.value, 10)) return;
  var html = document.getElementById(button.dataset.template).innerHTML.replace(/__prefix__/g, String(count));
  document.querySelector("#" + button.dataset.addRow + " tbody").insertAdjacentHTML("beforeend", html);
  total.value = String(count + 1);
});

// Score sheets: <form data-score-sheet> with inputs .score-input (data-max, data-dimension). Keeps a
// running total and subtotals, and marks a value outside 0..max or not in half points as it is typed.
(function () {
  function refresh(form) {
    var total = 0, subtotals = {};
    form.querySelectorAll(".score-input").forEach(function (input) {
      var text = input.value.trim(), value = Number(text), max = Number(input.dataset.max);
      var bad = text !== "" && (isNaN(value) || value < 0 || value > max || Math.round(value * 2) !== value * 2);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      input.closest("td").querySelector(".score-bound").hidden = !bad;
      if (text !== "" && !bad) {
        total += value;
        subtotals[input.dataset.dimension] = (subtotals[input.dataset.dimension] || 0) + value;
      }
    });
    form.querySelector("[data-total]").textContent = String(total);
    form.querySelectorAll("[data-subtotal]").forEach(function (element) {
      element.textContent = String(subtotals[element.dataset.subtotal] || 0);
    });
  }
  document.querySelectorAll("[data-score-sheet]").forEach(function (form) {
    form.addEventListener("input", function () { refresh(form); });
    refresh(form);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();

// A select that applies itself when changed (language switch, affinity domain): <select data-autosubmit>.
// Kept here rather than in an onchange attribute, as the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
