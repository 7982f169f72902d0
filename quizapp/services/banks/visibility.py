"""Which banks a teacher may read and change.

Banks loaded from files on the server (the bundled ones) have no owner: every teacher reads them,
nobody changes them in the app. A teacher's own banks are theirs to change, and they may share one
read-only with other teachers (``sharing``), who then read, search, export and copy it. Anyone else's
bank, and an archived one, is as good as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, or_, select

from quizapp.domain.errors import NotFound
from quizapp.extensions import db
from quizapp.models import Bank, BankShare, User


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


def is_shared_with(bank: Bank, teacher: User) -> bool:
    return db.session.scalar(select(exists().where(BankShare.bank_id == bank.id,
                                                   BankShare.teacher_id == teacher.id)))
