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

  // A request htmx does not swap (403, 404, 500 …): show the server's message instead of
  // leaving the user with nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("request-error");
    if (!box) { return; }
    var xhr = event.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var message = doc.querySelector(".error-page p");
    box.textContent = message ? message.textContent : (xhr.status + " " + xhr.statusText);
    box.hidden = false;
    box.scrollIntoView({block: "nearest"});
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-error");
    if (box) { box.hidden = true; }
  });
})();
