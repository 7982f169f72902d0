"""Fixtures the layers that run on the app and its database share. A layer's ``conftest.py`` imports the
ones it needs (``from tests.support.fixtures import make_user, …``), which makes them fixtures there."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.config import Config
from quizapp.extensions import db, limiter
from quizapp.models import Bank, Quiz, Role
from quizapp.services import classrooms, users
from quizapp.services.banks import loading, sharing
from tests.support import PASSWORD, TINY_BANK
from tests.support.pages import Auth, QueryCounter, signed_in


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
    return {q.key: q for q in db.session.scalars(select(Quiz))}


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def student(make_user, auth):
    """A signed-in student."""
    user = make_user("student")
    auth.login("student")
    return user


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: …; q.count`` counts the statements a request runs."""
    return lambda: QueryCounter(db.engine)


@pytest.fixture
def teacher(make_user):
    return make_user("tina", role=Role.TEACHER)


@pytest.fixture
def classroom(teacher):
    return classrooms.create_classroom(teacher, "Year 10 History")


@pytest.fixture
def tina(app, teacher):
    """The teacher, signed in: a test client with her session."""
    return signed_in(app, "tina")


@pytest.fixture
def own_bank(teacher, tiny_bank):
    """The teacher's own copy of the tiny bank."""
    return sharing.copy_bank(db.session.scalar(select(Bank).where(Bank.key == "tiny")), teacher)

