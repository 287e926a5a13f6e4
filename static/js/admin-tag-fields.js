// Wagtail's tag fields (jQuery tag-it) hide the field's own input, which its label names, and
// type into a new, unnamed input in the list of tags after it. Name that input by the field's
// label, so a screen reader says which field it is (axe: label).
(function () {
  "use strict";

  function name(list) {
    var typing = list.querySelector(".tagit-new input");
    var field = list.previousElementSibling;
    if (!typing || typing.hasAttribute("aria-labelledby") || !field || !field.id) {
      return;
    }
    var label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = field.id + "-label";
    }
    typing.setAttribute("aria-labelledby", label.id);
  }

  function nameAll() {
    document.querySelectorAll("ul.tagit").forEach(name);
  }

  new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  nameAll();
})();
