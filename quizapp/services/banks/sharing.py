"""Sharing a teacher's bank read-only with other teachers, and copying a bank one may read into a bank
of one's own (written by ``writing.store``, as a new bank whose questions remember where they came from)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.domain.bank_format import TITLE_LENGTH
from quizapp.domain.interchange.naming import slugify, unique_id
from quizapp.extensions import db
from quizapp.models import Bank, BankShare, Role, User
from quizapp.services.banks.documents import bank_document
from quizapp.services.banks.visibility import is_shared_with
from quizapp.services.banks.writing import store
from quizapp.services.unit_of_work import transactional, unit_of_work


class LibraryError(Exception):
    """Nothing was changed; the message says why."""


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
    try:
        with unit_of_work():
            db.session.add(BankShare(bank_id=bank.id, teacher_id=teacher.id))
    except IntegrityError:  # the same share, made a moment ago by another request: the unit rolled back
        return teacher, False
    return teacher, True


@transactional
def unshare_bank(bank: Bank, teacher_id: int) -> User | None:
    """Stop sharing the bank with that teacher; the teacher, or None if it was not shared with them."""
    share = db.session.scalar(select(BankShare).where(BankShare.bank_id == bank.id,
                                                      BankShare.teacher_id == teacher_id))
    if share is None:
        return None
    teacher = share.teacher
    db.session.delete(share)
    return teacher


@transactional
def copy_bank(bank: Bank, teacher: User) -> Bank:
    """A copy of the bank, source, questions and quizzes, owned by ``teacher``."""
    taken = set(db.session.scalars(select(Bank.key)))
    key = unique_id(slugify(f"{bank.key}-{teacher.username}"), taken)
    document = bank_document(bank)
    suffix = " (copy)"
    document.update(id=key, title=bank.title[:TITLE_LENGTH - len(suffix)].rstrip() + suffix)
    store(None, document, owner_id=teacher.id, name=f"copy of {bank.key}", source_text=bank.source_text,
          lineage={q.key: q.identity for q in bank.questions})
    return db.session.scalar(select(Bank).where(Bank.key == key))
