"""Classrooms: create and run them, join them, set assignments; every lookup is scoped."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.domain.errors import Conflict, NotFound
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    AssignmentResult,
    Attempt,
    Classroom,
    Counting,
    Membership,
    NameDisplay,
    Quiz,
    User,
    utcnow,
)
from quizapp.services.allowances import allowances
from quizapp.services.results import forget_member, pending_results, recount_member, running
from quizapp.services.unit_of_work import transactional, unit_of_work

# No 0/O, 1/I/L or 5/S: a code read aloud or copied from a board should not be misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_LENGTH = 6


class ClassroomError(Conflict):
    """A request about a class that cannot be done; the message says why."""


class UnknownCode(ClassroomError, NotFound):
    """No class has this join code."""

    status = 404
    code = "unknown_code"


class AlreadyInClass(ClassroomError):
    """The user is in the class already, or teaches it."""

    code = "already_member"


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Codes are typed by hand: ignore case, spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _with_fresh_code(classroom: Classroom) -> Classroom:
    """Save the class with a new join code. One unit of work per try: a code another class took a moment
    ago fails the commit, which rolls the try back, and the next try draws another code."""
    for _ in range(10):
        try:
            with unit_of_work():
                classroom.join_code = new_join_code()
                db.session.add(classroom)  # again: a rollback after a clash drops a new class from the session
            return classroom
        except IntegrityError:
            continue
    raise ClassroomError("Could not find a free join code; try again.")


def create_classroom(teacher: User, name: str) -> Classroom:
    """Add a class owned by ``teacher``, with a new join code."""
    return _with_fresh_code(Classroom(name=name.strip(), teacher=teacher, join_code=""))


def regenerate_code(classroom: Classroom) -> Classroom:
    """Give the class a new join code; the old one stops working."""
    return _with_fresh_code(classroom)


@transactional
def set_name_display(classroom: Classroom, mode: NameDisplay) -> None:
    classroom.name_display = mode


def taught_classroom(teacher: User, classroom_id: int) -> Classroom | None:
    """The class with this id if ``teacher`` owns it; anyone else's is as good as missing."""
    classroom = db.session.get(Classroom, classroom_id)
    return classroom if classroom is not None and classroom.teacher_id == teacher.id else None


def get_taught_classroom(teacher: User, classroom_id: int) -> Classroom:
    """As ``taught_classroom``, but NotFound rather than None."""
    classroom = taught_classroom(teacher, classroom_id)
    if classroom is None:
        raise NotFound("No such class among those you teach.")
    return classroom


def is_member(user: User, classroom: Classroom) -> bool:
    return db.session.scalar(
        select(Membership.id).where(Membership.classroom_id == classroom.id, Membership.user_id == user.id)
    ) is not None


def visible_classroom(user: User, classroom_id: int) -> Classroom | None:
    """The class if ``user`` teaches it or belongs to it, else None."""
    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None:
        return None
    return classroom if classroom.teacher_id == user.id or is_member(user, classroom) else None


def get_visible_classroom(user: User, classroom_id: int) -> Classroom:
    """As ``visible_classroom``, but NotFound rather than None."""
    classroom = visible_classroom(user, classroom_id)
    if classroom is None:
        raise NotFound("No such class among yours.")
    return classroom


def taught_classrooms(teacher: User) -> list[Classroom]:
    return list(db.session.scalars(
        select(Classroom).where(Classroom.teacher_id == teacher.id).order_by(Classroom.name, Classroom.id)
    ))


def class_sizes(classrooms: list[Classroom]) -> dict[int, tuple[int, int]]:
    """Students and assignments per class, in two queries for any number of classes."""
    ids = [c.id for c in classrooms]
    students = dict(db.session.execute(
        select(Membership.classroom_id, func.count()).where(Membership.classroom_id.in_(ids))
        .group_by(Membership.classroom_id)
    ).all())
    assignments = dict(db.session.execute(
        select(Assignment.classroom_id, func.count())
        .where(Assignment.classroom_id.in_(ids), Assignment.archived_at.is_(None))
        .group_by(Assignment.classroom_id)
    ).all())
    return {i: (students.get(i, 0), assignments.get(i, 0)) for i in ids}


def joined_classrooms(user: User) -> list[Classroom]:
    return list(db.session.scalars(
        select(Classroom).join(Membership).where(Membership.user_id == user.id).order_by(Classroom.name)
    ))


@transactional
def join(user: User, code: str, nickname: str = "") -> Classroom:
    """Add ``user`` to the class with this code."""
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == normalise_code(code)))
    if classroom is None:
        raise UnknownCode("No class has that code. Check it with your teacher.")
    if classroom.teacher_id == user.id:
        raise AlreadyInClass("You teach this class.")
    name = classroom.name  # a failed flush leaves the session unreadable until the unit rolls back
    db.session.add(Membership(classroom=classroom, user=user, nickname=nickname.strip()))
    try:
        db.session.flush()
    except IntegrityError:
        raise AlreadyInClass(f"You are already in {name}.") from None
    recount_member(classroom.id, user.id)
    return classroom


def roster(classroom: Classroom) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).join(User).where(Membership.classroom_id == classroom.id)
        .options(selectinload(Membership.user)).order_by(User.display_name, User.id)
    ))


def membership(classroom: Classroom, user_id: int) -> Membership | None:
    """The student's membership of the class, or None if they are not in it."""
    return db.session.scalar(
        select(Membership).where(Membership.classroom_id == classroom.id, Membership.user_id == user_id)
        .options(selectinload(Membership.user))
    )


def get_membership(classroom: Classroom, user_id: int) -> Membership:
    """As ``membership``, but NotFound rather than None."""
    member = membership(classroom, user_id)
    if member is None:
        raise NotFound("No such student in this class.")
    return member


@transactional
def remove_member(classroom: Classroom, user_id: int) -> None:
    """Take a student out of the class (NotFound if they are not in it). Their attempts and answers stay
    in the data."""
    member = get_membership(classroom, user_id)
    db.session.delete(member)
    forget_member(classroom.id, user_id)


@transactional
def create_assignment(
    classroom: Classroom,
    quiz: Quiz,
    opens_at: datetime,
    closes_at: datetime,
    time_limit_minutes: int | None = None,
    attempts_allowed: int | None = None,
    counting: Counting = Counting.BEST,
) -> Assignment:
    """Set a quiz to the class."""
    if closes_at <= opens_at:
        raise ClassroomError("The quiz must close after it opens.")
    assignment = Assignment(
        classroom=classroom, quiz=quiz, opens_at=opens_at, closes_at=closes_at,
        time_limit_minutes=time_limit_minutes, attempts_allowed=attempts_allowed, counting=counting,
    )
    db.session.add(assignment)
    return assignment


def taught_assignment(teacher: User, assignment_id: int) -> Assignment | None:
    assignment = db.session.get(Assignment, assignment_id)
    return assignment if assignment is not None and assignment.classroom.teacher_id == teacher.id else None


def get_taught_assignment(teacher: User, assignment_id: int) -> Assignment:
    """As ``taught_assignment``, but NotFound rather than None: anyone else's is as good as missing."""
    assignment = taught_assignment(teacher, assignment_id)
    if assignment is None:
        raise NotFound("No such assignment in the classes you teach.")
    return assignment


def visible_assignment(user: User, assignment_id: int) -> Assignment | None:
    """The assignment if ``user`` teaches its class or belongs to it (and it is not archived), else None."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or visible_classroom(user, assignment.classroom_id) is None:
        return None
    if assignment.archived and assignment.classroom.teacher_id != user.id:
        return None
    return assignment


def get_visible_assignment(user: User, assignment_id: int) -> Assignment:
    """As ``visible_assignment``, but NotFound rather than None."""
    assignment = visible_assignment(user, assignment_id)
    if assignment is None:
        raise NotFound("No such assignment in your classes.")
    return assignment


def attempts_by_assignment(user: User, assignment_ids: list[int],
                           now: datetime | None = None) -> dict[int, tuple[int, bool]]:
    """For each of these assignments ``user`` has started: how many attempts, and whether one is under way
    (unfinished and not past its deadline: that one counts as finished)."""
    rows = db.session.execute(
        select(Attempt.assignment_id, func.count(), func.count(Attempt.id).filter(running(now or utcnow())))
        .where(Attempt.user_id == user.id, Attempt.assignment_id.in_(assignment_ids))
        .group_by(Attempt.assignment_id)
    )
    return {assignment_id: (count, unfinished > 0) for assignment_id, count, unfinished in rows}


@dataclass
class AssignmentStatus:
    """An assignment as a student's dashboard shows it."""

    assignment: Assignment
    state: str  # "open", "upcoming", "closed" or "done"
    result: AssignmentResult | None
    attempts_used: int
    # The student's own terms: the class's, or later and more if the teacher extended them (``allowances``).
    closes_at: datetime
    attempts_allowed: int | None
    in_progress: bool = False

    @property
    def attempts_left(self) -> int | None:
        allowed = self.attempts_allowed
        return None if allowed is None else max(0, allowed - self.attempts_used)


def upcoming_and_open(user: User, now: datetime | None = None) -> list[AssignmentStatus]:
    """The user's assignments that are open for them or yet to open, over all their classes, soonest
    closing first: what a student has to do."""
    statuses = [s for _, statuses in dashboard(user, now) for s in statuses if s.state in ("open", "upcoming")]
    return sorted(statuses, key=lambda s: (s.state != "open", s.closes_at, s.assignment.id))


def dashboard(user: User, now: datetime | None = None,
              only: Classroom | None = None) -> list[tuple[Classroom, list[AssignmentStatus]]]:
    """The user's classes (or just ``only``), each with its assignments: open, upcoming, done or
    closed, with their score."""
    now = now or utcnow()
    classrooms = [only] if only is not None else joined_classrooms(user)
    if not classrooms:
        return []
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.classroom_id.in_([c.id for c in classrooms]),
                                 Assignment.archived_at.is_(None))
        .options(selectinload(Assignment.quiz)).order_by(Assignment.opens_at, Assignment.id)
    ))
    terms = allowances(assignments, user.id)
    pending = pending_results([a.id for a in assignments], now, user_ids=[user.id])
    results = {r.assignment_id: r for r in db.session.scalars(
        select(AssignmentResult).where(AssignmentResult.user_id == user.id,
                                       AssignmentResult.assignment_id.in_([a.id for a in assignments]))
    )} | pending.for_user(user.id)
    started = attempts_by_assignment(user, [a.id for a in assignments], now)
    by_class: dict[int, list[AssignmentStatus]] = {c.id: [] for c in classrooms}
    for assignment in assignments:
        used, in_progress = started.get(assignment.id, (0, False))
        mine = terms[assignment.id]
        status = AssignmentStatus(assignment, "", results.get(assignment.id), used, mine.closes_at,
                                  mine.attempts_allowed, in_progress)
        if now < assignment.opens_at:
            status.state = "upcoming"
        elif now < mine.closes_at and (status.attempts_left != 0 or in_progress):
            status.state = "open"
        else:
            status.state = "done" if status.result else "closed"
        by_class[assignment.classroom_id].append(status)
    return [(c, by_class[c.id]) for c in classrooms]
