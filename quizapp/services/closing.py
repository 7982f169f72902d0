"""Finishing attempts, which recounts the assignment results that leaderboards and gradebooks read
(``results.refresh_result``).

Closing an attempt past its deadline is a write like any other, done at three moments: by the next
write that touches the attempt (an answer, a finish, a new start, a change to the assignment), by
``flask attempts close-overdue`` (run by cron), and when the app starts. Reads never close anything:
until it is closed, an overdue attempt counts as finished at its deadline with the score its answers
have (``results.pending_results``, ``results.as_finished``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update

from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Attempt, utcnow
from quizapp.services.results import forget_shown, refresh_result, shown_as_finished
from quizapp.services.unit_of_work import unit_of_work


def lock(attempt: Attempt) -> datetime | None:
    """Lock the attempt's row until the transaction ends (PostgreSQL; SQLite has one writer at a
    time anyway) and return whether, and when, it is finished, as the database has it now."""
    return db.session.execute(
        select(Attempt.finished_at).where(Attempt.id == attempt.id).with_for_update()
    ).scalar_one()


def finish(attempt: Attempt, at: datetime) -> bool:
    """Total the score, mark the attempt finished at ``at`` and recount the assignment result.
    Returns False if another request finished it first.

    The row lock makes an answer being recorded either land before the total or be refused,
    and the total is summed inside the UPDATE, so no answer is left out of the score.
    """
    with unit_of_work():
        lock(attempt)
        total = select(func.coalesce(func.sum(Answer.points_awarded), 0)).where(Answer.attempt_id == attempt.id)
        forget_shown(attempt)
        result = db.session.execute(
            update(Attempt)
            .where(Attempt.id == attempt.id, Attempt.finished_at.is_(None))
            .values(finished_at=at, score=total.scalar_subquery())
        )
        finished = result.rowcount > 0  # else another request finished it first
        db.session.refresh(attempt)
        if finished and attempt.assignment_id is not None:
            refresh_result(db.session.get(Assignment, attempt.assignment_id), attempt.user_id)
    return finished


def close_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """Finish the attempt at its deadline if that has passed (also when a read showed it finished without
    closing it: ``results.as_finished``); True if it is (now) finished. For write paths only."""
    if shown_as_finished(attempt) or (
        attempt.finished_at is None and attempt.deadline_at is not None and now >= attempt.deadline_at
    ):
        finish(attempt, attempt.deadline_at)
    return attempt.finished_at is not None


def close_overdue(assignment_ids: Iterable[int], now: datetime | None = None) -> int:
    """Finish every attempt at these assignments whose deadline has passed; how many were."""
    ids = list(assignment_ids)
    if not ids:
        return 0
    overdue = db.session.scalars(
        select(Attempt).where(Attempt.finished_at.is_(None), Attempt.deadline_at <= (now or utcnow()),
                              Attempt.assignment_id.in_(ids))
    ).all()
    return sum(finish(attempt, attempt.deadline_at) for attempt in overdue)


def close_all_overdue(now: datetime | None = None) -> int:
    """Finish every attempt, practice or assignment, whose deadline has passed: ``flask attempts
    close-overdue`` (cron) and the app's start. How many were."""
    overdue = db.session.scalars(
        select(Attempt).where(Attempt.finished_at.is_(None), Attempt.deadline_at <= (now or utcnow()))
        .order_by(Attempt.id)
    ).all()
    return sum(finish(attempt, attempt.deadline_at) for attempt in overdue)
