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
  var closesAt = 0, ticking = null, last = null, current = null, said = {};
  var MARKS = [10, 5];

  function $(selector) { return root.querySelector(selector); }
  function text(selector, value) { var el = $(selector); if (el) { el.textContent = value; } }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  // One screen at a time; on a new one, focus moves to its heading, so a keyboard starts from there and
  // a screen reader reads what changed. (A change within the screen, a player joining, moves nothing.)
  // The first screen drawn on loading the page leaves the focus where the browser put it.
  function show(name) {
    var first = current === null, changed = name !== current;
    current = name;
    Array.prototype.forEach.call(screens, function (s) { s.hidden = s.getAttribute("data-screen") !== name; });
    var heading = root.querySelector("[data-screen=" + name + "] h2");
    if (changed && !first && heading) { heading.focus(); }
  }
  function item(tag, className, content) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (content !== undefined) { el.textContent = content; }
    return el;
  }
  function hidden(content) { return item("span", "visually-hidden", content); }

  function say(message) { text("[data-countdown-said]", message); }
  function tick() {
    var left = Math.max(0, Math.ceil((closesAt - Date.now()) / 1000));
    text("[data-countdown]", String(left));
    $(".live-countdown").classList.toggle("soon", left <= 5);
    MARKS.forEach(function (mark) {
      if (left <= mark && left > 0 && !said[mark]) { said[mark] = true; say(mark + " seconds left"); }
    });
    if (left <= 0 && ticking) { clearInterval(ticking); ticking = null; say("Time is up"); }
  }
  function error(message) {
    var el = $("[data-error]");
    el.hidden = !message;
    el.textContent = message || "";
  }

  // The players as chips, each with its Remove button. Chips are kept by player, not redrawn, so that a
  // player joining neither moves the keyboard's focus nor makes a screen reader read the list again.
  function drawPlayers(players) {
    var list = $("[data-players]");
    var seen = {};
    players.forEach(function (p) { seen[p.id] = true; });
    Array.prototype.slice.call(list.children).forEach(function (li) {
      if (!seen[li.getAttribute("data-player")]) {
        var focused = li.contains(document.activeElement);
        var next = li.nextElementSibling || li.previousElementSibling;
        list.removeChild(li);
        if (focused) { (next ? next.querySelector("button") : $("#lobby-heading")).focus(); }
      }
    });
    players.forEach(function (p) {
      if (list.querySelector("[data-player='" + p.id + "']")) { return; }
      var li = item("li", "live-player");
      li.setAttribute("data-player", p.id);
      li.appendChild(item("span", "name", p.nickname));
      if (p.signed_in) {
        var badge = item("span", "signed", "✓");
        badge.setAttribute("title", "Signed in");
        badge.setAttribute("aria-hidden", "true");
        li.appendChild(badge);
        li.appendChild(hidden(" (signed in)"));
      }
      var remove = item("button", "live-remove", "Remove");
      remove.type = "button";
      remove.appendChild(hidden(" " + p.nickname));
      remove.addEventListener("click", function () {
        if (window.confirm("Remove " + p.nickname + " from the game? That nickname cannot join again.")) {
          socket.emit("remove", { player: p.id }, reply);
        }
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
    text("[data-player-count]", players.length);
    text("[data-player-word]", players.length === 1 ? "player" : "players");
    $("[data-no-players]").hidden = players.length > 0;
  }

  function choiceItem(choice, tag) {
    var li = item(tag || "li", "live-choice colour-" + choice.colour + (choice.right ? " right" : ""));
    var shape = item("span", "shape shape-" + choice.shape);
    shape.setAttribute("aria-hidden", "true");
    li.appendChild(shape);
    li.appendChild(item("span", "label", choice.text));
    return li;
  }

  function drawQuestion(s) {
    var q = s.question;
    text("[data-position]", "Question " + s.position + " of " + s.total + (q.type_label ? " · " + q.type_label : ""));
    $("[data-double]").hidden = !q.double;
    text("[data-prompt]", q.prompt);
    var list = $("[data-choices]");
    clear(list);
    list.className = "live-choices host";
    (q.choices || []).forEach(function (c) { list.appendChild(choiceItem(c)); });
    (q.items || []).forEach(function (c) { list.appendChild(choiceItem({ text: c.text, colour: "neutral", shape: "circle" })); });
    if (q.items && q.items.length) { list.className += " items"; }
    if (!(q.choices || []).length && !(q.items || []).length) {
      list.className += " typed";
      list.appendChild(item("li", "live-typed-note", "Players type their answer on their phones."));
    }
    drawAnswered(s.answered, s.players.length);
    var server = Date.parse(s.server_now);
    closesAt = Date.parse(s.closes_at) - (isNaN(server) ? 0 : server - Date.now());
    if (ticking) { clearInterval(ticking); }
    if (!last || last.phase !== "question_open" || last.position !== s.position) {
      var left = Math.max(0, Math.ceil((closesAt - Date.now()) / 1000));
      said = {};
      MARKS.forEach(function (mark) { if (left <= mark) { said[mark] = true; } });
      say(left + " seconds to answer");
    }
    tick();
    ticking = setInterval(tick, 250);
  }

  function drawAnswered(answered, players) {
    text("[data-answered]", answered + " of " + players + " answered");
    var bar = $("[data-answered-bar]");
    bar.style.setProperty("--share", String(players ? answered / players : 0));
  }

  function drawReveal(s) {
    var r = s.reveal;
    text("[data-reveal-position]", "Question " + s.position + " of " + s.total + " · " + r.answered + " answered, " + r.right + " right");
    text("[data-reveal-prompt]", r.question.prompt);
    var box = $("[data-distribution]");
    clear(box);
    var most = Math.max.apply(null, r.distribution.map(function (d) { return d.count; }).concat([1]));
    var list = item("ul", "live-bars");
    list.setAttribute("aria-label", "How the answers fell");
    r.distribution.forEach(function (d) {
      var li = choiceItem(d);
      var bar = item("span", "bar");
      bar.setAttribute("aria-hidden", "true");
      li.appendChild(bar);
      var count = item("span", "count", String(d.count));
      count.appendChild(hidden(d.count === 1 ? " player" : " players"));
      li.appendChild(count);
      if (d.right) { li.appendChild(item("span", "tag right", "✓ Right answer")); }
      li.style.setProperty("--share", String(d.count / most));
      list.appendChild(li);
    });
    box.appendChild(list);
    text("[data-correct]", r.correct_answer.join(", "));
    text("[data-explanation]", r.explanation || "");
    text("[data-passage]", r.passage || "");
    $("[data-passage-box]").hidden = !r.passage;
    text("[data-source-label]", r.source.label || "");
    // A key point's title is its text, often the passage itself: not said twice.
    text("[data-source-title]", r.source.title && r.source.title !== r.passage ? r.source.title : "");
    $("[data-source-box]").hidden = !r.passage && !r.source.label;
  }

  function standingItem(st) {
    var li = item("li", "live-standing");
    li.appendChild(item("span", "rank", String(st.rank)));
    li.appendChild(item("span", "name", st.nickname));
    li.appendChild(item("span", "score", st.score + " pts"));
    var change;
    if (st.change > 0) { change = item("span", "change up", "▲ up " + st.change); }
    else if (st.change < 0) { change = item("span", "change down", "▼ down " + (-st.change)); }
    else { change = item("span", "change same", ""); }
    li.appendChild(change);
    return li;
  }

  // Placed by its order in the list (the first in the middle, highest), coloured by its rank, which a
  // tie shares.
  function podiumItem(st, index) {
    var li = item("li", "live-step step-" + (index + 1) + " place-" + Math.min(st.rank, 3));
    li.appendChild(item("span", "name", st.nickname));
    li.appendChild(item("span", "score", st.score + " pts"));
    var block = item("span", "block");
    block.appendChild(hidden("Place "));
    block.appendChild(document.createTextNode(String(st.rank)));
    li.appendChild(block);
    return li;
  }

  function draw(s) {
    if (ticking && s.phase !== "question_open") { clearInterval(ticking); ticking = null; }
    text("[data-profile]", s.profile_label + ":");
    text("[data-formula]", s.formula);
    var lock = $("[data-lock]");
    lock.setAttribute("aria-pressed", s.locked ? "true" : "false");
    text("[data-lock-state]", s.locked ? "The lobby is locked: nobody new can join." : "");
    drawPlayers(s.players);
    $("[data-move=start]").disabled = s.players.length === 0;
    if (s.phase === "question_open") { drawQuestion(s); }
    last = s;
    if (s.phase === "lobby") { show("lobby"); return; }
    if (s.phase === "question_open") { show("question"); return; }
    if (s.phase === "question_closed") { drawReveal(s); show("reveal"); return; }
    if (s.phase === "results") {
      text("[data-results-position]", "After question " + s.position + " of " + s.total);
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
      s.podium.forEach(function (st, index) { podium.appendChild(podiumItem(st, index)); });
      if (!s.podium.length) { podium.appendChild(item("li", "live-nobody", "Nobody scored.")); }
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
    // Refused by the server (signed out, not this game's host): said, and no more tries; else it retries.
    connection.textContent = err && err.data && err.data.code ? err.message : "Reconnecting…";
    if (err && err.data && err.data.code) { socket.disconnect(); }
  });
  socket.on("host_state", draw);
  socket.on("answered", function (a) {
    if (last && last.phase === "question_open" && a.position === last.position) { drawAnswered(a.answered, a.players); }
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
