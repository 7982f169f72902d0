"""Which quizzes there are, who may practise which, and what each covers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload

from quizapp.domain.drawing import eligible
from quizapp.domain.errors import Conflict, NotFound
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, Membership, Quiz, SourcePart, User, utcnow
from quizapp.services.allowances import extension_join, still_to_close
from quizapp.services.key_secrecy import NOTHING_WITHHELD, WithheldKeys, withheld_keys
from quizapp.services.pools import candidates, candidates_by_bank

__all__ = ["QuizAssigned", "QuizSummary", "candidates", "candidates_by_bank", "practice_quiz", "quiz_summaries"]


@dataclass
class QuizSummary:
    """A quiz with how many questions it asks and the parts of the text they come from."""

    quiz: Quiz
    pool_size: int
    question_count: int
    covers: list[SourcePart]
    in_progress: Attempt | None = None
    picked_keys: list[str] = field(default_factory=list)
    left_out: int = 0
    untitled: set[str] = field(default_factory=set)
    """``left_out``: questions kept out of the student's practice because an assignment still open for them
    can ask them; ``untitled``: references of the parts whose text is not shown for that reason (a key
    point's text can be an answer)."""


class QuizAssigned(Conflict):
    """The quiz is set to one of the student's classes and can't be practised until it closes."""

    code = "quiz_assigned"


def get_quiz(quiz_id: int) -> Quiz | None:
    """A quiz that can be taken or assigned, or None."""
    quiz = db.session.get(Quiz, quiz_id)
    return quiz if quiz is not None and not quiz.archived else None


def may_practise(user: User, quiz: Quiz) -> bool:
    """Whether ``user`` may take ``quiz`` as free practice: a quiz of a bundled bank, or of the user's own
    bank (a teacher trying their quiz out), and not archived. A teacher's quizzes reach students through
    assignments."""
    bank = quiz.bank
    return not quiz.archived and not bank.archived and bank.owner_id in (None, user.id)


def assigned_quiz_ids(user: User, now: datetime | None = None) -> set[int]:
    """Quizzes set to one of the user's classes that have not closed yet. They stay out of free
    practice: its feedback would give away the key before the assignment is done."""
    return set(db.session.scalars(
        select(Assignment.quiz_id)
        .join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .outerjoin(*extension_join(user.id))
        .where(Membership.user_id == user.id, Assignment.archived_at.is_(None), still_to_close(now or utcnow()))
    ))


def practisable(user: User, quiz: Quiz) -> bool:
    """Whether ``user`` may start free practice at ``quiz`` now (see ``practice_quiz``)."""
    return may_practise(user, quiz) and quiz.id not in assigned_quiz_ids(user)


def practice_quiz(quiz_id: int, user: User) -> Quiz:
    """The quiz for free practice by ``user``; NotFound if there is no such quiz or they may not practise
    it, QuizAssigned if it is set to one of their classes and still open or upcoming."""
    quiz = get_quiz(quiz_id)
    if quiz is None or not may_practise(user, quiz):
        raise NotFound("No such quiz.")
    if quiz.id in assigned_quiz_ids(user):
        raise QuizAssigned("This quiz is set to your class: take it from the class page.")
    return quiz


def quiz_summaries(user: User) -> list[QuizSummary]:
    """The quizzes ``user`` may practise (see ``may_practise``) that are not set to one of their classes,
    with their size, the parts of the source they cover and the user's unfinished attempt at each."""
    quizzes = db.session.scalars(
        select(Quiz).join(Quiz.bank).options(contains_eager(Quiz.bank))
        .where(Quiz.archived.is_(False), Bank.archived.is_(False),
               or_(Bank.owner_id.is_(None), Bank.owner_id == user.id))
        .order_by(Quiz.bank_id, Quiz.id)
    ).all()
    assigned = assigned_quiz_ids(user)
    unfinished = {a.quiz_id: a for a in unfinished_attempts(user)}
    summaries = _summaries([q for q in quizzes if q.id not in assigned], unfinished,
                           withheld=withheld_keys(user.id))
    return [s for s in summaries if s.question_count or s.left_out]


def bank_quiz_summaries(bank_ids: Collection[int], include_empty: bool = False) -> list[QuizSummary]:
    """The live quizzes of these banks, for a teacher to assign or to look over; a quiz with nothing
    left to ask only with ``include_empty``."""
    quizzes = db.session.scalars(
        select(Quiz).options(joinedload(Quiz.bank))
        .where(Quiz.bank_id.in_(list(bank_ids)), Quiz.archived.is_(False)).order_by(Quiz.bank_id, Quiz.id)
    ).all()
    summaries = _summaries(quizzes)
    return summaries if include_empty else [s for s in summaries if s.question_count]


def _summaries(quizzes: list[Quiz], unfinished: dict[int, Attempt] | None = None,
               withheld: WithheldKeys = NOTHING_WITHHELD) -> list[QuizSummary]:
    """``withheld``: the student's questions to leave out of practice, as ``attempts.start_practice`` does."""
    bank_ids = {q.bank_id for q in quizzes}
    parts = {
        (p.bank_id, p.kind, p.number): p
        for p in db.session.scalars(select(SourcePart).where(SourcePart.bank_id.in_(bank_ids)))
    }
    pools = candidates_by_bank(bank_ids)
    leave_out = withheld.question_ids(c.id for pool in pools.values() for c in pool)
    untitled = withheld.source_parts() if leave_out else set()
    summaries = []
    for quiz in quizzes:
        whole = eligible(pools[quiz.bank_id], quiz.sources, quiz.tags, quiz.question_keys)
        pool = [c for c in whole if c.id not in leave_out]
        references = sorted({c.reference for c in whole}, key=_reference_order)
        covers = [parts[(quiz.bank_id, *_split(r))] for r in references]
        count = min(quiz.count, len(pool)) if quiz.count else len(pool)
        summaries.append(QuizSummary(quiz=quiz, pool_size=len(pool), question_count=count, covers=covers,
                                     in_progress=(unfinished or {}).get(quiz.id),
                                     picked_keys=[c.key for c in pool] if quiz.question_keys else [],
                                     left_out=len(whole) - len(pool),
                                     untitled={r for b, r in untitled if b == quiz.bank_id}))
    return summaries


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
