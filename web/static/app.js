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
  function render(geo) {
    window.echarts.registerMap("shanghai", geo);
    var chart = window.echarts.init(holder, null, { renderer: "canvas" });
    var fits = {};
    var values = data.districts.map(function (name, i) {
      fits[name] = (data.fits || [])[i];
      return { name: name, value: Math.round(data.scores[i] * 100) / 100 };
    });
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
                 label: { show: true, fontSize: 9 }, emphasis: { label: { show: true } } }]
    });
    function resize() { if (sized()) { chart.resize(); } }
    window.addEventListener("resize", resize);
    if (window.ResizeObserver) { new window.ResizeObserver(resize).observe(holder); }
  }
  var s = document.createElement("script");
  s.src = holder.dataset.echarts || "/static/vendor/echarts/echarts.min.js";
  s.onload = draw;
  document.body.appendChild(s);
})();
