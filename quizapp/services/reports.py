"""Item statistics and mastery for teachers and students, gathered in a few queries and
computed by the plain functions in ``domain/statistics.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from quizapp.domain.question_types import question_type
from quizapp.domain.statistics import (
    AssignmentStats,
    AttemptRecord,
    Mastery,
    QuestionInfo,
    assignment_statistics,
    mastery_from_counts,
)
from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Attempt, AttemptItem, Bank, Classroom, Question, SourcePart
from quizapp.services.attempts import reveals_key
from quizapp.services.closing import close_overdue
from quizapp.services.key_secrecy import withheld_keys

CHOICE_TYPES = ("single_choice", "multiple_select", "true_false")


@dataclass(frozen=True)
class ItemReport:
    """One question's statistics beside the question itself."""

    question: Question
    stats: object

    @property
    def label(self) -> str:
        return f"{self.question.source_part.label}: {self.question.prompt}"


@dataclass(frozen=True)
class AssignmentReport:
    assignment: Assignment
    stats: AssignmentStats
    items: list[ItemReport]

    def to_dict(self) -> dict:
        s = self.stats
        return {
            "assignment_id": self.assignment.id,
            "attempts": s.attempts,
            "summary": {"mean": s.summary.mean, "median": s.summary.median,
                        "standard_deviation": s.summary.standard_deviation,
                        "minimum": s.summary.minimum, "maximum": s.summary.maximum},
            "histogram": [{"lower": b.lower, "upper": b.upper, "count": b.count} for b in s.histogram],
            "alpha": s.alpha,
            "questions": [
                {"question_id": i.question.key, "prompt": i.question.prompt, "source": i.question.source_part.label,
                 "attempts": i.stats.attempts, "facility": i.stats.facility,
                 "point_biserial": i.stats.point_biserial, "upper_lower": i.stats.upper_lower,
                 "choice_counts": i.stats.choice_counts, "flags": list(i.stats.flags)}
                for i in self.items
            ],
        }

    @property
    def facility_rows(self) -> list[dict]:
        return [{"label": f"Q{i} · {item.question.source_part.label}", "value": item.stats.facility,
                 "note": item.question.prompt} for i, item in enumerate(self.items, start=1)]


def _question_info(question: Question) -> QuestionInfo:
    if question.type not in CHOICE_TYPES:
        return QuestionInfo(question.id)
    choices = ("True", "False") if question.type == "true_false" else tuple(question.spec["choices"])
    return QuestionInfo(question.id, choices, tuple(question_type(question.type).correct_answer(question.spec)))


def assignment_report(assignment: Assignment) -> AssignmentReport:
    """Statistics over every finished attempt at the assignment."""
    close_overdue([assignment.id])
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_not(None))
        .order_by(Attempt.id)
    ).all()
    ids = [a.id for a in attempts]
    asked: dict[int, dict[int, float]] = defaultdict(dict)
    for attempt_id, question_id in db.session.execute(
        select(AttemptItem.attempt_id, AttemptItem.question_id).where(AttemptItem.attempt_id.in_(ids))
    ):
        asked[attempt_id][question_id] = 0.0
    responses: dict[int, dict[int, tuple[str, ...]]] = defaultdict(dict)
    for attempt_id, question_id, score, response in db.session.execute(
        select(Answer.attempt_id, Answer.question_id, Answer.score, Answer.response).where(Answer.attempt_id.in_(ids))
    ):
        asked[attempt_id][question_id] = score
        responses[attempt_id][question_id] = tuple(response)
    question_ids = sorted({q for items in asked.values() for q in items})
    questions = db.session.scalars(
        select(Question).where(Question.id.in_(question_ids)).options(selectinload(Question.source_part))
    ).all()
    by_id = {q.id: q for q in questions}
    ordered = [by_id[q] for q in question_ids]
    records = [
        AttemptRecord(a.id, a.user_id, a.score, a.max_score, dict(asked[a.id]), dict(responses[a.id]))
        for a in attempts
    ]
    stats = assignment_statistics(records, [_question_info(q) for q in ordered])
    items = [ItemReport(by_id[item.question_id], item) for item in stats.items]
    return AssignmentReport(assignment, stats, items)


@dataclass(frozen=True)
class MasteryRow:
    """Mastery of one part of a bank's source, with its label and text (``titled``), or its label alone
    while the text could give away a key still withheld from the student."""

    part: SourcePart
    mastery: Mastery
    titled: bool = True

    @property
    def label(self) -> str:
        return f"{self.part.label}: {self.part.title}" if self.titled else self.part.label

    @property
    def chart_row(self) -> dict:
        m = self.mastery
        return {"label": self.label, "value": m.share, "note": f"{m.right} of {m.total} right"}


def revision_summary(entries: list) -> list[MasteryRow]:
    """One attempt's result per key point, FAQ and section (``attempts.ReviewEntry`` list), the parts to
    revise first: those with the smallest share right. A part is named by its label alone when the review
    may not show its text."""
    parts = {e.question.source_part.reference: e.question.source_part for e in entries}
    titled = {reference: True for reference in parts}
    for e in entries:
        if not e.reveal or e.part_withheld:
            titled[e.question.source_part.reference] = False
    counts = [(e.question.source_part.reference, int(bool(e.answer and e.answer.is_correct)), 1) for e in entries]
    rows = [MasteryRow(parts[m.reference], m, titled[m.reference]) for m in mastery_from_counts(counts)]
    return sorted(rows, key=lambda row: row.mastery.share)


def class_mastery(classroom: Classroom, user_id: int | None = None,
                  withhold_keys: bool = False) -> list[tuple[Bank, list[MasteryRow]]]:
    """Share of right answers per key point, FAQ and section, per bank, over the class's
    assignments (one student's answers when ``user_id`` is given). With ``withhold_keys`` (the student's
    own view), a part drawn on by an assignment whose key the student may not see yet (attempts left,
    not closed), or holding a question withheld from them by another assignment (``key_secrecy``), is named
    by its label alone: its text can be the answer itself."""
    # Counted by the database, per part and assignment: a class of thousands has millions of answers.
    query = (
        select(Question.bank_id, SourcePart.kind, SourcePart.number, Attempt.assignment_id,
               func.sum(case((Answer.is_correct, 1), else_=0)), func.count(), func.max(Attempt.id))
        .join(Question, Question.id == Answer.question_id)
        .join(SourcePart, SourcePart.id == Question.source_part_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        # Finished attempts only: an unfinished one may be keeping its feedback for the end.
        .where(Assignment.classroom_id == classroom.id, Assignment.archived_at.is_(None),
               Attempt.finished_at.is_not(None))
        .group_by(Question.bank_id, SourcePart.kind, SourcePart.number, Attempt.assignment_id)
    )
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    by_bank: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    attempt_of: dict[int, int] = {}  # an attempt of the student's at each assignment
    parts_of: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for bank_id, kind, number, assignment_id, right, total, attempt_id in db.session.execute(query):
        by_bank[bank_id].append((f"{kind} {number}", int(right or 0), total))
        attempt_of[assignment_id] = attempt_id
        parts_of[assignment_id].add((bank_id, f"{kind} {number}"))
    withheld: set[tuple[int, str]] = set()
    if withhold_keys:
        for assignment_id, attempt_id in attempt_of.items():
            if not reveals_key(db.session.get(Attempt, attempt_id)):
                withheld |= parts_of[assignment_id]
        if user_id is not None and by_bank:
            withheld |= withheld_keys(user_id).source_parts()
    if not by_bank:
        return []
    parts = {(p.bank_id, p.reference): p for p in db.session.scalars(
        select(SourcePart).where(SourcePart.bank_id.in_(by_bank))
    )}
    banks = {b.id: b for b in db.session.scalars(select(Bank).where(Bank.id.in_(by_bank)))}
    return [
        (banks[bank_id], [MasteryRow(parts[(bank_id, m.reference)], m, (bank_id, m.reference) not in withheld)
                          for m in mastery_from_counts(results)])
        for bank_id, results in sorted(by_bank.items())
    ]
