"""Answer load benchmark: N students answer the same quiz at once through the JSON API under gunicorn.

Builds a fresh database (migrations and the bundled banks through the `flask` command, a class of
students with a year of results through bench/leaderboard.py's bulk loader), serves quizapp with
gunicorn on a free loopback port, and has N students answer every question of the same quiz
concurrently, with keep-alive HTTP clients. It times every answer, checks afterwards that each
acknowledged answer (201) is stored exactly once and nothing else is, and measures in the same
run a minimal Flask + Flask-SQLAlchemy app (bench/minimal_app.py) that stores one row per POST,
on the same server settings: the ratio of the two is the figure to watch. A second round of
answers runs while a teacher and a student keep reading the leaderboards and the gradebook of the
class. See bench/README.md.

    .venv/bin/python bench/answers.py                    # SQLite, in a new folder under /tmp
    .venv/bin/python bench/answers.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/quizapp_bench
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64encode
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (ROOT, BENCH):  # `python bench/answers.py` without an installed quizapp
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import leaderboard as boards_bench  # noqa: E402  (bench/leaderboard.py: its database setup and bulk loader)
import minimal_app  # noqa: E402
from sqlalchemy import create_engine, event, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import Answer, Attempt, AttemptItem, Quiz, Role, User  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = boards_bench.PASSWORD
HASH_METHOD = boards_bench.HASH_METHOD  # cheap but real: signing in is not what is measured
SECRET_KEY = "answers bench secret"
RATE_LIMIT = "1000000 per minute"  # the real limiter runs on every answer, with a limit the bench never reaches
USERNAME_PREFIX = "load"
BOARD_TARGET_MS = 50.0  # p95 of a leaderboard, which students reload while a quiz runs
GRADEBOOK_TARGET_MS = 500.0  # p95 of a page of the gradebook, which a teacher opens now and then
RATIO_TARGETS = {"sqlite": 0.7, "postgresql": 0.6}  # quizapp's answers per second over the one-insert app's
IDLE_BOARD_ROUNDS = 20  # reads of each board with no answers coming in, for comparison


def log(message: str = "") -> None:
    print(message, flush=True)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


# --------------------------------------------------------------------------- HTTP client


class Client:
    """One keep-alive HTTP/1.1 connection to the server, with the cookies it was given.

    A request that fails is never retried: a repeated POST could store an answer twice in the
    client's books. A connection idle for a second is reopened first, before gunicorn's
    keep-alive timeout (2 s) closes it under a request.
    """

    def __init__(self, port: int):
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, http.client.HTTPResponse | None]:
        now = time.perf_counter()
        if self.connection is None or now - self.last_used > 1.0:
            self.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, b"", None
        finally:
            self.last_used = time.perf_counter()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, data, response

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def json_headers(token: str | None = None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


@dataclass
class Call:
    """One timed request: where, what, and the key it is checked by afterwards."""

    path: str
    body: bytes
    headers: dict[str, str]
    key: tuple[int, int]


@dataclass
class LoadResult:
    name: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    acknowledged: list[tuple[int, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def run_load(name: str, port: int, plans: list[list[Call]], concurrency: int, server_pid: int) -> LoadResult:
    """Send every plan's calls in order, the plans spread over ``concurrency`` connections.

    Each plan is one student's answers, in order, as a person answers one question after another.
    Connection k carries students k, k + concurrency, …, round robin, so every student is under way
    at once rather than one after the other.
    """
    result = LoadResult(name)
    lanes = [plans[k::concurrency] for k in range(concurrency)]
    lanes = [lane for lane in lanes if lane]
    lock = threading.Lock()
    start = threading.Barrier(len(lanes) + 1)

    def lane_worker(lane: list[list[Call]]) -> None:
        client = Client(port)
        latencies, statuses, acked, failures = [], Counter(), [], []
        start.wait()
        longest = max(len(plan) for plan in lane)
        for step in range(longest):
            for plan in lane:
                if step >= len(plan):
                    continue
                call = plan[step]
                began = time.perf_counter()
                status, data, _ = client.request("POST", call.path, call.body, call.headers)
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] += 1
                if status == 201:
                    acked.append(call.key)
                elif len(failures) < 5:
                    failures.append(f"POST {call.path} {call.body[:200]!r}: HTTP {status} {data[:300]!r}")
        client.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.statuses.update(statuses)
            result.acknowledged.extend(acked)
            result.failures.extend(failures)

    threads = [threading.Thread(target=lane_worker, args=(lane,), daemon=True) for lane in lanes]
    for thread in threads:
        thread.start()
    cpu_before, server_before = time.process_time(), server_cpu_seconds(server_pid)
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    result.client_cpu_s = time.process_time() - cpu_before
    result.server_cpu_s = server_cpu_seconds(server_pid) - server_before
    return result


def merged(name: str, parts: list[LoadResult]) -> LoadResult:
    """Slices of one load, added up."""
    total = LoadResult(name)
    for part in parts:
        total.seconds += part.seconds
        total.latencies_ms += part.latencies_ms
        total.statuses.update(part.statuses)
        total.acknowledged += part.acknowledged
        total.failures += part.failures
        total.server_cpu_s += part.server_cpu_s
        total.client_cpu_s += part.client_cpu_s
    return total


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time used so far by gunicorn's worker processes (Linux /proc; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        ticks = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def parallel(function: Callable, items: list, concurrency: int) -> list:
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(function, items))


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn started for the benchmark, and stopped by it (never left running)."""

    def __init__(self, name: str, app_spec: str, env: dict[str, str], args, workdir: Path,
                 chdir: Path, ready_path: str):
        self.name = name
        self.port = free_port()
        self.log_path = workdir / f"gunicorn-{name}.log"
        command = [str(BIN / "gunicorn"), "--workers", str(args.workers), "--threads", str(args.threads),
                   "--bind", f"127.0.0.1:{self.port}", "--chdir", str(chdir), "--graceful-timeout", "20",
                   "--error-logfile", str(self.log_path), app_spec]
        self.command = " ".join(command[1:])
        self.process = subprocess.Popen(command, env=env, cwd=chdir, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                sys.exit(f"gunicorn ({name}) exited with {self.process.returncode}:\n{self.tail()}")
            status, _, _ = Client(self.port).request("GET", ready_path)
            if status == 200:
                return
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn ({name}) did not answer GET {ready_path} within 60 s:\n{self.tail()}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-40:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ANSWER_RATE_LIMIT": RATE_LIMIT,
        "SIGN_IN_RATE_LIMIT": RATE_LIMIT,
        # The teacher's pages measured, not the question of the school's time zone they open with.
        "ASK_SCHOOL_TIME_ZONE": "0",
        "FLASK_APP": "quizapp",
        "PYTHONPATH": str(ROOT),
    })
    return env


def flask_command(env: dict[str, str], *arguments: str) -> None:
    """Run ``flask --app quizapp …`` as `make db` does."""
    command = [str(BIN / "flask"), "--app", "quizapp", *arguments]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[1:])} failed:\n{done.stdout}\n{done.stderr}")


# --------------------------------------------------------------------------- setup


def refuse_foreign_database(url: str) -> None:
    """The bench resets the database it is given: only one whose name says it is for benchmarks."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and "bench" not in (parsed.database or ""):
        sys.exit(f"refusing to reset the PostgreSQL database {parsed.database!r}: the benchmark drops its "
                 "schema; give a database whose name contains 'bench', e.g. quizapp_bench")


def minimal_database(target: boards_bench.Target, workdir: Path) -> str:
    """A database of its own for the minimal app, of the same kind as quizapp's."""
    if target.kind == "sqlite":
        return f"sqlite:///{workdir / 'minimal.sqlite'}"
    url = make_url(target.url)
    name = f"{url.database}_minimal"
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            connection.execute(text(f"CREATE DATABASE {maintenance.dialect.identifier_preparer.quote(name)}"))
    maintenance.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def in_process_app(url: str):
    return create_app({
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": HASH_METHOD,
        "ANSWER_RATE_LIMIT": RATE_LIMIT,
        "SIGN_IN_RATE_LIMIT": RATE_LIMIT,
    })


def add_students(url: str, count: int, prefix: str = USERNAME_PREFIX) -> list[str]:
    """Bulk-insert students sharing one cheap password hash (the services' path would take minutes)."""
    password_hash = generate_password_hash(PASSWORD, method=HASH_METHOD)
    now = datetime.now(UTC)
    names = [f"{prefix}{i:05d}" for i in range(1, count + 1)]
    engine = create_engine(url)
    with engine.begin() as connection:
        boards_bench.insert_rows(connection, User.__table__, [{
            "username": name, "display_name": f"Load Student {i}", "password_hash": password_hash,
            "role": Role.STUDENT, "created_at": now,
        } for i, name in enumerate(names, start=1)])
    engine.dispose()
    return names


def response_for(item_type: str, presentation: dict):
    """A well-formed (not necessarily right) response, as the JSON API takes it (cf. tests' any_response)."""
    if "items" in presentation:
        return [str(i) for i in range(1, len(presentation["items"]) + 1)]
    if "blanks" in presentation:
        return ["something"] * presentation["blanks"]
    if item_type == "true_false":
        return True
    return "1"


def count_queries_per_answer(app, quiz_id: int) -> tuple[int, list[str]]:
    """Statements run by one POST /attempts/{id}/answers, counted in-process (Flask test client)."""
    add_students(app.config["SQLALCHEMY_DATABASE_URI"], 1, prefix="probe")
    client = app.test_client()
    token = client.post("/api/v1/tokens", auth=("probe00001", PASSWORD)).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    attempt = client.post(f"/api/v1/quizzes/{quiz_id}/attempts", headers=headers).get_json()
    with app.app_context():
        engine = db.engine
        item = db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt["id"])
                                  .order_by(AttemptItem.position)).first()
        body = {"question_id": item.question_id, "response": response_for(item.type, item.presentation)}
        db.session.remove()
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.post(f"/api/v1/attempts/{attempt['id']}/answers", json=body, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if response.status_code != 201:
        sys.exit(f"the probe answer failed: HTTP {response.status_code} {response.get_data(as_text=True)[:500]}")
    return len(statements), statements


@dataclass
class Round:
    """One round of answers: each student's attempt and the calls that answer it."""

    attempt_ids: list[int]
    plans: list[list[Call]]

    @property
    def answers(self) -> int:
        return sum(len(plan) for plan in self.plans)


def start_round(port: int, url: str, tokens: list[str], quiz_id: int, concurrency: int) -> Round:
    """Every student starts an attempt at the quiz (untimed); the answers are read off the stored items."""

    def start(token: str) -> int:
        status, data, _ = Client(port).request("POST", f"/api/v1/quizzes/{quiz_id}/attempts", b"",
                                               json_headers(token))
        if status != 201:
            sys.exit(f"starting an attempt failed: HTTP {status} {data[:500]!r}")
        return json.loads(data)["id"]

    attempt_ids = parallel(start, tokens, concurrency)
    engine = create_engine(url)
    items: dict[int, list] = {}
    with engine.connect() as connection:
        for row in connection.execute(
            select(AttemptItem.attempt_id, AttemptItem.question_id, AttemptItem.type, AttemptItem.presentation)
            .where(AttemptItem.attempt_id.in_(attempt_ids)).order_by(AttemptItem.attempt_id, AttemptItem.position)
        ):
            items.setdefault(row.attempt_id, []).append(row)
    engine.dispose()
    plans = []
    for attempt_id, token in zip(attempt_ids, tokens, strict=True):
        headers = json_headers(token)
        plans.append([Call(f"/api/v1/attempts/{attempt_id}/answers",
                           json.dumps({"question_id": row.question_id,
                                       "response": response_for(row.type, row.presentation)}).encode(),
                           headers, (attempt_id, row.question_id))
                      for row in items[attempt_id]])
    return Round(attempt_ids, plans)


def minimal_plans(rounds: Round) -> list[list[Call]]:
    """The same requests, one for one, for the minimal app: same sizes, same spread over connections."""
    return [[Call("/entries", json.dumps({"attempt_id": call.key[0], **json.loads(call.body)}).encode(),
                  {"Content-Type": "application/json"}, call.key) for call in plan] for plan in rounds.plans]


# --------------------------------------------------------------------------- boards under load


@dataclass
class BoardRoute:
    name: str
    path: str
    client: Client
    headers: dict[str, str]
    samples_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)


def teacher_session(port: int, username: str) -> Client:
    """A browser-like client signed in through the form (with its CSRF token)."""
    client = Client(port)
    status, page, _ = client.request("GET", "/auth/login")
    match = re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    if status != 200 or not match:
        sys.exit(f"no sign-in form with a CSRF token at /auth/login (HTTP {status})")
    form = urlencode({"username": username, "password": PASSWORD, "csrf_token": match.group(1).decode()})
    status, _, _ = client.request("POST", "/auth/login", form.encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        sys.exit(f"could not sign in as {username} through the form: HTTP {status}")
    return client


def token_for(port: int, username: str) -> str:
    basic = b64encode(f"{username}:{PASSWORD}".encode()).decode()
    status, data, _ = Client(port).request("POST", "/api/v1/tokens", b"", {"Authorization": f"Basic {basic}"})
    if status != 201:
        sys.exit(f"POST /api/v1/tokens as {username}: HTTP {status} {data[:300]!r}")
    return json.loads(data)["token"]


def board_routes(port: int, built, viewer: str, assignment_id: int) -> list[BoardRoute]:
    student_token, teacher_token = token_for(port, viewer), token_for(port, "teacher")
    classroom = built.classroom_id
    student, teacher = Client(port), teacher_session(port, "teacher")
    api_teacher = Client(port)
    routes = [
        BoardRoute("assignment board (API, student)", f"/api/v1/assignments/{assignment_id}/leaderboard",
                   student, json_headers(student_token)),
        BoardRoute("class board (API, student)", f"/api/v1/classes/{classroom}/leaderboard",
                   student, json_headers(student_token)),
        BoardRoute("gradebook page (teacher)", f"/teach/classes/{classroom}/gradebook", teacher, {}),
        BoardRoute("gradebook (API, teacher)", f"/api/v1/classes/{classroom}/gradebook",
                   api_teacher, json_headers(teacher_token)),
    ]
    for route in routes:  # warm up, and make sure each one answers
        status, data, _ = route.client.request("GET", route.path, None, route.headers)
        if status != 200:
            sys.exit(f"GET {route.path}: HTTP {status} {data[:300]!r}")
    return routes


def read_boards(routes: list[BoardRoute], stop: threading.Event, rounds: int | None = None) -> None:
    """Read every route in turn, back to back, until ``stop`` is set (or for ``rounds`` rounds)."""
    done = 0
    while not stop.is_set() and (rounds is None or done < rounds):
        for route in routes:
            began = time.perf_counter()
            status, _, _ = route.client.request("GET", route.path, None, route.headers)
            route.samples_ms.append((time.perf_counter() - began) * 1000)
            route.statuses[status] += 1
        done += 1


def fresh_copies(routes: list[BoardRoute]) -> list[BoardRoute]:
    return [BoardRoute(r.name, r.path, r.client, r.headers) for r in routes]


# --------------------------------------------------------------------------- checking


def check_answers(url: str, attempt_ids: list[int], acknowledged: list[tuple[int, int]]) -> tuple[bool, str]:
    """Every acknowledged (attempt, question) is stored exactly once, and nothing else is."""
    engine = create_engine(url)
    stored: Counter = Counter()
    with engine.connect() as connection:
        for start in range(0, len(attempt_ids), 500):
            part = attempt_ids[start:start + 500]
            stored.update(tuple(row) for row in connection.execute(
                select(Answer.attempt_id, Answer.question_id).where(Answer.attempt_id.in_(part))))
        finished = connection.scalar(select(Attempt.id).where(Attempt.id.in_(attempt_ids[:500]),
                                                              Attempt.finished_at.is_not(None)).limit(1))
    engine.dispose()
    acked = Counter(acknowledged)
    twice_acked = [k for k, n in acked.items() if n > 1]
    missing = [k for k in acked if k not in stored]
    extra = [k for k in stored if k not in acked]
    duplicated = [k for k, n in stored.items() if n > 1]
    ok = not (twice_acked or missing or extra or duplicated)
    summary = (f"{len(acknowledged):,} acknowledged answers, {sum(stored.values()):,} stored rows for "
               f"{len(attempt_ids):,} attempts: ")
    if ok:
        summary += "each acknowledged answer stored exactly once, nothing else stored"
    else:
        summary += (f"MISMATCH: {len(missing)} acknowledged but not stored {missing[:5]}, {len(extra)} stored but "
                    f"not acknowledged {extra[:5]}, {len(duplicated)} stored twice {duplicated[:5]}, "
                    f"{len(twice_acked)} acknowledged twice {twice_acked[:5]}")
    if finished is not None:
        summary += " (note: some attempts were finished)"
    return ok, summary


# --------------------------------------------------------------------------- report


def load_row(result: LoadResult) -> str:
    lat = result.latencies_ms
    per_request = 1000 * result.server_cpu_s / len(lat) if lat else 0.0
    errors = sum(n for status, n in result.statuses.items() if status != 201)
    return (f"{result.name:<34} {len(lat):>8,} {result.rate:>9.1f} {percentile(lat, 50):>7.1f} "
            f"{percentile(lat, 95):>7.1f} {percentile(lat, 99):>7.1f} {max(lat):>8.1f} {per_request:>7.2f} "
            f"{errors:>6}")


def board_table(title: str, routes: list[BoardRoute]) -> None:
    log(title)
    header = f"  {'route':<58} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>8}  p95 under its target"
    log(header)
    for route in routes:
        samples = route.samples_ms
        if not samples:
            log(f"  {route.name:<58} {0:>5}")
            continue
        bad = {s: n for s, n in route.statuses.items() if s != 200}
        p95 = percentile(samples, 95)
        target = GRADEBOOK_TARGET_MS if "gradebook" in route.name else BOARD_TARGET_MS
        verdict = f"{'yes' if p95 < target else 'NO'} ({target:g} ms)"
        log(f"  {route.name + ' ' + route.path:<58} {len(samples):>5} {percentile(samples, 50):>7.1f} "
            f"{p95:>7.1f} {max(samples):>8.1f}  {verdict}" + (f"  errors {bad}" if bad else ""))


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="SQLAlchemy URL (default: $DATABASE_URL, else a new SQLite file under /tmp). A "
                             "PostgreSQL database is created if missing and its schema reset; its name must "
                             "contain 'bench'. The minimal app gets <name>_minimal beside it.")
    parser.add_argument("--students", type=int, default=200, help="students answering at once (default 200)")
    parser.add_argument("--quiz", default="whole-article", help="bundled quiz they all take (default whole-article, "
                        "41 questions)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `make serve`)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1: sync "
                        "workers, as `make serve`)")
    parser.add_argument("--concurrency", type=int, default=32,
                        help="client connections sending answers at once (default 32)")
    parser.add_argument("--class-size", type=int, default=5000,
                        help="students in the class whose boards and gradebook are read during the second "
                             "round (default 5000; 0 skips the boards)")
    parser.add_argument("--class-answers", type=int, default=200,
                        help="stored answers per class student (default 200: 1,000,000 for 5,000)")
    parser.add_argument("--slices", type=int, default=6,
                        help="round 1 is sent in this many slices, alternately to each app (default 6)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    concurrency = min(args.concurrency, args.students)
    if min(args.students, concurrency, args.workers, args.threads, args.slices) < 1:
        parser.error("need at least one student, worker, thread, connection and slice")
    if 0 < args.class_size < 20:
        parser.error("--class-size: 0, or at least 20")
    if args.database_url:
        refuse_foreign_database(args.database_url)

    workdir = Path(tempfile.mkdtemp(prefix="quizapp-answers-"))
    target = boards_bench.prepare_database(args.database_url, keep=False)
    servers: list[Server] = []
    try:
        return run(args, concurrency, target, workdir, servers)
    finally:
        for server in servers:
            server.stop()
        target.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, concurrency: int, target, workdir: Path, servers: list) -> int:
    log(f"database: {target.kind} {boards_bench.server_version(target)} — {target.where}")
    env = server_env(target.url)
    instance_config = ROOT / "instance" / "config.py"
    if instance_config.exists():
        log(f"note: {instance_config} exists and the served app reads it; the bench sets its settings "
            "through the environment")

    started = time.perf_counter()
    flask_command(env, "db", "upgrade")
    flask_command(env, "banks", "load", "questions")
    log(f"migrated and loaded the bundled banks with the flask command: {time.perf_counter() - started:.1f} s")

    app = in_process_app(target.url)
    built = viewer = None
    if args.class_size:
        log(f"building a class of {args.class_size:,} students with {args.class_size * args.class_answers:,} "
            "answers (bench/leaderboard.py's loader):")
        started = time.perf_counter()
        spec = SimpleNamespace(students=args.class_size, answers=args.class_size * args.class_answers,
                               assignments=10)
        built = boards_bench.build(app, target, spec, random.Random(args.seed))
        _, viewer = boards_bench.pick_viewer(app, built, built.assignment_ids[0])
        log(f"  class built in {time.perf_counter() - started:.1f} s; board viewer {viewer}")
        viewer = viewer.split(":")[0]
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.key == args.quiz))
        db.session.remove()
    if quiz_id is None:
        sys.exit(f"no bundled quiz {args.quiz!r}")
    queries, statements = count_queries_per_answer(app, quiz_id)
    with app.app_context():
        db.engine.dispose()
    log(f"queries per answer (POST /api/v1/attempts/{{id}}/answers, in-process): {queries}")
    for statement in statements:
        log(f"    {statement[:150]}")
    usernames = add_students(target.url, args.students)
    log(f"{args.students} students added; {concurrency} client connections; gunicorn --workers {args.workers} "
        f"--threads {args.threads}; {os.cpu_count()} CPUs, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    # Both servers run side by side (the idle one costs nothing) and take round 1 in slices, in turns
    # (minimal, quizapp, quizapp, minimal, …), so that other work on the machine weighs on both alike.
    server = Server("quizapp", "quizapp:create_app()", env, args, workdir, ROOT, "/api/v1/openapi.json")
    servers.append(server)
    tokens = parallel(lambda name: token_for(server.port, name), usernames, concurrency)
    first = start_round(server.port, target.url, tokens, quiz_id, concurrency)
    log(f"round 1: {len(first.plans)} attempts at {args.quiz!r}, {first.answers:,} answers to send, "
        f"in {args.slices} slices taken in turns with the minimal app")
    minimal_url = minimal_database(target, workdir)
    minimal_app.create_schema(minimal_url)
    minimal_env = dict(env, MINIMAL_DATABASE_URL=minimal_url)
    mini_server = Server("minimal", "minimal_app:create_app()", minimal_env, args, workdir, BENCH, "/")
    servers.append(mini_server)
    warm = [[Call("/entries", b'{"question_id": 0, "response": "warm-up"}',
                  {"Content-Type": "application/json"}, (0, i))] for i in range(4 * concurrency)]
    run_load("warm-up", mini_server.port, warm, concurrency, mini_server.pid)
    mini_plans = minimal_plans(first)
    longest = max(len(plan) for plan in first.plans)
    bounds = [round(longest * i / args.slices) for i in range(args.slices + 1)]
    ours_parts, minimal_parts = [], []
    for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        turns = [("minimal", mini_server, mini_plans, minimal_parts), ("quizapp", server, first.plans, ours_parts)]
        for _name, where, plans, parts in (turns if i % 2 == 0 else turns[::-1]):
            parts.append(run_load("", where.port, [plan[a:b] for plan in plans], concurrency, where.pid))
    ours = merged("quizapp, answers alone", ours_parts)
    minimal = merged("minimal app (one insert)", minimal_parts)
    mini_server.stop()
    servers.remove(mini_server)
    minimal_rows = minimal_app.count_entries(minimal_url) - len(warm)
    log(load_row(minimal))
    log(load_row(ours))

    idle_routes, loaded_routes, second = [], [], None
    if built is not None:
        routes = board_routes(server.port, built, viewer, built.assignment_ids[0])
        idle_routes = fresh_copies(routes)
        read_boards(idle_routes, threading.Event(), rounds=IDLE_BOARD_ROUNDS)
        second = start_round(server.port, target.url, tokens, quiz_id, concurrency)
        loaded_routes = fresh_copies(routes)
        stop = threading.Event()
        # Two readers: a student refreshing both leaderboards, and a teacher refreshing the gradebook
        # (page and API), each back to back, so that the slow gradebook does not thin out the boards.
        readers = [threading.Thread(target=read_boards, args=(group, stop), daemon=True)
                   for group in (loaded_routes[:2], loaded_routes[2:])]
        for reader in readers:
            reader.start()
        loaded = run_load("quizapp, answers + boards", server.port, second.plans, concurrency, server.pid)
        stop.set()
        for reader in readers:
            reader.join()
        log(load_row(loaded))
    server.stop()
    servers.remove(server)

    # ------------------------------------------------------------------ report
    log("")
    log(f"database: {target.kind} {boards_bench.server_version(target)}; gunicorn --workers {args.workers} "
        f"--threads {args.threads}; {concurrency} keep-alive client connections in this process; "
        f"{args.students} students x {len(first.plans[0])} questions of {args.quiz!r}; {os.cpu_count()} CPUs")
    header = (f"{'':<34} {'answers':>8} {'per s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>8} "
              f"{'cpu ms':>7} {'errors':>6}")
    log(header)
    log("-" * len(header))
    log(load_row(minimal))
    log(load_row(ours))
    results = [ours]
    if second is not None:
        log(load_row(loaded))
        results.append(loaded)
    log("cpu ms: CPU time of gunicorn's workers per answer (on PostgreSQL the database server's share is not in it; "
        "with boards, their requests' share is in it)")
    ratio = ours.rate / minimal.rate if minimal.rate else float("nan")
    wanted = RATIO_TARGETS.get(target.kind, RATIO_TARGETS["postgresql"])
    verdict = "meets" if ratio >= wanted else "misses"
    log(f"ratio quizapp / minimal app: {ratio:.2f}x ({verdict} the {wanted}x target on {target.kind})")
    log(f"queries per answer: {queries}")
    if built is not None:
        board_table(f"boards of the class of {args.class_size:,}, idle ({IDLE_BOARD_ROUNDS} rounds, before round 2):",
                    idle_routes)
        board_table("boards of the class during round 2 of answers (a student reading both leaderboards and a "
                    "teacher the gradebook, each back to back):", loaded_routes)

    ok = True
    rounds = [(first, ours)] + ([(second, loaded)] if second is not None else [])
    attempt_ids = [a for r, _ in rounds for a in r.attempt_ids]
    acknowledged = [k for _, result in rounds for k in result.acknowledged]
    consistent, summary = check_answers(target.url, attempt_ids, acknowledged)
    log(f"check: {summary}")
    ok &= consistent
    for result in results + [minimal]:
        errors = sum(n for status, n in result.statuses.items() if status != 201)
        if errors:
            ok = False
            log(f"{result.name}: {errors} requests not acknowledged: {dict(result.statuses)}")
            for failure in result.failures[:5]:
                log(f"    {failure}")
    if minimal_rows != len(minimal.acknowledged):
        ok = False
        log(f"minimal app: {len(minimal.acknowledged)} acknowledged, {minimal_rows} rows stored")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
