/* Conditional questions in a survey section: show a question only when the question it depends
   on (in the same section) has the given answer. The server applies the same rule; without
   JavaScript every such question is shown with its condition written above it. */
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form");
  if (!form) { return; }
  var dependants = Array.prototype.slice.call(form.querySelectorAll("[data-show-if-field]"));
  function chosen(name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name === name && !el.disabled && ((el.type !== "radio" && el.type !== "checkbox") || el.checked)) {
        values.push(el.value);
      }
    });
    return values;
  }
  function update() {
    // Repeat so that a chain (C depends on B depends on A) settles.
    for (var round = 0; round < 3; round++) {
      dependants.forEach(function (wrapper) {
        var shown = chosen(wrapper.getAttribute("data-show-if-field")).indexOf(wrapper.getAttribute("data-show-if-value")) !== -1;
        wrapper.hidden = !shown;
        Array.prototype.forEach.call(wrapper.querySelectorAll("input, textarea, select"), function (el) { el.disabled = !shown; });
        var hint = wrapper.querySelector(".survey-condition");
        if (hint) { hint.hidden = true; }
      });
    }
  }
  form.addEventListener("change", update);
  update();
})();
