"""Changing a teacher's own bank: renaming it, deleting or archiving it; duplicating, tagging and deleting
its questions, and finding them.

Every change to a bank's questions is written by ``writing.store``, as a file load is: the bank as it
stands (``documents.bank_document``), changed, checked by the bank validator and written all or nothing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.domain.bank_format import BankError
from quizapp.domain.interchange.naming import ID_LENGTH, unique_id
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    BankShare,
    LiveGame,
    LiveQuestion,
    PracticeCard,
    Question,
    Quiz,
    SourcePart,
)
from quizapp.services.banks.documents import bank_document, question_entry
from quizapp.services.banks.sharing import LibraryError
from quizapp.services.banks.writing import store
from quizapp.services.unit_of_work import transactional

STATUSES = {"published": "Published (not a draft)", "draft": "Draft", "review": "Needs review"}
TAG = re.compile(r"[\w-]+")
COPY_SUFFIX = "-copy"


class TagError(LibraryError):
    """The tag given is not one word."""


def _store(bank: Bank, document: dict[str, Any], lineage: dict[str, int] | None = None) -> None:
    """Store the changed bank, or LibraryError listing the validator's problems (nothing written)."""
    try:
        store(bank, document, lineage=lineage)
    except BankError as error:
        raise LibraryError("; ".join(p.message for p in error.problems)) from None


@transactional
def update_bank(bank: Bank, title: str, description: str) -> None:
    """Rename the bank and change its description."""
    bank.title = title.strip()
    bank.description = description.strip()


def bank_in_use(bank: Bank) -> bool:
    """Whether any question of the bank has been drawn into an attempt or a live game, answered, or practised,
    or any quiz of it has been attempted, assigned or played live: then deleting it would take answers,
    gradebooks, game reports or students' practice with it."""
    questions = select(Question.id).where(Question.bank_id == bank.id)
    quizzes = select(Quiz.id).where(Quiz.bank_id == bank.id)
    return db.session.scalar(select(
        exists().where(AttemptItem.question_id.in_(questions))
        | exists().where(Answer.question_id.in_(questions))
        | exists().where(Attempt.quiz_id.in_(quizzes))
        | exists().where(Assignment.quiz_id.in_(quizzes))
        | exists().where(LiveGame.quiz_id.in_(quizzes))
        | exists().where(LiveQuestion.question_id.in_(questions))
        | exists().where(PracticeCard.question_id.in_(questions))
    ))


@transactional
def delete_bank(bank: Bank) -> bool:
    """Delete the bank for good if nothing refers to it (True); otherwise archive it (False): it is
    hidden from every list, its quizzes can no longer be set, and its answers and gradebooks stay."""
    if bank_in_use(bank):
        bank.archived = True
        for quiz in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id)):
            quiz.archived = True
        return False
    # Questions point at the source parts, so they go first; nothing points at the questions.
    try:
        for table, column in ((BankShare, BankShare.bank_id), (Quiz, Quiz.bank_id), (Question, Question.bank_id),
                              (SourcePart, SourcePart.bank_id), (Bank, Bank.id)):
            db.session.execute(delete(table).where(column == bank.id))
        db.session.flush()
    except IntegrityError:
        raise LibraryError("A student was given a question of this bank just now: nothing was deleted; "
                           "try again.") from None
    return True


# --- questions ----------------------------------------------------------------------------------


@transactional
def duplicate_question(question: Question, into: Bank) -> Question:
    """A copy of the question in the bank ``into`` (its own bank, or another), under a fresh id:
    ``<id>-copy``, ``<id>-copy-2`` … LibraryError, with nothing saved, if the validator refuses it
    (in another bank, its part of the text may not exist)."""
    taken = set(db.session.scalars(select(Question.key).where(Question.bank_id == into.id)))
    base = question.key[: ID_LENGTH - len(COPY_SUFFIX)].rstrip("-") + COPY_SUFFIX
    entry = question_entry(question)
    entry["id"] = unique_id(base, taken)
    document = bank_document(into)
    document["questions"].append(entry)
    _store(into, document, lineage={entry["id"]: question.identity})
    return db.session.scalar(select(Question).where(Question.bank_id == into.id, Question.key == entry["id"]))


def chosen_questions(bank: Bank, question_ids: list[int]) -> list[Question]:
    """The bank's live questions with those ids; LibraryError if there are none, or if any is not one."""
    wanted = set(question_ids)
    if not wanted:
        raise LibraryError("Choose at least one question.")
    questions = list(db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.archived.is_(False), Question.id.in_(wanted))
        .order_by(Question.id)
    ))
    if len(questions) != len(wanted):
        raise LibraryError("Some of the chosen questions are no longer in this bank: reload the page and choose again.")
    return questions


def check_tag(tag: str) -> str:
    """The tag, trimmed, if it is one word (letters, digits, hyphens); TagError if not."""
    tag = tag.strip()
    if not tag:
        raise TagError("Give the tag to add or remove.")
    if not TAG.fullmatch(tag) or len(tag) > 40:
        raise TagError(f"“{tag}” is not a tag: a tag is one word of letters, digits and hyphens, "
                       "up to 40 characters.")
    return tag


@transactional
def tag_questions(bank: Bank, question_ids: list[int], tag: str, add: bool = True) -> int:
    """Add the tag to (or remove it from) the chosen questions, all or nothing; how many changed.
    Tags are the teacher's filing: no question gets a new version."""
    keys = {q.key for q in chosen_questions(bank, question_ids)}
    tag = check_tag(tag)
    document = bank_document(bank)
    changed = 0
    for entry in document["questions"]:
        tags = list(entry.get("tags", []))
        if entry["id"] not in keys or (tag in tags) == add:
            continue
        tags = [*tags, tag] if add else [t for t in tags if t != tag]
        if tags:
            entry["tags"] = tags
        else:
            entry.pop("tags")
        changed += 1
    if changed:
        _store(bank, document)
    return changed


def used_questions(question_ids: set[int]) -> set[int]:
    """Those of the questions that have been drawn into an attempt or answered."""
    return (set(db.session.scalars(select(AttemptItem.question_id).where(AttemptItem.question_id.in_(question_ids))))
            | set(db.session.scalars(select(Answer.question_id).where(Answer.question_id.in_(question_ids)))))


@transactional
def delete_questions(bank: Bank, question_ids: list[int]) -> tuple[int, int]:
    """Delete the chosen questions, all or nothing: those never drawn into an attempt for good, the
    others archived (their answers kept). Quizzes that picked them lose them; a quiz left with none
    of its picks is archived. Returns (deleted, archived)."""
    questions = chosen_questions(bank, question_ids)
    used = used_questions({q.id for q in questions})
    try:
        for question in questions:
            if question.id in used:
                question.archived = True
            else:
                db.session.delete(question)
        db.session.flush()
        document = bank_document(bank)  # without them, and without them in any quiz's picks
        if document["questions"]:
            _store(bank, document)
        else:
            # An empty bank is no valid file; with nothing left to ask, its quizzes are put away.
            for quiz in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id)):
                quiz.archived = True
            db.session.flush()
    except IntegrityError:
        raise LibraryError("A student was given one of these questions just now: nothing was deleted; "
                           "try again.") from None
    return len(questions) - len(used), len(used)


def search_questions(bank: Bank, text: str = "", kind: str = "", reference: str = "", tag: str = "",
                     difficulty: int | None = None, status: str = "") -> list[Question]:
    """The bank's live questions matching every filter given (text in prompt or explanation; status
    ``published``, ``draft`` or ``review``)."""
    query = (
        select(Question).join(SourcePart, SourcePart.id == Question.source_part_id)
        .where(Question.bank_id == bank.id, Question.archived.is_(False))
        .options(selectinload(Question.source_part)).order_by(Question.id)
    )
    if text:
        pattern = f"%{text.strip()}%"
        query = query.where(or_(Question.prompt.ilike(pattern), Question.explanation.ilike(pattern)))
    if kind:
        query = query.where(Question.type == kind)
    if reference:
        part_kind, _, number = reference.partition(" ")
        query = query.where(SourcePart.kind == part_kind, SourcePart.number == int(number or 0))
    if difficulty:
        query = query.where(Question.difficulty == difficulty)
    if status == "published":
        query = query.where(Question.draft.is_(False))
    elif status == "draft":
        query = query.where(Question.draft.is_(True))
    elif status == "review":
        query = query.where(Question.review_note != "")
    questions = list(db.session.scalars(query))
    # Tags are a JSON list; filtering them in Python keeps the query the same on SQLite and PostgreSQL.
    return [q for q in questions if tag in q.tags] if tag else questions
