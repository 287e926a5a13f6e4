// Wagtail's date and time pickers (the xdsoft datetimepicker) add their popup to the end of
// the page: outside every landmark, with arrow buttons that have no text. Make each popup a
// region named for what it chooses, and name its buttons, in the words the server gave for
// the reader's language (this script's data-words).
(function () {
  "use strict";
  var words = JSON.parse(document.currentScript.dataset.words);

  function shown(picker, part) {
    var element = picker.querySelector(part);
    return element !== null && element.classList.contains("active");
  }

  function nameButton(picker, selector, label) {
    picker.querySelectorAll(selector).forEach(function (button) {
      if (button.getAttribute("aria-label") !== label) {
        button.setAttribute("aria-label", label);
        button.setAttribute("title", label);
      }
    });
  }

  function name(picker) {
    var date = shown(picker, ".xdsoft_datepicker");
    var time = shown(picker, ".xdsoft_timepicker");
    var label = date && time ? words.datetime : time ? words.time : words.date;
    if (picker.getAttribute("aria-label") !== label) {
      picker.setAttribute("role", "region");
      picker.setAttribute("aria-label", label);
    }
    nameButton(picker, ".xdsoft_datepicker .xdsoft_prev", words.previousMonth);
    nameButton(picker, ".xdsoft_datepicker .xdsoft_next", words.nextMonth);
    nameButton(picker, ".xdsoft_today_button", words.today);
    nameButton(picker, ".xdsoft_timepicker .xdsoft_prev", words.earlierTimes);
    nameButton(picker, ".xdsoft_timepicker .xdsoft_next", words.laterTimes);
  }

  function nameAll() {
    document.querySelectorAll(".xdsoft_datetimepicker").forEach(name);
  }

  // The picker is built when a field is first focused, and shows its date or time part by
  // a class set afterwards, so look again whenever the page or a picker's classes change.
  new MutationObserver(nameAll).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["class"],
  });
  nameAll();
})();
