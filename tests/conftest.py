"""Fixtures: one migrated database per test session (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test; the app, clients, and builders."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from quizapp import create_app
from quizapp.config import Config
from quizapp.extensions import db, limiter
from quizapp.models import Role
from quizapp.services import users
from quizapp.services.banks import loading

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TINY_BANK = DATA / "tiny.yaml"
PASSWORD = "correct horse battery"


def _reset_database(url: str) -> None:
    """Drop everything, so the session starts from an empty database."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_database(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


class FreshContextClient(FlaskClient):
    """Runs each request in an app context of its own, as a real server does, so a request
    shares neither ``g`` (the signed-in user) nor the database session with the test or
    with the requests before it."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        # Hashing stays real, but cheap: the suite creates hundreds of accounts.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # The suite signs in hundreds of times a minute; the rate_limits fixture sets the real limits.
        "SIGN_IN_RATE_LIMIT": "100000 per minute",
        "ANSWER_RATE_LIMIT": "100000 per minute",
        # Teachers' pages as they are once the school's time zone is chosen (test_school_zone asks for it).
        "ASK_SCHOOL_TIME_ZONE": False,
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Give each test an empty (but migrated) database."""
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def csrf(app):
    """Turn CSRF protection on for one test, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def rate_limits(app):
    """The production rate limits, from a clean slate."""
    relaxed = {name: app.config[name] for name in ("SIGN_IN_RATE_LIMIT", "ANSWER_RATE_LIMIT")}
    app.config.update(SIGN_IN_RATE_LIMIT=Config.SIGN_IN_RATE_LIMIT, ANSWER_RATE_LIMIT=Config.ANSWER_RATE_LIMIT)
    limiter.reset()
    yield app.config
    limiter.reset()
    app.config.update(relaxed)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Build users: ``make_user("ana")`` or ``make_user("tom", role=Role.TEACHER)``."""

    def build(username: str = "student", role: Role = Role.STUDENT, password: str = PASSWORD):
        return users.create_user(username, username.title(), password, role)

    return build


@pytest.fixture
def tiny_bank(app):
    """The six-question test bank, loaded."""
    loading.load_files([TINY_BANK])
    from sqlalchemy import select

    from quizapp.models import Quiz

    return {q.key: q for q in db.session.scalars(select(Quiz))}


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username: str = "student", password: str = PASSWORD):
        return self.client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def student(make_user, auth):
    """A signed-in student."""
    user = make_user("student")
    auth.login("student")
    return user


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


class QueryCounter:
    """Counts the SQL statements run inside a ``with`` block."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: …; q.count`` counts the statements a request runs."""
    return lambda: QueryCounter(db.engine)


def any_response(item) -> list[str]:
    """A well-formed (not necessarily right) raw response to an attempt item."""
    presentation = item.presentation
    if "items" in presentation:
        return [str(i) for i in range(1, len(presentation["items"]) + 1)]
    if "blanks" in presentation:
        return ["something"] * presentation["blanks"]
    if item.question.type == "true_false":
        return ["true"]
    return ["1"]


# The API tests' client and fixtures (spec, api, log_in, ana, ben) live in api_client.py.
from api_client import ana, api, ben, log_in, spec  # noqa: E402,F401

# --- Builders shared by the class, assignment, leaderboard and gradebook tests ---------------

def signed_in(app, username: str):
    """A fresh test client signed in as ``username``."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"could not sign in as {username}"
    return client


def page(response, status: int = 200) -> str:
    """A page's text with entities decoded, for asserting on what a person reads."""
    import html

    assert response.status_code == status, (response.status_code, response.headers.get("Location"))
    return html.unescape(response.get_data(as_text=True))


def raw_for(item, texts):
    """Answer texts as the ids the attempt's presentation gives them."""
    if isinstance(texts, str):
        return [texts]
    shown = item.presentation.get("choices") or item.presentation.get("items")
    return [str(shown.index(t) + 1) for t in texts] if shown else list(texts)


def member(classroom, username: str, name: str | None = None, nickname: str = ""):
    """A new student who has joined ``classroom``."""
    from quizapp.services import classrooms

    user = users.create_user(username, name or username.title(), PASSWORD)
    classrooms.join(user, classroom.join_code, nickname)
    return user


def assign(classroom, quiz, opens=None, closes=None, **options):
    """Set ``quiz`` to the class, open from a week ago to a week ahead unless told otherwise."""
    from datetime import timedelta

    from quizapp.models import utcnow
    from quizapp.services import classrooms

    now = utcnow()
    return classrooms.create_assignment(classroom, quiz, opens or now - timedelta(days=7),
                                        closes or now + timedelta(days=7), **options)


@pytest.fixture
def teacher(make_user):
    return make_user("tina", role=Role.TEACHER)


@pytest.fixture
def classroom(teacher):
    from quizapp.services import classrooms

    return classrooms.create_classroom(teacher, "Year 10 History")


def bank_around(questions: list[dict], source: dict | None = None) -> str:
    """A bank file holding ``questions``, to run imported or drafted questions through the validator."""
    import yaml

    return yaml.safe_dump({
        "version": 1,
        "id": "imported",
        "title": "Imported questions",
        "source": source or {"title": "Imported", "sections": [{"number": 1, "title": "Section 1"}]},
        "questions": questions,
    }, allow_unicode=True, sort_keys=False)
