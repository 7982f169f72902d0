"""Where a transaction starts and ends: one unit of work per public service call.

A public service that writes is decorated with ``@transactional``, or wraps the part that writes in
``with unit_of_work():``. Leaving the unit normally commits; leaving it by an exception rolls back and
re-raises, so that a failing call leaves nothing behind. No other code in ``services`` commits or rolls
back.

Nesting: a unit entered while another is open joins it. Only the outermost unit commits, so a service
that calls another (``copy_bank`` storing a bank through ``store``, ``load_files`` storing several) writes
all of it or none of it. An exception leaving a nested unit rolls the whole transaction back there and
then (a session cannot undo only part of a transaction without a savepoint) and marks the outer unit
failed: should the outer code catch the exception and go on, its unit rolls back what it did after and
raises ``NestedUnitFailed`` rather than commit half of a unit.

How a unit knows it is nested: a depth counter kept in the session's ``info``, so per session. Chosen
over the two alternatives:

- SQLAlchemy's ``in_transaction()`` cannot tell: the session begins a transaction by itself at its first
  query (loading the signed-in user does), so a service always finds one open, nested or not.
- Savepoints (``begin_nested``) would let a failing inner call roll back only its own part, which is not
  the rule wanted here (a failure undoes the whole unit), and SQLite's driver handles SAVEPOINT badly
  unless the connection is set up by hand.
- A context variable would count per thread rather than per session; the tests run each request in an
  app context of its own, and so a session of its own, inside the test's: the count belongs with the
  session whose transaction it is.

Functions that must commit in steps (a retry after a unique-key clash, a write that attempts being
finished must see committed) run one unit per step and say so; retrying only works as the outermost unit.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from quizapp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH = "unit_of_work.depth"
_FAILED = "unit_of_work.failed"
log = logging.getLogger(__name__)


class NestedUnitFailed(RuntimeError):
    """A nested unit of work failed (and rolled back), but the outer one went on as if it had not."""


def depth() -> int:
    """How many units of work are open on this session (0: none)."""
    return db.session.info.get(_DEPTH, 0)


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # the connection may be gone too: the error that got us here is the one to raise
        log.warning("Rolling back a failed unit of work failed as well", exc_info=True)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Begin a unit of work (or join the one open); commit at the end of the outermost, roll back and
    re-raise on an exception. Yields the session."""
    session = db.session()
    outer = session.info.get(_DEPTH, 0)
    if outer == 0:
        session.info[_FAILED] = False
    session.info[_DEPTH] = outer + 1
    try:
        yield session
        if outer == 0:
            if session.info[_FAILED]:
                raise NestedUnitFailed("a nested unit of work failed and was rolled back; this one cannot commit")
            session.commit()
    except BaseException:
        _rollback(session)
        if outer:
            session.info[_FAILED] = True
        raise
    finally:
        session.info[_DEPTH] = outer


def transactional(function: Callable[P, R]) -> Callable[P, R]:
    """Run each call of ``function`` as one unit of work (``unit_of_work``)."""

    @functools.wraps(function)
    def in_unit(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return function(*args, **kwargs)

    return in_unit
