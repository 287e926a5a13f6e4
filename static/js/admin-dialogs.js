// Wagtail's modal dialogs (the choosers) have role="dialog" but no name, so a screen reader
// announces an unnamed dialog. Name each one by its heading once its content has arrived.
(function () {
  "use strict";
  var count = 0;

  function name(dialog) {
    if (dialog.hasAttribute("aria-labelledby") || dialog.hasAttribute("aria-label")) {
      return;
    }
    var heading = dialog.querySelector("h1, h2");
    if (!heading) {
      return;
    }
    // The modal's heading may repeat the page's own heading's id (Wagtail gives both
    // "header-title"), which would name the dialog after the page behind it.
    if (!heading.id || document.querySelectorAll("#" + CSS.escape(heading.id)).length > 1) {
      count += 1;
      heading.id = "admin-dialog-title-" + count;
    }
    dialog.setAttribute("aria-labelledby", heading.id);
  }

  function nameAll() {
    document.querySelectorAll('[role="dialog"]').forEach(name);
  }

  new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  nameAll();
})();
