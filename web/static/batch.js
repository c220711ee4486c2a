// Live progress of a batch job: polls GET /api/v1/jobs/<id> (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = box.querySelector("[data-field=bar]");
  function setBar(percent) {
    if (bar) { bar.style.width = Math.max(0, Math.min(100, Number(percent) || 0)) + "%"; }
  }
  setBar(bar && bar.dataset.w);
  var url = box.dataset.jobUrl;
  var status = box.dataset.status;
  if (!url || (status !== "queued" && status !== "running")) { return; }

  function put(name, value) {
    var el = box.querySelector("[data-field=" + name + "]");
    if (el) { el.textContent = (value === null || value === undefined) ? "–" : String(value); }
  }
  function fmtEta(s) {
    if (s === null || s === undefined) { return null; }
    return s >= 120 ? Math.round(s / 60) + " min" : String(s);
  }
  var delay = 1000;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (job) {
        put("rows_done", job.rows_done);
        put("rows_total", job.rows_total === null ? "…" : job.rows_total);
        put("rows_failed", job.rows_failed);
        put("percent", job.percent);
        put("rate", job.rate);
        put("eta", fmtEta(job.eta_seconds));
        setBar(job.percent);
        if (job.status !== status) {
          if (job.status !== "queued" && job.status !== "running") { window.location.reload(); return; }
          status = job.status;
          var label = box.querySelector("[data-field=status]");
          if (label) {
            label.textContent = label.dataset["status" + status.charAt(0).toUpperCase() + status.slice(1)] || status;
            label.className = "jobstatus jobstatus-" + status;
          }
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); window.setTimeout(poll, delay); });
  }
  window.setTimeout(poll, delay);
})();
