// "Select all" on a bank's question list ticks or clears every question's box. Without it the
// form still works: the server reads "select all" as every question listed.
(function () {
  "use strict";
  var all = document.querySelector("[data-select-all]");
  if (!all) { return; }
  var boxes = document.querySelectorAll("input[type=checkbox][name=questions]");
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) { all.checked = false; }
    });
  });
})();
