"""Leaderboards: one query each over the counted results that ``services/closing.py`` keeps.

Before ranking, the overdue attempts of the board's assignments are finished, so that a
student who left a timed attempt is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from quizapp.domain.standings import TIE_BREAK, board_name
from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentResult, Classroom, Membership, User
from quizapp.services.closing import close_overdue

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

    def to_dict(self) -> dict:
        return {
            "rank": self.rank, "name": self.name, "score": self.score, "max_score": self.max_score,
            "percentage": self.percentage, "seconds": self.seconds, "finished_at": self.finished_at.isoformat(),
            "you": self.is_viewer,
        }


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

    def to_dict(self) -> dict:
        return {
            "title": self.title, "tie_break": self.tie_break, "ranked": self.ranked,
            "top": [r.to_dict() for r in self.rows],
            "you": self.viewer_row.to_dict() if self.viewer_row else None,
        }


def _board(title: str, classroom: Classroom, standings, viewer_id: int | None, top: int) -> Board:
    """Rank ``standings`` (user_id, score, max_score, seconds, finished_at) and keep the top and the viewer.

    Tie-break: higher score first; equal scores are split by less total time in whole seconds;
    students equal on both share a rank (SQL RANK: 1, 2, 2, 4) and are listed earliest finish
    first, then by user id so the order is stable. The same rule is shown on every board
    (``TIE_BREAK``).
    """
    order = (standings.c.score.desc(), standings.c.seconds.asc())
    ranked = (
        select(
            standings,
            func.rank().over(order_by=order).label("rank"),
            func.row_number()
            .over(order_by=(*order, standings.c.finished_at.asc(), standings.c.user_id))
            .label("place"),
            func.count().over().label("ranked"),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked, User.display_name, Membership.nickname)
        .join(User, User.id == ranked.c.user_id)
        .join(Membership, (Membership.user_id == ranked.c.user_id) & (Membership.classroom_id == classroom.id))
        .where((ranked.c.place <= top) | (ranked.c.user_id == (viewer_id or -1)))
        .order_by(ranked.c.place)
    ).all()
    mode = classroom.name_display.value
    board_rows, viewer_row, total = [], None, 0
    for r in rows:
        row = BoardRow(rank=r.rank, user_id=r.user_id, name=board_name(mode, r.display_name, r.nickname),
                       score=float(r.score), max_score=float(r.max_score), seconds=int(r.seconds),
                       finished_at=r.finished_at, is_viewer=r.user_id == viewer_id)
        total = r.ranked
        if r.place <= top:
            board_rows.append(row)
        if row.is_viewer:
            viewer_row = row
    return Board(title=title, rows=board_rows, ranked=total, viewer_row=viewer_row)


def _members(classroom: Classroom):
    return select(Membership.user_id).where(Membership.classroom_id == classroom.id)


def assignment_board(assignment: Assignment, viewer_id: int | None = None, top: int = TOP) -> Board:
    """The class's standings on one assignment, by counted result; current members only."""
    close_overdue([assignment.id])
    standings = (
        select(AssignmentResult.user_id, AssignmentResult.score, AssignmentResult.max_score,
               AssignmentResult.seconds, AssignmentResult.finished_at)
        .where(AssignmentResult.assignment_id == assignment.id,
               AssignmentResult.user_id.in_(_members(assignment.classroom)))
        .subquery()
    )
    return _board(assignment.quiz.title, assignment.classroom, standings, viewer_id, top)


def class_board(classroom: Classroom, viewer_id: int | None = None, top: int = TOP) -> Board:
    """The class's overall standings: counted scores summed over its assignments."""
    close_overdue(a.id for a in classroom.assignments)
    standings = (
        select(AssignmentResult.user_id,
               func.sum(AssignmentResult.score).label("score"),
               func.sum(AssignmentResult.max_score).label("max_score"),
               func.sum(AssignmentResult.seconds).label("seconds"),
               func.max(AssignmentResult.finished_at).label("finished_at"))
        .join(Assignment, Assignment.id == AssignmentResult.assignment_id)
        .where(Assignment.classroom_id == classroom.id,
               AssignmentResult.user_id.in_(_members(classroom)))
        .group_by(AssignmentResult.user_id)
        .subquery()
    )
    return _board(f"{classroom.name}: overall", classroom, standings, viewer_id, top)
