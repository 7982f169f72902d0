// A page to hand out on paper: its Print button (hidden until script runs) opens the browser's print dialog.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
