// Fazhi page behaviour. Loaded on every page; no inline scripts anywhere (the Content-Security-Policy forbids
// them), so pages hand data over in <script type="application/json"> blocks made by Django's json_script.
(function () {
  "use strict";

  function renderCharts(root) {
    if (typeof window.echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.rendered) return;
      var source = document.getElementById(element.dataset.chart);
      if (!source) return;
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(source.textContent));
      element.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Buttons and links that ask before they act: data-confirm="…".
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); });
})();
