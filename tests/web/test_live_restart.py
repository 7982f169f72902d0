"""A live game outlives its server process: everything is in the database, so after a restart (here: every
connection dropped, the process's timers gone, the session's objects forgotten) players reconnect as the
same players, an open question keeps its deadline and closes on time, and every acknowledged answer
counts; a question whose deadline passed while nothing served is closed when the game is next read."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from quizapp.extensions import db, socketio
from quizapp.live import events
from quizapp.live.events import NAMESPACE
from quizapp.models import LiveAnswer, LiveGame, utcnow
from quizapp.services import live_games as live
from tests.support.pages import signed_in


@pytest.fixture
def game(teacher, tiny_bank):
    return live.create_game(teacher, tiny_bank["everything"], seconds=60)


def _join(app, game, nickname):
    client = app.test_client()
    assert client.post("/play", data={"pin": game.pin, "nickname": nickname}).status_code == 302
    return client


def _connect(app, http_client, **auth):
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=http_client, auth=auth or None)


def _states(client, name="player_state"):
    return [m["args"][0] for m in client.get_received(NAMESPACE) if m["name"] == name]


def _restart(*clients):
    """What a restart leaves: the database only."""
    for client in clients:
        client.disconnect(NAMESPACE)
    with events._timers_lock:
        events._timers.clear()
    db.session.remove()


def _start_and_answer(app, game):
    ada_http, ben_http = _join(app, game, "Ada"), _join(app, game, "Ben")
    ada, ben = _connect(app, ada_http), _connect(app, ben_http)
    host = _connect(app, signed_in(app, "tina"), game=game.id)
    assert host.emit("move", {"move": "start"}, namespace=NAMESPACE, callback=True) == {"ok": True}
    question = [m for m in ada.get_received(NAMESPACE) if m["name"] == "question"][-1]["args"][0]
    right = next(c["id"] for c in question["question"]["choices"] if c["text"] == "1901")
    assert ada.emit("answer", {"position": 1, "response": [right]}, namespace=NAMESPACE, callback=True)["ok"]
    return ada_http, ben_http, (ada, ben, host), question


def test_after_a_restart_the_open_question_keeps_its_deadline_and_closes_on_time(app, game):
    ada_http, _, clients, question = _start_and_answer(app, game)
    _restart(*clients)
    stored = db.session.get(LiveGame, game.id)
    assert stored.closes_at.isoformat() == question["closes_at"]
    stored.closes_at = utcnow() + timedelta(seconds=1)  # the minute nearly gone by the time players are back
    db.session.commit()
    ada = _connect(app, ada_http)
    back = _states(ada)[-1]
    assert back["phase"] == "question_open" and back["answered"] is True and back["position"] == 1
    time.sleep(1.5)  # the reconnection started this process's timer for the question
    closed = _states(ada)[-1]
    assert closed["phase"] == "question_closed" and closed["standing"]["correct"] is True
    assert closed["score"] > 0 and db.session.query(LiveAnswer).count() == 1


def test_a_question_that_ran_out_while_nothing_served_is_closed_when_the_game_is_next_read(app, game):
    _, ben_http, clients, _ = _start_and_answer(app, game)
    _restart(*clients)
    stored = db.session.get(LiveGame, game.id)
    stored.closes_at = utcnow() - timedelta(seconds=5)
    db.session.commit()
    ben = _connect(app, ben_http)
    time.sleep(0.3)
    state = _states(ben)[-1]
    assert state["phase"] == "question_closed" and state["standing"]["correct"] is None  # Ben gave no answer
    late = ben.emit("answer", {"position": 1, "response": ["1"]}, namespace=NAMESPACE, callback=True)
    assert late["error"]["code"] == "too_late"
    db.session.expire_all()
    assert db.session.get(LiveGame, game.id).phase.value == "question_closed"
