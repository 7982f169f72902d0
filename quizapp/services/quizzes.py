"""Which quizzes there are, and what each covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from quizapp.domain.drawing import Candidate, eligible
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Membership, Question, Quiz, SourcePart, User, utcnow


@dataclass
class QuizSummary:
    """A quiz with what a student sees before starting it."""

    quiz: Quiz
    pool_size: int
    question_count: int
    covers: list[SourcePart]
    in_progress: Attempt | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.quiz.id,
            "title": self.quiz.title,
            "description": self.quiz.description,
            "bank": self.quiz.bank.title,
            "questions": self.question_count,
            "covers": [part.label for part in self.covers],
            "tags": list(self.quiz.tags),
        }


def candidates(bank_id: int) -> list[Candidate]:
    """The questions of a bank that students may be asked (neither archived nor drafts), as drawing
    sees them, in bank order."""
    rows = db.session.execute(
        select(Question.id, Question.key, SourcePart.kind, SourcePart.number, Question.tags)
        .join(SourcePart, Question.source_part_id == SourcePart.id)
        .where(Question.bank_id == bank_id, Question.archived.is_(False), Question.draft.is_(False))
        .order_by(Question.id)
    )
    return [Candidate(id=r.id, reference=f"{r.kind} {r.number}", tags=tuple(r.tags or ()), key=r.key)
            for r in rows]


class QuizAssigned(Exception):
    """The quiz is set to one of the student's classes and can't be practised until it closes."""


def get_quiz(quiz_id: int) -> Quiz | None:
    """A quiz that can be taken or assigned, or None."""
    quiz = db.session.get(Quiz, quiz_id)
    return quiz if quiz is not None and not quiz.archived else None


def assigned_quiz_ids(user: User, now: datetime | None = None) -> set[int]:
    """Quizzes set to one of the user's classes that have not closed yet. They stay out of free
    practice: its feedback would give away the key before the assignment is done."""
    return set(db.session.scalars(
        select(Assignment.quiz_id)
        .join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .where(Membership.user_id == user.id, Assignment.closes_at > (now or utcnow()))
    ))


def practice_quiz(quiz_id: int, user: User) -> Quiz | None:
    """The quiz for free practice by ``user``; None if there is no such quiz, QuizAssigned if
    it is set to one of their classes and still open or upcoming."""
    quiz = get_quiz(quiz_id)
    if quiz is not None and quiz.id in assigned_quiz_ids(user):
        raise QuizAssigned("This quiz is set to your class: take it from the class page.")
    return quiz


def quiz_summaries(user: User | None = None) -> list[QuizSummary]:
    """Every quiz, with its size, the parts of the source it covers and, given a ``user``, only
    those they may practise, each with their unfinished practice attempt at it, if any."""
    quizzes = db.session.scalars(
        select(Quiz).options(joinedload(Quiz.bank)).where(Quiz.archived.is_(False)).order_by(Quiz.bank_id, Quiz.id)
    ).all()
    if user is not None:
        assigned = assigned_quiz_ids(user)
        quizzes = [q for q in quizzes if q.id not in assigned]
    bank_ids = {q.bank_id for q in quizzes}
    parts = {
        (p.bank_id, p.kind, p.number): p
        for p in db.session.scalars(select(SourcePart).where(SourcePart.bank_id.in_(bank_ids)))
    }
    pools = {bank_id: candidates(bank_id) for bank_id in bank_ids}
    unfinished = {a.quiz_id: a for a in unfinished_attempts(user)} if user else {}
    summaries = []
    for quiz in quizzes:
        pool = eligible(pools[quiz.bank_id], quiz.sources, quiz.tags, quiz.question_keys)
        references = sorted({c.reference for c in pool}, key=_reference_order)
        covers = [parts[(quiz.bank_id, *_split(r))] for r in references]
        count = min(quiz.count, len(pool)) if quiz.count else len(pool)
        summaries.append(QuizSummary(quiz=quiz, pool_size=len(pool), question_count=count, covers=covers,
                                     in_progress=unfinished.get(quiz.id)))
    return [s for s in summaries if s.question_count]


def unfinished_attempts(user: User, quiz: Quiz | None = None) -> list[Attempt]:
    """The user's unfinished practice attempts (at ``quiz``, if given), newest first."""
    query = select(Attempt).where(Attempt.user_id == user.id, Attempt.finished_at.is_(None),
                                  Attempt.assignment_id.is_(None))
    if quiz is not None:
        query = query.where(Attempt.quiz_id == quiz.id)
    return list(db.session.scalars(query.order_by(Attempt.started_at.desc(), Attempt.id.desc())))


_KIND_ORDER = {"key_point": 0, "faq": 1, "section": 2}


def _split(reference: str) -> tuple[str, int]:
    kind, number = reference.split()
    return kind, int(number)


def _reference_order(reference: str) -> tuple[int, int]:
    kind, number = _split(reference)
    return _KIND_ORDER[kind], number
