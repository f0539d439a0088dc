// »Kommentér afsnit 3.2«: open that section's comment field in the response form and move focus
// to it, without reloading the page (so nothing typed is lost). Without this script the link
// loads the form with the section preselected.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-comment-section]") : null;
    if (!link) {
      return;
    }
    var group = document.getElementById("kommentar-" + link.getAttribute("data-comment-section"));
    if (!group) {
      return;
    }
    event.preventDefault();
    group.hidden = false;
    var field = group.querySelector("textarea");
    if (field) {
      field.focus();
    }
  });
})();
