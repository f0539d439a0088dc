// The progress of background exports (core/templates/core/admin/background_exports.html) refreshes
// itself while an export is queued or running: every few seconds the admin page is fetched again
// and its exports table replaces this one; when none is queued or running any more, it stops and
// the status line says the export is finished. Without JavaScript the link »Opdatér fremskridtet«
// does the same by hand. A file served from our own origin: no inline script, whatever the CSP.
(function () {
  "use strict";

  var ACTIVE = '[data-export-status="queued"], [data-export-status="running"]';

  function start(region) {
    var url = region.getAttribute("data-refresh-url");
    var interval = parseInt(region.getAttribute("data-refresh-seconds"), 10) * 1000 || 2000;
    var status = region.querySelector("[data-export-announce]");
    var failures = 0;
    if (!url || !region.querySelector(ACTIVE)) {
      return;
    }
    status.textContent = region.getAttribute("data-running-message");

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          var table = fresh && fresh.querySelector("table");
          if (!table) {
            throw new Error("no exports table");
          }
          failures = 0;
          region.querySelector("table").replaceWith(document.importNode(table, true));
          if (region.querySelector(ACTIVE)) {
            window.setTimeout(poll, interval);
          } else {
            status.textContent = region.getAttribute("data-finished-message");
          }
        })
        .catch(function () {
          failures += 1;
          if (failures < 5) {
            window.setTimeout(poll, interval * failures);
          } else {
            status.textContent = region.getAttribute("data-failed-message");
          }
        });
    }

    window.setTimeout(poll, interval);
  }

  function init() {
    document.querySelectorAll("[data-export-progress]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
