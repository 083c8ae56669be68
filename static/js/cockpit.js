// The 驾驶舱: draws each chart from its embedded payload ({dataset, meta}) with the vendored ECharts.
// A click on a bar, slice, funnel step or tile opens the item's drill-down list (meta.items[key].drill_url);
// the table under each chart holds the same links, for keyboards and screen readers.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var palette = ["#1f5faa", "#2e86c1", "#17a589", "#d4ac0d", "#ca6f1e", "#7d3c98", "#566573", "#c0392b"];

  function rows(payload) {
    // Money comes as a string of the Decimal (every fen kept); the chart draws Number().
    return payload.dataset.source.map(function (r) { return [r[0], r[1], Number(r[2])]; });
  }

  function counted(payload, data) {
    // A funnel counts records; an amount (元) is shown in the title, not as a step.
    return data.filter(function (r) { return payload.meta.items[r[0]].unit !== "元"; });
  }

  function option(payload) {
    var data = rows(payload), display = payload.meta.display;
    var dataset = {dimensions: payload.dataset.dimensions, source: data};
    var encodeBar = {x: "name", y: "value", itemName: "name", tooltip: ["value"]};
    if (display === "pie") {
      return {dataset: dataset, tooltip: {trigger: "item"}, color: palette, legend: {bottom: 0, type: "scroll"},
        series: [{type: "pie", radius: ["35%", "65%"], encode: {itemName: "name", value: "value"}, label: {formatter: "{b}: {@value}"}}]};
    }
    if (display === "funnel") {
      var steps = counted(payload, data);
      var money = data.filter(function (r) { return payload.meta.items[r[0]].unit === "元"; });
      return {dataset: {dimensions: dataset.dimensions, source: steps}, tooltip: {trigger: "item"}, color: palette,
        title: money.length ? {text: money.map(function (r) { return r[1] + " ¥" + r[2].toLocaleString("zh-CN"); }).join("  "), textStyle: {fontSize: 13}, left: "center", bottom: 0} : undefined,
        series: [{type: "funnel", sort: "none", top: 10, bottom: money.length ? 30 : 10, minSize: "10%", encode: {itemName: "name", value: "value"},
          label: {formatter: "{b}: {@value}"}}]};
    }
    if (display === "tiles") {
      // Districts as a schematic grid of tiles (no boundary map), shaded by their count.
      var max = Math.max.apply(null, data.map(function (r) { return r[2]; }).concat([1]));
      var columns = 4;
      var tiles = data.map(function (r, i) { return [i % columns, Math.floor(i / columns), r[2], r[1], r[0]]; });
      return {tooltip: {formatter: function (p) { return p.data[3] + "：" + p.data[2]; }},
        grid: {left: 4, right: 4, top: 4, bottom: 40}, xAxis: {type: "category", show: false, data: [0, 1, 2, 3]},
        yAxis: {type: "category", show: false, inverse: true, data: Array.from({length: Math.ceil(data.length / columns)}, function (_, i) { return i; })},
        visualMap: {min: 0, max: max, dimension: 2, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, calculable: false, inRange: {color: ["#eaf1fb", "#1f5faa"]}},
        series: [{type: "heatmap", data: tiles, label: {show: true, formatter: function (p) { return p.data[3] + "\n" + p.data[2]; }}, itemStyle: {borderColor: "#fff", borderWidth: 3}}]};
    }
    if (display === "hbar") {
      return {dataset: {dimensions: dataset.dimensions, source: data.slice().reverse()}, tooltip: {}, color: palette,
        grid: {left: 8, right: 30, top: 8, bottom: 8, containLabel: true}, xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category"},
        series: [{type: "bar", encode: {x: "value", y: "name", itemName: "name"}, label: {show: true, position: "right"}}]};
    }
    return {dataset: dataset, tooltip: {}, color: palette, grid: {left: 8, right: 8, top: 20, bottom: 8, containLabel: true},
      xAxis: {type: "category", axisLabel: {interval: 0, rotate: data.length > 5 ? 30 : 0}}, yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", encode: encodeBar, label: {show: true, position: "top"}}]};
  }

  document.querySelectorAll("[data-cockpit-chart]").forEach(function (element) {
    var payload = JSON.parse(document.getElementById(element.dataset.cockpitChart).textContent);
    if (!payload.dataset.source.length) { element.hidden = true; return; }
    var chart = window.echarts.init(element);
    chart.setOption(option(payload));
    chart.on("click", function (params) {
      var row = params.data;
      var key = payload.meta.display === "tiles" ? row[4] : row[0];
      var item = payload.meta.items[key];
      if (item) window.location.href = item.drill_url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
