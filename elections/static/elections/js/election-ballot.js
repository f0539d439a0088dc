/*
 * Voter's ballot page: encrypt in the browser, offer a Benaloh audit, cast. UI only; the
 * cryptography is election-protocol.js. Load after it. Markup contract (the template renders it):
 *
 *   <form data-ballot-form data-election="ID of a json_script element holding the election parameters">
 *     <input type="radio" name="candidate" value="0..n-1">            (one per candidate, ballot order)
 *     <input type="hidden" name="ballot">                              (receives the encrypted ballot)
 *     <input type="hidden" name="outside" data-outside="3,4">          (group-restricted voters only: the
 *                                          randomness of these choices, which must be 0, is revealed)
 *     <button type="button" data-ballot-audit>  <div data-ballot-audit-result aria-live="polite" hidden>
 *   </form>
 *   Texts (already translated) as data attributes on the form: data-text-audit-ok (with "{candidate}" and
 *   "{tracker}"), data-text-audit-failed, data-text-choose.
 *
 * The form posts only the encrypted ballot: the radio buttons are disabled before submitting, so the
 * readable choice never leaves the browser. An audited ballot is discarded: casting always encrypts anew.
 */
(function (root) {
  "use strict";

  function electionParams(form) {
    return JSON.parse(document.getElementById(form.dataset.election).textContent);
  }

  /** The 0/1 per candidate from the checked inputs (several for a seat group with max > 1). */
  function choicesOf(form, candidates) {
    var choices = new Array(candidates).fill(0);
    form.querySelectorAll('input[name="candidate"]:checked').forEach(function (input) {
      choices[Number(input.value)] = 1;
    });
    return choices;
  }

  function labelFor(form, index) {
    var input = form.querySelector('input[name="candidate"][value="' + index + '"]');
    var label = input && form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : String(index + 1);
  }

  /** Encrypt, then immediately audit: show which candidate the ciphertext encodes; the ballot is discarded. */
  function audit(form, protocol) {
    var params = electionParams(form);
    var region = form.querySelector("[data-ballot-audit-result]");
    var choices = choicesOf(form, params.candidates.length);
    var count = choices.reduce(function (a, b) { return a + b; }, 0);
    if (count < params.min || count > params.max) {
      region.textContent = form.dataset.textChoose;
      region.hidden = false;
      return null;
    }
    var encrypted = protocol.encryptBallot(params, choices);
    var decoded;
    try {
      decoded = protocol.auditBallot(params, encrypted.ballot, encrypted.randomness);
    } catch (error) {
      region.textContent = form.dataset.textAuditFailed + " " + error.reason;
      region.hidden = false;
      return null;
    }
    var names = [];
    decoded.forEach(function (choice, index) { if (choice) names.push(labelFor(form, index)); });
    region.textContent = form.dataset.textAuditOk
      .replace("{candidate}", names.join(", "))
      .replace("{tracker}", protocol.tracker(encrypted.ballot));
    region.hidden = false;
    return { decoded: decoded, tracker: protocol.tracker(encrypted.ballot) };
  }

  /** Encrypt a fresh ballot into the hidden field and submit it without the readable choice. */
  function cast(form, protocol) {
    var params = electionParams(form);
    var choices = choicesOf(form, params.candidates.length);
    var count = choices.reduce(function (a, b) { return a + b; }, 0);
    if (count < params.min || count > params.max) {
      var region = form.querySelector("[data-ballot-audit-result]");
      region.textContent = form.dataset.textChoose;
      region.hidden = false;
      return false;
    }
    var encrypted = protocol.encryptBallot(params, choices);
    form.querySelector('input[name="ballot"]').value = protocol.canonicalJson(encrypted.ballot);
    // A voter restricted to their own group shows that every other group's choice is 0 by revealing
    // just those choices' randomness (they are 0 by the rules, so nothing secret is revealed).
    var outside = form.querySelector("input[data-outside]");
    if (outside) {
      var revealed = {};
      outside.dataset.outside.split(",").forEach(function (index) { revealed[index] = encrypted.randomness[Number(index)]; });
      outside.value = protocol.canonicalJson(revealed);
    }
    form.querySelectorAll('input[name="candidate"]').forEach(function (input) { input.disabled = true; });
    form.submit();
    return true;
  }

  function bind(form, protocol) {
    // The buttons stay disabled until the cryptography is loaded, so the form can never be sent
    // before the choice is encrypted (and the readable choice never leaves the browser).
    form.querySelectorAll("button[data-needs-script]").forEach(function (button) { button.disabled = false; });
    var auditButton = form.querySelector("[data-ballot-audit]");
    if (auditButton) auditButton.addEventListener("click", function () { audit(form, protocol); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      cast(form, protocol);
    });
  }

  function init() {
    return root.MedborgerElection.ready().then(function (protocol) {
      document.querySelectorAll("form[data-ballot-form]").forEach(function (form) { bind(form, protocol); });
    });
  }

  root.MedborgerBallot = { init: init, audit: audit, cast: cast };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(self);
