// A bulk import's page (web/templates/imports/job.html): polls the job's JSON status once a second and
// moves the progress bar and the counts; when the job has finished, reloads once to show the errors.
// Without script, a <noscript> refresh reloads the page instead.
(function () {
  "use strict";
  var section = document.getElementById("import-job");
  if (!section || section.dataset.finished === "true") { return; }
  var url = section.dataset.statusUrl;
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var polls = 0;

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    status.textContent = job.status_text;
    ["done", "taken", "duplicates", "failed"].forEach(function (name) {
      var cell = section.querySelector('[data-count="' + name + '"]');
      if (cell) { cell.textContent = String(job[name]); }
    });
    var total = section.querySelector('[data-count="total"]');
    if (total && job.total !== null) { total.textContent = String(job.total); }
  }

  function poll() {
    polls += 1;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job === null) { return; }
        show(job);
        if (job.finished) { window.location.reload(); return; }
        // Once a second for ten minutes, then every ten seconds: a long import costs few requests.
        window.setTimeout(poll, polls < 600 ? 1000 : 10000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
