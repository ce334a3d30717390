// Progressive enhancement of the job page: poll the JSON progress instead of reloading the page, and reload once
// the solve has ended (to show the rota). Without JavaScript the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var interval = Number(box.getAttribute("data-interval")) * 1000 || 2000;
  var unfinished = { queued: true, running: true };
  function show(field, text) {
    var node = box.querySelector('[data-field="' + field + '"]');
    if (node) { node.textContent = text; }
  }
  function number(value, digits) { return value === null ? "—" : value.toFixed(digits); }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) {
        var queue = box.getAttribute("data-queue");
        var position = job.queue_position === null || job.queue_position === undefined ? "" : String(job.queue_position);
        if (!unfinished[job.status] || job.status !== box.getAttribute("data-status") ||
            (queue !== null && position !== queue) ||
            (job.first_found_at !== null && !document.querySelector("[data-first]"))) {
          window.location.reload();
          return;
        }
        var unit = box.querySelector('[data-field="elapsed"]').getAttribute("data-unit");
        show("elapsed", job.elapsed === null ? "—" : unit.replace(/^\s*/, number(job.elapsed, 1) + " ").trim());
        show("objective", number(job.objective, 2));
        show("bound", number(job.bound, 2));
        show("gap", job.gap === null ? "—" : number(job.gap * 100, 1) + " %");
        window.setTimeout(tick, interval);
      })
      .catch(function () { window.setTimeout(tick, interval * 2); });
  }
  window.setTimeout(tick, interval);
})();
