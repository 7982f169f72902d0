"""Counted results: each student's result on an assignment and their standing in the class, kept in
``AssignmentResult`` and ``ClassStanding`` for the boards, the gradebook and the homes to read one row
per student; and the running score of an attempt under way.

The stored rows change only when an attempt is finished (``closing.finish`` calls ``refresh_result``) or a
student leaves or rejoins a class. An attempt past its deadline and not yet closed (the student walked
away; ``closing.close_overdue`` will finish it at its deadline) counts as finished at its deadline with the
score its answers have: the readers ask ``pending_results`` for the results as they will be once it is
closed, and show those, without writing anything.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, delete, func, literal, select, tuple_, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.domain.standings import Outcome, counted_result
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    AssignmentResult,
    Attempt,
    AttemptItem,
    ClassStanding,
    Membership,
    utcnow,
)


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


@dataclass(frozen=True)
class RunningScore:
    """How an attempt is going: points so far, and the right answers in a row up to the latest."""

    points: float
    out_of: float
    streak: int


def running_score(attempt: Attempt) -> RunningScore:
    """The points the attempt's answers have earned so far, of the points of the questions answered, and
    its current streak (one query)."""
    rows = db.session.execute(
        select(Answer.points_awarded, Answer.is_correct, AttemptItem.points)
        .join(AttemptItem, and_(AttemptItem.attempt_id == Answer.attempt_id,
                                AttemptItem.question_id == Answer.question_id))
        .where(Answer.attempt_id == attempt.id).order_by(Answer.answered_at, Answer.id)
    ).all()
    streak = 0
    for row in reversed(rows):
        if not row.is_correct:
            break
        streak += 1
    return RunningScore(round(sum(r.points_awarded for r in rows), 2), float(sum(r.points for r in rows)), streak)


# --- Overdue attempts, counted without writing -------------------------------------------------------

def overdue(now):
    """SQL: the attempt is unfinished and past its deadline; it counts as finished at its deadline."""
    return and_(Attempt.finished_at.is_(None), Attempt.deadline_at <= now)


def running(now):
    """SQL: the attempt is under way: unfinished, and not past its deadline."""
    return and_(Attempt.finished_at.is_(None), (Attempt.deadline_at.is_(None)) | (Attempt.deadline_at > now))


@dataclass(frozen=True)
class PendingResults:
    """The counted results that closing the overdue attempts will store, by (assignment id, user id): each
    an ``AssignmentResult`` not in the session (nothing is written), counted as ``refresh_result`` counts.
    ``new``: the pairs that have no stored result yet."""

    results: dict[tuple[int, int], AssignmentResult] = field(default_factory=dict)
    new: frozenset[tuple[int, int]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.results)

    def for_user(self, user_id: int) -> dict[int, AssignmentResult]:
        return {a: r for (a, u), r in self.results.items() if u == user_id}


NOTHING_PENDING = PendingResults()


def pending_results(assignment_ids: Iterable[int], now: datetime | None = None,
                    user_ids: Iterable[int] | None = None) -> PendingResults:
    """The results the overdue attempts of these assignments (of these students, with ``user_ids``) will
    give once closed; current members only, as ``refresh_result``. One query when there are none, the
    usual case (the partial index on unfinished attempts with a deadline answers it)."""
    ids = list(assignment_ids)
    if not ids:
        return NOTHING_PENDING
    now = now or utcnow()
    query = (
        select(Attempt.assignment_id, Attempt.user_id).distinct()
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Membership, (Membership.classroom_id == Assignment.classroom_id)
              & (Membership.user_id == Attempt.user_id))
        .where(Attempt.assignment_id.in_(ids), overdue(now))
    )
    if user_ids is not None:
        query = query.where(Attempt.user_id.in_(list(user_ids)))
    pairs = [tuple(p) for p in db.session.execute(query)]
    if not pairs:
        return NOTHING_PENDING
    answered = (select(func.coalesce(func.sum(Answer.points_awarded), 0)).where(Answer.attempt_id == Attempt.id)
                .scalar_subquery())
    outcomes: dict[tuple[int, int], list[Outcome]] = defaultdict(list)
    for attempt, points in db.session.execute(
        select(Attempt, answered)
        .where(tuple_(Attempt.assignment_id, Attempt.user_id).in_(pairs),
               Attempt.finished_at.is_not(None) | overdue(now))
    ):
        finished_at = attempt.finished_at or attempt.deadline_at
        score = attempt.score if attempt.finished_at is not None else float(points)
        seconds = round((finished_at - attempt.started_at).total_seconds(), 1)  # as Attempt.seconds
        outcomes[attempt.assignment_id, attempt.user_id].append(Outcome(score, attempt.max_score, seconds, finished_at))
    counting = dict(db.session.execute(
        select(Assignment.id, Assignment.counting).where(Assignment.id.in_({a for a, _ in pairs}))
    ).all())
    stored = {(a, u) for a, u in db.session.execute(
        select(AssignmentResult.assignment_id, AssignmentResult.user_id)
        .where(tuple_(AssignmentResult.assignment_id, AssignmentResult.user_id).in_(pairs))
    )}
    results = {}
    for (assignment_id, user_id), found in outcomes.items():
        counted = counted_result(found, counting[assignment_id].value)
        if counted is not None:
            results[assignment_id, user_id] = AssignmentResult(
                assignment_id=assignment_id, user_id=user_id, score=counted.score, max_score=counted.max_score,
                seconds=counted.seconds, finished_at=counted.finished_at, attempts_used=counted.attempts_used)
    return PendingResults(results, frozenset(set(results) - stored))


_shown: weakref.WeakSet[Attempt] = weakref.WeakSet()


def shown_as_finished(attempt: Attempt) -> bool:
    """Whether ``as_finished`` shows this attempt finished though it is not closed yet."""
    return attempt in _shown


def forget_shown(attempt: Attempt) -> None:
    _shown.discard(attempt)


def as_finished(attempts: Iterable[Attempt], now: datetime | None = None) -> None:
    """Show the overdue ones among these attempts as they will be once closed: finished at their deadline,
    with the score their answers have. Nothing is written: the values are set as the database's, so the
    session has nothing to flush, and ``closing.close_if_overdue`` still finishes them on the next write."""
    now = now or utcnow()
    late = {a.id: a for a in attempts
            if a.finished_at is None and a.deadline_at is not None and now >= a.deadline_at}
    if not late:
        return
    points = dict(db.session.execute(
        select(Answer.attempt_id, func.sum(Answer.points_awarded)).where(Answer.attempt_id.in_(late))
        .group_by(Answer.attempt_id)
    ).all())
    for attempt_id, attempt in late.items():
        set_committed_value(attempt, "score", round(float(points.get(attempt_id) or 0.0), 2))
        set_committed_value(attempt, "finished_at", attempt.deadline_at)
        _shown.add(attempt)


def result_rows(pending: PendingResults, scope):
    """A stand-in for the ``AssignmentResult`` table (a subquery its entity can be aliased over) with the
    ``pending`` results in place of the stored ones; ``scope(table)`` narrows the stored rows."""
    table = AssignmentResult.__table__
    replaced = tuple_(table.c.assignment_id, table.c.user_id).not_in(list(pending.results))
    stored = select(table).where(scope(table), replaced)
    rows = [
        select(*(literal(getattr(r, c.name) if c.name != "id" else 0, c.type).label(c.name) for c in table.columns))
        for r in pending.results.values()
    ]
    return union_all(stored, *rows).subquery()


def standing_rows(pending: PendingResults, classroom_id: int):
    """A stand-in for the ``ClassStanding`` table of one class, with the standings of the students that
    ``pending`` results change summed as ``refresh_standing`` sums them."""
    table = ClassStanding.__table__
    users = sorted({u for _, u in pending.results})
    results = aliased(AssignmentResult, result_rows(pending, lambda t: t.c.user_id.in_(users)))
    stored = select(table).where(table.c.classroom_id == classroom_id, table.c.user_id.not_in(users))
    summed = (
        select(literal(0, table.c.id.type).label("id"),
               literal(classroom_id, table.c.classroom_id.type).label("classroom_id"),
               results.user_id, func.sum(results.score).label("score"), func.sum(results.max_score).label("max_score"),
               func.sum(results.seconds).label("seconds"), func.max(results.finished_at).label("finished_at"))
        .join(Assignment, Assignment.id == results.assignment_id)
        .where(Assignment.classroom_id == classroom_id, Assignment.archived_at.is_(None))
        .group_by(results.user_id)
    )
    return union_all(stored, summed).subquery()
