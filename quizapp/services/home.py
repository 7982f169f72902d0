"""What a student and a teacher see first: a student's assignments to do and practice to carry on, a
teacher's classes, what is due and the latest finished attempts. Read-side only: an overdue timed attempt
not closed yet counts as finished, as on every page that counts results (``results.pending_results``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentResult, Attempt, Classroom, Membership, User, utcnow
from quizapp.services import classrooms
from quizapp.services.classrooms import AssignmentStatus
from quizapp.services.quizzes import QuizSummary, quiz_summaries
from quizapp.services.results import pending_results

# A closed assignment the student never finished stays on their list this long.
MISSED_FOR = timedelta(days=14)
MISSED_SHOWN = 5
SUGGESTED = 3
DUE_SHOWN = 5
ACTIVITY_SHOWN = 8


@dataclass
class StudentHome:
    """A student's "To do": open assignments (the ones still to do first, soonest closing first, then
    those done while still open), upcoming ones (soonest opening first), practice, and missed ones."""

    now: datetime
    classrooms: list[Classroom]  # kept here, each assignment's class is at hand: naming it runs no query
    open: list[AssignmentStatus]
    upcoming: list[AssignmentStatus]
    missed: list[AssignmentStatus]
    practice_in_progress: list[QuizSummary]
    suggested: list[QuizSummary]
    practice_count: int
    practice_waiting: int  # quizzes whose every question an open assignment can ask: none to practise yet

    @property
    def in_a_class(self) -> bool:
        return bool(self.classrooms)

    @property
    def to_do(self) -> int:
        """How many open assignments still ask something of the student."""
        return sum(1 for s in self.open if s.state == "open")


def student_home(user: User, now: datetime | None = None) -> StudentHome:
    """The student's open, upcoming and recently missed assignments over all their classes, their
    unfinished practice and a few quizzes they have not tried."""
    now = now or utcnow()
    by_class = classrooms.dashboard(user, now)
    statuses = [s for _, in_class in by_class for s in in_class]
    # Each student's own terms (``closes_at``, ``attempts_allowed``): an extension keeps it open for them.
    open_now = sorted((s for s in statuses if s.assignment.opens_at <= now < s.closes_at),
                      key=lambda s: (s.state != "open", s.closes_at, s.assignment.id))
    upcoming = sorted((s for s in statuses if s.state == "upcoming"),
                      key=lambda s: (s.assignment.opens_at, s.assignment.id))
    missed = sorted((s for s in statuses if s.state == "closed" and now - MISSED_FOR < s.closes_at <= now),
                    key=lambda s: (s.closes_at, s.assignment.id), reverse=True)[:MISSED_SHOWN]
    every = quiz_summaries(user)
    summaries = [s for s in every if s.question_count]
    tried = set(db.session.scalars(select(Attempt.quiz_id).where(Attempt.user_id == user.id).distinct()))
    fresh = [s for s in summaries if not s.in_progress and s.quiz.id not in tried]
    return StudentHome(
        now=now, classrooms=[c for c, _ in by_class], open=open_now, upcoming=upcoming, missed=missed,
        practice_in_progress=sorted((s for s in summaries if s.in_progress),
                                    key=lambda s: s.in_progress.started_at, reverse=True),
        suggested=fresh[:SUGGESTED], practice_count=len(summaries), practice_waiting=len(every) - len(summaries),
    )


@dataclass
class DueAssignment:
    """An open assignment of the teacher's, with how many of the class have a counted result."""

    assignment: Assignment
    done: int
    students: int


@dataclass
class TeacherHome:
    """A teacher's classes (with students and assignments per class), the open assignments closing
    soonest, and the latest finished assignment attempts across their classes (archived assignments
    left out of both, as from every other page but the class's own list)."""

    now: datetime
    classrooms: list[Classroom]
    sizes: dict[int, tuple[int, int]]
    due: list[DueAssignment] = field(default_factory=list)
    activity: list[Attempt] = field(default_factory=list)


def teacher_home(teacher: User, now: datetime | None = None) -> TeacherHome:
    """What a teacher starts from; a fixed number of queries however many classes, students and attempts."""
    now = now or utcnow()
    taught = classrooms.taught_classrooms(teacher)
    sizes = classrooms.class_sizes(taught)
    ids = [c.id for c in taught]
    if not ids:
        return TeacherHome(now, taught, sizes)
    open_assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.classroom_id.in_(ids), Assignment.opens_at <= now,
                                 Assignment.closes_at > now, Assignment.archived_at.is_(None))
        .options(selectinload(Assignment.quiz)).order_by(Assignment.closes_at, Assignment.id).limit(DUE_SHOWN)
    ))
    due_ids = [a.id for a in open_assignments]
    pending = pending_results(due_ids, now)
    # Results of current members only: a student who left the class is not counted among the done.
    done = dict(db.session.execute(
        select(AssignmentResult.assignment_id, func.count())
        .join(Assignment, Assignment.id == AssignmentResult.assignment_id)
        .join(Membership, (Membership.classroom_id == Assignment.classroom_id)
              & (Membership.user_id == AssignmentResult.user_id))
        .where(AssignmentResult.assignment_id.in_(due_ids)).group_by(AssignmentResult.assignment_id)
    ).all()) if due_ids else {}
    for assignment_id, _ in pending.new:
        done[assignment_id] = done.get(assignment_id, 0) + 1
    # Each row's class is one of ``taught``, already in the session: naming it runs no query.
    due = [DueAssignment(a, done.get(a.id, 0), sizes[a.classroom_id][0]) for a in open_assignments]
    activity = list(db.session.scalars(
        select(Attempt).join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(Assignment.classroom_id.in_(ids), Assignment.archived_at.is_(None), Attempt.finished_at.is_not(None))
        .options(selectinload(Attempt.user), selectinload(Attempt.quiz), selectinload(Attempt.assignment))
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc()).limit(ACTIVITY_SHOWN)
    ))
    return TeacherHome(now, taught, sizes, due, activity)
