// Draws each chart from the options the server put in its data-options attribute. The
// options are data (JSON), never script, so text from visitors or places cannot run here.
// A few option values name one of the fixed functions below ("fn:percent"); they are swapped
// for the function only under the keys formatter, valueFormatter and renderItem.
(function () {
  "use strict";
  var sv = function (v, digits) {
    return Number(v).toLocaleString("sv-SE", { maximumFractionDigits: digits });
  };
  var missing = function (v) { return v === null || v === undefined || v === "-" || isNaN(Number(v)); };

  // A whisker from low to high at its bar: value = [category index, low, high, offset], the
  // offset a fraction of the category's width.
  function errorbar(params, api) {
    var x = api.value(0), lo = api.coord([x, api.value(1)]), hi = api.coord([x, api.value(2)]);
    var band = api.size([1, 0])[0];
    var cx = lo[0] + api.value(3) * band, cap = Math.max(2, band * 0.025);
    var style = { stroke: "#1b1b1b", lineWidth: 1.5 };
    return {
      type: "group",
      children: [
        { type: "line", shape: { x1: cx, y1: lo[1], x2: cx, y2: hi[1] }, style: style },
        { type: "line", shape: { x1: cx - cap, y1: lo[1], x2: cx + cap, y2: lo[1] }, style: style },
        { type: "line", shape: { x1: cx - cap, y1: hi[1], x2: cx + cap, y2: hi[1] }, style: style }
      ]
    };
  }

  // A dash across its bar at an earlier period's value: value = [category index, value, value,
  // offset], as errorbar's.
  function tick(params, api) {
    var x = api.value(0), at = api.coord([x, api.value(1)]);
    var band = api.size([1, 0])[0];
    var cx = at[0] + api.value(3) * band, half = Math.max(3, band * 0.06);
    return {
      type: "line",
      shape: { x1: cx - half, y1: at[1], x2: cx + half, y2: at[1] },
      style: { stroke: api.visual("color"), lineWidth: 3 }
    };
  }

  var named = {
    "fn:percent": function (v) { return missing(v) ? "–" : sv(v, 0) + " %"; },
    "fn:number": function (v) { return missing(v) ? "–" : sv(v, 1); },
    "fn:interval": function (v) {
      return Array.isArray(v) ? "95 % konfidensintervall " + sv(v[1], 0) + "–" + sv(v[2], 0) + " %" : "";
    },
    "fn:mapPoint": function (v) {
      if (!Array.isArray(v)) { return ""; }
      return (missing(v[2]) ? "förtroende: för få svar" : "högt förtroende " + sv(v[2], 0) + " %") +
        ", " + sv(v[3], 0) + " besökare";
    },
    "fn:earlier": function (v) { return Array.isArray(v) ? sv(v[1], 0) + " %" : ""; },
    "fn:errorbar": errorbar,
    "fn:tick": tick
  };
  var keys = { formatter: true, valueFormatter: true, renderItem: true };

  function resolve(o) {
    if (Array.isArray(o)) { o.forEach(resolve); return o; }
    if (o && typeof o === "object") {
      Object.keys(o).forEach(function (k) {
        var v = o[k];
        if (keys[k] && typeof v === "string" && Object.prototype.hasOwnProperty.call(named, v)) {
          o[k] = named[v];
        } else {
          resolve(v);
        }
      });
    }
    return o;
  }

  var charts = [];
  document.querySelectorAll(".chart[data-options]").forEach(function (el) {
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "EN" });
    chart.setOption(resolve(JSON.parse(el.getAttribute("data-options"))));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.mlfCharts = charts;
})();
