"""Which banks a teacher may read and change; sharing a bank read-only; copying, editing, deleting
or archiving a bank; duplicating, tagging and deleting its questions.

Banks loaded from files on the server (the bundled ones) have no owner: every teacher reads them,
nobody changes them in the app. A teacher's own banks are theirs to change, and they may share one
read-only with other teachers, who then read, search, export and copy it. Anyone else's bank, and an
archived one, is as good as missing.

Every change to a bank's questions goes through the bank validator, as a file load does: the bank
as it stands (``interchange.bank_document``), changed, is checked by ``parse_bank`` and loaded by
``banks.load_document``, all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.domain.bank_format import TITLE_LENGTH, BankDocument, BankError, parse_bank
from quizapp.domain.errors import NotFound
from quizapp.domain.interchange.naming import ID_LENGTH, slugify, unique_id
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    BankShare,
    Question,
    Quiz,
    Role,
    SourcePart,
    User,
)
from quizapp.services.banks import load_document
from quizapp.services.interchange import bank_document, question_entry

STATUSES = {"published": "Published (not a draft)", "draft": "Draft", "review": "Needs review"}
TAG = re.compile(r"[\w-]+")
COPY_SUFFIX = "-copy"


class LibraryError(Exception):
    """Nothing was changed; the message says why."""


class TagError(LibraryError):
    """The tag given is not one word."""


@dataclass
class Shelf:
    """The banks a teacher sees, grouped: bundled, their own, and shared with them (with the owner)."""

    bundled: list[Bank] = field(default_factory=list)
    own: list[Bank] = field(default_factory=list)
    shared: list[tuple[Bank, User]] = field(default_factory=list)


def _shared_with(teacher: User):
    return select(BankShare.bank_id).where(BankShare.teacher_id == teacher.id)


def visible_banks(teacher: User) -> list[Bank]:
    """Bundled banks, the teacher's own and those shared with them; none archived."""
    return list(db.session.scalars(
        select(Bank).where(Bank.archived.is_(False), or_(Bank.owner_id.is_(None), Bank.owner_id == teacher.id,
                                                         Bank.id.in_(_shared_with(teacher))))
        .order_by(Bank.owner_id.is_not(None), Bank.title, Bank.id)
    ))


def own_banks(teacher: User) -> list[Bank]:
    """The teacher's own banks, archived ones aside, by title."""
    return list(db.session.scalars(
        select(Bank).where(Bank.owner_id == teacher.id, Bank.archived.is_(False)).order_by(Bank.title, Bank.id)
    ))


def shelf(teacher: User) -> Shelf:
    """The visible banks in their groups."""
    result = Shelf()
    banks = visible_banks(teacher)
    owners = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({b.owner_id for b in banks if b.owner_id not in (None, teacher.id)})))}
    for bank in banks:
        if bank.owner_id is None:
            result.bundled.append(bank)
        elif bank.owner_id == teacher.id:
            result.own.append(bank)
        else:
            result.shared.append((bank, owners[bank.owner_id]))
    return result


def visible_bank(teacher: User, bank_id: int) -> Bank | None:
    """The bank, if the teacher may read it: bundled, their own or shared with them, and not archived."""
    bank = db.session.get(Bank, bank_id)
    if bank is None or bank.archived:
        return None
    if bank.owner_id in (None, teacher.id) or is_shared_with(bank, teacher):
        return bank
    return None


def owned_bank(teacher: User, bank_id: int, archived: bool = False) -> Bank | None:
    """The teacher's own bank; an archived one only when ``archived`` is asked for."""
    bank = db.session.get(Bank, bank_id)
    if bank is None or bank.owner_id != teacher.id or (bank.archived and not archived):
        return None
    return bank


def get_visible_bank(teacher: User, bank_id: int) -> Bank:
    """As ``visible_bank``, but NotFound rather than None: anyone else's is as good as missing."""
    bank = visible_bank(teacher, bank_id)
    if bank is None:
        raise NotFound()
    return bank


def get_owned_bank(teacher: User, bank_id: int) -> Bank:
    """As ``owned_bank``, but NotFound rather than None: any other is as good as missing."""
    bank = owned_bank(teacher, bank_id)
    if bank is None:
        raise NotFound()
    return bank


def owner(bank: Bank) -> User | None:
    return db.session.get(User, bank.owner_id) if bank.owner_id is not None else None


# --- sharing ----------------------------------------------------------------------------------------


def is_shared_with(bank: Bank, teacher: User) -> bool:
    return db.session.scalar(select(exists().where(BankShare.bank_id == bank.id,
                                                   BankShare.teacher_id == teacher.id)))


def shares(bank: Bank) -> list[BankShare]:
    """Who the bank is shared with, in the order it was shared."""
    return list(db.session.scalars(
        select(BankShare).where(BankShare.bank_id == bank.id).options(selectinload(BankShare.teacher))
        .order_by(BankShare.id)
    ))


def share_bank(bank: Bank, username: str) -> tuple[User, bool]:
    """Share the bank read-only with the teacher of that username: (teacher, True), or (teacher,
    False) if it was shared with them already. LibraryError for anyone who is not another teacher."""
    username = username.strip()
    teacher = db.session.scalar(select(User).where(User.username == username))
    if teacher is None or teacher.role is not Role.TEACHER:
        # A student is named as an unknown name is: whether an account exists is no teacher's business.
        raise LibraryError(f"No teacher has the username “{username}”.")
    if teacher.id == bank.owner_id:
        raise LibraryError("This bank is yours: share it with another teacher.")
    if is_shared_with(bank, teacher):
        return teacher, False
    db.session.add(BankShare(bank_id=bank.id, teacher_id=teacher.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same share, made a moment ago by another request
        db.session.rollback()
        return teacher, False
    return teacher, True


def unshare_bank(bank: Bank, teacher_id: int) -> User | None:
    """Stop sharing the bank with that teacher; the teacher, or None if it was not shared with them."""
    share = db.session.scalar(select(BankShare).where(BankShare.bank_id == bank.id,
                                                      BankShare.teacher_id == teacher_id))
    if share is None:
        return None
    teacher = share.teacher
    db.session.delete(share)
    db.session.commit()
    return teacher


# --- banks ------------------------------------------------------------------------------------------


def _dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _check(document: dict[str, Any], name: str) -> BankDocument:
    """The document checked by the bank validator, or LibraryError listing its problems."""
    try:
        return parse_bank(_dump(document), name)
    except BankError as error:
        raise LibraryError("; ".join(p.message for p in error.problems)) from None


def copy_bank(bank: Bank, teacher: User) -> Bank:
    """A copy of the bank, source, questions and quizzes, owned by ``teacher``."""
    taken = set(db.session.scalars(select(Bank.key)))
    key = unique_id(slugify(f"{bank.key}-{teacher.username}"), taken)
    document = bank_document(bank)
    suffix = " (copy)"
    document.update(id=key, title=bank.title[:TITLE_LENGTH - len(suffix)].rstrip() + suffix)
    checked = parse_bank(_dump(document), f"copy of {bank.key}")
    checked.source_text = bank.source_text
    load_document(checked, owner_id=teacher.id, lineage={q.key: q.identity for q in bank.questions})
    return db.session.scalar(select(Bank).where(Bank.key == key))


def update_bank(bank: Bank, title: str, description: str) -> None:
    """Rename the bank and change its description."""
    bank.title = title.strip()
    bank.description = description.strip()
    db.session.commit()


def bank_in_use(bank: Bank) -> bool:
    """Whether any question of the bank has been drawn into an attempt or answered, or any quiz of
    it has been attempted or assigned: then deleting it would take answers or gradebooks with it."""
    questions = select(Question.id).where(Question.bank_id == bank.id)
    quizzes = select(Quiz.id).where(Quiz.bank_id == bank.id)
    return db.session.scalar(select(
        exists().where(AttemptItem.question_id.in_(questions))
        | exists().where(Answer.question_id.in_(questions))
        | exists().where(Attempt.quiz_id.in_(quizzes))
        | exists().where(Assignment.quiz_id.in_(quizzes))
    ))


def delete_bank(bank: Bank) -> bool:
    """Delete the bank for good if nothing refers to it (True); otherwise archive it (False): it is
    hidden from every list, its quizzes can no longer be set, and its answers and gradebooks stay."""
    if bank_in_use(bank):
        bank.archived = True
        for quiz in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id)):
            quiz.archived = True
        db.session.commit()
        return False
    # Questions point at the source parts, so they go first; nothing points at the questions.
    try:
        for table, column in ((BankShare, BankShare.bank_id), (Quiz, Quiz.bank_id), (Question, Question.bank_id),
                              (SourcePart, SourcePart.bank_id), (Bank, Bank.id)):
            db.session.execute(delete(table).where(column == bank.id))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise LibraryError("A student was given a question of this bank just now: nothing was deleted; "
                           "try again.") from None
    return True


# --- questions --------------------------------------------------------------------------------------


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
    load_document(_check(document, f"bank {into.key}"), owner_id=into.owner_id,
                  lineage={entry["id"]: question.identity})
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
        load_document(_check(document, f"bank {bank.key}"), owner_id=bank.owner_id)
    return changed


def used_questions(question_ids: set[int]) -> set[int]:
    """Those of the questions that have been drawn into an attempt or answered."""
    return (set(db.session.scalars(select(AttemptItem.question_id).where(AttemptItem.question_id.in_(question_ids))))
            | set(db.session.scalars(select(Answer.question_id).where(Answer.question_id.in_(question_ids)))))


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
            load_document(_check(document, f"bank {bank.key}"), owner_id=bank.owner_id)
        else:
            # An empty bank is no valid file; with nothing left to ask, its quizzes are put away.
            for quiz in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id)):
                quiz.archived = True
            db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise LibraryError("A student was given one of these questions just now: nothing was deleted; "
                           "try again.") from None
    except Exception:
        db.session.rollback()
        raise
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
