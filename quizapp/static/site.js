// On every page: marks that script runs (the stylesheet then folds the header's links behind the Menu
// button on a phone), opens and closes that menu, by click or Escape, and asks before a button marked
// data-confirm (one that deletes, removes or replaces something) does it. A preview's form (data-preview)
// never sends: pressing Enter in it does nothing.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-preview]")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm], input[type=submit][data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  var header = document.querySelector("header.site");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) { return; }
  function set(open) {
    header.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () {
    set(toggle.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("open")) {
      set(false);
      toggle.focus();
    }
  });
})();
