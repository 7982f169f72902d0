// The assignment form lists what students see for every kind of quiz and attempts limit; this shows only
// the case that applies to the quiz chosen and the attempts typed, and follows them as they change.
(function () {
  "use strict";
  var rules = document.querySelector(".feedback-rules[data-feedback]");
  var quiz = document.getElementById("quiz_id");
  var attempts = document.getElementById("attempts_allowed");
  if (!rules || !quiz || !attempts) { return; }
  var modes = JSON.parse(rules.getAttribute("data-feedback"));
  var cases = rules.querySelectorAll("[data-case]");
  function show() {
    var mode = modes[quiz.value];
    var n = attempts.value.trim();
    var kind = n === "" ? "any" : (n === "1" ? "one" : "several");
    var wanted = mode + " " + kind;
    Array.prototype.forEach.call(cases, function (item) {
      item.hidden = Boolean(mode) && item.getAttribute("data-case") !== wanted;
    });
  }
  quiz.addEventListener("change", show);
  attempts.addEventListener("input", show);
  show();
})();
