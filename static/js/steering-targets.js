// 十百千 metric pages: <div data-target-chart="ID" data-labels='{"value":…,"planned":…,"target":…}'>, where ID
// is a json_script element holding [{day, value, planned, target}]. Actual against plan and target,
// drawn with the vendored ECharts; the page shows the figures and records without it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-target-chart]").forEach(function (element) {
    if (!window.echarts) return;
    var rows = JSON.parse(document.getElementById(element.dataset.targetChart).textContent);
    var labels = JSON.parse(element.dataset.labels);
    var chart = window.echarts.init(element);
    var line = function (key, color, dashed) {
      return {name: labels[key], type: "line", showSymbol: false, data: rows.map(function (r) { return r[key]; }),
              lineStyle: {color: color, type: dashed ? "dashed" : "solid"}, itemStyle: {color: color}};
    };
    chart.setOption({
      tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 10, bottom: 40},
      xAxis: {type: "category", data: rows.map(function (r) { return r.day; })},
      yAxis: {type: "value", minInterval: 1},
      series: [line("value", "#1f5faa", false), line("planned", "#e67e22", true), line("target", "#c0392b", true)]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
