// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // score bars: width from data-w (no inline styles, so the CSP can forbid them)
  document.querySelectorAll(".bar > span[data-w]").forEach(function (el) {
    el.style.width = Math.max(0, Math.min(100, Number(el.dataset.w) || 0)) + "%";
  });
  document.querySelectorAll("[data-action=print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // printing shows every collapsed section (citations ...), then restores what was closed
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"),
      function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // district map: Shanghai's 16 districts coloured by fit (ECharts, served locally)
  var holder = document.getElementById("district-map");
  var dataEl = document.getElementById("map-data");
  if (!holder || !dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  // ECharts lays the map out in the holder's box: with no size (hidden, not laid out yet) its
  // transform cannot be inverted and it throws, so it is drawn and resized only with a size
  function sized() { return holder.clientWidth > 0 && holder.clientHeight > 0; }
  function whenSized(fn) {
    if (sized()) { fn(); return; }
    if (window.ResizeObserver) {
      var watch = new window.ResizeObserver(function () {
        if (sized()) { watch.disconnect(); fn(); }
      });
      watch.observe(holder);
      return;
    }
    window.addEventListener("resize", function once() {
      if (sized()) { window.removeEventListener("resize", once); fn(); }
    });
  }
  function draw() {
    if (!window.echarts) { holder.textContent = ""; return; }
    fetch(data.map).then(function (r) { return r.json(); }).then(function (geo) {
      whenSized(function () { render(geo); });
    }).catch(function () { holder.textContent = ""; });
  }
  // District labels: each sits at its district's centre (the centroid of its largest polygon).
  // Where labels would meet (the small districts of the city centre), the smaller district's
  // label moves to a column beside the map, in north-to-south order, with a thin line to its
  // district; a last pass pushes apart anything that still meets (a narrow screen).
  var FONT = 9, PAD = 2;
  function shortName(name) { return String(name).replace(/ (District|New Area)$/, ""); }
  function polygons(feature) {
    return feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  }
  function centroid(ring) {  // area and centroid of a ring (shoelace formula)
    var a = 0, cx = 0, cy = 0;
    for (var i = 0, n = ring.length; i < n; i++) {
      var p = ring[i], q = ring[(i + 1) % n], c = p[0] * q[1] - q[0] * p[1];
      a += c; cx += (p[0] + q[0]) * c; cy += (p[1] + q[1]) * c;
    }
    return a ? { area: Math.abs(a / 2), at: [cx / (3 * a), cy / (3 * a)] } : { area: 0, at: ring[0] };
  }
  function anchorOf(feature) {
    return polygons(feature).map(function (poly) { return centroid(poly[0]); })
      .reduce(function (best, c) { return c.area > best.area ? c : best; });
  }
  function overlap(a, b) {
    return Math.min(a.x + a.w / 2, b.x + b.w / 2) - Math.max(a.x - a.w / 2, b.x - b.w / 2) > 0 &&
           Math.min(a.y + a.h / 2, b.y + b.h / 2) - Math.max(a.y - a.h / 2, b.y - b.h / 2) > 0;
  }
  function pushApart(labels, width, height) {
    for (var step = 0; step < 400; step++) {
      var moved = false;
      for (var i = 0; i < labels.length; i++) {
        for (var j = i + 1; j < labels.length; j++) {
          var a = labels[i], b = labels[j];
          if (!overlap(a, b)) { continue; }
          moved = true;
          var dx = (a.w + b.w) / 2 - Math.abs(a.x - b.x), dy = (a.h + b.h) / 2 - Math.abs(a.y - b.y);
          if (dy < dx) {
            var sy = (a.y < b.y || (a.y === b.y && a.ay < b.ay)) ? -1 : 1;
            a.y += sy * dy / 2; b.y -= sy * dy / 2;
          } else {
            var sx = (a.x < b.x || (a.x === b.x && a.ax < b.ax)) ? -1 : 1;
            a.x += sx * dx / 2; b.x -= sx * dx / 2;
          }
        }
      }
      labels.forEach(function (l) {  // keep inside the chart
        l.x = Math.max(l.w / 2, Math.min(width - l.w / 2, l.x));
        l.y = Math.max(l.h / 2, Math.min(height - l.h / 2, l.y));
      });
      if (!moved) { break; }
    }
  }
  function layout(labels, bounds, width, height) {
    var stay = [], aside = [];
    labels.slice().sort(function (a, b) { return b.area - a.area; }).forEach(function (l) {
      (stay.some(function (s) { return overlap(s, l); }) ? aside : stay).push(l);
    });
    if (aside.length) {
      var widest = Math.max.apply(null, aside.map(function (l) { return l.w; }));
      var right = width - bounds[2] >= widest + 24, left = bounds[0] >= widest + 24;
      if (right || left) {
        aside.sort(function (a, b) { return a.ay - b.ay; });
        var step = aside[0].h + 3, total = step * aside.length;
        var mid = aside.reduce(function (sum, l) { return sum + l.ay; }, 0) / aside.length;
        var y = Math.max(0, Math.min(height - total, mid - total / 2)) + step / 2;
        aside.forEach(function (l) {
          l.x = right ? bounds[2] + 14 + l.w / 2 : bounds[0] - 14 - l.w / 2;
          l.y = y; y += step; l.side = right ? "right" : "left";
        });
      }
    }
    pushApart(labels, width, height);
    return labels;
  }
  function labelElements(chart, geo) {
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = FONT + "px sans-serif";
    var names = data.names || {}, bounds = [Infinity, Infinity, -Infinity, -Infinity];
    geo.features.forEach(function (f) {
      polygons(f).forEach(function (poly) {
        poly[0].forEach(function (p) {
          var at = chart.convertToPixel({ seriesIndex: 0 }, p);
          bounds = [Math.min(bounds[0], at[0]), Math.min(bounds[1], at[1]),
                    Math.max(bounds[2], at[0]), Math.max(bounds[3], at[1])];
        });
      });
    });
    var labels = geo.features.map(function (f) {
      var anchor = anchorOf(f), at = chart.convertToPixel({ seriesIndex: 0 }, anchor.at);
      var text = shortName(names[f.properties.name] || f.properties.name);
      return { text: text, ax: at[0], ay: at[1], x: at[0], y: at[1], area: anchor.area,
               w: ctx.measureText(text).width + 2 * PAD, h: FONT + 2 * PAD };
    }).filter(function (l) { return isFinite(l.ax) && isFinite(l.ay); });
    layout(labels, bounds, chart.getWidth(), chart.getHeight());
    var out = [];
    labels.forEach(function (l) {
      if (Math.abs(l.x - l.ax) > l.w / 2 || Math.abs(l.y - l.ay) > l.h / 2) {
        var ex = Math.max(l.x - l.w / 2, Math.min(l.x + l.w / 2, l.ax));
        var ey = Math.max(l.y - l.h / 2, Math.min(l.y + l.h / 2, l.ay));
        out.push({ type: "polyline", silent: true, z: 10, shape: { points: [[l.ax, l.ay], [ex, ey]] },
                   style: { stroke: "#5b6675", lineWidth: 0.7 } });
        out.push({ type: "circle", silent: true, z: 10, shape: { cx: l.ax, cy: l.ay, r: 1.6 },
                   style: { fill: "#1b2430" } });
      }
      out.push({ type: "text", silent: true, z: 11, x: l.x, y: l.y, name: "district-label",
                 style: { text: l.text, fontSize: FONT, fill: "#1b2430", align: "center",
                          verticalAlign: "middle", stroke: "#ffffff", lineWidth: 2 } });
    });
    return out;
  }
  function render(geo) {
    window.echarts.registerMap("shanghai", geo);
    var chart = window.echarts.init(holder, null, { renderer: "canvas" });
    var fits = {};
    var values = data.districts.map(function (name, i) {
      fits[name] = (data.fits || [])[i];
      return { name: name, value: Math.round(data.scores[i] * 100) / 100 };
    });
    function placeLabels() {
      chart.setOption({ graphic: { elements: labelElements(chart, geo) } }, { replaceMerge: ["graphic"] });
      holder.dataset.labels = "placed";
    }
    chart.on("finished", function () { holder.dataset.rendered = "yes"; });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        return p.name + (fits[p.name] ? ": " + fits[p.name] : ""); } },
      visualMap: { min: 0, max: 1, calculable: false, left: "left", bottom: 10,
                   inRange: { color: ["#eef4fb", "#1d4f91"] },
                   text: data.legend || ["1", "0"] },
      series: [{ type: "map", map: "shanghai", roam: false, data: values,
                 nameMap: data.names || {},
                 label: { show: false }, emphasis: { label: { show: false } } }]
    });
    placeLabels();
    function resize() { if (sized()) { chart.resize(); placeLabels(); } }
    window.addEventListener("resize", resize);
    if (window.ResizeObserver) { new window.ResizeObserver(resize).observe(holder); }
  }
  var s = document.createElement("script");
  s.src = holder.dataset.echarts || "/static/vendor/echarts/echarts.min.js";
  s.onload = draw;
  document.body.appendChild(s);
})();
