"""Faults, against a real server: gunicorn (several workers, several threads each) in its own process
group, on its own database (SQLite here; PostgreSQL too when TEST_DATABASE_URL names a server).

- Many clients sending the same answer at the same instant: one is recorded, one score.
- SIGKILL to the whole server in the middle of the answer load: after a restart every answer a client
  was told was saved is there once, no attempt is half-written, and the server carries on.
- The database going away (SQLite file read-only; PostgreSQL refusing connections): a clear 503 page
  or JSON error with Retry-After, nothing saved, no stack trace; and the next request after it comes
  back works.
"""

from __future__ import annotations

import http.client
import math
import os
import threading
import time
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select, text

import quizapp.student.views as student_views
from quizapp.domain.question_types import question_type
from quizapp.extensions import db
from quizapp.models import Answer, AssignmentResult, Attempt, AttemptItem, ClassStanding
from tests.support.server_process import (
    Server,
    csrf_token,
    prepare_template,
    require_gunicorn,
    sign_in,
)

UNAVAILABLE = "The database is not available just now; nothing was saved. Try again in a moment."
LEAKS = ("Traceback", "sqlalchemy", "OperationalError", "psycopg", "sqlite3", 'File "')

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"),
        reason="PostgreSQL variant: set TEST_DATABASE_URL (the faults use a database of their own on that server)")),
]


# --- Fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def template(request):
    """Migrated, bundled banks loaded, seeded: copied afresh for every test."""
    require_gunicorn()
    database, seeded = prepare_template(request.param)
    yield database, seeded
    database.drop()


@pytest.fixture
def database(template, request):
    copy = template[0].copy(request.node.name.split("[")[0][-20:].strip("_"))
    yield copy
    copy.drop()


@pytest.fixture
def seeded(template):
    return template[1]


@pytest.fixture
def start_server(tmp_path):
    """``start_server(database)``: a running server; every one started is stopped after the test."""
    servers: list[Server] = []

    def start(database, workers: int = 3, threads: int = 4) -> Server:
        server = Server(database, tmp_path, workers=workers, threads=threads)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


# --- Helpers -------------------------------------------------------------------------------------


class ApiUser:
    """A student's token against a running server's /api/v1."""

    def __init__(self, server: Server, token: str):
        self.client = server.client()
        self.client.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str):
        return self.client.get("/api/v1" + path)

    def post(self, path: str, json_body=None):
        return self.client.post("/api/v1" + path, json_body=json_body)

    def start(self, path: str) -> int:
        response = self.post(path)
        assert response.status == 201, response.text
        return response.json()["id"]

    def question(self, attempt_id: int) -> dict | None:
        response = self.get(f"/attempts/{attempt_id}/question")
        assert response.status == 200, response.text
        return response.json()["question"]

    def answer(self, attempt_id: int, question_id: int, raw: list[str]):
        return self.post(f"/attempts/{attempt_id}/answers", {"question_id": question_id, "response": raw})


def any_raw(question: dict) -> list[str]:
    """A well-formed (not necessarily right) response to a question as the API shows it."""
    if "choices" in question:
        return [question["choices"][0]["id"]]
    if "items" in question:
        return [item["id"] for item in question["items"]]
    if "blanks" in question:
        return ["something"] * question["blanks"]
    return ["something"]


def correct_raw(database, attempt_id: int, question_id: int) -> tuple[list[str], int]:
    """The right response to an attempt's question, as choice ids where it has choices; and its points."""
    table = AttemptItem.__table__
    item = database.rows(select(table.c.type, table.c.spec, table.c.presentation, table.c.points)
                         .where(table.c.attempt_id == attempt_id, table.c.question_id == question_id))[0]
    texts = question_type(item.type).correct_answer(item.spec)
    shown = item.presentation.get("choices") or item.presentation.get("items")
    return ([str(shown.index(t) + 1) for t in texts] if shown else list(texts)), item.points


def answers_of(database, attempt_id: int) -> list:
    table = Answer.__table__
    return database.rows(select(table).where(table.c.attempt_id == attempt_id))


def assert_no_leak(body: str) -> None:
    for leak in LEAKS:
        assert leak not in body, f"{leak!r} reached the user:\n{body[:2000]}"


# --- 1. The same answer, many times at once ------------------------------------------------------

THREADS = 12


def test_concurrent_submissions_of_the_same_answer_record_one_answer_and_one_score(
        database, seeded, start_server):
    server = start_server(database)
    student = ApiUser(server, seeded.tokens["solo"])
    attempt_id = student.start(f"/quizzes/{seeded.quizzes['key-points']}/attempts")
    question_id = student.question(attempt_id)["question_id"]
    raw, points = correct_raw(database, attempt_id, question_id)

    barrier = threading.Barrier(THREADS)
    replies: list = [None] * THREADS

    def submit(index: int) -> None:
        try:
            client = ApiUser(server, seeded.tokens["solo"])  # a connection of its own
            barrier.wait(timeout=30)
            replies[index] = client.answer(attempt_id, question_id, raw)
        except Exception as error:  # reported below, with the others
            replies[index] = error

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    failures = [r for r in replies if not hasattr(r, "status")]
    assert not failures, f"{failures}\n{server.log()}"
    assert Counter(r.status for r in replies) == {201: 1, 409: THREADS - 1}, [
        (r.status, r.text[:200]) for r in replies]
    created = next(r.json() for r in replies if r.status == 201)
    assert created["correct"] is True and created["points_awarded"] == points
    for refused in (r for r in replies if r.status == 409):
        assert refused.json()["error"]["code"] == "already_answered"

    stored = answers_of(database, attempt_id)
    assert len(stored) == 1 and stored[0].question_id == question_id and stored[0].points_awarded == points

    result = student.post(f"/attempts/{attempt_id}/finish")
    assert result.status == 200, result.text
    assert result.json()["score"] == points  # counted once, not once per submission
    assert sum(q["answered"] for q in result.json()["questions"]) == 1
    table = Attempt.__table__
    assert database.scalar(select(table.c.score).where(table.c.id == attempt_id)) == points


# --- 2. SIGKILL in the middle of the answer load -------------------------------------------------

LOAD_STUDENTS = 8


class Load:
    """Students answering the assignment as fast as the server lets them, noting what was acknowledged."""

    def __init__(self, server: Server, seeded):
        self.server, self.seeded = server, seeded
        self.lock = threading.Lock()
        self.answers: list[tuple[str, int, int, list[str]]] = []  # (who, attempt, question, response): got a 201
        self.finishes: dict[int, float] = {}  # attempt -> score: got a 200
        self.unexpected: list[str] = []
        self.cut_off = 0  # students whose request failed because the server went away
        self.threads = [threading.Thread(target=self._drive, args=(f"s{n:02d}",)) for n in range(1, LOAD_STUDENTS + 1)]

    def start(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in self.threads)

    def _drive(self, username: str) -> None:
        student = ApiUser(self.server, self.seeded.tokens[username])
        try:
            while True:
                started = student.post(f"/assignments/{self.seeded.assignment_id}/attempts")
                if started.status != 201:
                    return self._note(f"start: {started.status} {started.text[:300]}")
                attempt_id = started.json()["id"]
                while True:
                    shown = student.get(f"/attempts/{attempt_id}/question")
                    if shown.status != 200:
                        return self._note(f"question: {shown.status} {shown.text[:300]}")
                    question = shown.json()["question"]
                    if question is None:
                        finished = student.post(f"/attempts/{attempt_id}/finish")
                        if finished.status != 200:
                            return self._note(f"finish: {finished.status} {finished.text[:300]}")
                        with self.lock:
                            self.finishes[attempt_id] = finished.json()["score"]
                        break
                    reply = student.answer(attempt_id, question["question_id"], any_raw(question))
                    if reply.status != 201:
                        return self._note(f"answer: {reply.status} {reply.text[:300]}")
                    with self.lock:
                        self.answers.append((username, attempt_id, question["question_id"], reply.json()["response"]))
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.cut_off += 1
        except Exception as error:
            self._note(repr(error))

    def _note(self, what: str) -> None:
        with self.lock:
            self.unexpected.append(what)


def assert_consistent(database) -> None:
    """No attempt half-written: each has all its items and the points they add up to; every answer
    belongs to one of its attempt's items, once; a finished attempt's score is the sum of its answers
    (an unfinished one has none yet); and the assignment results and class standings count exactly
    the finished attempts."""
    attempt, item, answer = Attempt.__table__, AttemptItem.__table__, Answer.__table__
    attempts = {row.id: row for row in database.rows(select(attempt))}
    assert attempts
    items = database.rows(select(item.c.attempt_id, func.count(), func.min(item.c.position),
                                 func.max(item.c.position), func.sum(item.c.points))
                          .group_by(item.c.attempt_id))
    by_attempt = {row[0]: row[1:] for row in items}
    for attempt_id, row in attempts.items():
        assert attempt_id in by_attempt, f"attempt {attempt_id} has no items"
        count, first, last, points = by_attempt[attempt_id]
        assert (count, first, last) == (10, 1, 10), (attempt_id, count, first, last)
        assert row.max_score == points, (attempt_id, row.max_score, points)

    answers = database.rows(select(answer))
    pairs = Counter((a.attempt_id, a.question_id) for a in answers)
    assert max(pairs.values(), default=1) == 1, [p for p, n in pairs.items() if n > 1]
    asked = {(row.attempt_id, row.question_id) for row in database.rows(select(item.c.attempt_id, item.c.question_id))}
    assert set(pairs) <= asked, set(pairs) - asked
    totals: dict[int, float] = defaultdict(float)
    for a in answers:
        totals[a.attempt_id] += a.points_awarded
    for attempt_id, row in attempts.items():
        if row.finished_at is None:
            assert row.score == 0, (attempt_id, row.score)
        else:
            total = totals[attempt_id]
            assert math.isclose(row.score, total, abs_tol=1e-9), (attempt_id, row.score, total)

    finished: dict[int, list[float]] = defaultdict(list)
    for row in attempts.values():
        if row.finished_at is not None:
            finished[row.user_id].append(row.score)
    results = {row.user_id: row for row in database.rows(select(AssignmentResult.__table__))}
    assert set(results) == set(finished), (sorted(results), sorted(finished))
    standings = {row.user_id: row for row in database.rows(select(ClassStanding.__table__))}
    for user_id, scores in finished.items():
        assert results[user_id].attempts_used == len(scores), (user_id, results[user_id].attempts_used, scores)
        assert math.isclose(results[user_id].score, max(scores)), (user_id, results[user_id].score, scores)
        assert math.isclose(standings[user_id].score, results[user_id].score), user_id


def test_a_server_killed_mid_load_keeps_every_acknowledged_answer_and_no_half_written_attempt(
        database, seeded, start_server):
    server = start_server(database)
    load = Load(server, seeded).start()
    deadline = time.monotonic() + 30
    while (len(load.answers) < 30 or not load.finishes) and time.monotonic() < deadline:
        assert not load.unexpected, load.unexpected
        time.sleep(0.02)
    assert len(load.answers) >= 30 and load.finishes, (len(load.answers), load.finishes, server.log())
    server.kill()  # master and workers, mid-request
    load.join()
    assert not load.unexpected, load.unexpected
    assert load.cut_off == LOAD_STUDENTS  # every student was still answering when the server died

    restarted = start_server(database)
    answer_table = Answer.__table__
    stored = Counter()
    responses = {}
    for row in database.rows(select(answer_table.c.attempt_id, answer_table.c.question_id, answer_table.c.response)):
        stored[(row.attempt_id, row.question_id)] += 1
        responses[(row.attempt_id, row.question_id)] = row.response
    for _, attempt_id, question_id, response in load.answers:
        assert stored[(attempt_id, question_id)] == 1, f"acknowledged answer {attempt_id}/{question_id} missing"
        assert responses[(attempt_id, question_id)] == response
    attempt_table = Attempt.__table__
    for attempt_id, score in load.finishes.items():
        row = database.rows(select(attempt_table).where(attempt_table.c.id == attempt_id))[0]
        assert row.finished_at is not None and row.score == score, (attempt_id, row.score, score)
    assert_consistent(database)

    # The restarted server carries on: an acknowledged answer is still refused as a repeat, and each
    # student answers on in the attempt the crash interrupted and finishes it.
    username, attempt_id, question_id, response = load.answers[-1]
    repeat = ApiUser(restarted, seeded.tokens[username]).answer(attempt_id, question_id, response)
    assert repeat.status == 409 and repeat.json()["error"]["code"] in {"already_answered", "attempt_finished"}
    for number in range(1, LOAD_STUDENTS + 1):
        student = ApiUser(restarted, seeded.tokens[f"s{number:02d}"])
        attempt_id = student.start(f"/assignments/{seeded.assignment_id}/attempts")
        if (question := student.question(attempt_id)) is not None:
            reply = student.answer(attempt_id, question["question_id"], any_raw(question))
            assert reply.status == 201, reply.text
        result = student.post(f"/attempts/{attempt_id}/finish")
        assert result.status == 200, result.text
        total = sum(a.points_awarded for a in answers_of(database, attempt_id))
        assert math.isclose(result.json()["score"], total)
    assert_consistent(database)


# --- 3. The database going away ------------------------------------------------------------------


def test_the_database_going_away_gives_a_clear_503_and_the_app_recovers(database, seeded, start_server):
    server = start_server(database, workers=2, threads=2)
    student = ApiUser(server, seeded.tokens["solo"])
    api_attempt = student.start(f"/quizzes/{seeded.quizzes['faqs']}/attempts")
    api_question = student.question(api_attempt)
    browser = sign_in(server, "solo")
    started = browser.post(f"/quizzes/{seeded.quizzes['who-is-who']}/start",
                           form={"csrf_token": csrf_token(browser.get("/quizzes").text)})
    assert started.status == 302, started.text
    page_attempt = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    form_page = browser.get(f"/attempts/{page_attempt}")
    assert form_page.status == 200
    page_question = student.question(page_attempt)  # the same question the page shows
    page_form = {"csrf_token": csrf_token(form_page.text), "question_id": page_question["question_id"],
                 "response": any_raw(page_question)}

    if database.kind == "sqlite":
        database.make_read_only()
        # An open SQLite connection keeps the file open for writing whatever its permissions become, so
        # the fault reaches the app through new connections: gunicorn's workers are replaced (SIGHUP, as
        # on a deploy) while the file is read-only, and open theirs read-only.
        server.reload_workers()
    else:
        database.refuse_connections()
    try:
        by_api = student.answer(api_attempt, api_question["question_id"], any_raw(api_question))
        assert by_api.status == 503, by_api.text
        assert by_api.headers.get_content_type() == "application/json"
        assert by_api.headers["Retry-After"].isdigit()
        assert by_api.json() == {"error": {"status": 503, "code": "database_unavailable", "message": UNAVAILABLE}}

        by_page = browser.post(f"/attempts/{page_attempt}/answer", form=page_form)
        assert by_page.status == 503, by_page.text
        assert by_page.headers.get_content_type() == "text/html"
        assert by_page.headers["Retry-After"].isdigit()
        assert UNAVAILABLE in by_page.text and "Database unavailable" in by_page.text
        assert_no_leak(by_page.text)

        # Pages that only read: SQLite in WAL mode still reads a read-only file (the -shm file is there);
        # PostgreSQL refusing connections gives the same clear page.
        reading = [browser.get("/history"), browser.get(f"/attempts/{page_attempt}")]
        api_reading = student.get(f"/attempts/{api_attempt}")
        for response in [*reading, api_reading]:
            assert_no_leak(response.text)
        if database.kind == "sqlite":
            assert [r.status for r in reading] == [200, 200], [(r.status, r.text[:300]) for r in reading]
            assert api_reading.status == 200 and api_reading.json()["answered"] == 0
        else:
            for response in reading:
                assert response.status == 503 and UNAVAILABLE in response.text, response.text[:300]
            assert api_reading.status == 503 and api_reading.json()["error"]["code"] == "database_unavailable"
    finally:
        if database.kind == "sqlite":
            database.make_writable()
        else:
            database.allow_connections()

    assert answers_of(database, api_attempt) == [] and answers_of(database, page_attempt) == []
    assert "The database is unavailable" in server.log(100_000)

    # Back: the very next requests work, through the API and through the page.
    again = student.answer(api_attempt, api_question["question_id"], any_raw(api_question))
    assert again.status == 201, again.text
    saved = browser.post(f"/attempts/{page_attempt}/answer", form=page_form)
    assert saved.status == 302, saved.text
    assert browser.get(saved.headers["Location"]).status == 200
    assert len(answers_of(database, api_attempt)) == 1 and len(answers_of(database, page_attempt)) == 1


# --- What is not an outage -----------------------------------------------------------------------


def test_a_mistake_in_sql_is_still_a_500_not_a_database_outage(app, client, student, monkeypatch):
    """sqlite3 reports a mistake in the SQL as an OperationalError too: that must not pass for an outage."""

    def broken(user):
        db.session.execute(text("SELECT no_such_column FROM no_such_table"))

    monkeypatch.setattr(student_views, "quiz_summaries", broken)
    response = client.get("/quizzes")
    assert response.status_code == 500 and "Retry-After" not in response.headers
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert_no_leak(response.get_data(as_text=True))
