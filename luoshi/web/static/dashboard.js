// The dashboard's figures: bar widths from data-w (the CSP forbids style attributes), the area
// bars and the county map (ECharts). The data comes from <script type="application/json"
// id="dashboard-data">. ECharts and the city's map script are loaded here when missing: after an
// htmx-boosted navigation the page's own <script> tags run in no guaranteed order.
(function () {
  "use strict";
  if (window.luoshiDashboard) { window.luoshiDashboard(document); return; }

  var COLOURS = { green: "#2e9a4b", yellow: "#e0a100", red: "#d0342c", none: "#9aa3ad", grey: "#9aa3ad",
                  nodata: "#eef1f4" };
  var LABELS = { green: "绿灯", yellow: "黄灯", red: "红灯", none: "未判断" };
  var loading = {};
  var live = [];  // the charts drawn, resized with the window
  window.addEventListener("resize", function () {
    live = live.filter(function (c) { return !c.isDisposed() && document.body.contains(c.getDom()); });
    live.forEach(function (c) { c.resize(); });
  });

  function load(src, done) {
    if (loading[src] === true) { done(); return; }
    if (loading[src]) { loading[src].push(done); return; }
    loading[src] = [done];
    var s = document.createElement("script");
    s.src = src;
    s.onload = function () { var q = loading[src]; loading[src] = true; q.forEach(function (f) { f(); }); };
    s.onerror = function () { delete loading[src]; };
    document.head.appendChild(s);
  }

  function withEcharts(done) {
    if (window.echarts) done(); else load("/static/vendor/echarts.min.js", done);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function widths(root) {
    root.querySelectorAll("[data-w]").forEach(function (el) { el.style.width = el.getAttribute("data-w") + "%"; });
  }

  function fresh(el) {
    if (!el || el.getAttribute("data-drawn")) return false;
    el.setAttribute("data-drawn", "1");
    return true;
  }

  function areaChart(el, areas) {
    el.style.height = Math.max(220, areas.length * 30 + 70) + "px";
    var chart = echarts.init(el);
    var keys = ["red", "yellow", "green", "none"];
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: keys.map(function (k) { return LABELS[k]; }) },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: areas.map(function (a) { return a.label; }),
               axisLabel: { width: 180, overflow: "truncate" } },
      series: keys.map(function (k) {
        return { name: LABELS[k], type: "bar", stack: "lights", itemStyle: { color: COLOURS[k] }, barMaxWidth: 22,
                 data: areas.map(function (a) { return a[k]; }) };
      })
    });
    chart.on("click", function (p) { var a = areas[p.dataIndex]; if (a && a.url) window.location.href = a.url; });
    return chart;
  }

  function countyMap(el, map) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data;
          if (!d) return escapeHtml(p.name) + "<br>无数据";
          return "<b>" + escapeHtml(d.region) + "</b><br>方案 " + d.plans + " 个<br>" +
            ["green", "yellow", "red", "none"].map(function (k) { return LABELS[k] + " " + d[k]; }).join("<br>");
        }
      },
      series: [{
        type: "map", map: map.name, roam: false, selectedMode: false,
        layoutCenter: ["50%", "50%"], layoutSize: "95%",
        // Today's names (茌平区), not the 2018 map's (茌平县).
        label: { show: true, fontSize: 11, color: "#1f2933",
                 formatter: function (p) { return p.data ? p.data.region : p.name; } },
        itemStyle: { areaColor: COLOURS.nodata, borderColor: "#fff", borderWidth: 1 },
        emphasis: { label: { color: "#000" }, itemStyle: { areaColor: "#c9d6e8" } },
        data: map.regions.map(function (r) {
          return Object.assign({ value: r.red + r.yellow + r.green + r.none,
                                 itemStyle: { areaColor: COLOURS[r.colour] || COLOURS.nodata } }, r);
        })
      }]
    });
    chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
    return chart;
  }

  function init(root) {
    widths(root);
    var dataEl = document.getElementById("dashboard-data");
    if (!dataEl) return;
    var data = JSON.parse(dataEl.textContent);
    var areaEl = document.getElementById("area-chart");
    var mapEl = document.getElementById("county-map");
    if (fresh(areaEl) && data.areas.length) {
      withEcharts(function () { live.push(areaChart(areaEl, data.areas)); });
    }
    if (fresh(mapEl) && data.map) {
      withEcharts(function () {
        var draw = function () { live.push(countyMap(mapEl, data.map)); };
        if (echarts.getMap(data.map.name)) draw(); else load(data.map.script, draw);
      });
    }
  }

  window.luoshiDashboard = init;
  window.luoshi = window.luoshi || { ready: [] };
  window.luoshi.ready.push(init);
  if (document.readyState !== "loading") init(document);
})();
