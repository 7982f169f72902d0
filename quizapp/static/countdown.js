// Shows the time left on a timed attempt. The server enforces the deadline; this only informs.
(function () {
  "use strict";
  var clock = document.querySelector("[data-deadline]");
  if (!clock) { return; }
  var deadline = Date.parse(clock.getAttribute("data-deadline"));
  var announced = {};
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var days = Math.floor(left / 86400), hours = Math.floor(left / 3600) % 24;
    var minutes = Math.floor(left / 60), seconds = left % 60;
    if (days) {
      clock.textContent = days + (days > 1 ? " days " : " day ") + hours + " h left";
    } else if (hours) {
      clock.textContent = hours + " h " + (minutes % 60) + " min left";
    } else {
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left";
    }
    // Screen readers hear the clock at a few moments, not every second.
    var live = document.getElementById("countdown-announce");
    [300, 60, 0].forEach(function (mark) {
      if (left <= mark && !announced[mark] && live) {
        announced[mark] = true;
        live.textContent = mark ? (mark / 60) + " minute" + (mark > 60 ? "s" : "") + " left" : "Time is up";
      }
    });
    if (left === 0) { window.location.reload(); return; }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
