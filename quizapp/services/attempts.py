"""Attempts: start one, show its questions without the key, record answers, finish, review."""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload

from quizapp.domain.drawing import draw, eligible
from quizapp.domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from quizapp.domain.question_types import InvalidResponse, question_type
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    ApiToken,
    Assignment,
    Attempt,
    AttemptItem,
    Membership,
    Question,
    Quiz,
    SourcePart,
    User,
    utcnow,
)
from quizapp.models import Feedback as FeedbackMode
from quizapp.services import practice
from quizapp.services.allowances import (
    allowance,
    extension_join,
    still_to_close,
    student_attempts_allowed,
    student_closes_at,
)
from quizapp.services.classrooms import is_member
from quizapp.services.closing import close_if_overdue, finish
from quizapp.services.key_secrecy import NOTHING_WITHHELD, WithheldKeys, withheld_keys
from quizapp.services.pools import candidates
from quizapp.services.results import as_finished
from quizapp.services.unit_of_work import transactional, unit_of_work


class AttemptError(DomainError):
    """A request the attempt cannot take; the message says why, for the student."""

    status = 409
    code = "attempt_error"


class EmptyQuiz(AttemptError, Conflict):
    """The quiz has no questions to draw."""

    code = "empty_quiz"


class AttemptFinished(AttemptError, Conflict):
    """The attempt is finished and takes no more answers."""

    code = "attempt_finished"


class AlreadyAnswered(AttemptError, Conflict):
    """The question was answered already in this attempt; the first answer stands."""

    code = "already_answered"

    def __init__(self, feedback: Feedback):
        super().__init__("This question was already answered; your first answer stands.")
        self.feedback = feedback


class NotInAttempt(AttemptError, Invalid):
    """The question is not part of this attempt."""

    status = 400
    code = "not_in_attempt"


class QuestionsWithheld(EmptyQuiz):
    """Every question of the quiz is in an assignment still open for the student (see ``key_secrecy``)."""

    code = "questions_withheld"


class AssignmentUnavailable(AttemptError, Conflict):
    """The assignment cannot be started now: not open yet, closed, or no attempts left."""

    code = "assignment_unavailable"


__all__ = [
    "AlreadyAnswered", "AssignmentUnavailable", "AttemptError", "AttemptFinished", "EmptyQuiz",
    "InvalidResponse", "NotInAttempt", "QuestionsWithheld",
]


@dataclass
class Feedback:
    """What a student learns once an answer is recorded. ``held``: the quiz gives its feedback only at the
    end and the attempt is not finished, so the student learns only that the answer was saved.
    ``withheld_elsewhere``: the key is held back because the question is in another assignment still open
    for the student. ``part_withheld``: the text of its key point, FAQ or section is held back, because a
    question withheld from the student is drawn from it too (a key point's text can be that one's answer)."""

    item: AttemptItem | ItemRow
    answer: Answer | AnswerRow
    total: int
    reveal: bool = True
    held: bool = False
    withheld_elsewhere: bool = False
    part_withheld: bool = False

    @property
    def question(self) -> Question:
        return self.item.question

    @property
    def correct_answer(self) -> list[str]:
        return question_type(self.item.type).correct_answer(self.item.spec)

    @property
    def shows_part(self) -> bool:
        return self.reveal and not self.part_withheld

    @property
    def sentence(self) -> list[dict[str, Any]]:
        """A cloze question's sentence filled in with the student's words, each marked right or wrong, when
        the key may be shown; empty otherwise."""
        return _filled_sentence(self.item, self.answer, self.reveal)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """A choice question's choices as they were shown, each marked ``picked`` (the student's) and, when
        the key may be shown, ``right``; empty for other types."""
        shown = question_type(self.item.type).public(self.item.spec, self.item.presentation).get("choices", [])
        key = set(self.correct_answer) if self.reveal else set()
        return [{"text": c["text"], "picked": c["text"] in self.answer.response, "right": c["text"] in key}
                for c in shown]


@transactional
def start_attempt(
    user: User,
    quiz: Quiz,
    rng: random.Random | None = None,
    *,
    assignment: Assignment | None = None,
    number: int | None = None,
    deadline_at: datetime | None = None,
    now: datetime | None = None,
    leave_out: Collection[int] = (),
    only: Collection[int] | None = None,
) -> Attempt:
    """Draw the questions (but those of ``leave_out``; with ``only``, every one of those the quiz can ask),
    fix their order and their choices' order, and store the new attempt."""
    rng = rng or random.SystemRandom()
    pool = [c for c in candidates(quiz.bank_id)
            if c.id not in leave_out and (only is None or c.id in only)]
    question_ids = draw(
        pool, sources=quiz.sources, tags=quiz.tags, picked=quiz.question_keys,
        count=quiz.count if only is None else None, shuffle=quiz.shuffle, rng=rng,
    )
    if not question_ids:
        raise EmptyQuiz("This quiz has no questions yet.")
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    attempt = Attempt(quiz=quiz, user=user, started_at=now or utcnow(), number=number, deadline_at=deadline_at,
                      assignment_id=assignment.id if assignment else None, feedback=quiz.feedback)
    for position, question_id in enumerate(question_ids, start=1):
        question = questions[question_id]
        presentation = question_type(question.type).present(question.spec, rng, quiz.shuffle)
        attempt.items.append(AttemptItem(position=position, question=question, presentation=presentation,
                                         version=question.version, type=question.type, spec=question.spec,
                                         points=question.points))
    attempt.max_score = float(sum(q.points for q in questions.values()))
    db.session.add(attempt)
    return attempt


@dataclass
class PracticeStart:
    """A new practice attempt, and how many of the quiz's questions were left out of it because their keys
    are withheld from the student (see ``key_secrecy``)."""

    attempt: Attempt
    left_out: int = 0


def start_practice(user: User, quiz: Quiz, rng: random.Random | None = None,
                   now: datetime | None = None, only: Collection[int] | None = None) -> PracticeStart:
    """Start free practice at ``quiz`` (with ``only``: every one of those questions it can ask) without the
    questions whose keys the student may not see yet: practice feedback would show them.
    QuestionsWithheld if that leaves nothing to ask."""
    now = now or utcnow()
    pool = eligible(candidates(quiz.bank_id), quiz.sources, quiz.tags, quiz.question_keys)
    if only is not None:
        pool = [c for c in pool if c.id in only]
        if not pool:
            raise EmptyQuiz("None of those questions can be asked any more.")
    leave_out = withheld_keys(user.id, now).question_ids(c.id for c in pool)
    if pool and len(leave_out) == len(pool):
        raise QuestionsWithheld("Every question of this quiz is in an assignment still open for you: "
                                "practise it once you have finished that assignment or it has closed.")
    attempt = start_attempt(user, quiz, rng, now=now, leave_out=leave_out, only=only)
    return PracticeStart(attempt, left_out=len(leave_out))


def mistakes(attempt: Attempt) -> list[int]:
    """The questions of a finished attempt not answered fully right (wrong, partly right or unanswered)."""
    answers = _answers(attempt)
    return [item.question_id for item in attempt.items
            if item.question_id not in answers or answers[item.question_id].score < 1]


def start_assignment_attempt(user: User, assignment: Assignment, now: datetime | None = None,
                             rng: random.Random | None = None) -> Attempt:
    """Start (or carry on) the student's attempt at an assignment, within its window and limits.

    The attempt number is unique per student and assignment, so two starts that race for the
    last allowed attempt cannot both succeed.
    """
    now = now or utcnow()
    if not is_member(user, assignment.classroom):
        raise AssignmentUnavailable("You are not in this class.")
    for attempt in db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id, Attempt.user_id == user.id,
                              Attempt.finished_at.is_(None))
    ):
        if not close_if_overdue(attempt, now):
            return attempt
    if assignment.archived:
        raise AssignmentUnavailable("This quiz is closed.")
    if now < assignment.opens_at:
        raise AssignmentUnavailable("This quiz is not open yet.")
    terms = allowance(assignment, user.id)
    if now >= terms.closes_at:
        raise AssignmentUnavailable("This quiz is closed.")
    used = db.session.scalar(
        select(func.count()).select_from(Attempt)
        .where(Attempt.assignment_id == assignment.id, Attempt.user_id == user.id)
    )
    if terms.attempts_allowed is not None and used >= terms.attempts_allowed:
        raise AssignmentUnavailable("You have used all your attempts at this quiz.")
    deadline = terms.closes_at
    if assignment.time_limit_minutes:
        deadline = min(deadline, now + timedelta(minutes=assignment.time_limit_minutes))
    try:
        return start_attempt(user, assignment.quiz, rng, assignment=assignment, number=used + 1,
                             deadline_at=deadline, now=now)
    except IntegrityError:  # the unit of work of start_attempt rolled back
        raise AssignmentUnavailable("Another attempt was started at the same moment; reload the page.") from None


def find_attempt(attempt_id: int, now: datetime | None = None) -> Attempt | None:
    """The attempt with this id, or None; callers check that it is the user's own.

    An attempt past its deadline is shown finished at its deadline, with what it has, even long after
    the student left; nothing is written: the next write that touches it closes it (``closing``).
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is not None:
        as_finished([attempt], now)
    return attempt


def reveals_key(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether feedback and review may show the key (correct answers, explanations, passages).

    Always in practice. In an assignment, once it has closed for the student (an extension keeps it
    open for them) or they have no attempt left: until then a second attempt would only copy the first
    one's review.
    """
    if attempt.assignment_id is None:
        return True
    assignment = db.session.get(Assignment, attempt.assignment_id)
    if assignment.archived:
        return True
    now = now or utcnow()
    if now < assignment.closes_at and assignment.attempts_allowed is None:
        return False  # no extension closes it sooner
    # The student's attempts and extension (a later close, extra attempts: ``allowances``) in one query.
    used = (select(func.count()).select_from(Attempt)
            .where(Attempt.assignment_id == assignment.id, Attempt.user_id == attempt.user_id).scalar_subquery())
    used, closes_at, allowed = db.session.execute(
        select(used, student_closes_at, student_attempts_allowed).select_from(Assignment)
        .outerjoin(*extension_join(attempt.user_id)).where(Assignment.id == assignment.id)
    ).one()
    if now >= closes_at:
        return True
    return allowed is not None and used >= allowed


def holds_feedback(attempt: Attempt) -> bool:
    """Whether feedback on each answer waits for the end: the quiz said so when the attempt began, and the
    attempt is not finished.
    Until then no correctness, key, explanation or passage is shown."""
    return attempt.feedback is FeedbackMode.AT_END and not attempt.is_finished


def teaches(user: User, attempt: Attempt) -> bool:
    """Whether ``user`` teaches the class whose assignment this attempt is for."""
    if attempt.assignment_id is None:
        return False
    assignment = db.session.get(Assignment, attempt.assignment_id)
    return assignment is not None and assignment.classroom.teacher_id == user.id


def _answers(attempt: Attempt) -> dict[int, Answer]:
    return {a.question_id: a for a in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))}


def current_item(attempt: Attempt, now: datetime | None = None) -> AttemptItem | None:
    """The first unanswered question, marked as shown now (the one write of a read: see
    ``AttemptItem.presented_at``); None once all are answered."""
    if attempt.is_finished:
        return None
    answered = _answers(attempt)
    for item in attempt.items:
        if item.question_id not in answered:
            if item.presented_at is None:
                with unit_of_work():
                    item.presented_at = now or utcnow()
            return item
    return None


def answered_count(attempt: Attempt) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer).where(Answer.attempt_id == attempt.id))


def question_view(item: AttemptItem, total: int) -> dict[str, Any]:
    """The question as a student sees it before answering: no key, no explanation."""
    kind = question_type(item.type)
    return {
        "question_id": item.question_id,
        "position": item.position,
        "total": total,
        "type": item.type,
        "type_label": kind.label,
        "prompt": item.question.prompt,
        "points": item.points,
        **kind.public(item.spec, item.presentation),
    }


MAX_DATABASE_ID = 2**31  # ids are the database's 32-bit integers, as in quizapp.routing


@dataclass
class AnswerRead:
    """What answering one question needs, read in one statement (``_answer_read_statement``): the API
    token's user (None: no such token, or expired), the attempt (None: no such attempt), the attempt's item
    for the question (None: not part of it) with its question and source part for the feedback, the answer
    already given to it if any, how many questions the attempt has, whether an assignment of the student's
    is still to close (only then may another assignment withhold the key: ``key_secrecy``, which takes
    queries of its own), and whether the student of an assignment's attempt is still in its class."""

    user_id: int | None
    attempt: Attempt | AttemptRow | None
    item: AttemptItem | ItemRow | None
    existing: Answer | None
    total: int
    assignment_open: bool
    in_class: bool
    practice: practice.PracticeRead | None = None


def _assignment_open(user_id):
    """SQL: whether an assignment of the student's classes is still to close for them."""
    return (
        select(Assignment.id).join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .outerjoin(*extension_join(user_id))
        .where(Membership.user_id == user_id, Assignment.archived_at.is_(None), still_to_close(bindparam("now")))
        .exists()
    )


def _item_columns():
    """The item, its answer if given, the attempt's question count and whether the student is still in the
    assignment's class, over Attempt outer-joined to the item (``question_id``) and its answer."""
    others = aliased(AttemptItem)
    total = select(func.count(others.id)).where(others.attempt_id == Attempt.id).scalar_subquery()
    in_class = (
        select(Membership.id).join(Assignment, Assignment.classroom_id == Membership.classroom_id)
        .where(Assignment.id == Attempt.assignment_id, Membership.user_id == Attempt.user_id).exists()
    )
    joins = (
        (AttemptItem, and_(AttemptItem.attempt_id == Attempt.id, AttemptItem.question_id == bindparam("question_id"))),
        (Answer, and_(Answer.attempt_id == AttemptItem.attempt_id, Answer.question_id == AttemptItem.question_id)),
    )
    return (AttemptItem, Answer, total, in_class), joins


@dataclass(frozen=True, slots=True)
class PartRow:
    """What an API answer's feedback shows of a question's source part: read as plain columns, as
    ``SourcePart`` has them, without building ORM objects on the hottest path."""

    bank_id: int
    kind: str
    number: int
    title: str
    body: str

    reference = SourcePart.reference
    label = SourcePart.label


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """As ``PartRow``, for the question (what ``Feedback`` and ``key_secrecy`` read of it)."""

    id: int
    lineage: int | None
    explanation: str
    passage: str
    source_part: PartRow

    identity = Question.identity


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """As ``PartRow``, for the answer an answer path has just inserted (``insert_if_open``): as stored,
    without building the ORM object nothing else in the request would touch."""

    id: int
    attempt_id: int
    question_id: int
    question_version: int
    response: list[str]
    is_correct: bool
    score: float
    points_awarded: float
    seconds: float
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """As ``PartRow``, for the attempt an API answer goes to: what answering and its feedback read of it.
    Loaded as an ``Attempt`` only when there is something to close (``_closed``)."""

    id: int
    user_id: int
    assignment_id: int | None
    started_at: datetime
    deadline_at: datetime | None
    finished_at: datetime | None
    feedback: FeedbackMode

    is_finished = Attempt.is_finished


@dataclass(frozen=True, slots=True)
class ItemRow:
    """As ``PartRow``, for the attempt's item (what grading and ``Feedback`` read of it)."""

    question_id: int
    position: int
    presentation: dict[str, Any]
    presented_at: datetime | None
    version: int
    type: str
    spec: dict[str, Any]
    points: int
    question: QuestionRow


_ATTEMPT_COLUMNS = ("id", "user_id", "assignment_id", "started_at", "deadline_at", "finished_at", "feedback")
_ITEM_COLUMNS = ("question_id", "position", "presentation", "presented_at", "version", "type", "spec", "points")
_QUESTION_COLUMNS = ("id", "lineage", "explanation", "passage")
_PART_COLUMNS = ("bank_id", "kind", "number", "title", "body")


def _attempt_student():
    """SQL: the student of the attempt ``:attempt_id``, for ``practice.read_columns``."""
    attempt = aliased(Attempt)
    return select(attempt.user_id).where(attempt.id == bindparam("attempt_id")).scalar_subquery()


@cache
def _answer_read_statement():
    """Built once: every API answer runs it. The token's user, the attempt, the item and the rest of
    ``AnswerRead``, in one round trip; outer joins, so that a row comes back whenever the token does.
    Everything is plain columns (``AttemptRow``, ``ItemRow``), run on the session's connection: building
    ORM objects, and the ORM's handling of the statement, cost more than the rest of the read."""
    others = aliased(AttemptItem)
    total = select(func.count(others.id)).where(others.attempt_id == Attempt.id).scalar_subquery()
    in_class = (
        select(Membership.id).join(Assignment, Assignment.classroom_id == Membership.classroom_id)
        .where(Assignment.id == Attempt.assignment_id, Membership.user_id == Attempt.user_id).exists()
    )
    return (
        select(ApiToken.user_id.label("user_id"), ApiToken.expires_at.label("expires_at"),
               *(getattr(Attempt, c).label(f"attempt_{c}") for c in _ATTEMPT_COLUMNS),
               *(getattr(AttemptItem, c).label(f"item_{c}") for c in _ITEM_COLUMNS),
               *(getattr(Question, c).label(f"question_{c}") for c in _QUESTION_COLUMNS),
               *(getattr(SourcePart, c).label(f"part_{c}") for c in _PART_COLUMNS),
               Answer.id.label("answer_id"), total.label("total"), in_class.label("in_class"),
               _assignment_open(ApiToken.user_id).label("assignment_open"),
               *practice.read_columns(_attempt_student()))
        .select_from(ApiToken)
        .outerjoin(Attempt, Attempt.id == bindparam("attempt_id"))
        .outerjoin(*practice.card_join(Attempt.user_id))
        .outerjoin(AttemptItem, and_(AttemptItem.attempt_id == Attempt.id,
                                     AttemptItem.question_id == bindparam("question_id")))
        .outerjoin(Question, Question.id == AttemptItem.question_id)
        .outerjoin(SourcePart, SourcePart.id == Question.source_part_id)
        .outerjoin(Answer, and_(Answer.attempt_id == AttemptItem.attempt_id,
                                Answer.question_id == AttemptItem.question_id))
        .where(ApiToken.digest == bindparam("digest"))
    )


@cache
def _item_read_statement():
    """Built once: ``AnswerRead`` for an attempt already at hand (the pages' answers)."""
    columns, joins = _item_columns()
    statement = select(*columns, _assignment_open(Attempt.user_id),
                       *practice.read_columns(_attempt_student())).select_from(Attempt)
    for target, on in (*joins, practice.card_join(Attempt.user_id)):
        statement = statement.outerjoin(target, on)
    return (statement.where(Attempt.id == bindparam("attempt_id"))
            .options(joinedload(AttemptItem.question).joinedload(Question.source_part)))


def _valid_id(question_id) -> int:
    """The id to look up: -1 (matching nothing) for one no database row can have, and the database would
    choke on a larger one."""
    return question_id if isinstance(question_id, int) and 0 < question_id < MAX_DATABASE_ID else -1


def read_for_answer(token_digest: str, attempt_id: int, question_id, now: datetime | None = None) -> AnswerRead:
    """Everything an API answer needs before grading, in one statement (see ``AnswerRead``)."""
    now = now or utcnow()
    row = db.session.connection().execute(_answer_read_statement(), {
        "digest": token_digest, "attempt_id": attempt_id if 0 < attempt_id < MAX_DATABASE_ID else -1,
        "question_id": _valid_id(question_id), "now": now, "answer_id": -1,
    }).first()
    if row is None or row.expires_at <= now:
        return AnswerRead(None, None, None, None, 0, False, False)
    values = row._mapping
    attempt = item = None
    if values["attempt_id"] is not None:
        attempt = AttemptRow(*(values[f"attempt_{c}"] for c in _ATTEMPT_COLUMNS))
    if values["item_question_id"] is not None:
        part = PartRow(*(values[f"part_{c}"] for c in _PART_COLUMNS))
        question = QuestionRow(*(values[f"question_{c}"] for c in _QUESTION_COLUMNS), source_part=part)
        item = ItemRow(*(values[f"item_{c}"] for c in _ITEM_COLUMNS), question=question)
    existing = db.session.get(Answer, values["answer_id"]) if values["answer_id"] is not None else None
    return AnswerRead(values["user_id"], attempt, item, existing, values["total"] or 0,
                      bool(values["assignment_open"]), bool(values["in_class"]), practice.PracticeRead.of(values))


def _read_item(attempt: Attempt, question_id: int, now: datetime) -> AnswerRead:
    """``AnswerRead`` for an attempt already loaded: one statement."""
    row = db.session.execute(_item_read_statement(), {"attempt_id": attempt.id, "question_id": _valid_id(question_id),
                                                      "now": now, "answer_id": -1}).one()
    item, existing, total, in_class, assignment_open = row[:5]
    return AnswerRead(attempt.user_id, attempt, item, existing, total, bool(assignment_open), bool(in_class),
                      practice.PracticeRead.of(row._mapping))


@cache
def _answer_insert_statement():
    """Built once: the answer, inserted only while its attempt is open and before its deadline, in one
    statement; RETURNING its id, or nothing when the attempt was closed first.

    PostgreSQL: the attempt's row is share-locked by the insert (several answers to one attempt do not wait
    for each other), so a finish, which locks it for update, waits for this transaction and totals the
    answer; an insert that waits for a finish sees the row finished and inserts nothing. SQLite has no row
    locks but one writer at a time: an INSERT takes the write lock as it starts, so a finish that committed
    before it shows, and none can commit before this transaction does."""
    table = Answer.__table__
    names = ["attempt_id", "question_id", "question_version", "response", "is_correct", "score", "points_awarded",
             "seconds", "answered_at"]
    values = [bindparam(name, type_=table.c[name].type) for name in names]
    attempt_id, answered_at = values[0], values[-1]
    values[0] = Attempt.id
    still_open = (
        select(*values).where(Attempt.id == attempt_id, Attempt.finished_at.is_(None),
                              or_(Attempt.deadline_at.is_(None), Attempt.deadline_at > answered_at))
        .with_for_update(read=True)
    )
    return table.insert().from_select(names, still_open).returning(table.c.id)


def insert_if_open(values: dict[str, Any]) -> int | None:
    """Insert the answer if its attempt is open and before its deadline (``_answer_insert_statement``), in
    the transaction it leaves open; its id, or None if the attempt is closed."""
    return db.session.connection().execute(_answer_insert_statement(), values).scalar()


def record_answer(attempt: Attempt | AttemptRow, question_id: int, raw: list[str], now: datetime | None = None,
                  read: AnswerRead | None = None) -> Feedback:
    """Grade and store one answer, right or wrong, with the seconds it took; ``read`` when the caller has
    read it already (the API's answer reads it with the token).

    Raises AttemptFinished, NotInAttempt, InvalidResponse, or AlreadyAnswered (carrying the
    first answer's feedback): the unique constraint on (attempt, question) keeps the first.
    An answer racing a finish either lands before the score is totalled or is refused.
    Three round trips when nothing is wrong: the read, the insert, the commit.
    """
    now = now or utcnow()
    _refuse_if_closed(attempt, now)
    read = read or _read_item(attempt, question_id, now)
    if attempt.assignment_id is not None and not read.in_class:
        raise AttemptFinished("You are no longer in this class, so this attempt takes no more answers.")
    item, total, assignment_open = read.item, read.total, read.assignment_open
    if item is None:
        raise NotInAttempt("That question is not part of this attempt.")
    if read.existing is not None:
        raise AlreadyAnswered(_feedback(attempt, item, read.existing, now, total, assignment_open))
    kind = question_type(item.type)
    response = kind.parse(item.presentation, raw)
    grade = kind.grade(item.spec, response)
    shown_at = item.presented_at or attempt.started_at
    values = {
        "attempt_id": attempt.id,
        "question_id": item.question_id,
        "question_version": item.version,
        "response": response,
        "is_correct": grade.is_correct,
        "score": grade.score,
        "points_awarded": round(grade.score * item.points, 2),  # as stored: see models.base.Points
        "seconds": max(0.0, (now - shown_at).total_seconds()),
        "answered_at": now,
    }
    try:
        # A plain insert, not an ORM object: flushing one would cost more than the insert, and nothing
        # else in the request changes.
        with unit_of_work():
            answer_id = insert_if_open(values)
            if answer_id is not None:
                practice.review_answer(
                    attempt.user_id, item.question_id, version=item.version, question_type_name=item.type,
                    spec=item.spec, is_correct=grade.is_correct, seconds=values["seconds"], at=now,
                    source="quiz" if attempt.assignment_id is None else "assignment", answer_id=answer_id,
                    known=read.practice)
    except IntegrityError:  # answered by another request since the read; the unit rolled back
        first = db.session.scalar(select(Answer).where(Answer.attempt_id == attempt.id,
                                                       Answer.question_id == question_id))
        raise AlreadyAnswered(_feedback(attempt, item, first, now, total, assignment_open)) from None
    if answer_id is None:  # closed (or run out) since the read: nothing was inserted
        _refuse_if_closed(_loaded(attempt), now)
        raise AttemptFinished("This attempt is finished and takes no more answers.")
    answer = AnswerRow(id=answer_id, **values)
    return _feedback(attempt, item, answer, now, total, assignment_open)


def _loaded(attempt: Attempt | AttemptRow) -> Attempt:
    """The attempt as an ORM object, fresh from the database when it was read as a row."""
    return attempt if isinstance(attempt, Attempt) else db.session.get(Attempt, attempt.id, populate_existing=True)


def _refuse_if_closed(attempt: Attempt | AttemptRow, now: datetime) -> None:
    """Raise AttemptFinished if the attempt is finished or past its deadline, closing it in the second case
    (``closing.close_if_overdue``). A row read for an answer is loaded only then."""
    if attempt.finished_at is not None or (attempt.deadline_at is not None and now >= attempt.deadline_at):
        attempt = _loaded(attempt)
        if close_if_overdue(attempt, now):
            _refuse_finished(attempt)


def _refuse_finished(attempt: Attempt):
    if ran_out_of_time(attempt):
        raise AttemptFinished("Time is up: this attempt was finished with the answers you gave in time.")
    raise AttemptFinished("This attempt is finished and takes no more answers.")


def _feedback(attempt: Attempt, item: AttemptItem, answer: Answer, now: datetime | None = None,
              total: int | None = None, assignment_open: bool = True) -> Feedback:
    """The feedback on ``answer``; ``assignment_open`` False says that no assignment of the student's is
    still to close, so none can withhold the key."""
    held = holds_feedback(attempt)
    total = len(attempt.items) if total is None else total
    reveal = not held and reveals_key(attempt, now)
    withheld = (withheld_keys(attempt.user_id, now, besides=attempt.assignment_id) if reveal and assignment_open
                else NOTHING_WITHHELD)
    elsewhere = withheld.covers(item.question)
    part = item.question.source_part
    part_withheld = bool(withheld) and (part.bank_id, part.reference) in withheld.source_parts()
    return Feedback(item, answer, total, reveal=reveal and not elsewhere, held=held, withheld_elsewhere=elsewhere,
                    part_withheld=part_withheld)


def feedback_for(attempt: Attempt, position: int) -> Feedback | None:
    """The feedback on the answered question at ``position``, or None if it is not answered."""
    items = [i for i in attempt.items if i.position == position]
    if not items:
        return None
    answer = _answers(attempt).get(items[0].question_id)
    return _feedback(attempt, items[0], answer) if answer else None


def finish_attempt(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close the attempt and total its score; unanswered questions earn nothing."""
    now = now or utcnow()
    if close_if_overdue(attempt, now) or not finish(attempt, now):
        raise AttemptFinished("This attempt is already finished.")
    return attempt


RUN_OUT_WINDOW = timedelta(seconds=10)
"""How close to its deadline an attempt may be ended as run out of time: the page sends what is on screen
a second or so before the end."""


def run_out(attempt: Attempt, now: datetime | None = None) -> bool:
    """End the attempt at its deadline, as its time runs out, with the answers it has: the page sent the
    last one just before. True if the attempt is (now) finished; an attempt further from its deadline is
    left running."""
    now = now or utcnow()
    if close_if_overdue(attempt, now):
        return True
    if attempt.deadline_at is None or attempt.deadline_at - now > RUN_OUT_WINDOW:
        return False
    finish(attempt, attempt.deadline_at)
    return attempt.is_finished


def ran_out_of_time(attempt: Attempt) -> bool:
    """Whether the attempt ended at its deadline rather than by the student finishing it."""
    return attempt.deadline_at is not None and attempt.finished_at == attempt.deadline_at


@dataclass
class ReviewEntry:
    """One question of a finished attempt, with the answer given (or None), and whether its key, explanation
    and passage may be shown."""

    item: AttemptItem
    answer: Answer | None
    reveal: bool = True
    withheld_elsewhere: bool = False
    part_withheld: bool = False
    """As in ``Feedback``."""

    @property
    def question(self) -> Question:
        return self.item.question

    @property
    def correct_answer(self) -> list[str]:
        return question_type(self.item.type).correct_answer(self.item.spec)

    @property
    def sentence(self) -> list[dict[str, Any]]:
        """As ``Feedback.sentence``."""
        return _filled_sentence(self.item, self.answer, self.reveal)


def _filled_sentence(item: AttemptItem, answer: Answer | None, reveal: bool) -> list[dict[str, Any]]:
    if item.type != "cloze" or not reveal or answer is None:
        return []
    return question_type("cloze").filled(item.spec, answer.response)


def review(attempt: Attempt, reveal: bool = True, withheld: WithheldKeys = NOTHING_WITHHELD) -> list[ReviewEntry]:
    """Every question of the attempt in order, with its answer; the key shown only with ``reveal`` and for
    questions not ``withheld``."""
    answers = _answers(attempt)
    items = db.session.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id)
        .options(selectinload(AttemptItem.question).selectinload(Question.source_part))
        .order_by(AttemptItem.position)
    )
    parts = withheld.source_parts() if reveal else set()
    entries = []
    for item in items:
        elsewhere = reveal and withheld.covers(item.question)
        part = item.question.source_part
        entries.append(ReviewEntry(item, answers.get(item.question_id), reveal and not elsewhere, elsewhere,
                                   part_withheld=(part.bank_id, part.reference) in parts))
    return entries


def review_for(attempt: Attempt, viewer: User, now: datetime | None = None) -> list[ReviewEntry]:
    """The review of a finished attempt as ``viewer`` may see it: its class's teacher sees every key; the
    student sees keys once the attempt's own assignment reveals them (``reveals_key``), and not for
    questions still withheld by another assignment open for them (``key_secrecy``)."""
    if teaches(viewer, attempt):
        return review(attempt)
    now = now or utcnow()
    if not reveals_key(attempt, now):
        return review(attempt, reveal=False)
    return review(attempt, withheld=withheld_keys(attempt.user_id, now, besides=attempt.assignment_id))


def history(user: User) -> list[Attempt]:
    """The user's attempts, newest first (an overdue one shown finished: ``results.as_finished``)."""
    found = list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id)
        .options(selectinload(Attempt.quiz))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    ))
    as_finished(found)
    return found


def get_own_attempt(user: User, attempt_id: int, *, teacher_may_read: bool = False) -> Attempt:
    """The user's attempt with this id (with ``teacher_may_read``, also one of a class they teach):
    NotFound if there is none, Forbidden if it is someone else's."""
    attempt = find_attempt(attempt_id)
    if attempt is None:
        raise NotFound("No such attempt.")
    if attempt.user_id != user.id and not (teacher_may_read and teaches(user, attempt)):
        raise Forbidden("This attempt belongs to someone else.")
    return attempt
