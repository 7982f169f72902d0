"""Accepting an answer students typed as correct, from an assignment's statistics.

The answer joins the question's accepted answers the way any change to a question does: the bank as it
stands (``banks.documents.bank_document``) with the question's key widened is checked and written by
``banks.writing.store``, so the question becomes a new version and answers already given keep the
version they were graded against. Only when the teacher asks are those answers regraded: each one's
attempt item (the key as the student was given it) is widened the same way and the answer graded again,
and then the finished attempts' scores and the counted results and standings (``results.refresh_result``)
are recounted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from quizapp.domain.bank_format import BankError
from quizapp.domain.errors import NotFound
from quizapp.domain.question_types import question_type
from quizapp.domain.typed_answers import TYPED_TYPES, accepting
from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Attempt, AttemptItem, Bank, Classroom, Question, User
from quizapp.services.banks.documents import bank_document
from quizapp.services.banks.writing import store
from quizapp.services.results import refresh_result
from quizapp.services.unit_of_work import transactional


class CannotAccept(Exception):
    """The answer cannot be accepted; the message says why, for the teacher."""


@dataclass(frozen=True)
class Accepted:
    """What accepting changed: whether the question became a new ``version``, and how many answers and
    finished attempts a regrade changed."""

    question: Question
    new_version: bool
    regraded: bool = False
    answers_regraded: int = 0
    attempts_rescored: int = 0


def why_not_editable(question: Question, teacher_id: int) -> str | None:
    """Why the teacher may not change the question's key, in plain words; None when they may."""
    bank = question.bank
    if bank.owner_id is None:
        return ("This question comes from a bank that ships with the app, which cannot be changed here. "
                "To accept other answers, copy the bank to your own (Banks, then Copy) and set the quiz from "
                "the copy.")
    if bank.owner_id != teacher_id:
        return ("This question is in another teacher's bank, shared with you to use as it is: only its owner "
                "can change its key. Ask them, or copy the bank to your own.")
    if question.archived:
        return "This question has been archived from its bank; restore it there to change its key."
    return None


def asked_in(assignment: Assignment, question_id: int) -> Question | None:
    """The question, if some attempt at the assignment was given it; None otherwise."""
    return db.session.scalar(
        select(Question).where(Question.id == question_id,
                               select(AttemptItem.id).join(Attempt, Attempt.id == AttemptItem.attempt_id)
                               .where(Attempt.assignment_id == assignment.id, AttemptItem.question_id == question_id)
                               .exists())
    )


def get_asked_in(assignment: Assignment, question_id: int) -> Question:
    """As ``asked_in``, but NotFound rather than None."""
    question = asked_in(assignment, question_id)
    if question is None:
        raise NotFound("No attempt at this assignment was given that question.")
    return question


@transactional
def accept_answer(teacher: User, question: Question, text: str, blank: int | None = None,
                  regrade: bool = False) -> Accepted:
    """Add ``text`` to the answers the question's key accepts (for a cloze question, those of ``blank``) as a
    new version of the question; with ``regrade``, grade again the answers already given to it in the
    teacher's classes. Raises CannotAccept, with nothing changed, when the teacher may not change the key or
    the answer does not fit. One unit of work: the new version and the regrade are written together."""
    why = why_not_editable(question, teacher.id)
    if why is not None:
        raise CannotAccept(why)
    if question.type not in TYPED_TYPES:
        raise CannotAccept("Only short-answer and fill-in-the-blank questions take typed answers.")
    try:
        widened = accepting(question.type, question.spec, text, blank)
    except ValueError as error:
        raise CannotAccept(f"That answer cannot be accepted: {error}.") from None
    new_version = widened is not None
    if new_version:
        _save_key(question, widened)
    if not regrade:
        return Accepted(question, new_version)
    answers, attempts = _regrade(teacher, question, text, blank)
    return Accepted(question, new_version, True, answers, attempts)


def _save_key(question: Question, spec: dict) -> None:
    bank = db.session.get(Bank, question.bank_id)
    document = bank_document(bank)
    entry = next(q for q in document["questions"] if q["id"] == question.key)
    entry.update(spec)
    try:
        store(bank, document)
    except BankError as problems:
        raise CannotAccept("The bank would not load with that answer: "
                           + "; ".join(p.message for p in problems.problems)) from None
    db.session.refresh(question)


def _regrade(teacher: User, question: Question, text: str, blank: int | None) -> tuple[int, int]:
    """Grade again every answer to the question given in the teacher's classes, against the key each was
    graded with plus ``text``; recount what changed. Returns (answers changed, finished attempts rescored)."""
    kind = question_type(question.type)
    rows = db.session.execute(
        select(Answer, AttemptItem, Attempt)
        .join(AttemptItem, (AttemptItem.attempt_id == Answer.attempt_id)
              & (AttemptItem.question_id == Answer.question_id))
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(Answer.question_id == question.id, Classroom.teacher_id == teacher.id)
        .order_by(Answer.id)
        # An attempt finishing meanwhile waits (PostgreSQL), then totals the regraded answers; SQLite has one
        # writer at a time anyway.
        .with_for_update(of=Attempt)
    ).all()
    changed, rescore = 0, {}
    for answer, item, attempt in rows:
        if item.type != question.type:
            continue  # given as another kind of question, in an older version: its key does not fit
        try:
            widened = accepting(item.type, item.spec, text, blank)
        except ValueError:
            continue  # an older version without that blank
        if widened is None:
            continue
        # The item now holds the key the answer is graded against; when that is the question as it stands,
        # the answer is graded against its newest version.
        if widened == question.spec:
            item.version = question.version
        item.spec = widened
        grade = kind.grade(widened, list(answer.response))
        answer.question_version = item.version
        if grade.score == answer.score:
            continue
        answer.score, answer.is_correct = grade.score, grade.is_correct
        answer.points_awarded = round(grade.score * item.points, 2)
        changed += 1
        if attempt.finished_at is not None:
            rescore[attempt.id] = attempt
    db.session.flush()
    if rescore:
        # Totalled by the database, as ``closing.finish`` totals a score, so that the sum is exact.
        total = (select(func.coalesce(func.sum(Answer.points_awarded), 0))
                 .where(Answer.attempt_id == Attempt.id).scalar_subquery())
        db.session.execute(update(Attempt).where(Attempt.id.in_(rescore)).values(score=total)
                           .execution_options(synchronize_session=False))
        for attempt in rescore.values():
            db.session.expire(attempt, ["score"])
    recount = {(attempt.assignment_id, attempt.user_id) for attempt in rescore.values()}
    for assignment_id, user_id in sorted(recount):
        refresh_result(db.session.get(Assignment, assignment_id), user_id)
    return changed, len(rescore)


def summary(done: Accepted, text: str) -> str:
    """What accepting did, for the teacher."""
    said = (f"“{text.strip()}” is now accepted: question {done.question.key} is at version {done.question.version}."
            if done.new_version else f"“{text.strip()}” was accepted already.")
    if done.answers_regraded:
        return (f"{said} {done.answers_regraded} answer{'s' if done.answers_regraded != 1 else ''} regraded; "
                f"scores, leaderboards and the gradebook are updated.")
    if done.regraded:
        return f"{said} No answer already given needed regrading."
    return f"{said} Answers already given keep their marks until you regrade them."
