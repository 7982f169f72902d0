"""The API layer: /api/v1 through ``tests.support.api_client``, which checks every response against the
served OpenAPI document; on a database emptied after every test."""

from __future__ import annotations

import pytest

from tests.support.api_client import ana, api, ben, log_in, spec  # noqa: F401 (fixtures)
from tests.support.fixtures import (  # noqa: F401 (fixtures)
    classroom,
    client,
    make_user,
    rate_limits,
    teacher,
    tiny_bank,
)


@pytest.fixture(autouse=True)
def _clean_database(clean_database):
    """Every test runs in an app context, and the next one finds the database empty."""
