"""Item statistics and mastery for teachers and students, gathered in a few queries and
computed by the plain functions in ``domain/statistics.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from quizapp.domain.question_types import BLANK, question_type
from quizapp.domain.statistics import (
    DIFFICULTY_LABELS,
    MIN_ATTEMPTS_FOR_FLAGS,
    AssignmentStats,
    AttemptRecord,
    ItemStats,
    Mastery,
    QuestionInfo,
    assignment_statistics,
    mastery_from_counts,
)
from quizapp.domain.typed_answers import TYPED_TYPES, TypedAnswer, typed_answers
from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Attempt, AttemptItem, Bank, Classroom, Question, SourcePart, utcnow
from quizapp.services.accepting import why_not_editable
from quizapp.services.attempts import reveals_key
from quizapp.services.difficulty import why_not_changeable
from quizapp.services.key_secrecy import withheld_keys
from quizapp.services.results import as_finished, overdue

CHOICE_TYPES = ("single_choice", "multiple_select", "true_false")
SHORT_TEXT = 90  # characters of a question's or a part's text shown where it names it


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis when longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;:.-–—") + "…"


def question_text(question: Question) -> str:
    """What names a question for a teacher: its prompt, and for a fill-in-the-blanks question its text with
    the blanks drawn as gaps (its prompt alone is often just "Fill in the blanks")."""
    if question.type == "cloze":
        return f"{question.prompt} {BLANK.sub('___', question.spec['text'])}"
    return question.prompt


@dataclass(frozen=True)
class ItemReport:
    """One question's statistics beside the question itself, the answers typed to it (short-answer and
    cloze questions), why its key cannot be changed from here (None when it can), and why its difficulty
    cannot (None when it can; unchangeable unless said otherwise)."""

    question: Question
    stats: ItemStats
    number: int = 0
    typed: tuple[TypedAnswer, ...] = ()
    locked: str | None = None
    difficulty_locked: str | None = "Its difficulty cannot be changed here."

    @property
    def difficulty_label(self) -> str:
        """The difficulty as set, in words: "1 (easy)", "2" or "3 (hard)"."""
        return DIFFICULTY_LABELS.get(self.question.difficulty, str(self.question.difficulty))

    @property
    def suggested_difficulty(self) -> int | None:
        """The difficulty the answers suggest when it is not the one set; None when they agree or are too few."""
        suggested = self.stats.suggested_difficulty
        return suggested if suggested != self.question.difficulty else None

    @property
    def difficulty_advice(self) -> str | None:
        """The difficulty as set and the one the answers suggest, in a sentence; None when they agree."""
        suggested = self.suggested_difficulty
        if suggested is None:
            return None
        return (f"Set as {self.difficulty_label}; the class scored {self.stats.facility:.0%} on it, which suggests "
                f"{DIFFICULTY_LABELS[suggested]}.")

    @property
    def correctable(self) -> bool:
        """Whether the teacher may set the difficulty the answers suggest from here."""
        return self.suggested_difficulty is not None and self.difficulty_locked is None

    @property
    def text(self) -> str:
        return question_text(self.question)

    @property
    def short(self) -> str:
        return shorten(self.text)

    @property
    def part(self) -> str:
        """The key point, FAQ or section the question is drawn from, with the start of its text."""
        part = self.question.source_part
        return f"{part.label}: {shorten(part.title, 60)}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.short}"

    @property
    def type_label(self) -> str:
        return question_type(self.question.type).label

    @property
    def typed_by_blank(self) -> list[tuple[int | None, list[TypedAnswer]]]:
        blanks: dict[int | None, list[TypedAnswer]] = {}
        for typed in self.typed:
            blanks.setdefault(typed.blank, []).append(typed)
        return list(blanks.items())


@dataclass(frozen=True)
class AssignmentReport:
    assignment: Assignment
    stats: AssignmentStats
    items: list[ItemReport]
    min_attempts: int = MIN_ATTEMPTS_FOR_FLAGS

    @property
    def facility_rows(self) -> list[dict]:
        """The facility chart's bars; a question asked too few times to mean something has none."""
        return [{"label": item.label, "value": item.stats.facility if item.stats.enough else None,
                 "note": f"{item.part} · " + (
                     f"{item.stats.attempts} attempts" if item.stats.enough
                     else f"{item.stats.attempts} of {self.min_attempts} attempts needed")}
                for item in self.items]

    @property
    def flagged(self) -> list[ItemReport]:
        return [item for item in self.items if item.stats.flags]

    @property
    def correctable(self) -> list[ItemReport]:
        """The questions whose difficulty the answers suggest changing, in banks the teacher may change."""
        return [item for item in self.items if item.correctable]


def _question_info(question: Question) -> QuestionInfo:
    if question.type not in CHOICE_TYPES:
        return QuestionInfo(question.id)
    choices = ("True", "False") if question.type == "true_false" else tuple(question.spec["choices"])
    return QuestionInfo(question.id, choices, tuple(question_type(question.type).correct_answer(question.spec)))


def assignment_report(assignment: Assignment) -> AssignmentReport:
    """Statistics over every finished attempt at the assignment, and what was typed to its short-answer and
    cloze questions."""
    now = utcnow()
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id,
                              Attempt.finished_at.is_not(None) | overdue(now))
        .order_by(Attempt.id)
    ).all()
    as_finished(attempts, now)  # counted as finished at the deadline, with their answers' points
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
        select(Question).where(Question.id.in_(question_ids))
        .options(selectinload(Question.source_part), selectinload(Question.bank))
    ).all()
    by_id = {q.id: q for q in questions}
    ordered = [by_id[q] for q in question_ids]
    records = [
        AttemptRecord(a.id, a.user_id, a.score, a.max_score, dict(asked[a.id]), dict(responses[a.id]))
        for a in attempts
    ]
    stats = assignment_statistics(records, [_question_info(q) for q in ordered])
    typed = _typed(assignment, [q for q in ordered if q.type in TYPED_TYPES])
    teacher_id = assignment.classroom.teacher_id
    items = [ItemReport(by_id[item.question_id], item, number, tuple(typed.get(item.question_id, ())),
                        why_not_editable(by_id[item.question_id], teacher_id) if item.question_id in typed else None,
                        why_not_changeable(by_id[item.question_id], teacher_id))
             for number, item in enumerate(stats.items, start=1)]
    return AssignmentReport(assignment, stats, items)


def _typed(assignment: Assignment, questions: list[Question]) -> dict[int, list[TypedAnswer]]:
    """The typed answers to each of ``questions`` in the assignment's finished attempts (one query), each
    with the key it was graded against."""
    if not questions:
        return {}
    given: dict[int, list[tuple[list[str], dict]]] = defaultdict(list)
    for question_id, response, spec in db.session.execute(
        select(Answer.question_id, Answer.response, AttemptItem.spec)
        .join(AttemptItem, (AttemptItem.attempt_id == Answer.attempt_id)
              & (AttemptItem.question_id == Answer.question_id))
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.assignment_id == assignment.id, Attempt.finished_at.is_not(None),
               Answer.question_id.in_([q.id for q in questions]))
    ):
        given[question_id].append((response, spec))
    return {q.id: typed_answers(q.type, q.spec, given[q.id]) for q in questions}


WITHHELD_PART = ("its text is held back while a quiz on it is still open for you, because the text could give "
                 "an answer away")


@dataclass(frozen=True)
class MasteryRow:
    """Mastery of one part of a bank's source, with its label and text (``titled``), or, while the text could
    give away a key still withheld from the student, its label and a question the student answered on it
    (``asked``), which says what the part is about without the answer."""

    part: SourcePart
    mastery: Mastery
    titled: bool = True
    asked: str = ""

    @property
    def about(self) -> str:
        """What the part is about, in words that give nothing away to the reader."""
        if self.titled:
            return self.part.title
        return f"asked “{shorten(self.asked, 70)}”" if self.asked else ""

    @property
    def label(self) -> str:
        about = self.about
        return f"{self.part.label}: {about}" if about else self.part.label

    @property
    def withheld(self) -> str | None:
        """Why the part's text is not shown, in plain words; None when it is."""
        return None if self.titled else WITHHELD_PART

    @property
    def chart_row(self) -> dict:
        m = self.mastery
        note = f"{m.right} of {m.total} right"
        return {"label": self.label, "value": m.share, "note": f"{note}; {self.withheld}" if self.withheld else note}


def revision_summary(entries: list) -> list[MasteryRow]:
    """One attempt's result per key point, FAQ and section (``attempts.ReviewEntry`` list), the parts to
    revise first: those with the smallest share right. A part is named by its label alone when the review
    may not show its text."""
    parts = {e.question.source_part.reference: e.question.source_part for e in entries}
    titled = {reference: True for reference in parts}
    asked: dict[str, str] = {}
    for e in entries:
        if not e.reveal or e.part_withheld:
            titled[e.question.source_part.reference] = False
        asked.setdefault(e.question.source_part.reference, e.question.prompt)
    counts = [(e.question.source_part.reference, int(bool(e.answer and e.answer.is_correct)), 1) for e in entries]
    rows = [MasteryRow(parts[m.reference], m, titled[m.reference], asked[m.reference])
            for m in mastery_from_counts(counts)]
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
    asked = _asked(classroom, user_id) if withheld and user_id is not None else {}
    return [
        (banks[bank_id], [MasteryRow(parts[(bank_id, m.reference)], m, (bank_id, m.reference) not in withheld,
                                     asked.get((bank_id, m.reference), ""))
                          for m in mastery_from_counts(results)])
        for bank_id, results in sorted(by_bank.items())
    ]


def _asked(classroom: Classroom, user_id: int) -> dict[tuple[int, str], str]:
    """A question the student answered on each part, in a finished attempt at the class's assignments: what
    a part whose text is held back is about, in words the student has seen already."""
    return {(bank_id, f"{kind} {number}"): prompt for bank_id, kind, number, prompt in db.session.execute(
        select(Question.bank_id, SourcePart.kind, SourcePart.number, func.min(Question.prompt))
        .join(SourcePart, SourcePart.id == Question.source_part_id)
        .join(Answer, Answer.question_id == Question.id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(Assignment.classroom_id == classroom.id, Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
        .group_by(Question.bank_id, SourcePart.kind, SourcePart.number)
    )}
