// The 驾驶舱: draws each chart from its embedded payload ({dataset, meta}) with the vendored ECharts.
// A click on a bar, slice, funnel step or tile opens the item's drill-down list (meta.items[key].drill_url);
// the table under each chart holds the same links, for keyboards and screen readers.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var labelsElement = document.getElementById("cockpit-labels");
  var labels = labelsElement ? JSON.parse(labelsElement.textContent) : {planned: "序时计划", target: "目标"};
  var palette = ["#1f5faa", "#2e86c1", "#17a589", "#d4ac0d", "#ca6f1e", "#7d3c98", "#566573", "#c0392b"];

  function rows(payload) {
    // Money comes as a string of the Decimal (every fen kept); the chart draws Number().
    return payload.dataset.source.map(function (r) { return [r[0], r[1], Number(r[2])]; });
  }

  function counted(payload, data) {
    // A funnel counts records; an amount (元) is shown in the title, not as a step.
    return data.filter(function (r) { return !payload.meta.items[r[0]].money; });
  }

  function option(payload, element) {
    var data = rows(payload), display = payload.meta.display;
    var dataset = {dimensions: payload.dataset.dimensions, source: data};
    var encodeBar = {x: "name", y: "value", itemName: "name", tooltip: ["value"]};
    if (display === "pie") {
      return {dataset: dataset, tooltip: {trigger: "item"}, color: palette, legend: {bottom: 0, type: "scroll"},
        series: [{type: "pie", radius: ["35%", "65%"], encode: {itemName: "name", value: "value"}, label: {formatter: "{b}: {@value}"}}]};
    }
    if (display === "funnel") {
      var steps = counted(payload, data);
      var money = data.filter(function (r) { return payload.meta.items[r[0]].money; });
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
    if (display === "gauges") {
      // One gauge per target: a progress bar to the value out of the target, and a thin marker
      // (a second, pointer-only gauge) at the planned value of the day.
      // Side by side without overlapping: each gauge's radius fits its share of the width.
      var n = data.length, series = [];
      var width = element ? element.clientWidth : 600, height = element ? element.clientHeight : 320;
      var radius = Math.max(36, Math.min(width / Math.max(n, 1) / 2 - 14, height * 0.42));
      var roomy = radius >= 70;  // on a phone the scale's numbers would cover the value: only the value and the bar
      data.forEach(function (r, i) {
        var item = payload.meta.items[r[0]], max = Number(item.target) || Math.max(r[2], 1);
        var centre = [((2 * i + 1) * 100 / (2 * n)) + "%", "58%"];
        series.push({type: "gauge", center: centre, radius: radius, min: 0, max: max, splitNumber: 4,
          progress: {show: true, width: 12}, axisLine: {lineStyle: {width: 12}}, pointer: {show: false},
          axisTick: {show: false}, splitLine: {show: roomy, length: 6}, axisLabel: {show: roomy, distance: 14, fontSize: 10},
          title: {offsetCenter: [0, "75%"], fontSize: 12}, detail: {offsetCenter: [0, "25%"], fontSize: 18, formatter: "{value}"},
          data: [{value: r[2], name: r[1], key: r[0]}]});
        if (item.planned !== "") {
          series.push({type: "gauge", center: centre, radius: radius, min: 0, max: max, axisLine: {show: false},
            axisTick: {show: false}, splitLine: {show: false}, axisLabel: {show: false}, progress: {show: false},
            pointer: {show: true, length: "18%", width: 4, offsetCenter: [0, "-82%"], itemStyle: {color: "#ca6f1e"}},
            title: {show: false}, detail: {show: false}, tooltip: {formatter: function () { return r[1] + " " + labels.planned + "：" + item.planned; }},
            data: [{value: Number(item.planned), name: labels.planned, key: r[0]}]});
        }
      });
      return {tooltip: {}, color: palette, series: series};
    }
    if (display === "lines") {
      // Per metric its own small grid: actual snapshots, the planned trajectory (dashed), the target.
      var grids = [], xAxes = [], yAxes = [], lines = [], height = 100 / Math.max(data.length, 1);
      data.forEach(function (r, i) {
        var item = payload.meta.items[r[0]];
        grids.push({left: 50, right: 70, top: (i * height + 6) + "%", height: (height - 14) + "%"});
        xAxes.push({type: "category", gridIndex: i, data: item.days, axisLabel: {fontSize: 10}});
        yAxes.push({type: "value", gridIndex: i, name: r[1], nameTextStyle: {align: "left"}, minInterval: 1,
          max: function (v) { return Math.max(v.max, Number(item.target) || 0); }});
        lines.push({type: "line", name: r[1], key: r[0], xAxisIndex: i, yAxisIndex: i, data: item.values, showSymbol: item.days.length < 40,
          markLine: item.target ? {symbol: "none", label: {formatter: labels.target + " {c}"}, lineStyle: {color: "#c0392b"}, data: [{yAxis: Number(item.target)}]} : undefined});
        lines.push({type: "line", name: r[1] + " " + labels.planned, key: r[0], xAxisIndex: i, yAxisIndex: i, data: item.planned, showSymbol: false, lineStyle: {type: "dashed"}});
      });
      return {tooltip: {trigger: "axis"}, color: palette, grid: grids, xAxis: xAxes, yAxis: yAxes, series: lines};
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
    if (payload.meta.display === "lines") element.style.height = (payload.dataset.source.length * 200) + "px";
    var chart = window.echarts.init(element);
    chart.setOption(option(payload, element));
    chart.on("click", function (params) {
      if (payload.meta.display === "lines" || payload.meta.display === "gauges") {
        // A target drills to its detail page (the records it counted); a day of a line, as of that day.
        var target = payload.meta.items[params.data && params.data.key ? params.data.key : params.seriesName];
        var series = payload.meta.display === "lines" ? option(payload).series[params.seriesIndex] : null;
        if (series) {
          var line = payload.meta.items[series.key];
          var url = line.point_url + (line.point_url.indexOf("?") < 0 ? "?" : "&") + "as_of=" + line.days[params.dataIndex];
          window.location.href = url;
        } else if (target) {
          window.location.href = target.drill_url;
        }
        return;
      }
      var row = params.data;
      var key = payload.meta.display === "tiles" ? row[4] : row[0];
      var item = payload.meta.items[key];
      if (item) window.location.href = item.drill_url;
    });
    window.addEventListener("resize", function () {
      chart.resize();
      if (payload.meta.display === "gauges") chart.setOption(option(payload, element));
    });
  });
});
