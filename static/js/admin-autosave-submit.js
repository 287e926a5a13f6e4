// Wagtail's autosave creates a new page with a request of its own, and only when that request
// answers does it point the form at the page's edit view. A "Save draft", "Submit to
// moderation" or "Publish" pressed meanwhile would post to the create view and make the page
// a second time, which its own slug then refuses ("could not be created"), though the first
// copy was saved. Such a submit is held until the autosave in progress has answered, then made
// with the same button, to wherever the form then points.
(() => {
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.matches("[data-edit-form]")) return;
      const app = window.wagtail?.app;
      const autosave = app?.getControllerForElementAndIdentifier(form, "w-autosave");
      const pending = autosave?.submitPromise;
      if (!pending) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const { submitter } = event;
      pending.finally(() => {
        // Wagtail disables a pressed action button while its request is on the way.
        if (submitter) submitter.disabled = false;
        form.requestSubmit(submitter || undefined);
      });
    },
    true,
  );
})();
