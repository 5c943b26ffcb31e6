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

  // Progress bars: the width comes from data-percent (style attributes are not allowed by the CSP).
  function showPercents(root) {
    root.querySelectorAll("[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(3, Number(bar.dataset.percent) || 0) + "%";
    });
  }

  // Plan review: clicking a task shows its text in the source pane.
  document.addEventListener("click", function (event) {
    var card = event.target.closest("[data-source]");
    if (!card || event.target.closest("button, a, form, select, textarea, input, summary")) return;
    var span = document.getElementById(card.dataset.source);
    if (!span) return;
    document.querySelectorAll(".source-task.active, .task-card.active").forEach(function (el) {
      el.classList.remove("active");
    });
    span.classList.add("active");
    card.classList.add("active");
    span.scrollIntoView({ behavior: "smooth", block: "center" });
  });

  // Large uploads: show how much has been sent, then follow the server's answer like a normal submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-upload-progress]") || !window.FormData) return;
    var file = form.querySelector("input[type=file]");
    if (!file || !file.files.length) return;
    event.preventDefault();
    var holder = form.querySelector(".progress");
    var bar = form.querySelector("[data-progress-bar]");
    holder.classList.remove("d-none");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) bar.style.width = Math.round((100 * progress.loaded) / progress.total) + "%";
    });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.assign(xhr.responseURL);
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.send(new FormData(form));
  });

  document.addEventListener("DOMContentLoaded", function () {
    renderCharts(document);
    showPercents(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    renderCharts(event.target);
    showPercents(event.target);
  });
})();
