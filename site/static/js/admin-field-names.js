// Two of Wagtail's admin widgets type into an element they make themselves, which has no accessible
// name, so a screen reader announces an unnamed text box:
// - the tag field (jQuery tag-it) hides the field's input and adds one of its own to a list after it;
// - a rich text field (Draftail) keeps its value in a hidden input and edits in a contenteditable box.
// Name that element by the field's own label, on page load and for
// fields added later (inline panels, StreamField blocks).
(function () {
  "use strict";

  var TYPED = "ul.tagit input, .public-DraftEditor-content[contenteditable=true]";

  function fieldInput(element) {
    var tagList = element.closest("ul.tagit");
    if (tagList) {
      return tagList.previousElementSibling;
    }
    var wrapper = element.closest("[data-draftail-editor-wrapper]");
    return wrapper && wrapper.previousElementSibling;
  }

  function name(element) {
    if (element.hasAttribute("aria-labelledby") || element.hasAttribute("aria-label")) {
      return;
    }
    var input = fieldInput(element);
    if (!input || !input.id) {
      return;
    }
    // A field's label points at its input; a StreamField block's field label points nowhere and
    // stands first in the block's part for that field.
    var label = document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
    var part = input.closest("[data-contentpath]");
    if (!label && part) {
      label = part.querySelector(":scope > label.w-field__label");
    }
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = input.id + "-label";
    }
    element.setAttribute("aria-labelledby", label.id);
  }

  function scan(root) {
    if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE) {
      return;
    }
    if (root.matches && root.matches(TYPED)) {
      name(root);
    }
    root.querySelectorAll(TYPED).forEach(name);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(scan);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  scan(document);
})();
