/* nhiemvu: the little behaviour the pages need beyond HTMX. No inline scripts (strict CSP). */
(function () {
  "use strict";

  // Charts: <canvas data-chart="ID"> reads its spec from <script type="application/json" id="ID">.
  // A spec: {type, labels, datasets: [{label, data, colors}], links: [url per label]}.
  function drawCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
      canvas.dataset.drawn = "1";
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d) {
            return { label: d.label, data: d.data, backgroundColor: d.colors || d.color,
                     borderColor: d.color, fill: false, tension: 0.2 };
          }),
        },
        options: {
          responsive: true, maintainAspectRatio: false, indexAxis: spec.horizontal ? "y" : "x",
          plugins: { legend: { display: spec.datasets.length > 1 || spec.type === "doughnut",
                               labels: { font: { size: 15 } } } },
          scales: spec.type === "doughnut" ? {} : {
            x: { stacked: !!spec.stacked, ticks: { font: { size: 14 } } },
            y: { stacked: !!spec.stacked, ticks: { font: { size: 14 } }, beginAtZero: true },
          },
          onClick: function (_event, elements) {
            if (!spec.links || !elements.length) return;
            var el = elements[0];
            var link = Array.isArray(spec.links[0]) ? spec.links[el.datasetIndex][el.index]
                                                    : spec.links[el.index];
            if (link) window.location.href = link;
          },
        },
      });
    });
  }

  // Rows of a formset: a <template data-row-template="PREFIX"> and a button data-add-row="PREFIX".
  function addRow(prefix) {
    var template = document.querySelector('template[data-row-template="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    var container = document.querySelector('[data-rows="' + prefix + '"]');
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = container.lastElementChild.querySelector("textarea, input, select");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button.dataset.addRow); }
  });
  // Ctrl+Enter in a task row adds the next row: typing many tasks without the mouse.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var rows = event.target.closest("[data-rows]");
      if (rows) { event.preventDefault(); addRow(rows.dataset.rows); }
    }
  });
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
