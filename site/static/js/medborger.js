/* What every public page runs after DKFDS: the design system's components, and the few buttons
   that need a script. A file, not inline, so the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  // With a script the mobile drawer works: the header's narrow layout is DKFDS's (medborger.css).
  document.body.classList.remove("no-js");
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
