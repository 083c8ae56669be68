// Small progressive enhancements; every page still shows its data without them.
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
