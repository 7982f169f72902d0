// Shows the time left on a timed attempt. The server enforces the deadline; this only informs, and at the
// end sends the answer on screen while there is still time for it to count.
// The deadline is read against the server's clock (data-now, when the page was made), so a student's
// clock set wrong neither shortens nor stretches it.
// Screen readers hear the time left through #countdown-announce (an aria-live region) at a few marks:
// five minutes, one minute and the end, not every second. A page opened past a mark says the time left
// then, once. A second before the end, an answer chosen or typed but not submitted is submitted with
// time_up set (the server takes it if it arrives in time, and finishes the attempt); with nothing given,
// the page reloads a moment after the end (so "Time is up" can be heard) and the server finishes it.
(function () {
  "use strict";
  var clock = document.querySelector("[data-deadline]");
  if (!clock) { return; }
  var live = document.getElementById("countdown-announce");
  var skew = clock.hasAttribute("data-now") ? Date.parse(clock.getAttribute("data-now")) - Date.now() : 0;
  var deadline = Date.parse(clock.getAttribute("data-deadline")) - (isNaN(skew) ? 0 : skew);
  var form = document.querySelector("form.question");
  var marks = [300, 60, 0];
  var lowestAnnounced = Infinity;
  var sent = false;
  function count(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function spoken(left) {
    if (left <= 0) { return "Time is up"; }
    var minutes = Math.floor(left / 60), seconds = left % 60, parts = [];
    if (minutes) { parts.push(count(minutes, "minute")); }
    if (seconds) { parts.push(count(seconds, "second")); }
    return parts.join(" ") + " left";
  }
  function answerGiven() {
    if (!form) { return false; }
    return Array.prototype.some.call(form.querySelectorAll("[name=response]"), function (field) {
      if (field.type === "radio" || field.type === "checkbox") { return field.checked; }
      return field.value.trim() !== "";
    });
  }
  function sendWhatIsThere() {
    var flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "time_up";
    flag.value = "1";
    form.appendChild(flag);
    sent = true;
    form.submit();
  }
  function tick() {
    var exact = (deadline - Date.now()) / 1000;
    var left = Math.max(0, Math.round(exact));
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
    if (!sent && exact <= 1.5 && exact > 0 && answerGiven()) {
      sendWhatIsThere();
      return;
    }
    if (left === 0) {
      window.setTimeout(function () { window.location.reload(); }, 2500);
      return;
    }
    window.setTimeout(tick, exact > 2 ? 1000 : 250);
  }
  tick();
})();
