"""A real quizapp server for the fault tests: gunicorn in a process group of its own on a free loopback
port, over a database of its own (a SQLite file, or a PostgreSQL database created on the server of
TEST_DATABASE_URL), migrated with ``flask db upgrade`` and loaded with the bundled banks; and a small
HTTP client that keeps cookies, so a test can drive the pages as a browser does.

Everything here is standard library plus SQLAlchemy: a server that cannot start fails the test with
the end of its log, never skips it.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PASSWORD = "correct horse battery"
SECRET_KEY = "fault tests secret"
STUDENTS = 12
NO_LIMITS = "1000000 per minute"

# Run with a migrated database's URL in DATABASE_URL: the bundled banks loaded (as `flask banks load
# questions` does), a teacher, STUDENTS students in one class with an API token each, and the bundled
# "quick-ten" quiz set to the class (open, any number of attempts, the best counts); and "solo", a student
# in no class, with a token, to practise.
SEED = r"""
import json, os, sys
from datetime import timedelta
from sqlalchemy import select
from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Quiz, Role, utcnow
from quizapp.services import classrooms, users
from quizapp.services.banks import loading

questions, password, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"], "SECRET_KEY": "seed",
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
with app.app_context():
    loading.load_files([questions])
    teacher = users.create_user("tina", "Tina Teacher", password, Role.TEACHER)
    classroom = classrooms.create_classroom(teacher, "Faults")
    tokens = {}
    for number in range(1, count + 1):
        student = users.create_user(f"s{number:02d}", f"Student {number}", password)
        classrooms.join(student, classroom.join_code)
        tokens[student.username] = users.issue_token(student, timedelta(days=2))[0]
    # In no class: free to practise the bundled quizzes, which the class's open "Quick ten" can ask and so
    # keeps out of its students' practice.
    solo = users.create_user("solo", "Solo Student", password)
    tokens[solo.username] = users.issue_token(solo, timedelta(days=2))[0]
    quizzes = {quiz.key: quiz.id for quiz in db.session.scalars(select(Quiz))}
    now = utcnow()
    assignment = classrooms.create_assignment(classroom, db.session.get(Quiz, quizzes["quick-ten"]),
                                              now - timedelta(days=1), now + timedelta(days=7))
    print(json.dumps({"tokens": tokens, "quizzes": quizzes, "assignment_id": assignment.id,
                      "classroom_id": classroom.id}))
"""


def require_gunicorn() -> None:
    if importlib.util.find_spec("gunicorn") is None:
        pytest.fail("gunicorn is not installed in this environment: `pip install -e '.[dev]'` installs it")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def _no_control_socket() -> list[str]:
    """gunicorn 27 listens on a control socket at one path per user (~/.gunicorn): not for a test server."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any("--no-control-socket" in (s.cli or []) for s in KNOWN_SETTINGS) else []


def _flask(*args: str) -> list[str]:
    return [PYTHON, "-m", "flask", "--app", "quizapp", *args]


# --- Databases -------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What the seed script made: API tokens by username, quiz ids by key, the assignment."""

    tokens: dict[str, str]
    quizzes: dict[str, int]
    assignment_id: int
    classroom_id: int


class Database:
    """One database for one server: ``url`` for the server, ``engine()`` for the test's own checks."""

    kind: str
    url: str

    def engine(self) -> Engine:
        return create_engine(self.url, poolclass=NullPool)

    def scalar(self, statement, **params):
        engine = self.engine()
        try:
            with engine.connect() as connection:
                return connection.execute(text(statement) if isinstance(statement, str) else statement,
                                          params).scalar()
        finally:
            engine.dispose()

    def rows(self, statement, **params) -> list:
        engine = self.engine()
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(statement) if isinstance(statement, str) else statement,
                                               params))
        finally:
            engine.dispose()

    def drop(self) -> None:
        raise NotImplementedError


class SqliteDatabase(Database):
    kind = "sqlite"

    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / "quizapp.sqlite"
        self.url = "sqlite:///" + str(self.path)

    def files(self) -> list[Path]:
        return [p for p in self.directory.iterdir() if p.name.startswith(self.path.name)]

    def copy(self, name: str) -> SqliteDatabase:
        directory = Path(tempfile.mkdtemp(prefix=f"quizapp-faults-{name}-"))
        for source in self.files():
            shutil.copy2(source, directory / source.name)
        return SqliteDatabase(directory)

    def make_read_only(self) -> None:
        """The file, its -wal and -shm files, and the directory (where SQLite would create them)."""
        for path in self.files():
            path.chmod(0o444)
        self.directory.chmod(0o555)

    def make_writable(self) -> None:
        self.directory.chmod(0o700)
        for path in self.files():
            path.chmod(0o600)

    def drop(self) -> None:
        self.make_writable()
        shutil.rmtree(self.directory, ignore_errors=True)


class PostgresDatabase(Database):
    kind = "postgresql"

    def __init__(self, server_url: str, name: str):
        self.name = name
        self.url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        self._admin_url = make_url(server_url).set(database="postgres")

    def admin(self, statement: str, **params) -> None:
        """Run a statement on the maintenance database, outside a transaction (CREATE/DROP/ALTER DATABASE)."""
        engine = create_engine(self._admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement), params)
        finally:
            engine.dispose()

    def create(self, template: str | None = None) -> PostgresDatabase:
        self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin(f'CREATE DATABASE "{self.name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self

    def copy(self, name: str) -> PostgresDatabase:
        return PostgresDatabase(str(self._admin_url), f"{self.name}_{name}"[:63]).create(template=self.name)

    def refuse_connections(self) -> None:
        """PostgreSQL "stopped" for this database only: no new connections, and the open ones ended."""
        self.admin(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   "WHERE datname = :name AND pid <> pg_backend_pid()", name=self.name)

    def allow_connections(self) -> None:
        self.admin(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')

    def drop(self) -> None:
        self.allow_connections()
        self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def prepare_template(kind: str) -> tuple[Database, Seeded]:
    """A migrated database with the bundled banks and the seed, to be copied for each test."""
    if kind == "sqlite":
        database: Database = SqliteDatabase(Path(tempfile.mkdtemp(prefix="quizapp-faults-template-")))
    else:
        server_url = os.environ["TEST_DATABASE_URL"]
        database = PostgresDatabase(server_url, f"quizapp_faults_{os.getpid()}").create()
    env = {**os.environ, "DATABASE_URL": database.url, "SECRET_KEY": SECRET_KEY}
    try:
        _run(_flask("db", "upgrade"), env, "flask db upgrade")
        seed = [PYTHON, "-c", SEED, str(ROOT / "questions"), PASSWORD, str(STUDENTS)]
        seeded = json.loads(_run(seed, env, "loading the bundled banks and seeding").strip().splitlines()[-1])
    except BaseException:
        database.drop()
        raise
    return database, Seeded(**seeded)


# --- The server ------------------------------------------------------------------------------


def _without_dac_override() -> None:
    """In the child, before exec: as root, give up the capabilities that let root write read-only files,
    so a file made read-only is read-only to the server too (as it is for any other user)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for capability in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "could not drop a capability for the test server")


def _processes():
    """(pid, ppid, pgid) of every live (not zombie) process."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            state, ppid, pgid = stat[stat.rindex(")") + 2:].split()[:3]
            if state != "Z":
                yield int(entry), int(ppid), int(pgid)


def _children(pid: int) -> set[int]:
    return {child for child, ppid, _ in _processes() if ppid == pid}


def _group_members(pgid: int) -> set[int]:
    return {member for member, _, group in _processes() if group == pgid}


@dataclass
class Server:
    database: Database
    log_dir: Path
    workers: int = 3
    threads: int = 4
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    _log: object = field(default=None, repr=False)

    def start(self, timeout: float = 30) -> Server:
        require_gunicorn()
        self.port = free_port()
        self.log_path = self.log_dir / f"gunicorn-{self.port}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop/kill)
        env = {**os.environ, "DATABASE_URL": self.database.url, "SECRET_KEY": SECRET_KEY,
               "ANSWER_RATE_LIMIT": NO_LIMITS, "SIGN_IN_RATE_LIMIT": NO_LIMITS, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "--workers", str(self.workers), "--threads", str(self.threads),
                 "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "2", "--timeout", "60",
                 *_no_control_socket(), "quizapp:create_app()"],
                cwd=self.log_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_without_dac_override,
            )
        except subprocess.SubprocessError as error:
            self._close_log()
            pytest.fail(f"could not start gunicorn ({error}); as root, the test server gives up CAP_DAC_OVERRIDE "
                        "(prctl PR_CAPBSET_DROP, which needs CAP_SETPCAP) so that read-only files are read-only to it")
        self.wait_ready(timeout)
        return self

    def client(self) -> Client:
        return Client("127.0.0.1", self.port)

    def log(self, tail: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:] if self.log_path else ""

    def wait_ready(self, timeout: float = 30) -> None:
        """Until every worker is up and the sign-in page answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            if len(self.worker_pids()) >= self.workers:
                try:
                    if self.client().get("/auth/login").status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.1)
        pytest.fail(f"the server did not answer within {timeout} s:\n{self.log()}")

    def worker_pids(self) -> set[int]:
        return _children(self.process.pid)

    def reload_workers(self, timeout: float = 30) -> None:
        """SIGHUP: gunicorn starts new workers (each with a new app and connection pool) and stops the old."""
        old = self.worker_pids()
        os.kill(self.process.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.worker_pids()
            if len(current) >= self.workers and not current & old:
                return self.wait_ready(max(1.0, deadline - time.monotonic()))
            time.sleep(0.1)
        pytest.fail(f"the workers were not replaced within {timeout} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once (the whole process group)."""
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self._close_log()

    def stop(self) -> None:
        """The whole process group killed, whatever state it is in; safe to call twice."""
        if self.process is not None:
            self.kill()

    def _close_log(self) -> None:
        if self._log is not None and not self._log.closed:
            self._log.close()


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """One request per connection (``Connection: close``); cookies kept, redirects not followed."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, *, json_body=None, form: dict | list | None = None,
                headers: dict[str, str] | None = None) -> Response:
        sent = {"Connection": "close", **self.headers, **(headers or {})}
        body = None
        if json_body is not None:
            body, sent["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            reply = connection.getresponse()
            response = Response(reply.status, reply.headers, reply.read())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if re.search(r"(?i)max-age=0|expires=thu, 01 jan 1970", cookie):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(server: Server, username: str) -> Client:
    """A browser-like client signed in through the form (CSRF on, as in production)."""
    client = server.client()
    token = csrf_token(client.get("/auth/login").text)
    response = client.post("/auth/login", form={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status == 302, response.text
    return client
