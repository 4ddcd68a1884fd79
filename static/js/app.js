// Small behaviours on top of htmx. No inline script anywhere: this file is all there is.
(function () {
  "use strict";
  // After a form comes back with errors, move focus to the first field in error.
  document.addEventListener("htmx:afterSwap", function (event) {
    // event.target is the element now in the page (after an outerHTML swap the old
    // target has been removed).
    var target = event.target;
    if (!target || !target.querySelector) { return; }
    var invalid = target.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); }
  });
})();
