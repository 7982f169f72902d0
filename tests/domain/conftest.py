"""The domain layer: pure functions of ``quizapp.domain``, run with no app and no database, so that
``pytest tests/domain`` takes seconds. A test here that asks for the app (or a fixture built on it) fails."""

from __future__ import annotations

import pytest

APP_FIXTURES = {"app", "clean_database", "database_url"}


@pytest.fixture(autouse=True)
def _no_app(request):
    used = APP_FIXTURES & set(request.fixturenames)
    assert not used, f"{request.node.nodeid} asks for {sorted(used)}: a test of the app belongs in another layer"
