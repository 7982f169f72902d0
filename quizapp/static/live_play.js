// A live game on a player's phone. The socket (namespace /live) is authenticated by the player cookie set
// on joining, so a reload, a lost network or a switch of apps comes back as the same player: the server
// sends this phone's whole screen on every (re)connection. The countdown is drawn from the server's clock
// (server_now and closes_at with each question), so a phone whose clock is wrong shows the same time left.
// An answer is acknowledged as received; whether it was right comes when the question closes, since the
// key never leaves the server before then.
(function () {
  "use strict";
  var root = document.getElementById("live-play");
  if (!root || typeof io === "undefined") { return; }
  var screens = root.querySelectorAll("[data-screen]");
  var state = { phase: null, position: 0, question: null, answered: false, skew: 0, closesAt: 0 };
  var ticking = null;
  var order = [];
  var current = null;
  var said = {};
  var MARKS = [10, 5];

  function $(selector) { return root.querySelector(selector); }
  // Shows one screen; when it is a new one, focus moves to its first control or its heading, so a
  // keyboard or screen reader starts there rather than on a control that has just been hidden.
  function show(name, focus) {
    var changed = name !== current;
    current = name;
    Array.prototype.forEach.call(screens, function (s) { s.hidden = s.getAttribute("data-screen") !== name; });
    if (changed || focus) {
      var screen = root.querySelector("[data-screen=" + name + "]");
      var target = focus || screen.querySelector("h1");
      if (target && typeof target.focus === "function") { target.focus({ preventScroll: false }); }
    }
  }
  function text(selector, value) { var el = $(selector); if (el) { el.textContent = value; } }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function setClock(body) {
    var server = Date.parse(body.server_now);
    state.skew = isNaN(server) ? 0 : server - Date.now();
    state.closesAt = body.closes_at ? Date.parse(body.closes_at) - state.skew : 0;
  }
  function secondsLeft() { return Math.max(0, Math.ceil((state.closesAt - Date.now()) / 1000)); }
  // The countdown is drawn every quarter second, but said (to a screen reader) only at a few marks.
  function say(message) { text("[data-countdown-said]", message); }
  function tick() {
    var left = secondsLeft();
    text("[data-countdown]", String(left));
    var clock = root.querySelector(".live-countdown");
    if (clock) { clock.classList.toggle("soon", left <= 5); }
    MARKS.forEach(function (mark) {
      if (left <= mark && left > 0 && !said[mark] && !state.answered) { said[mark] = true; say(mark + " seconds left"); }
    });
    if (left <= 0 && ticking) {
      clearInterval(ticking);
      ticking = null;
      if (!state.answered) { say("Time is up"); }
    }
  }
  function ordinal(n) {
    var s = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  function choiceButton(choice, onPick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live-choice colour-" + choice.colour;
    button.setAttribute("data-choice", choice.id);
    var shape = document.createElement("span");
    shape.className = "shape shape-" + choice.shape;
    shape.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.className = "label";
    label.textContent = choice.text;
    button.appendChild(shape);
    button.appendChild(label);
    button.addEventListener("click", function () { onPick(choice, button); });
    return button;
  }

  function drawPad(q) {
    var pad = $("[data-pad]"), typed = $("[data-typed]"), submit = $("[data-submit]");
    clear(pad);
    typed.hidden = true;
    submit.hidden = true;
    order = [];
    if (q.choices && q.choices.length) {
      q.choices.forEach(function (choice) {
        pad.appendChild(choiceButton(choice, function (c, button) {
          if (q.multiple) {
            var on = button.getAttribute("aria-pressed") !== "true";
            button.setAttribute("aria-pressed", on ? "true" : "false");
          } else {
            send([c.id]);
          }
        }));
      });
      if (q.multiple) {
        Array.prototype.forEach.call(pad.children, function (b) { b.setAttribute("aria-pressed", "false"); });
        var pick = document.createElement("p");
        pick.className = "muted";
        pick.textContent = "Pick every right answer, then send.";
        pad.insertBefore(pick, pad.firstChild);
        submit.hidden = false;
        submit.textContent = "Send my choices";
      }
    } else if (q.items) {
      var help = document.createElement("p");
      help.className = "muted";
      help.textContent = "Tap the items in order, first to last.";
      pad.appendChild(help);
      var picked = document.createElement("ol");
      picked.className = "live-order";
      picked.setAttribute("aria-label", "Your order");
      q.items.forEach(function (item) {
        pad.appendChild(choiceButton({ id: item.id, text: item.text, colour: "neutral", shape: "circle" },
          function (c, button) {
            order.push(c.id);
            button.disabled = true;
            var li = document.createElement("li");
            li.textContent = c.text;
            picked.appendChild(li);
            restart.hidden = false;
            // The used item can no longer take the focus: it goes to the next one left, or to Send.
            ($("[data-pad] button.live-choice:not([disabled])") || submit).focus();
          }));
      });
      pad.appendChild(picked);
      var restart = document.createElement("button");
      restart.type = "button";
      restart.className = "button secondary live-restart";
      restart.textContent = "Start the order again";
      restart.hidden = true;
      restart.addEventListener("click", function () {
        order = [];
        clear(picked);
        Array.prototype.forEach.call(pad.querySelectorAll("button.live-choice"), function (b) { b.disabled = false; });
        restart.hidden = true;
        $("[data-pad] button.live-choice").focus();
      });
      pad.appendChild(restart);
      submit.hidden = false;
      submit.textContent = "Send my order";
    } else if (q.segments) {
      // A cloze: its sentence, with a field in place of each blank (a blank's answer may hold a comma).
      var sentence = document.createElement("p");
      sentence.className = "live-cloze";
      q.segments.forEach(function (segment) {
        if (segment.text !== undefined) { sentence.appendChild(document.createTextNode(segment.text)); return; }
        var blank = document.createElement("input");
        blank.type = "text";
        blank.autocomplete = "off";
        blank.className = "live-blank";
        blank.setAttribute("data-blank", segment.blank);
        blank.setAttribute("aria-label", "Blank " + segment.blank);
        sentence.appendChild(blank);
      });
      pad.appendChild(sentence);
      submit.hidden = false;
      submit.textContent = "Send answer";
    } else {
      typed.hidden = false;
      submit.hidden = false;
      submit.textContent = "Send answer";
      var input = $("#live-typed");
      input.value = "";
      text("[data-typed-help]", "");
    }
  }

  function collect(q) {
    if (q.choices && q.choices.length) {
      return Array.prototype.filter.call($("[data-pad]").children, function (b) {
        return b.getAttribute("aria-pressed") === "true";
      }).map(function (b) { return b.getAttribute("data-choice"); });
    }
    if (q.items) { return order.slice(); }
    if (q.segments) {
      return Array.prototype.slice.call(root.querySelectorAll("[data-blank]")).sort(function (a, b) {
        return a.getAttribute("data-blank") - b.getAttribute("data-blank");
      }).map(function (blank) { return blank.value.trim(); });
    }
    return [$("#live-typed").value.trim()];
  }

  function showQuestion(body, alreadyAnswered) {
    var q = body.question;
    state.phase = "question_open";
    state.position = body.position;
    state.question = q;
    state.answered = !!alreadyAnswered;
    setClock(body);
    text("[data-position]", "Question " + body.position + " of " + body.total + (q.double ? " · double points" : ""));
    text("[data-prompt]", q.prompt);
    drawPad(q);
    $("[data-answer-form]").hidden = state.answered;
    if (state.answered) {
      sentState("received", "Answer received. Wait for the question to close.");
    } else {
      sentState(null, "");
    }
    said = {};
    var left = secondsLeft();
    MARKS.forEach(function (mark) { if (left <= mark) { said[mark] = true; } });
    say(left > 0 ? left + " seconds to answer" : "");
    if (ticking) { clearInterval(ticking); }
    tick();
    ticking = setInterval(tick, 250);
    var first = state.answered ? null : $("[data-pad] button:not([disabled]), [data-pad] input") || $("#live-typed");
    show("question", first || $("[data-prompt]"));
  }

  // What the phone says once an answer is sent: a mark as well as words, never colour alone.
  var MARK = { received: "✓", late: "⏱", wait: "…", problem: "!" };
  function sentState(kind, message) {
    var box = $("[data-sent-box]");
    box.hidden = !kind;
    box.className = "live-sent" + (kind ? " " + kind : "");
    text("[data-sent-mark]", kind ? MARK[kind] : "");
    text("[data-sent]", message);
  }

  function send(response) {
    if (state.answered) { return; }
    if (!response.length || response.some(function (r) { return r === ""; })) {
      sentState("problem", "Give an answer first.");
      return;
    }
    state.answered = true;
    var form = $("[data-answer-form]");
    form.hidden = true;
    sentState("wait", "Sending…");
    $("[data-sent-box]").setAttribute("tabindex", "-1");
    $("[data-sent-box]").focus();
    function again(message) {
      state.answered = false;
      form.hidden = false;
      sentState("problem", message);
      var first = $("[data-pad] button:not([disabled]), [data-pad] input") || $("#live-typed");
      if (first) { first.focus(); }
    }
    socket.timeout(10000).emit("answer", { position: state.position, response: response }, function (err, reply) {
      if (err) {
        again("Not sent: the connection dropped. Try again.");
        return;
      }
      if (reply && reply.ok) {
        sentState("received", "Answer received in " + reply.seconds + " s. Wait for the question to close.");
      } else if (reply && reply.error && reply.error.code === "too_late") {
        sentState("late", "Too late: this question has closed, and nothing was counted.");
      } else if (reply && reply.error && reply.error.code === "already_answered") {
        sentState("received", "You have answered this question already.");
      } else {
        again((reply && reply.error && reply.error.message) || "That answer could not be sent.");
      }
    });
  }

  function showState(body) {
    text("[data-score]", body.score);
    if (body.phase === "lobby") { show("lobby"); return; }
    if (body.phase === "question_open" && body.question) { showQuestion(body, body.answered); return; }
    if (ticking) { clearInterval(ticking); ticking = null; }
    var s = body.standing;
    if (body.phase === "finished") {
      var box = $("[data-place-box]");
      box.className = "live-place" + (s && s.rank <= 3 ? " podium-" + s.rank : "");
      text("[data-place-rank]", s ? ordinal(s.rank) : "");
      text("[data-place]", s ? "You came " + ordinal(s.rank) + " of " + body.players + " with " + s.score + " points."
                             : "Thanks for playing.");
      show("finished");
      return;
    }
    var result = $("[data-screen=result]");
    var verdict = !s ? "none" : s.correct === true ? "right" : s.correct === false ? "wrong" : "none";
    result.className = "live-screen live-result " + verdict;
    text("[data-verdict-mark]", verdict === "right" ? "✓" : verdict === "wrong" ? "✗" : "–");
    if (!s) {
      text("[data-verdict]", "Waiting for the next question");
      text("[data-points]", "");
      result.querySelector(".live-stats").hidden = true;
      text("[data-key]", "");
      show("result");
      return;
    }
    result.querySelector(".live-stats").hidden = false;
    text("[data-verdict]", s.correct === true ? "Right!" : s.correct === false ? "Not this time" : "No answer");
    text("[data-points]", "+" + s.points + " points");
    text("[data-total]", s.score);
    text("[data-rank]", ordinal(s.rank) + " of " + body.players);
    text("[data-streak]", s.streak ? s.streak + " in a row" : "—");
    text("[data-key]", body.correct_answer ? "The answer: " + body.correct_answer.join(", ") : "");
    show("result");
  }

  $("[data-answer-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.question) { send(collect(state.question)); }
  });

  var socket = io("/live", { transports: ["websocket", "polling"] });
  var connection = $("[data-connection]");
  socket.on("connect", function () { connection.textContent = ""; connection.hidden = true; });
  socket.on("disconnect", function () { connection.hidden = false; connection.textContent = "Reconnecting…"; });
  socket.on("connect_error", function (err) {
    connection.hidden = false;
    if (err && err.data && err.data.code) {  // refused by the server (removed, or a link not valid): final
      connection.textContent = err.message;
      socket.disconnect();
      show("removed");
      text("[data-removed-message]", err.message);
    } else {
      connection.textContent = "Reconnecting…";
    }
  });
  socket.on("player_state", showState);
  socket.on("question", function (body) { showQuestion(body, false); });
  socket.on("removed", function (body) {
    socket.disconnect();
    show("removed");
    text("[data-removed-message]", body.message);
  });
}());
