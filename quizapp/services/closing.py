"""Finishing attempts, and recounting the assignment results that leaderboards and gradebooks
read. This is the one place that changes those results.

An attempt past its deadline is finished at its deadline by whichever request touches it
next; pages that read many attempts at once (leaderboards, gradebook, dashboard) first close
the overdue ones among them with ``close_overdue``, so a student who walked away is counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select, update

from quizapp.domain.standings import Outcome, counted_result
from quizapp.extensions import db
from quizapp.models import Answer, Assignment, AssignmentResult, Attempt, ClassStanding, Membership, utcnow


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
    lock(attempt)
    total = select(func.coalesce(func.sum(Answer.points_awarded), 0)).where(Answer.attempt_id == attempt.id)
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.finished_at.is_(None))
        .values(finished_at=at, score=total.scalar_subquery())
    )
    if result.rowcount == 0:
        db.session.rollback()
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    if attempt.assignment_id is not None:
        refresh_result(db.session.get(Assignment, attempt.assignment_id), attempt.user_id)
    db.session.commit()
    return True


def close_if_overdue(attempt: Attempt, now: datetime) -> bool:
    """Finish the attempt at its deadline if that has passed; True if it is (now) finished."""
    if attempt.finished_at is None and attempt.deadline_at is not None and now >= attempt.deadline_at:
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


def refresh_result(assignment: Assignment, user_id: int) -> AssignmentResult | None:
    """Recount the student's result on the assignment from their finished attempts, and their
    standing in the class (no commit). Only current members have results."""
    is_member = db.session.scalar(
        select(Membership.id).where(Membership.classroom_id == assignment.classroom_id, Membership.user_id == user_id)
    )
    if is_member is None:
        return None
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id, Attempt.user_id == user_id,
                              Attempt.finished_at.is_not(None))
    ).all()
    counted = counted_result(
        [Outcome(a.score, a.max_score, a.seconds or 0.0, a.finished_at) for a in attempts], assignment.counting.value
    )
    result = db.session.scalar(
        select(AssignmentResult).where(AssignmentResult.assignment_id == assignment.id,
                                       AssignmentResult.user_id == user_id)
    )
    if counted is None:
        return result
    if result is None:
        result = AssignmentResult(assignment_id=assignment.id, user_id=user_id)
        db.session.add(result)
    result.score, result.max_score, result.seconds = counted.score, counted.max_score, counted.seconds
    result.finished_at, result.attempts_used = counted.finished_at, counted.attempts_used
    db.session.flush()
    refresh_standing(assignment.classroom_id, user_id)
    return result


def refresh_standing(classroom_id: int, user_id: int) -> None:
    """Sum the student's counted results over the class's assignments (archived ones aside) into their
    standing."""
    count, score, max_score, seconds, finished_at = db.session.execute(
        select(func.count(), func.sum(AssignmentResult.score), func.sum(AssignmentResult.max_score),
               func.sum(AssignmentResult.seconds), func.max(AssignmentResult.finished_at))
        .join(Assignment, Assignment.id == AssignmentResult.assignment_id)
        .where(Assignment.classroom_id == classroom_id, Assignment.archived_at.is_(None),
               AssignmentResult.user_id == user_id)
    ).one()
    standing = db.session.scalar(
        select(ClassStanding).where(ClassStanding.classroom_id == classroom_id, ClassStanding.user_id == user_id)
    )
    if not count:
        if standing is not None:
            db.session.delete(standing)
        return
    if standing is None:
        standing = ClassStanding(classroom_id=classroom_id, user_id=user_id)
        db.session.add(standing)
    standing.score, standing.max_score, standing.seconds = float(score), float(max_score), int(seconds)
    standing.finished_at = finished_at


def forget_member(classroom_id: int, user_id: int) -> None:
    """Take a removed student off the class's results and boards (their attempts stay; no commit)."""
    assignment_ids = select(Assignment.id).where(Assignment.classroom_id == classroom_id)
    db.session.execute(delete(AssignmentResult).where(AssignmentResult.user_id == user_id,
                                                      AssignmentResult.assignment_id.in_(assignment_ids)))
    db.session.execute(delete(ClassStanding).where(ClassStanding.classroom_id == classroom_id,
                                                   ClassStanding.user_id == user_id))


def recount_member(classroom_id: int, user_id: int) -> None:
    """Count a (re)joining student's finished attempts at the class's assignments (no commit)."""
    for assignment in db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom_id,
                                 Assignment.id.in_(select(Attempt.assignment_id).where(Attempt.user_id == user_id)))
    ):
        refresh_result(assignment, user_id)
