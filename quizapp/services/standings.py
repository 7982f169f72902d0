"""Leaderboards: one query each over the counted results that ``services/results.py`` keeps.

A student who left a timed attempt is counted: its overdue attempt counts as finished at its
deadline (``results.pending_results``); the board then ranks stand-in rows for those students,
as they will be once it is closed, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import aliased, selectinload

from quizapp.domain.drawing import eligible, planned_points
from quizapp.domain.standings import TIE_BREAK, board_name
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    AssignmentExtension,
    AssignmentResult,
    Classroom,
    ClassStanding,
    Membership,
    User,
    utcnow,
)
from quizapp.services.pools import candidates_by_bank
from quizapp.services.results import PendingResults, pending_results, result_rows, standing_rows

TOP = 10

__all__ = ["TIE_BREAK", "Board", "BoardRow", "assignment_board", "class_board"]


@dataclass(frozen=True)
class BoardRow:
    rank: int
    user_id: int
    name: str
    score: float
    max_score: float
    seconds: int
    finished_at: datetime
    is_viewer: bool

    @property
    def percentage(self) -> float:
        return round(100 * self.score / self.max_score, 1) if self.max_score else 0.0


@dataclass(frozen=True)
class Board:
    """The top of a leaderboard, and the viewer's own row wherever it falls."""

    title: str
    rows: list[BoardRow]
    ranked: int
    viewer_row: BoardRow | None
    tie_break: str = TIE_BREAK

    @property
    def viewer_outside_top(self) -> bool:
        return self.viewer_row is not None and self.viewer_row not in self.rows


def _board(title: str, classroom: Classroom, table, scope, viewer_id: int | None, top: int, rows=None) -> Board:
    """Rank the rows of ``table`` (AssignmentResult or ClassStanding; with ``rows``, a stand-in subquery for
    it: ``results.result_rows``, ``results.standing_rows``) that ``scope(alias)`` selects,
    in one statement: the top rows come straight off the ranking index, and each shown row's rank
    is one plus the number of rows ahead of it, so the cost follows the rows shown, not the class.

    Tie-break: higher score first; equal scores are split by less total time in whole seconds;
    students equal on both share a rank (1, 2, 2, 4) and are listed earliest finish first, then
    by user id so the order is stable. The same rule is shown on every board (``TIE_BREAK``).
    """
    def order(t):
        return t.score.desc(), t.seconds, t.finished_at, t.user_id

    leaders, viewer, row, ahead, everyone = (aliased(table, rows.alias() if rows is not None else None)
                                             for _ in range(5))
    top_ids = select(leaders.user_id).where(scope(leaders)).order_by(*order(leaders)).limit(top).subquery()
    shown = union_all(
        select(top_ids.c.user_id, literal(1).label("in_top")),
        select(viewer.user_id, literal(0).label("in_top")).where(scope(viewer), viewer.user_id == (viewer_id or -1)),
    ).subquery()
    rows_ahead = (
        select(func.count()).select_from(ahead)
        # Written so the ranking index gives a range (score >= s), not a scan of the whole board.
        .where(scope(ahead), ahead.score >= row.score,
               (ahead.score > row.score) | (ahead.seconds < row.seconds))
        .scalar_subquery()
    )
    ranked = select(func.count()).select_from(everyone).where(scope(everyone)).scalar_subquery()
    rows = db.session.execute(
        select(row.user_id, row.score, row.max_score, row.seconds, row.finished_at, shown.c.in_top,
               (rows_ahead + 1).label("rank"), ranked.label("ranked"), User.display_name, Membership.nickname)
        .join(shown, shown.c.user_id == row.user_id)
        .join(User, User.id == row.user_id)
        .join(Membership, (Membership.user_id == row.user_id) & (Membership.classroom_id == classroom.id))
        .where(scope(row))
        .order_by(shown.c.in_top.desc(), *order(row))
        .limit(top + 1)  # no more than that anyway; saying so keeps PostgreSQL's estimates (and JIT) small
    ).all()
    mode = classroom.name_display.value
    board_rows, viewer_row, total = [], None, 0
    for r in rows:
        entry = BoardRow(rank=r.rank, user_id=r.user_id, name=board_name(mode, r.display_name, r.nickname),
                         score=float(r.score), max_score=float(r.max_score), seconds=int(r.seconds),
                         finished_at=r.finished_at, is_viewer=r.user_id == viewer_id)
        total = r.ranked
        if r.in_top:
            board_rows.append(entry)
        if entry.is_viewer:
            viewer_row = entry
    return Board(title=title, rows=board_rows, ranked=total, viewer_row=viewer_row)


def assignment_board(assignment: Assignment, viewer_id: int | None = None, top: int = TOP) -> Board:
    """The class's standings on one assignment, by counted result (members only: a removed
    student's results are dropped with their membership)."""
    pending = pending_results([assignment.id])
    rows = result_rows(pending, lambda t: t.c.assignment_id == assignment.id) if pending else None
    return _board(assignment.quiz.title, assignment.classroom, AssignmentResult,
                  lambda t: t.assignment_id == assignment.id, viewer_id, top, rows)


def class_board(classroom: Classroom, viewer_id: int | None = None, top: int = TOP,
                now: datetime | None = None) -> Board:
    """The class's overall standings: counted scores summed over its assignments. Each row is out of the
    points of the assignments the student has a result in and of every closed one they missed, which
    counts as 0 of its points: otherwise skipping the long ones would raise a percentage."""
    now = now or utcnow()
    pending = pending_results((a.id for a in classroom.assignments), now)
    board = _board(f"{classroom.name}: overall", classroom, ClassStanding,
                   lambda t: t.classroom_id == classroom.id, viewer_id, top,
                   standing_rows(pending, classroom.id) if pending else None)
    shown = {r.user_id for r in board.rows} | ({board.viewer_row.user_id} if board.viewer_row else set())
    missed = missed_points(classroom, shown, now, pending)
    if not any(missed.values()):
        return board

    def out_of_all(row: BoardRow) -> BoardRow:
        return replace(row, max_score=row.max_score + missed.get(row.user_id, 0.0))

    return replace(board, rows=[out_of_all(r) for r in board.rows],
                   viewer_row=out_of_all(board.viewer_row) if board.viewer_row else None)


def missed_points(classroom: Classroom, user_ids: Collection[int], now: datetime,
                  pending: PendingResults | None = None) -> dict[int, float]:
    """For each student, the points of the class's closed assignments (archived ones aside, and those still
    open for them by an extension) they have no counted result in."""
    closed = list(db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom.id, Assignment.closes_at <= now,
                                 Assignment.archived_at.is_(None))
        .options(selectinload(Assignment.quiz))
    ))
    if not closed or not user_ids:
        return {}
    done = {(a, u) for a, u in db.session.execute(
        select(AssignmentResult.assignment_id, AssignmentResult.user_id)
        .where(AssignmentResult.assignment_id.in_([a.id for a in closed]), AssignmentResult.user_id.in_(user_ids))
    )}
    done |= set(pending.results) if pending else set()
    # Not missed yet by a student it was extended for.
    done |= {(a, u) for a, u in db.session.execute(
        select(AssignmentExtension.assignment_id, AssignmentExtension.user_id)
        .where(AssignmentExtension.assignment_id.in_([a.id for a in closed]),
               AssignmentExtension.user_id.in_(user_ids), AssignmentExtension.closes_at > now)
    )}
    worth = assignment_worth(closed, pending)
    return {user_id: sum(worth[a.id] for a in closed if (a.id, user_id) not in done) for user_id in user_ids}


def assignment_worth(assignments: list[Assignment], pending: PendingResults | None = None) -> dict[int, float]:
    """What each assignment is out of: the most any counted result of it is out of, or, when nobody has
    one, what its quiz plans to ask (``planned_points``)."""
    ids = [a.id for a in assignments]
    worth: dict[int, float] = {a: most for a, most in db.session.execute(
        select(AssignmentResult.assignment_id, func.max(AssignmentResult.max_score))
        .where(AssignmentResult.assignment_id.in_(ids)).group_by(AssignmentResult.assignment_id)
    )}
    for (assignment_id, _), result in (pending.results.items() if pending else ()):
        if assignment_id in ids:
            worth[assignment_id] = max(worth.get(assignment_id, 0.0), result.max_score)
    unseen = [a for a in assignments if a.id not in worth]
    if unseen:
        pools = candidates_by_bank({a.quiz.bank_id for a in unseen})
        for a in unseen:
            quiz = a.quiz
            worth[a.id] = planned_points(eligible(pools[quiz.bank_id], quiz.sources, quiz.tags, quiz.question_keys),
                                         quiz.count)
    return worth
