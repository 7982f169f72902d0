"""Which banks a teacher may read and change, and copying a read-only bank to change it.

Banks loaded from files on the server (the bundled ones) have no owner: every teacher reads
them, nobody changes them in the app. A teacher's own banks (copies, for now) are theirs alone;
anyone else's is as good as missing.
"""

from __future__ import annotations

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from quizapp.domain.bank_format import parse_bank
from quizapp.domain.interchange.naming import slugify, unique_id
from quizapp.extensions import db
from quizapp.models import Bank, Question, SourcePart, User
from quizapp.services.banks import load_document
from quizapp.services.interchange import bank_document


def visible_banks(teacher: User) -> list[Bank]:
    return list(db.session.scalars(
        select(Bank).where(or_(Bank.owner_id.is_(None), Bank.owner_id == teacher.id))
        .order_by(Bank.owner_id.is_not(None), Bank.title, Bank.id)
    ))


def visible_bank(teacher: User, bank_id: int) -> Bank | None:
    bank = db.session.get(Bank, bank_id)
    return bank if bank is not None and bank.owner_id in (None, teacher.id) else None


def owned_bank(teacher: User, bank_id: int) -> Bank | None:
    bank = db.session.get(Bank, bank_id)
    return bank if bank is not None and bank.owner_id == teacher.id else None


def copy_bank(bank: Bank, teacher: User) -> Bank:
    """A copy of the bank, source, questions and quizzes, owned by ``teacher``."""
    taken = set(db.session.scalars(select(Bank.key)))
    key = unique_id(slugify(f"{bank.key}-{teacher.username}"), taken)
    document = bank_document(bank)
    document.update(id=key, title=f"{bank.title} (copy)")
    checked = parse_bank(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), f"copy of {bank.key}")
    load_document(checked, owner_id=teacher.id)
    return db.session.scalar(select(Bank).where(Bank.key == key))


def search_questions(bank: Bank, text: str = "", kind: str = "", reference: str = "", tag: str = "",
                     difficulty: int | None = None) -> list[Question]:
    """The bank's live questions matching every filter given (text in prompt or explanation)."""
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
    questions = list(db.session.scalars(query))
    # Tags are a JSON list; filtering them in Python keeps the query the same on SQLite and PostgreSQL.
    return [q for q in questions if tag in q.tags] if tag else questions
