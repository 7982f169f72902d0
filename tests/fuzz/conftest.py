"""Property-based tests of the importers and the bank parser (Hypothesis): pure code like the domain
layer's, with no app and no database, but minutes rather than seconds of it, so kept apart from it."""

from __future__ import annotations

import pytest

APP_FIXTURES = {"app", "clean_database", "database_url"}


@pytest.fixture(autouse=True)
def _no_app(request):
    used = APP_FIXTURES & set(request.fixturenames)
    assert not used, f"{request.node.nodeid} asks for {sorted(used)}: a test of the app belongs in another layer"
