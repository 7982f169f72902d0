"""Running an assignment once it is set: change its terms, extend it for the class or for one student,
close it early, delete it (archive it, if students have started it) and restore it. Each function is a unit of
work (``unit_of_work``), or a few in a row where attempts are finished.

Attempts already running follow the new terms: a later close lengthens them (up to the time limit), an
earlier one (or closing early) finishes them the way closing always does (``closing``). The new terms are
committed first, in a unit of their own, and the attempts past them finished after (``_finish_overdue``):
a finish that loses a race rolls its transaction back, which must not take the new terms with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import selectinload

from quizapp.domain.errors import NotFound
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    AssignmentExtension,
    AssignmentResult,
    Attempt,
    Classroom,
    Counting,
    Membership,
    Quiz,
    User,
    utcnow,
)
from quizapp.services.allowances import allowance
from quizapp.services.classrooms import ClassroomError
from quizapp.services.closing import close_overdue
from quizapp.services.results import refresh_result, refresh_standing
from quizapp.services.unit_of_work import transactional, unit_of_work


def has_attempts(assignment: Assignment) -> bool:
    """Whether any student has started the assignment: from then on its quiz stays, and deleting it
    archives it, so that their answers are kept."""
    return db.session.scalar(select(exists().where(Attempt.assignment_id == assignment.id)))


def _not_archived(assignment: Assignment) -> None:
    if assignment.archived:
        raise ClassroomError("It is archived: restore it from the class page first.")


def _follow_terms(assignment: Assignment, now: datetime, user_id: int | None = None) -> None:
    """Give the running attempts at the assignment (``user_id``'s only, if given) the deadline its terms
    now set (no commit); ``_finish_overdue``, once that is committed, finishes those past it."""
    close_overdue([assignment.id], now)  # what ran out under the old terms stays finished when it ran out
    query = select(Attempt).where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_(None))
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    for attempt in db.session.scalars(query).all():
        deadline = allowance(assignment, attempt.user_id).closes_at
        if assignment.time_limit_minutes:
            deadline = min(deadline, attempt.started_at + timedelta(minutes=assignment.time_limit_minutes))
        attempt.deadline_at = max(deadline, now)  # answers given until now stand


def _finish_overdue(assignment: Assignment, now: datetime) -> None:
    """Finish the attempts at the assignment that are past their deadline, each in a transaction of its own
    (``closing.finish``). Called after the unit that set the deadlines has committed: a finish that loses a
    race rolls its transaction back, and must not take the new terms with it."""
    close_overdue([assignment.id], now)


def update_assignment(assignment: Assignment, quiz: Quiz, opens_at: datetime, closes_at: datetime,
                      time_limit_minutes: int | None, attempts_allowed: int | None, counting: Counting,
                      now: datetime | None = None) -> Assignment:
    """Change the assignment's terms. The quiz can change only while nobody has started it."""
    now = now or utcnow()
    with unit_of_work():
        _not_archived(assignment)
        if closes_at <= opens_at:
            raise ClassroomError("The quiz must close after it opens.")
        if quiz.id != assignment.quiz_id and has_attempts(assignment):
            raise ClassroomError("Students have started this quiz, so it can no longer be swapped for another.")
        recount = counting != assignment.counting
        assignment.quiz = quiz
        assignment.opens_at, assignment.closes_at = opens_at, closes_at
        assignment.time_limit_minutes, assignment.attempts_allowed = time_limit_minutes, attempts_allowed
        assignment.counting = counting
        _follow_terms(assignment, now)
    _finish_overdue(assignment, now)
    if recount:
        with unit_of_work():
            for user_id in db.session.scalars(select(Attempt.user_id).where(Attempt.assignment_id == assignment.id)
                                              .distinct()).all():
                refresh_result(assignment, user_id)
    return assignment


def extend_for_class(assignment: Assignment, closes_at: datetime, now: datetime | None = None) -> Assignment:
    """Close the assignment later for the whole class (reopening it if it had closed)."""
    now = now or utcnow()
    with unit_of_work():
        _not_archived(assignment)
        if closes_at <= assignment.closes_at or closes_at <= now:
            raise ClassroomError("Give a time later than the present close, and in the future.")
        assignment.closes_at = closes_at
        _follow_terms(assignment, now)
    _finish_overdue(assignment, now)
    return assignment


def extend_for_student(assignment: Assignment, user_id: int, closes_at: datetime | None,
                       extra_attempts: int | None, now: datetime | None = None) -> AssignmentExtension:
    """Give one student a later close, more attempts, or both, on top of what they have. That reopens the
    assignment for them alone (``allowances``)."""
    now = now or utcnow()
    with unit_of_work():
        extension = _extend(assignment, user_id, closes_at, extra_attempts, now)
    _finish_overdue(assignment, now)
    return extension


def _extend(assignment: Assignment, user_id: int, closes_at: datetime | None, extra_attempts: int | None,
            now: datetime) -> AssignmentExtension:
    _not_archived(assignment)
    if db.session.scalar(select(Membership.id).where(Membership.classroom_id == assignment.classroom_id,
                                                     Membership.user_id == user_id)) is None:
        raise ClassroomError("Choose a student of this class.")
    if closes_at is None and not extra_attempts:
        raise ClassroomError("Give a later close, extra attempts, or both.")
    if extra_attempts and assignment.attempts_allowed is None:
        raise ClassroomError("Students may already try this quiz as often as they like.")
    extension = db.session.scalar(select(AssignmentExtension).where(
        AssignmentExtension.assignment_id == assignment.id, AssignmentExtension.user_id == user_id))
    if closes_at is not None:
        current = allowance(assignment, user_id).closes_at
        if closes_at <= current or closes_at <= now:
            raise ClassroomError("Give a time later than the student's present close, and in the future.")
    if extension is None:
        extension = AssignmentExtension(assignment_id=assignment.id, user_id=user_id, extra_attempts=0)
        db.session.add(extension)
    if closes_at is not None:
        extension.closes_at = closes_at
    extension.extra_attempts += extra_attempts or 0
    db.session.flush()
    _follow_terms(assignment, now, user_id)
    return extension


def remove_extension(assignment: Assignment, user_id: int, now: datetime | None = None) -> None:
    """Take back a student's extension: the class's terms are theirs again (an attempt they are in the
    middle of ends when the class's close or its time limit says). NotFound if they had none."""
    now = now or utcnow()
    with unit_of_work():
        extension = db.session.scalar(select(AssignmentExtension).where(
            AssignmentExtension.assignment_id == assignment.id, AssignmentExtension.user_id == user_id))
        if extension is None:
            raise NotFound("This student has no extension to take back.")
        db.session.delete(extension)
        db.session.flush()
        _follow_terms(assignment, now, user_id)
    _finish_overdue(assignment, now)


def extensions(assignment: Assignment) -> list[AssignmentExtension]:
    """The students the assignment was extended for, by name."""
    return list(db.session.scalars(
        select(AssignmentExtension).join(User, User.id == AssignmentExtension.user_id)
        .where(AssignmentExtension.assignment_id == assignment.id)
        .options(selectinload(AssignmentExtension.user)).order_by(User.display_name, User.id)
    ))


def _close(assignment: Assignment, now: datetime) -> None:
    """Close the assignment now for everyone, extensions included, and give the running attempts that
    deadline (no commit; ``_finish_overdue`` finishes them once it is committed)."""
    assignment.closes_at = min(assignment.closes_at, now)
    db.session.execute(update(AssignmentExtension)
                       .where(AssignmentExtension.assignment_id == assignment.id, AssignmentExtension.closes_at > now)
                       .values(closes_at=None))
    db.session.execute(update(Attempt)
                       .where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_(None))
                       .values(deadline_at=now))


def is_open_for_anyone(assignment: Assignment, now: datetime) -> bool:
    return assignment.closes_at > now or bool(db.session.scalar(select(exists().where(
        AssignmentExtension.assignment_id == assignment.id, AssignmentExtension.closes_at > now))))


def close_early(assignment: Assignment, now: datetime | None = None) -> Assignment:
    """Close the assignment now, for every student: running attempts are finished with what they have."""
    now = now or utcnow()
    with unit_of_work():
        _not_archived(assignment)
        if now < assignment.opens_at:
            raise ClassroomError("It has not opened yet: change its dates, or delete it.")
        if not is_open_for_anyone(assignment, now):
            raise ClassroomError("It is closed already.")
        _close(assignment, now)
    _finish_overdue(assignment, now)
    return assignment


def _restand(assignment: Assignment) -> None:
    """Recount the class standings of the students with a result at the assignment."""
    for user_id in db.session.scalars(select(AssignmentResult.user_id)
                                      .where(AssignmentResult.assignment_id == assignment.id)).all():
        refresh_standing(assignment.classroom_id, user_id)


def delete_assignment(assignment: Assignment, now: datetime | None = None) -> bool:
    """Delete the assignment if nobody has started it (True); otherwise archive it (False): it closes, and
    leaves the students' pages, the boards and the gradebook, with every answer kept."""
    now = now or utcnow()
    with unit_of_work():
        if not has_attempts(assignment):
            db.session.delete(assignment)
            return True
        assignment.archived_at = now
        _close(assignment, now)
    _finish_overdue(assignment, now)
    with unit_of_work():
        _restand(assignment)
    return False


@transactional
def restore_assignment(assignment: Assignment) -> Assignment:
    """Bring an archived assignment back, closed as it was archived; its results count again."""
    assignment.archived_at = None
    db.session.flush()
    _restand(assignment)
    return assignment


def archived_assignments(classroom: Classroom) -> list[Assignment]:
    return [a for a in classroom.assignments if a.archived]


def current_assignments(classroom: Classroom) -> list[Assignment]:
    return [a for a in classroom.assignments if not a.archived]
