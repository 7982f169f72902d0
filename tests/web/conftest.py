"""The web layer: the pages through Flask's test client (a fresh app context per request, as a real
server gives), the commands, and a few tests against real server processes; on a database emptied after
every test."""

from __future__ import annotations

import pytest

from tests.support.api_client import ana, api, log_in, spec  # noqa: F401 (fixtures)
from tests.support.fixtures import (  # noqa: F401 (fixtures)
    auth,
    classroom,
    client,
    count_queries,
    csrf,
    make_user,
    own_bank,
    rate_limits,
    runner,
    student,
    teacher,
    tina,
    tiny_bank,
)


@pytest.fixture(autouse=True)
def _clean_database(clean_database):
    """Every test runs in an app context, and the next one finds the database empty."""
