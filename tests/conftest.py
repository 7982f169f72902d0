"""What every layer of the suite needs: the database the session runs on (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), migrated once per session, and the app built on it. A test that uses the app
runs in an app context and finds the database emptied after it (``clean_database``, which the layers with a
database make autouse in their own ``conftest.py``).

The layers, each with its own ``conftest.py``: ``domain`` (pure code: no app, no database), ``fuzz``
(property-based tests of the parsers, also pure), ``services``, ``web`` (pages through Flask's test
client, and real servers), ``api`` (/api/v1) and ``browser`` (Playwright). What they share is in
``tests/support``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text


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
    from flask_migrate import upgrade

    from quizapp import create_app
    from quizapp.extensions import db

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


@pytest.fixture
def clean_database(app):
    """Run the test in an app context, and give the next one an empty (but migrated) database."""
    from quizapp.extensions import db

    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())



def pytest_collection_modifyitems(config, items):
    """A test file belongs in its layer's folder, where its fixtures are: one left directly in tests/ (say,
    from a branch begun before the layers) is named here rather than failing on fixtures it cannot find."""
    here = Path(__file__).parent
    flat = sorted({str(item.path.relative_to(here.parent)) for item in items if item.path.parent == here})
    if flat:
        raise pytest.UsageError(
            "move each into tests/domain, services, web, api or browser (with git mv), and import from "
            "tests.support what it imported from conftest: " + ", ".join(flat))
