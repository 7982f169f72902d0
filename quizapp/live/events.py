"""The live games' socket (Socket.IO, namespace ``/live``): who may connect, what each side may send, and
what is pushed to whom. Every event is authorised here, on the server, and its body checked; the game's
rules and state are ``services.live_games``'s, and every body sent is shaped by ``payloads``.

Connecting (the handshake's ``auth``):
  host    ``{"game": id}`` with the host's session cookie: the teacher hosting that game, nobody else.
  player  the ``live_player`` cookie set on joining (or ``{"token": …}``): a player of that game, not removed.
A refused connection gets ``{"code", "message"}`` (``connect_error`` in the browser).

Rooms: ``host:<game>`` (the host's screens), ``game:<game>`` (every phone), ``player:<id>`` (one phone).

From the host, each acknowledged with ``{"ok": true}`` or ``{"error": {"code", "message"}}``:
  ``move`` ``{"move": "start" | "close" | "results" | "next" | "finish"}``
  ``remove`` ``{"player": id}``          ``lock`` ``{"locked": true | false}``
From a player:
  ``answer`` ``{"position": n, "response": [choice id or text, …]}``, acknowledged with
  ``{"ok": true, "position", "seconds"}`` (received: not whether it is right) or an error
  (``too_late``, ``already_answered``, ``invalid``).

Pushed:
  ``host_state`` to ``host:<game>``: the host's whole screen, after every change (``payloads.host_state``).
  ``answered`` to ``host:<game>``: ``{"position", "answered", "players"}`` as answers come in.
  ``question`` to ``game:<game>``: the question just opened, without its key, with the server's clock.
  ``player_state`` to ``player:<id>``: that phone's whole screen (on connecting, and after each close,
  results and finish: right or wrong, points, total, rank, streak, place).
  ``removed`` to ``player:<id>``.

A question closes when its time is up (a timer in the process that opened it, and in any process a
host or player of the game connects to after a restart), when everyone has answered, or on the host's
``close``; each close is one conditional write, so two of them never both happen.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from quizapp.domain.errors import DomainError, Forbidden
from quizapp.domain.live_game import Move, Phase
from quizapp.extensions import socketio
from quizapp.live import payloads
from quizapp.models import LiveGame, LivePlayer, utcnow
from quizapp.security import live_answer_wait
from quizapp.services import live_games as live

NAMESPACE = "/live"
PLAYER_COOKIE = "live_player"
MAX_RESPONSE_ITEMS = 20
MAX_RESPONSE_TEXT = 500

log = logging.getLogger(__name__)
_timers: set[tuple[int, int]] = set()
_timers_lock = threading.Lock()


# --------------------------------------------------------------------------- connecting


@socketio.on("connect", namespace=NAMESPACE)
def connect(auth):
    auth = auth if isinstance(auth, dict) else {}
    if "game" in auth:
        game = _hosted(auth.get("game"))
        session[_HOSTING] = game.id
        join_room(f"host:{game.id}")
        socketio.emit("host_state", payloads.host_state(live.host_view(game)), to=request.sid, namespace=NAMESPACE)
        _keep_time(game)
        return
    try:
        player = live.player_for_token(auth.get("token") or request.cookies.get(PLAYER_COOKIE, ""),
                                       current_app.config["SECRET_KEY"])
    except DomainError as refused:
        raise ConnectionRefusedError(str(refused), {"code": refused.code}) from None
    session[_PLAYING] = player.id
    join_room(f"game:{player.game_id}")
    join_room(f"player:{player.id}")
    socketio.emit("player_state", payloads.player_state(player.game, live.player_view(player)), to=request.sid,
                  namespace=NAMESPACE)
    if player.game.phase is Phase.LOBBY:
        # The player in the host's lobby: pushed from here, the socket's process, since joining was a page
        # request, which the pages' process serves and which pushes nothing (README, "Live games in
        # production").
        push_host(player.game)
    _keep_time(player.game)


# What a connection is, kept with it (Flask-SocketIO gives each connection a session of its own) and
# checked against the database again on every event.
_HOSTING = "live_hosting"
_PLAYING = "live_playing"


def _hosted(game_id) -> LiveGame:
    """The game this connection is to host; refused for anyone but its host."""
    if not current_user.is_authenticated or not current_user.is_teacher:
        raise ConnectionRefusedError("Sign in as the game's host.", {"code": "unauthorized"})
    game = live.get_game(game_id) if isinstance(game_id, int) else None
    if game is None or game.host_id != current_user.id:
        raise ConnectionRefusedError("No such live game.", {"code": "not_found"})
    return game


def _host_game() -> LiveGame | None:
    """The game this connection hosts, if its host is still the one signed in."""
    game_id = session.get(_HOSTING)
    if game_id is None or not current_user.is_authenticated:
        return None
    game = live.get_game(game_id)
    return game if game is not None and game.host_id == current_user.id else None


def _player() -> LivePlayer:
    """The player this connection is; Forbidden once removed."""
    player = live.get_player(session.get(_PLAYING) or -1)
    if player is None:
        raise Forbidden("Join the game with its PIN first.")
    if player.removed:
        raise Forbidden("The host removed you from this game.")
    return player


def _refused(error: DomainError) -> dict:
    return payloads.error(error.code, str(error))


_NOT_HOST = payloads.error("forbidden", "Only the game's host can do that.")


# --------------------------------------------------------------------------- the host's events


def _field(body, name: str, kind: type):
    """``body[name]`` if ``body`` is an object and the value is of ``kind`` (a bool is no int here), else None."""
    value = body.get(name) if isinstance(body, dict) else None
    if isinstance(value, bool) and kind is not bool:
        return None
    return value if isinstance(value, kind) else None


@socketio.on("move", namespace=NAMESPACE)
def move(body):
    """The host's move (``{"move": …}``): the game goes on, and every screen is pushed."""
    game = _host_game()
    if game is None:
        return _NOT_HOST
    try:
        chosen = Move(_field(body, "move", str))
    except ValueError:
        return payloads.error("invalid", "Send one of start, close, results, next, finish.")
    try:
        live.make_move(game, chosen)
    except DomainError as error:
        return _refused(error)
    broadcast(game)
    if game.phase is Phase.QUESTION_OPEN:
        _keep_time(game)
    return {"ok": True}


@socketio.on("remove", namespace=NAMESPACE)
def remove(body):
    """Take a player out (``{"player": id}``): told so, and disconnected, so that nothing more reaches them."""
    game = _host_game()
    if game is None:
        return _NOT_HOST
    player_id = _field(body, "player", int)
    if player_id is None:
        return payloads.error("invalid", "Say which player to remove.")
    try:
        player = live.remove_player(game, player_id)
    except DomainError as error:
        return _refused(error)
    room = f"player:{player.id}"
    socketio.emit("removed", {"message": "The host removed you from this game."}, to=room, namespace=NAMESPACE)
    # This process's connections of the player are closed here; one on another process was told the same,
    # is refused every event (``_player``), and is closed when it next connects.
    for sid, _ in list(socketio.server.manager.get_participants(NAMESPACE, room)):
        socketio.server.leave_room(sid, f"game:{game.id}", namespace=NAMESPACE)
        socketio.server.disconnect(sid, namespace=NAMESPACE)
    push_host(game)
    return {"ok": True}


@socketio.on("lock", namespace=NAMESPACE)
def lock(body):
    """Lock or unlock the lobby (``{"locked": true | false}``)."""
    game = _host_game()
    if game is None:
        return _NOT_HOST
    locked = _field(body, "locked", bool)
    if locked is None:
        return payloads.error("invalid", "Say whether the lobby is locked: true or false.")
    try:
        live.set_locked(game, locked)
    except DomainError as error:
        return _refused(error)
    push_host(game)
    return {"ok": True}


# --------------------------------------------------------------------------- a player's answer


@socketio.on("answer", namespace=NAMESPACE)
def answer(body):
    now = utcnow()
    try:
        player = _player()
    except DomainError as error:
        return _refused(error)
    wait = live_answer_wait(player.id)
    if wait is not None:
        return payloads.error("too_many_requests", f"Too many answers in a short time: wait {wait} seconds.")
    position, response = _answer_body(body)
    if position is None:
        return payloads.error("invalid", "Send {\"position\": n, \"response\": [...]}.")
    try:
        received = live.answer(player, position, response, now=now)
    except DomainError as error:
        return _refused(error)
    game = player.game  # as ``live.answer`` just read it
    answered, players = live.answer_counts(game)
    socketio.emit("answered", {"position": position, "answered": answered, "players": players},
                  to=f"host:{game.id}", namespace=NAMESPACE)
    if live.close_if_everyone_answered(game, counts=(answered, players)):
        broadcast(game)
    return {"ok": True, "position": received.position, "seconds": received.seconds}


def _answer_body(body) -> tuple[int | None, list[str]]:
    if not isinstance(body, dict):
        return None, []
    position, response = body.get("position"), body.get("response")
    if not isinstance(position, int) or isinstance(position, bool):
        return None, []
    if isinstance(response, str | int | bool):
        response = [response]
    if not isinstance(response, list) or not 0 < len(response) <= MAX_RESPONSE_ITEMS:
        return None, []
    items = ["true" if r is True else "false" if r is False else str(r) for r in response
             if isinstance(r, str | int | bool)]
    if len(items) != len(response) or any(len(r) > MAX_RESPONSE_TEXT for r in items):
        return None, []
    return position, items


# --------------------------------------------------------------------------- pushing


def broadcast(game: LiveGame) -> None:
    """Push a change of phase: the host's screen, and each phone's (the question to all at once while it is
    open; afterwards each phone its own result)."""
    if game.phase is Phase.QUESTION_OPEN:
        # The phones first: one message to the room, while the host's screen lists every player.
        socketio.emit("question", payloads.question(game, live.public_question(game)), to=f"game:{game.id}",
                      namespace=NAMESPACE)
        push_host(game)
        return
    push_host(game)
    for player, view in live.player_views(game):
        socketio.emit("player_state", payloads.player_state(game, view), to=f"player:{player.id}",
                      namespace=NAMESPACE)


def push_host(game: LiveGame) -> None:
    """The host's whole screen again: after every change, and when a player's phone connects in the lobby."""
    socketio.emit("host_state", payloads.host_state(live.host_view(game)), to=f"host:{game.id}", namespace=NAMESPACE)


def _keep_time(game: LiveGame) -> None:
    """Close the open question when its time is up, from this process (once per question and process)."""
    if game.phase is not Phase.QUESTION_OPEN or game.closes_at is None:
        return
    key = (game.id, game.position)
    with _timers_lock:
        if key in _timers:
            return
        _timers.add(key)
    socketio.start_background_task(_close_on_time, current_app._get_current_object(), game.id, game.position,
                                   game.closes_at)


def _close_on_time(app, game_id: int, position: int, closes_at: datetime) -> None:
    """Sleep to the deadline, then close the question if it is still open; again if the deadline moved, and
    again a moment later if the close failed (the database busy or gone for a while)."""
    try:
        while True:
            socketio.sleep(max(0.0, (closes_at - utcnow()).total_seconds()) + 0.02)
            with app.app_context():
                try:
                    game = live.close_if_due(game_id, position)
                    if game is not None:
                        broadcast(game)
                        return
                    game = live.get_game(game_id)
                    if (game is None or game.position != position or game.phase is not Phase.QUESTION_OPEN
                            or game.closes_at is None):
                        return
                    closes_at = game.closes_at
                except Exception:  # noqa: BLE001  (the next try decides; the timer must not die)
                    log.warning("Closing live game %s, question %s, failed; trying again", game_id, position,
                                exc_info=True)
                    closes_at = utcnow() + timedelta(seconds=1)
    finally:
        with _timers_lock:
            _timers.discard((game_id, position))
