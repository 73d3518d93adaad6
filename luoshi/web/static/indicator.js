// One indicator's chart: per target, the reported values (solid) and the schedule's expected
// values (dashed, same colour) by month, from the JSON block the server wrote into the page.
(function () {
  "use strict";
  var COLOURS = ["#1d4f91", "#d9822b", "#2e9a4b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b"];

  function short(v) { // axis labels as Chinese readers write large numbers
    var a = Math.abs(v);
    if (a >= 1e8) return +(v / 1e8).toFixed(2) + "亿";
    if (a >= 1e4) return +(v / 1e4).toFixed(2) + "万";
    return +v.toFixed(2) + "";
  }

  function draw(el, data) {
    var series = [], legend = [];
    data.series.forEach(function (s, i) {
      var colour = COLOURS[i % COLOURS.length];
      var reported = { name: s.label + " 报送", type: "line", data: s.reported, connectNulls: true,
        symbol: "circle", symbolSize: 6, itemStyle: { color: colour }, lineStyle: { width: 2 } };
      if (s.threshold !== null && s.threshold !== undefined) {
        reported.markLine = { symbol: "none", label: { formatter: "标准 " + s.threshold },
          lineStyle: { color: colour, type: "dotted" }, data: [{ yAxis: s.threshold }] };
      }
      series.push(reported);
      legend.push(reported.name);
      if (s.expected.some(function (v) { return v !== null; })) {
        series.push({ name: s.label + " 序时应达", type: "line", data: s.expected, connectNulls: false,
          symbol: "none", itemStyle: { color: colour }, lineStyle: { type: "dashed", width: 1.5, opacity: 0.8 } });
        legend.push(s.label + " 序时应达");
      }
    });
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption({
      color: COLOURS,
      grid: { left: 64, right: 24, top: 56, bottom: 48 },
      legend: { type: "scroll", top: 0, data: legend },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : short(v) + (data.unit || ""); } },
      xAxis: { type: "category", data: data.months, boundaryGap: false },
      yAxis: { type: "value", scale: true, name: data.unit || "", axisLabel: { formatter: short } },
      dataZoom: data.months.length > 24 ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }] : [],
      series: series
    }, true);
  }

  function resize() {
    var el = document.getElementById("indicator-chart");
    var chart = el && window.echarts && echarts.getInstanceByDom(el);
    if (chart) chart.resize();
  }

  function init(root, tries) {
    var el = (root || document).querySelector("#indicator-chart");
    var block = document.getElementById("indicator-data");
    if (!el || !block || el.getAttribute("data-ready")) return;
    if (!window.echarts) { // a boosted navigation loads the library beside this script
      if ((tries || 0) < 200) setTimeout(function () { init(root, (tries || 0) + 1); }, 50);
      return;
    }
    el.setAttribute("data-ready", "1");
    draw(el, JSON.parse(block.textContent));
  }

  window.luoshi = window.luoshi || { ready: [] };
  if (!window.luoshi.indicatorPage) {
    window.luoshi.indicatorPage = true;
    window.luoshi.ready.push(function (root) { init(root, 0); });
    window.addEventListener("resize", resize);
  }
  if (document.readyState !== "loading") init(document);
})();
