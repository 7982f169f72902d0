"""The live games' socket through Flask-SocketIO's test client: who may connect, every event authorised
on the server, what each side is pushed, and the key kept from the phones until the question closes."""

from __future__ import annotations

import pytest

from quizapp.domain.live_game import Phase
from quizapp.extensions import db, socketio
from quizapp.live.events import NAMESPACE, PLAYER_COOKIE
from quizapp.models import LiveAnswer, LiveGame, Role
from quizapp.services import live_games as live
from tests.support.pages import signed_in


@pytest.fixture
def game(teacher, tiny_bank):
    return live.create_game(teacher, tiny_bank["everything"], seconds=30)


def _host(app, game, username="tina"):
    client = signed_in(app, username)
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client, auth={"game": game.id})


def _player(app, game, nickname):
    client = app.test_client()
    response = client.post("/play", data={"pin": game.pin, "nickname": nickname})
    assert response.status_code == 302, response.get_data(as_text=True)
    return socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)


def _last(client, name):
    received = [m for m in client.get_received(NAMESPACE) if m["name"] == name]
    assert received, f"no {name} received"
    return received[-1]["args"][0]


def test_the_host_connects_and_sees_the_lobby_with_the_players(app, game):
    ada = _player(app, game, "Ada")
    host = _host(app, game)
    state = _last(host, "host_state")
    assert state["phase"] == "lobby" and state["pin"] == game.pin
    assert [p["nickname"] for p in state["players"]] == ["Ada"]
    assert _last(ada, "player_state")["phase"] == "lobby"


def test_nobody_but_the_host_may_connect_as_host(app, game, make_user):
    make_user("olga", role=Role.TEACHER)
    make_user("ana")
    for username in ("olga", "ana"):
        assert not _host(app, game, username).is_connected(NAMESPACE)
    anonymous = socketio.test_client(app, namespace=NAMESPACE, auth={"game": game.id})
    assert not anonymous.is_connected(NAMESPACE)


def test_a_forged_player_token_is_refused(app, game):
    client = socketio.test_client(app, namespace=NAMESPACE, auth={"token": "forged"})
    assert not client.is_connected(NAMESPACE)


def test_a_whole_question_over_the_socket(app, game):
    ada, ben = _player(app, game, "Ada"), _player(app, game, "Ben")
    host = _host(app, game)
    assert host.emit("move", {"move": "start"}, namespace=NAMESPACE, callback=True) == {"ok": True}
    question = _last(ada, "question")
    assert question["question"]["prompt"] == "When did the harbour open?"
    assert "1901" not in str({k: v for k, v in question["question"].items() if k != "choices"})
    assert all(set(c) == {"id", "text", "shape", "colour"} for c in question["question"]["choices"])
    assert question["server_now"] and question["closes_at"]
    right = next(c["id"] for c in question["question"]["choices"] if c["text"] == "1901")
    ack = ada.emit("answer", {"position": 1, "response": [right]}, namespace=NAMESPACE, callback=True)
    assert ack["ok"] is True and "correct" not in ack  # received, not judged: the key stays on the server
    assert _last(host, "answered") == {"position": 1, "answered": 1, "players": 2}
    again = ada.emit("answer", {"position": 1, "response": [right]}, namespace=NAMESPACE, callback=True)
    assert again["error"]["code"] == "already_answered"
    wrong = next(c["id"] for c in question["question"]["choices"] if c["text"] == "1910")
    ben.emit("answer", {"position": 1, "response": [wrong]}, namespace=NAMESPACE, callback=True)
    # everyone has answered: the question closes by itself, and each phone gets its own result
    mine = _last(ada, "player_state")
    assert mine["phase"] == "question_closed" and mine["standing"]["correct"] is True
    assert mine["standing"]["rank"] == 1 and mine["correct_answer"] == ["1901"]
    assert _last(ben, "player_state")["standing"]["correct"] is False
    shown = _last(host, "host_state")
    assert shown["phase"] == "question_closed" and shown["reveal"]["correct_answer"] == ["1901"]
    late = ben.emit("answer", {"position": 1, "response": [right]}, namespace=NAMESPACE, callback=True)
    assert late["error"]["code"] == "too_late"
    assert db.session.query(LiveAnswer).count() == 2


def test_only_the_host_moves_and_illegal_moves_are_refused(app, game):
    ada = _player(app, game, "Ada")
    refused = ada.emit("move", {"move": "start"}, namespace=NAMESPACE, callback=True)
    assert refused["error"]["code"] == "forbidden"
    host = _host(app, game)
    assert host.emit("move", {"move": "next"}, namespace=NAMESPACE, callback=True)["error"]["code"] == "illegal_move"
    assert host.emit("move", {"move": "jump"}, namespace=NAMESPACE, callback=True)["error"]["code"] == "invalid"
    db.session.expire_all()
    assert db.session.get(LiveGame, game.id).phase is Phase.LOBBY


def test_a_removed_player_is_told_disconnected_and_cannot_come_back(app, game):
    client = app.test_client()
    client.post("/play", data={"pin": game.pin, "nickname": "Ada"})
    ada = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)
    _player(app, game, "Ben")
    host = _host(app, game)
    ada_id = next(p["id"] for p in _last(host, "host_state")["players"] if p["nickname"] == "Ada")
    assert host.emit("remove", {"player": ada_id}, namespace=NAMESPACE, callback=True) == {"ok": True}
    assert not ada.is_connected(NAMESPACE)  # told, then disconnected: nothing more reaches her phone
    assert [p["nickname"] for p in _last(host, "host_state")["players"]] == ["Ben"]
    again = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)
    assert not again.is_connected(NAMESPACE)  # her cookie is refused from now on


@pytest.mark.parametrize("body", [None, [], "start", {"move": 3}, {"move": ["start"]}])
def test_a_malformed_host_event_is_refused_with_a_reason(app, game, body):
    host = _host(app, game)
    assert host.emit("move", body, namespace=NAMESPACE, callback=True)["error"]["code"] == "invalid"
    for event, bad in (("remove", {"player": True}), ("remove", ["x"]), ("lock", {"locked": "yes"}), ("lock", 1)):
        assert host.emit(event, bad, namespace=NAMESPACE, callback=True)["error"]["code"] == "invalid"


@pytest.mark.parametrize("body", [None, "x", {"position": "1", "response": ["1"]}, {"position": 1},
                                  {"position": 1, "response": []}, {"position": 1, "response": ["x" * 600]},
                                  {"position": 1, "response": [{"a": 1}]}])
def test_a_malformed_answer_is_refused(app, game, body):
    ada = _player(app, game, "Ada")
    host = _host(app, game)
    host.emit("move", {"move": "start"}, namespace=NAMESPACE, callback=True)
    assert ada.emit("answer", body, namespace=NAMESPACE, callback=True)["error"]["code"] == "invalid"


def test_a_player_reconnecting_finds_the_same_score_and_question(app, game):
    client = app.test_client()
    client.post("/play", data={"pin": game.pin, "nickname": "Ada"})
    ada = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)
    _player(app, game, "Ben")  # who has not answered yet: the question stays open
    host = _host(app, game)
    host.emit("move", {"move": "start"}, namespace=NAMESPACE, callback=True)
    question = _last(ada, "question")
    right = next(c["id"] for c in question["question"]["choices"] if c["text"] == "1901")
    ada.emit("answer", {"position": 1, "response": [right]}, namespace=NAMESPACE, callback=True)
    ada.disconnect(NAMESPACE)
    again = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=client)  # the cookie brings her back
    state = _last(again, "player_state")
    assert state["phase"] == "question_open" and state["answered"] is True
    # The score she had before answering: the answer's points come with the reveal, or a reconnection
    # would tell her whether she was right before the question closed.
    assert state["score"] == 0
    assert client.get_cookie(PLAYER_COOKIE) is not None


def test_a_phone_flooding_answers_is_told_to_wait(app, game, rate_limits):
    rate_limits["ANSWER_RATE_LIMIT"] = "2 per minute"
    ada = _player(app, game, "Ada")
    _player(app, game, "Ben")
    host = _host(app, game)
    host.emit("move", {"move": "start"}, namespace=NAMESPACE, callback=True)
    replies = [ada.emit("answer", {"position": 1, "response": ["1"]}, namespace=NAMESPACE, callback=True)
               for _ in range(3)]
    assert replies[0]["ok"] and replies[1]["error"]["code"] == "already_answered"
    assert replies[2]["error"]["code"] == "too_many_requests" and "wait" in replies[2]["error"]["message"]


def test_a_phone_connecting_in_the_lobby_shows_its_player_on_the_host_screen(app, game):
    host = _host(app, game)
    host.get_received(NAMESPACE)
    _player(app, game, "Ada")
    assert [p["nickname"] for p in _last(host, "host_state")["players"]] == ["Ada"]


def test_a_pages_only_process_has_no_socket(database_url):
    """`make serve`'s sync workers (LIVE_SOCKET=0): /socket.io/ is a quick 404, not a long poll that would
    hold a worker; the live process serves it."""
    from quizapp import create_app

    pages = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
                        "LIVE_SOCKET": False})
    client = pages.test_client()
    assert client.get("/socket.io/?EIO=4&transport=polling").status_code == 404
    assert client.get("/play").status_code == 200
