/* What every public page runs after DKFDS: the design system's components, and the few buttons
   that need a script. A file, not inline, so the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
