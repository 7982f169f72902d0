"""Gradebook and exports for a class's teacher: counted scores, attempts, and every answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from quizapp.domain.csv_export import to_csv
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    AssignmentResult,
    Attempt,
    Classroom,
    Membership,
    Question,
    User,
    utcnow,
)
from quizapp.services.results import as_finished, pending_results, running


@dataclass(frozen=True)
class Cell:
    """One student on one assignment."""

    result: AssignmentResult | None
    attempts_used: int
    in_progress: bool

    @property
    def completion(self) -> str:
        if self.result is not None:
            return "done"
        return "in progress" if self.in_progress else "not started"


PAGE_SIZE = 100  # students per page: a whole school can be one class


@dataclass(frozen=True)
class Gradebook:
    """Students × assignments; ``rows`` are one page of the class (all of it when ``pages`` is 1)."""

    classroom: Classroom
    assignments: list[Assignment]
    rows: list[tuple[Membership, list[Cell]]]
    page: int = 1
    pages: int = 1
    total: int = 0

    @property
    def first(self) -> int:
        """The number of the page's first student (1-based), for "students 101–200 of 5,000"."""
        return (self.page - 1) * PAGE_SIZE + 1


def gradebook(classroom: Classroom, page: int | None = None, now: datetime | None = None) -> Gradebook:
    """Students (current members, by name) × assignments: one page of PAGE_SIZE students, or every
    student when ``page`` is None (the CSV). Five queries whatever the class size (with overdue attempts
    not closed yet, three more to count them as finished: ``results.pending_results``)."""
    now = now or utcnow()
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom.id, Assignment.archived_at.is_(None))
        .options(selectinload(Assignment.quiz)).order_by(Assignment.opens_at, Assignment.id)
    ))
    ids = [a.id for a in assignments]
    pending = pending_results(ids, now)
    total = db.session.scalar(select(func.count()).select_from(Membership)
                              .where(Membership.classroom_id == classroom.id))
    pages = max(1, -(-total // PAGE_SIZE))
    members = select(Membership).join(User).where(Membership.classroom_id == classroom.id) \
        .options(selectinload(Membership.user)).order_by(User.display_name, User.id)
    if page is not None:
        page = min(max(page, 1), pages)
        members = members.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    memberships = list(db.session.scalars(members))
    user_ids = [m.user_id for m in memberships]
    results = {(r.assignment_id, r.user_id): r for r in db.session.scalars(
        select(AssignmentResult).where(AssignmentResult.assignment_id.in_(ids),
                                       AssignmentResult.user_id.in_(user_ids))
    )} | pending.results
    counts = db.session.execute(
        select(Attempt.assignment_id, Attempt.user_id, func.count(),
               func.sum(case((running(now), 1), else_=0)))
        .where(Attempt.assignment_id.in_(ids), Attempt.user_id.in_(user_ids))
        .group_by(Attempt.assignment_id, Attempt.user_id)
    ).all()
    used = {(a, u): (n, bool(open_)) for a, u, n, open_ in counts}
    rows = []
    for membership in memberships:
        cells = []
        for assignment in assignments:
            n, open_ = used.get((assignment.id, membership.user_id), (0, False))
            cells.append(Cell(results.get((assignment.id, membership.user_id)), n, open_))
        rows.append((membership, cells))
    return Gradebook(classroom, assignments, rows, page or 1, pages if page is not None else 1, total)


def gradebook_csv(book: Gradebook) -> str:
    header = ["Student", "Username"]
    for a in book.assignments:
        header += [f"{a.quiz.title}: score", f"{a.quiz.title}: out of", f"{a.quiz.title}: attempts",
                   f"{a.quiz.title}: completion"]
    rows = []
    for membership, cells in book.rows:
        row = [membership.user.display_name, membership.user.username]
        for cell in cells:
            r = cell.result
            row += [r.score if r else None, r.max_score if r else None, cell.attempts_used, cell.completion]
        rows.append(row)
    return to_csv(header, rows)


ANSWER_COLUMNS = ["student", "username", "attempt", "question_id", "response", "correct", "points", "seconds",
                  "answered_at"]


def answer_rows(assignment: Assignment) -> list[dict]:
    """Every answer given to the assignment, one row each, oldest first."""
    rows = db.session.execute(
        select(User.display_name, User.username, Attempt.number, Question.key, Answer.response,
               Answer.is_correct, Answer.points_awarded, Answer.seconds, Answer.answered_at)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Attempt.assignment_id == assignment.id)
        .order_by(Answer.answered_at, Answer.id)
    ).all()
    return [
        {"student": r.display_name, "username": r.username, "attempt": r.number, "question_id": r.key,
         "response": " | ".join(r.response), "correct": r.is_correct, "points": r.points_awarded,
         "seconds": round(r.seconds, 1), "answered_at": r.answered_at.isoformat()}
        for r in rows
    ]


def answers_csv(assignment: Assignment) -> str:
    return to_csv(ANSWER_COLUMNS, ([row[c] for c in ANSWER_COLUMNS] for row in answer_rows(assignment)))


def student_attempts(classroom: Classroom, user_id: int) -> list[Attempt]:
    """A member's attempts at the class's assignments, newest first, for the teacher's drill-down (an
    overdue one shown finished: ``results.as_finished``)."""
    found = list(db.session.scalars(
        select(Attempt).join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(Assignment.classroom_id == classroom.id, Attempt.user_id == user_id)
        .options(selectinload(Attempt.quiz)).order_by(Attempt.started_at.desc())
    ))
    as_finished(found)
    return found
