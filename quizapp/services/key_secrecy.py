"""Which questions' keys a student may not see yet, whichever way they reach the question.

While an assignment is open for a student and its keys are withheld, no page or API reply may show
that student the key, the explanation, the passage or the text of the key point of any question the
assignment can ask, nor of a copy of it in another bank (copies share the question's ``identity``).
An assignment is open for a student until it closes for them, for as long as they have an attempt left or
an attempt still running: upcoming ones count too, or the evening before one opens would be spent
practising its keys. An extension for one student (a later close, extra attempts: ``allowances``) keeps it
open for that student alone; closing it early closes it for everyone, extensions included; an archived
assignment is closed.

Every door that shows a key asks ``withheld_keys`` first:

- practice: a withheld question is left out of a new practice attempt (``attempts.start_practice``); an
  attempt begun before the assignment was set shows no key for it, in its feedback or its results;
- the review of any past attempt, practice or another assignment, on its results page and in the API;
- an assignment's own feedback and review follow ``attempts.reveals_key`` for that assignment, and this
  rule for the student's other open assignments;
- the text of a key point, FAQ or section that a withheld question is drawn from is held back everywhere
  it would show: another question's feedback and review (``source_parts``), the quiz list, and the class
  page's mastery bars (``reports``);
- bank pages, previews, exports and item statistics are for teachers only: a student gets 404 or 403;
- a student's To do (``home.student_home``) names quizzes, times and scores, never a question, and
  counts and suggests practice through ``quiz_summaries``, which leaves withheld questions out;
- spaced practice (``practice``) leaves a withheld question out of the queue, due or not, and refuses an
  answer to one, so its feedback never shows the key; its progress page names a withheld part by its
  label alone;
- live games do not ask yet: the host chooses the quiz, and each question's reveal shows its key to every
  player, so a teacher should not play live the questions of an assignment still open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select

from quizapp.domain.drawing import eligible
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, AttemptItem, Membership, Question, Quiz, SourcePart, utcnow
from quizapp.services.allowances import extension_join, student_attempts_allowed, student_closes_at
from quizapp.services.pools import candidates_by_bank


@dataclass(frozen=True)
class WithheldKeys:
    """The identities (see ``Question.identity``) of the questions whose keys a student may not see yet."""

    identities: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.identities)

    def covers(self, question: Question) -> bool:
        return question.identity in self.identities

    def question_ids(self, question_ids: Iterable[int]) -> set[int]:
        """Those of ``question_ids`` whose keys are withheld (one query, none when nothing is withheld)."""
        ids = list(question_ids)
        if not self.identities or not ids:
            return set()
        identities = list(self.identities)
        return set(db.session.scalars(
            select(Question.id).where(Question.id.in_(ids),
                                      or_(Question.id.in_(identities), Question.lineage.in_(identities)))
        ))

    def source_parts(self) -> set[tuple[int, str]]:
        """The parts of the text (bank id, reference such as ``key_point 3``) that withheld questions, or
        copies of them, are drawn from: a key point's text can be the answer itself."""
        if not self.identities:
            return set()
        identities = list(self.identities)
        return {(bank_id, f"{kind} {number}") for bank_id, kind, number in db.session.execute(
            select(SourcePart.bank_id, SourcePart.kind, SourcePart.number)
            .join(Question, Question.source_part_id == SourcePart.id)
            .where(or_(Question.id.in_(identities), Question.lineage.in_(identities))).distinct()
        )}


NOTHING_WITHHELD = WithheldKeys()


def open_assignments(user_id: int, now: datetime | None = None, besides: int | None = None) -> list[Assignment]:
    """The assignments of the student's classes that are still open for them (see the module's docstring),
    but ``besides``."""
    now = now or utcnow()
    used = (select(func.count(Attempt.id))
            .where(Attempt.assignment_id == Assignment.id, Attempt.user_id == user_id).scalar_subquery())
    running = exists().where(Attempt.assignment_id == Assignment.id, Attempt.user_id == user_id,
                             Attempt.finished_at.is_(None),
                             or_(Attempt.deadline_at.is_(None), Attempt.deadline_at > now))
    query = (
        select(Assignment)
        .join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .outerjoin(*extension_join(user_id))
        .where(Membership.user_id == user_id, Assignment.archived_at.is_(None), student_closes_at > now,
               or_(Assignment.attempts_allowed.is_(None), used < student_attempts_allowed, running))
    )
    if besides is not None:
        query = query.where(Assignment.id != besides)
    return list(db.session.scalars(query))


def withheld_keys(user_id: int, now: datetime | None = None, besides: int | None = None) -> WithheldKeys:
    """The questions whose keys the student may not see now: every question that an assignment still open for
    them (other than ``besides``, which the caller judges itself) can ask or has given them, and every copy
    of one. One query when no assignment is open for them."""
    assignments = open_assignments(user_id, now, besides)
    if not assignments:
        return NOTHING_WITHHELD
    quizzes = list(db.session.scalars(select(Quiz).where(Quiz.id.in_({a.quiz_id for a in assignments}))))
    pools = candidates_by_bank({quiz.bank_id for quiz in quizzes})
    question_ids = {c.id for quiz in quizzes
                    for c in eligible(pools[quiz.bank_id], quiz.sources, quiz.tags, quiz.question_keys)}
    # What the student was given stays withheld even if the quiz or its bank changed since.
    question_ids.update(db.session.scalars(
        select(AttemptItem.question_id).join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id, Attempt.assignment_id.in_([a.id for a in assignments]))
    ))
    if not question_ids:
        return NOTHING_WITHHELD
    identities = db.session.scalars(
        select(func.coalesce(Question.lineage, Question.id)).where(Question.id.in_(question_ids))
    )
    return WithheldKeys(frozenset(identities))
