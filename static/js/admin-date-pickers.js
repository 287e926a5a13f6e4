// Wagtail's date and time pickers (the xdsoft datetimepicker) add their popup to the end of
// the page: outside every landmark, with arrow buttons that have no text. Make each popup a
// region named for what it chooses and for its field ("Choose a time Starts at": a form with
// a start and an end time has two time pickers, and a list of regions must tell them apart),
// and name its buttons, in the words the server gave for the reader's language (this
// script's data-words).
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

  // The field whose picker this is: xdsoft keeps its popup in the input's jQuery data.
  function field(picker) {
    if (!window.jQuery) return null;
    var inputs = document.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var popup = window.jQuery(inputs[i]).data("xdsoft_datetimepicker");
      if (popup && popup[0] === picker) return inputs[i];
    }
    return null;
  }

  // The ids of the words "Choose a time" (a hidden element inside the popup) and of the
  // field's own label, for aria-labelledby.
  function labelledBy(picker, input, label) {
    if (!picker.id) picker.id = "date-picker-" + (input && input.id ? input.id : nameAll.count++);
    var says = picker.querySelector(":scope > .date-picker-name");
    if (says === null) {
      says = document.createElement("span");
      says.className = "date-picker-name w-sr-only";
      says.id = picker.id + "-name";
      picker.prepend(says);
    }
    if (says.textContent !== label) says.textContent = label;
    var ids = [says.id];
    var fieldLabel = input && input.labels && input.labels[0];
    if (fieldLabel) {
      if (!fieldLabel.id) fieldLabel.id = input.id + "-label";
      ids.push(fieldLabel.id);
    }
    return ids.join(" ");
  }

  function name(picker) {
    var date = shown(picker, ".xdsoft_datepicker");
    var time = shown(picker, ".xdsoft_timepicker");
    var label = date && time ? words.datetime : time ? words.time : words.date;
    if (!picker.dataset.field) {
      var input = field(picker);
      if (input) picker.dataset.field = input.id || "-";
    }
    var owner = picker.dataset.field ? document.getElementById(picker.dataset.field) : null;
    var ids = labelledBy(picker, owner, label);
    if (picker.getAttribute("aria-labelledby") !== ids) {
      picker.setAttribute("role", "region");
      picker.setAttribute("aria-labelledby", ids);
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
  nameAll.count = 0;

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
