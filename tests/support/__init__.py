"""What the layers of the suite share: where the test data is, the builders (users, banks, classes,
assignments, answers), the page helpers, the API client and the server process helper.

Plain modules, imported as ``tests.support.…``; the fixtures among them are made available to a layer by
its own ``conftest.py``, which imports the ones that layer needs."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
DATA = TESTS / "data"
VENDOR = TESTS / "vendor"
TINY_BANK = DATA / "tiny.yaml"
PASSWORD = "correct horse battery"


def require(variable: str, reason: str) -> None:
    """Skip the test for want of ``reason``, or fail it when ``variable`` is 1 (QUIZAPP_REQUIRE_BROWSER,
    QUIZAPP_REQUIRE_REDIS: as in CI, where a missing browser or Redis is a broken machine, not a test to
    leave out)."""
    import os

    import pytest

    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {reason}", pytrace=False)
    pytest.skip(reason)
