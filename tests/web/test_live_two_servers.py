"""A live game across two server processes, through Redis: the host's socket on one, the players' on the
other, as behind a proxy that spreads connections over several live-game processes (README, "Live games in
production"). Each process pushes only to the sockets it holds, so everything one process does must reach
the other's sockets through REDIS_URL's message queue: the question the host opens on A reaches the players
on B, their answers on B reach the host's count on A, and the close that B makes (everyone has answered)
reaches the host on A with the key and each player on B with a result.

Both are real gunicorn processes (a gthread worker, which holds WebSockets), over one database: a SQLite
file, or a PostgreSQL database when TEST_DATABASE_URL names a server. The players join through the page, as
a phone does (CSRF on, as in production), and connect with the cookie it sets.
"""

from __future__ import annotations

import os
import queue
import re
import uuid

import pytest

from tests.support import require
from tests.support.server_process import Client, Server, csrf_token, prepare_template, sign_in

socketio = pytest.importorskip("socketio")

NAMESPACE = "/live"
REDIS_DB = 12  # a database of the local Redis of its own (the sign-in limits' test has 13)
WAIT = 20  # seconds for any one push


@pytest.fixture
def redis_url(monkeypatch):
    redis = pytest.importorskip("redis")
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        require("QUIZAPP_REQUIRE_REDIS", "no Redis answers at 127.0.0.1:6379 to carry the pushes between servers")
    monkeypatch.setenv("REDIS_URL", url)
    # Publish/subscribe channels ignore the database number: a channel of this test's own, so that no other
    # run on the same Redis pushes into it.
    monkeypatch.setenv("LIVE_REDIS_CHANNEL", f"quizapp-live-test-{uuid.uuid4().hex}")
    monkeypatch.setenv("ASK_SCHOOL_TIME_ZONE", "0")
    return url


@pytest.fixture
def two_servers(tmp_path, redis_url):
    database, seeded = prepare_template("postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite")
    servers = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            servers.append(Server(database, folder, workers=1, threads=16).start())
        yield servers[0], servers[1], seeded
    finally:
        for server in servers:
            server.stop()
        database.drop()


class Socket:
    """A python-socketio client whose pushes wait in one queue, in the order they came."""

    def __init__(self, server: Server, *, cookies: dict[str, str], auth: dict | None = None):
        self.received: queue.Queue = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        for event in ("host_state", "answered", "question", "player_state", "removed"):
            self.client.on(event, self._keeper(event), namespace=NAMESPACE)
        self.client.connect(f"http://127.0.0.1:{server.port}", namespaces=[NAMESPACE], transports=["websocket"],
                            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}, auth=auth,
                            wait_timeout=WAIT)

    def _keeper(self, event):
        return lambda body: self.received.put((event, body))

    def next(self, event: str, until=lambda body: True) -> dict:
        """The first push of ``event`` that satisfies ``until``, skipping the others."""
        while True:
            try:
                name, body = self.received.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no {event} within {WAIT} s")
            if name == event and until(body):
                return body

    def call(self, event: str, body: dict) -> dict:
        return self.client.call(event, body, namespace=NAMESPACE, timeout=WAIT)

    def close(self) -> None:
        self.client.disconnect()


def new_game(host: Client, quiz_id: int) -> int:
    token = csrf_token(host.get("/teach/live/new").text)
    response = host.post("/teach/live/new", form={"csrf_token": token, "quiz_id": quiz_id, "classroom_id": 0,
                                                   "profile": "speed", "seconds": 60, "double": "", "blocked": ""})
    assert response.status == 302, response.text
    return int(re.search(r"/teach/live/(\d+)", response.headers["Location"]).group(1))


def join(server: Server, pin: str, nickname: str) -> Client:
    phone = server.client()
    token = csrf_token(phone.get(f"/play?pin={pin}").text)
    response = phone.post("/play", form={"csrf_token": token, "pin": pin, "nickname": nickname})
    assert response.status == 302, response.text
    assert "live_player" in phone.cookies
    return phone


def test_a_question_played_across_two_servers_through_redis(two_servers):
    a, b, seeded = two_servers
    teacher = sign_in(a, "tina")
    game_id = new_game(teacher, seeded.quizzes["quick-ten"])
    host = Socket(a, cookies=teacher.cookies, auth={"game": game_id})
    sockets = [host]
    try:
        pin = host.next("host_state")["pin"]
        players = {name: Socket(b, cookies=join(b, pin, name).cookies) for name in ("Ada", "Ben")}
        sockets += players.values()
        for player in players.values():
            assert player.next("player_state")["phase"] == "lobby"

        # The host starts on A; the question reaches the phones on B only through Redis.
        assert host.call("move", {"move": "start"}) == {"ok": True}
        questions = {name: p.next("question") for name, p in players.items()}
        assert {q["position"] for q in questions.values()} == {1}
        assert host.next("host_state", lambda s: s["phase"] == "question_open")["position"] == 1

        # Both answer on B; A's host sees them counted.
        for name, player in players.items():
            question = questions[name]["question"]
            response = [question["choices"][0]["id"]] if question.get("choices") else ["something"]
            ack = player.call("answer", {"position": 1, "response": response})
            assert ack["ok"] is True and ack["position"] == 1, ack
        assert host.next("answered", lambda a: a["answered"] == 2) == {"position": 1, "answered": 2, "players": 2}

        # Everyone has answered: B closes the question; the host on A gets the reveal, each phone its result.
        shown = host.next("host_state", lambda s: s["phase"] == "question_closed")
        assert shown["position"] == 1 and shown["reveal"]["answered"] == 2 and shown["reveal"]["correct_answer"]
        assert sorted(s["nickname"] for s in shown["top"]) == ["Ada", "Ben"]
        for name, player in players.items():
            mine = player.next("player_state", lambda s: s["phase"] == "question_closed")
            assert mine["standing"]["nickname"] == name and mine["correct_answer"] == shown["reveal"]["correct_answer"]
            assert mine["players"] == 2

        # And the next move, from A again, reaches B.
        assert host.call("move", {"move": "results"}) == {"ok": True}
        assert host.call("move", {"move": "next"}) == {"ok": True}
        assert {p.next("question")["position"] for p in players.values()} == {2}
    finally:
        for socket in sockets:
            socket.close()
    assert "Traceback" not in a.log() + b.log(), a.log() + b.log()
