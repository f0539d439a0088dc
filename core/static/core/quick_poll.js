// Quick polls (core.polls): vote without leaving the page. Without JavaScript the form posts and the
// server sends the visitor back to the page, now with the results; here the same answer is fetched
// and put in place of the poll, and focus moves to the result (or the message) for screen readers.
(function () {
  "use strict";
  if (window.medborgerQuickPoll) return;
  window.medborgerQuickPoll = true;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-quick-poll")) return;
    event.preventDefault();
    var box = form.closest("[data-quick-poll-box]");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status >= 500 || !box) throw new Error("poll " + response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        // The poll's own answer (results or a refusal) is a poll box; anything else (the page for a form
        // sent without its security token, an error page) is shown as the browser would without us.
        var fresh = holder.querySelector("[data-quick-poll-box]");
        if (!fresh) throw new Error("not a poll");
        box.replaceWith(fresh);
        var target = fresh.querySelector("[role=alert] .alert-text, .quick-poll-results");
        if (target) {
          if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
          target.focus();
        }
      })
      .catch(function () {
        form.submit();
      });
  });
})();
