"""The services layer: ``quizapp.services`` (and the commands over them) on a real database, emptied
after every test."""

from __future__ import annotations

import pytest

from tests.support.api_client import api, log_in, spec  # noqa: F401 (fixtures)
from tests.support.fixtures import (  # noqa: F401 (fixtures)
    classroom,
    client,
    csrf,
    make_user,
    own_bank,
    runner,
    teacher,
    tiny_bank,
)


@pytest.fixture(autouse=True)
def _clean_database(clean_database):
    """Every test runs in an app context, and the next one finds the database empty."""
