// Draws each chart from the options the server put in its data-options attribute. The
// options are data (JSON), never script, so text from visitors or places cannot run here.
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll(".chart[data-options]").forEach(function (el) {
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "EN" });
    chart.setOption(JSON.parse(el.getAttribute("data-options")));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.mlfCharts = charts;
})();
