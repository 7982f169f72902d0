"""A teacher's hand in their students' accounts: a new one-time password for a student who lost theirs,
and accounts made from a pasted list of names. Every account made or reset here must choose its own
password at its first sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from quizapp.domain.errors import Forbidden, NotFound
from quizapp.domain.roster import RosterError, parse_names, unique_usernames, username_base
from quizapp.extensions import db
from quizapp.models import Classroom, Membership, Role, User, utcnow
from quizapp.services import users
from quizapp.services.unit_of_work import transactional


class TeacherAccount(Forbidden):
    """A teacher's password is theirs alone to change."""

    message = "A teacher's password is theirs alone to change, from their account page."


@dataclass(frozen=True)
class Handout:
    """What a student is given on paper: their name, username and one-time password."""

    name: str
    username: str
    password: str


@transactional
def reset_password(classroom: Classroom, user_id: int, now: datetime | None = None) -> Handout:
    """Give a student of the class a one-time password in place of theirs and revoke their API tokens.

    NotFound if the user is not in the class; TeacherAccount if they are a teacher (who may join a class too).
    """
    student = db.session.scalar(select(User).join(Membership, Membership.user_id == User.id)
                                .where(Membership.classroom_id == classroom.id, User.id == user_id))
    if student is None:
        raise NotFound("No such student in this class.")
    if student.role is not Role.STUDENT:
        raise TeacherAccount()
    password = users.give_one_time_password(student, now)
    users.revoke_tokens(student)
    return Handout(student.display_name, student.username, password)


@transactional
def add_students(classroom: Classroom, pasted: str, now: datetime | None = None) -> list[Handout]:
    """Make a student account for each name pasted (one per line), each with a username of its own and a
    one-time password, and put them in the class: all of them, or (RosterError) none."""
    names = parse_names(pasted)
    bases = {username_base(name) for name in names}
    taken = set(db.session.scalars(select(User.username).where(
        or_(*(User.username.startswith(base, autoescape=True) for base in bases)))))
    handouts = []
    for name, username in zip(names, unique_usernames(names, taken), strict=True):
        student = User(username=username, display_name=name, role=Role.STUDENT)
        password = users.give_one_time_password(student, now or utcnow())
        db.session.add(student)
        db.session.add(Membership(classroom=classroom, user=student))
        handouts.append(Handout(student.display_name, username, password))
    try:
        db.session.flush()
    except IntegrityError:
        raise RosterError(["Someone took one of these usernames just now. Send the list again."]) from None
    return handouts
