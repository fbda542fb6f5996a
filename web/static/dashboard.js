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
    "fn:earlier": function (v) { return Array.isArray(v) ? sv(v[1], 0) + " %" : ""; },
    // A suppressed bar is drawn with height 0 only to carry its label.
    "fn:suppressed": function () { return "för få svar"; },
    "fn:noAnswers": function () { return "inga svar"; },
    // A place on the map; its name is text from the database, so it is escaped here. A place
    // without a trust figure carries why as its fifth value ("för få svar", "inga svar").
    "fn:mapTip": function (p) {
      var v = p.value || [];
      return echarts.format.encodeHTML(p.name) + "<br>" +
        (missing(v[2]) ? "förtroende: " + echarts.format.encodeHTML(v[4] || "för få svar") : "högt förtroende " + sv(v[2], 0) + " %") +
        ", " + sv(v[3], 0) + " besökare";
    },
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

  // Category labels are all shown (interval 0): upright when they fit side by side at the
  // chart's present width, slanted when they do not, on end when even that is too tight.
  var measure = document.createElement("canvas").getContext("2d");
  function fitLabels(chart) {
    var axes = chart.getOption().xAxis;
    if (!axes) { return; }
    measure.font = "12px sans-serif";
    var fitted = axes.map(function (ax) {
      if (ax.type !== "category" || !ax.axisLabel || ax.axisLabel.interval !== 0 || !ax.data) { return {}; }
      var per = (chart.getWidth() - 90) / Math.max(ax.data.length, 1);
      var longest = 0;
      ax.data.forEach(function (d) {
        var text = d !== null && typeof d === "object" ? d.value : d;
        longest = Math.max(longest, measure.measureText(String(text)).width);
      });
      return { axisLabel: { rotate: longest <= per - 8 ? 0 : (per >= 20 ? 45 : 90) } };
    });
    // Wrapped answers (a horizontal bar chart's categories) get a third of a wide chart.
    var ys = (chart.getOption().yAxis || []).map(function (ax) {
      if (ax.type !== "category" || !ax.axisLabel || ax.axisLabel.overflow !== "break") { return {}; }
      return { axisLabel: { width: Math.round(Math.min(280, Math.max(120, chart.getWidth() * 0.3))) } };
    });
    chart.setOption({ xAxis: fitted, yAxis: ys });
  }

  // The legend wraps onto as many lines as the chart's width needs (echarts lays its items as
  // below); the plot area starts under it, so the legend covers nothing.
  function fitLegend(chart) {
    var opt = chart.getOption(), legend = opt.legend && opt.legend[0];
    if (!legend || legend.show === false || !opt.grid) { return; }
    measure.font = "12px sans-serif";
    var seen = {}, rows = 1, x = 0, width = chart.getWidth() - 10;
    (opt.series || []).forEach(function (s) {
      if (!s.name || seen[s.name]) { return; }
      seen[s.name] = true;
      var w = 25 + 5 + measure.measureText(s.name).width + 10; // icon, gap, text, item gap
      if (x > 0 && x + w > width) { rows++; x = 0; }
      x += w;
    });
    chart.setOption({ grid: { top: rows * 24 + 28 } });
  }

  // Draws one chart; a map first fetches its outline (a static file of the app, no tiles).
  function draw(el) {
    var chart = echarts.init(el, null, { renderer: el.getAttribute("data-renderer") || "canvas", locale: "EN" });
    var options = resolve(JSON.parse(el.getAttribute("data-options")));
    var ready = Promise.resolve();
    var outline = el.getAttribute("data-map");
    if (outline) {
      ready = fetch(outline, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error("map outline: " + r.status); }
          return r.json();
        })
        .then(function (geo) { echarts.registerMap(el.getAttribute("data-map-name"), geo); });
    }
    return ready.then(function () {
      chart.setOption(options);
      fitLegend(chart);
      fitLabels(chart);
      charts.push(chart);
      // Tests and the print page wait for this mark.
      el.setAttribute("data-drawn", "true");
    }).catch(function () {
      // Without its outline (a failed fetch) the map says so; its table below still holds it.
      chart.dispose();
      el.classList.add("chart-failed");
      el.textContent = "Diagrammet kunde inte ritas. Samma siffror finns i tabellen nedan.";
    });
  }

  // The download and print links follow the filter as the form shows it, before Visa is
  // pressed: they go through the dashboard, which checks the filter (a mistake is shown beside
  // the form) and then sends the report or the printable summary.
  var form = document.querySelector("form.filters");
  if (form) {
    var sync = function () {
      var q = new URLSearchParams(new FormData(form));
      var download = document.getElementById("report-link"), print = document.getElementById("print-link");
      if (download) {
        var d = new URLSearchParams(q);
        d.set("download", "xlsx");
        download.href = "/dashboard?" + d.toString();
      }
      if (print) { print.href = "/dashboard/print?" + q.toString(); }
    };
    form.addEventListener("input", sync);
    form.addEventListener("change", sync);
  }

  // The printable summary's button: the browser's print dialog, where PDF is one choice.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  var charts = [];
  window.mlfCharts = charts;
  Promise.all(Array.prototype.map.call(document.querySelectorAll(".chart[data-options]"), draw))
    .then(function () { document.documentElement.setAttribute("data-charts-drawn", String(charts.length)); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); fitLegend(c); fitLabels(c); });
  });
})();
