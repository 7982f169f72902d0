// Shows the time left on a timed attempt. The server enforces the deadline; this only informs.
// Screen readers hear the time left through #countdown-announce (an aria-live region) at a few marks:
// five minutes, one minute and the end, not every second. A page opened past a mark says the time left
// then, once; at the end the page reloads (a moment later, so "Time is up" can be heard) and the server
// finishes the attempt.
(function () {
  "use strict";
  var clock = document.querySelector("[data-deadline]");
  if (!clock) { return; }
  var live = document.getElementById("countdown-announce");
  var deadline = Date.parse(clock.getAttribute("data-deadline"));
  var marks = [300, 60, 0];
  var lowestAnnounced = Infinity;
  function count(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function spoken(left) {
    if (left <= 0) { return "Time is up"; }
    var minutes = Math.floor(left / 60), seconds = left % 60, parts = [];
    if (minutes) { parts.push(count(minutes, "minute")); }
    if (seconds) { parts.push(count(seconds, "second")); }
    return parts.join(" ") + " left";
  }
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
    var passed = marks.filter(function (mark) { return left <= mark && mark < lowestAnnounced; });
    if (passed.length && live) {
      lowestAnnounced = Math.min.apply(null, passed);
      live.textContent = spoken(left);
    }
    if (left === 0) {
      window.setTimeout(function () { window.location.reload(); }, 2500);
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
