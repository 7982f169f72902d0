// The host's screen of a live game, for the projector. The socket (namespace /live) is authenticated by
// the teacher's session; the server sends the whole screen (host_state) on connecting and after every
// change, so a reload resumes control where the game is. Each button sends one move; the server refuses
// any the game's phase does not allow. The countdown is drawn from the server's clock.
(function () {
  "use strict";
  var root = document.getElementById("live-host");
  if (!root || typeof io === "undefined") { return; }
  var gameId = parseInt(root.getAttribute("data-game"), 10);
  var screens = root.querySelectorAll("[data-screen]");
  var closesAt = 0, ticking = null, last = null;

  function $(selector) { return root.querySelector(selector); }
  function text(selector, value) { var el = $(selector); if (el) { el.textContent = value; } }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function show(name) {
    Array.prototype.forEach.call(screens, function (s) { s.hidden = s.getAttribute("data-screen") !== name; });
  }
  function item(tag, className, content) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (content !== undefined) { el.textContent = content; }
    return el;
  }
  function tick() {
    var left = Math.max(0, Math.ceil((closesAt - Date.now()) / 1000));
    text("[data-countdown]", left + " s");
    if (left <= 0 && ticking) { clearInterval(ticking); ticking = null; }
  }
  function error(message) {
    var el = $("[data-error]");
    el.hidden = !message;
    el.textContent = message || "";
  }

  function drawPlayers(players) {
    var list = $("[data-players]");
    clear(list);
    players.forEach(function (p) {
      var li = item("li", "live-player");
      li.appendChild(item("span", "", p.nickname));
      var remove = item("button", "link remove", "Remove");
      remove.type = "button";
      remove.setAttribute("aria-label", "Remove " + p.nickname);
      remove.addEventListener("click", function () {
        if (window.confirm("Remove " + p.nickname + " from the game? That nickname cannot join again.")) {
          socket.emit("remove", { player: p.id }, reply);
        }
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
    text("[data-player-count]", players.length);
  }

  function choiceItem(choice, extra) {
    var li = item("li", "live-choice colour-" + choice.colour + (choice.right ? " right" : ""));
    var shape = item("span", "shape shape-" + choice.shape);
    shape.setAttribute("aria-hidden", "true");
    li.appendChild(shape);
    li.appendChild(item("span", "label", choice.text));
    if (extra !== undefined) { li.appendChild(item("span", "count", extra)); }
    return li;
  }

  function drawQuestion(s) {
    var q = s.question;
    text("[data-position]", "Question " + s.position + " of " + s.total);
    $("[data-double]").hidden = !q.double;
    text("[data-prompt]", q.prompt);
    var list = $("[data-choices]");
    clear(list);
    (q.choices || []).forEach(function (c) { list.appendChild(choiceItem(c)); });
    (q.items || []).forEach(function (c) { list.appendChild(choiceItem({ text: c.text, colour: "neutral", shape: "circle" })); });
    if (!(q.choices || []).length && !(q.items || []).length) {
      list.appendChild(item("li", "live-typed-note", "Players type their answer."));
    }
    text("[data-answered]", s.answered + " of " + s.players.length + " answered");
    var server = Date.parse(s.server_now);
    closesAt = Date.parse(s.closes_at) - (isNaN(server) ? 0 : server - Date.now());
    if (ticking) { clearInterval(ticking); }
    tick();
    ticking = setInterval(tick, 250);
  }

  function drawReveal(s) {
    var r = s.reveal;
    text("[data-reveal-position]", "Question " + s.position + " of " + s.total + " · " + r.answered + " answered, " + r.right + " right");
    text("[data-reveal-prompt]", r.question.prompt);
    var box = $("[data-distribution]");
    clear(box);
    var most = Math.max.apply(null, r.distribution.map(function (d) { return d.count; }).concat([1]));
    var list = item("ul", "live-bars");
    r.distribution.forEach(function (d) {
      var li = choiceItem(d, d.count + (d.right ? " ✓" : ""));
      li.style.setProperty("--share", String(d.count / most));
      if (d.right) { li.setAttribute("aria-label", d.text + ": " + d.count + ", the right answer"); }
      list.appendChild(li);
    });
    box.appendChild(list);
    text("[data-correct]", r.correct_answer.join(", "));
    text("[data-explanation]", r.explanation);
    text("[data-passage]", r.passage);
    text("[data-source]", r.source.label + (r.source.title ? ": " + r.source.title : ""));
  }

  function standingItem(st) {
    var li = item("li", "live-standing");
    li.appendChild(item("span", "name", st.nickname));
    li.appendChild(item("span", "score", st.score + " pts"));
    if (st.change > 0) { li.appendChild(item("span", "change up", "▲ " + st.change)); }
    if (st.change < 0) { li.appendChild(item("span", "change down", "▼ " + (-st.change))); }
    return li;
  }

  function draw(s) {
    last = s;
    if (ticking && s.phase !== "question_open") { clearInterval(ticking); ticking = null; }
    text("[data-formula]", s.profile_label + ": " + s.formula);
    var lock = $("[data-lock]");
    lock.setAttribute("aria-pressed", s.locked ? "true" : "false");
    lock.textContent = s.locked ? "Unlock the lobby" : "Lock the lobby";
    drawPlayers(s.players);
    $("[data-move=start]").disabled = s.players.length === 0;
    if (s.phase === "lobby") { show("lobby"); return; }
    if (s.phase === "question_open") { drawQuestion(s); show("question"); return; }
    if (s.phase === "question_closed") { drawReveal(s); show("reveal"); return; }
    if (s.phase === "results") {
      var top = $("[data-top]");
      clear(top);
      s.top.forEach(function (st) { top.appendChild(standingItem(st)); });
      $("[data-move=next]").hidden = s.position >= s.total;
      show("results");
      return;
    }
    if (s.phase === "finished") {
      var podium = $("[data-podium]");
      clear(podium);
      s.podium.forEach(function (st) { podium.appendChild(standingItem(st)); });
      if (!s.podium.length) { podium.appendChild(item("li", "", "Nobody scored.")); }
      show("finished");
    }
  }

  function reply(response) {
    if (response && response.error) { error(response.error.message); } else { error(""); }
  }

  var socket = io("/live", { auth: { game: gameId }, transports: ["websocket", "polling"] });
  var connection = $("[data-connection]");
  socket.on("connect", function () { connection.hidden = true; });
  socket.on("disconnect", function () { connection.hidden = false; connection.textContent = "Reconnecting…"; });
  socket.on("connect_error", function (err) {
    connection.hidden = false;
    connection.textContent = (err && err.data && err.data.message) || "Reconnecting…";
  });
  socket.on("host_state", draw);
  socket.on("answered", function (a) {
    if (last && last.phase === "question_open" && a.position === last.position) {
      text("[data-answered]", a.answered + " of " + a.players + " answered");
    }
  });
  Array.prototype.forEach.call(root.querySelectorAll("[data-move]"), function (button) {
    button.addEventListener("click", function () {
      socket.emit("move", { move: button.getAttribute("data-move") }, reply);
    });
  });
  $("[data-lock]").addEventListener("click", function () {
    socket.emit("lock", { locked: !(last && last.locked) }, reply);
  });
}());
