// The school's time zone form: when the school has none yet (data-browser-zone), put this browser's own
// zone in the field, if the server knows it and nothing was typed, and say where it came from.
(function () {
  "use strict";
  var form = document.querySelector("form[data-browser-zone]");
  if (!form || !window.Intl || !Intl.DateTimeFormat) { return; }
  var input = form.querySelector("input[list]");
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var known = Array.prototype.some.call(document.querySelectorAll("#zone-names option"), function (option) {
    return option.value === zone;
  });
  if (!input || !zone || !known || input.value === zone || input.getAttribute("aria-invalid") === "true") { return; }
  input.value = zone;
  var hint = form.querySelector(".zone-hint");
  if (hint) { hint.hidden = false; }
})();
