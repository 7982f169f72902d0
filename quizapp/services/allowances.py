"""What each student gets at an assignment: when it closes for them and how many attempts they have.
The class's terms, unless the teacher extended them for the student (``AssignmentExtension``): a later
close and attempts on top of the class's. Every check of "still open for this student" reads them here,
so that starting, deadlines, the dashboard and key secrecy agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentExtension


@dataclass(frozen=True)
class Allowance:
    closes_at: datetime
    attempts_allowed: int | None  # None: as many as the student likes


def _combine(assignment: Assignment, extension: AssignmentExtension | None) -> Allowance:
    closes_at, allowed = assignment.closes_at, assignment.attempts_allowed
    if extension is not None:
        if extension.closes_at is not None and extension.closes_at > closes_at:
            closes_at = extension.closes_at
        if allowed is not None:
            allowed += extension.extra_attempts
    return Allowance(closes_at, allowed)


def allowance(assignment: Assignment, user_id: int) -> Allowance:
    """The student's close and attempts at the assignment (one query)."""
    extension = db.session.scalar(select(AssignmentExtension).where(
        AssignmentExtension.assignment_id == assignment.id, AssignmentExtension.user_id == user_id))
    return _combine(assignment, extension)


def allowances(assignments: Iterable[Assignment], user_id: int) -> dict[int, Allowance]:
    """The student's close and attempts at each of these assignments, by assignment id (one query)."""
    assignments = list(assignments)
    extensions = {e.assignment_id: e for e in db.session.scalars(select(AssignmentExtension).where(
        AssignmentExtension.assignment_id.in_([a.id for a in assignments]), AssignmentExtension.user_id == user_id
    ))} if assignments else {}
    return {a.id: _combine(a, extensions.get(a.id)) for a in assignments}


def extension_join(user_id):
    """``(AssignmentExtension, on-clause)`` for an outer join of the student's extension to Assignment;
    ``user_id`` may be a value or a bound parameter."""
    return AssignmentExtension, and_(AssignmentExtension.assignment_id == Assignment.id,
                                     AssignmentExtension.user_id == user_id)


# SQL for the student's close and attempts, over Assignment outer-joined to their extension.
student_closes_at = case(
    (AssignmentExtension.closes_at > Assignment.closes_at, AssignmentExtension.closes_at),
    else_=Assignment.closes_at,
)
student_attempts_allowed = Assignment.attempts_allowed + func.coalesce(AssignmentExtension.extra_attempts, 0)


def still_to_close(now):
    """SQL: the assignment closes after ``now`` for the student whose extension is joined."""
    return or_(Assignment.closes_at > now, AssignmentExtension.closes_at > now)
