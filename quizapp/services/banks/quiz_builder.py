"""Building quizzes in a teacher's own bank: the questions picked, or a random number of those drawn from
some parts of the text and carrying some tags; shuffled or not; feedback after each question or at the end.

A plan is checked as a whole against the questions students may be asked (neither drafts nor archived)
before anything is written, so a refused plan leaves the bank as it was; the quiz is then written with
the bank by ``writing.store``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.domain.bank_format import BankError
from quizapp.domain.drawing import Candidate, eligible
from quizapp.domain.errors import NotFound
from quizapp.domain.interchange.naming import slugify, unique_id
from quizapp.extensions import db
from quizapp.models import Bank, Feedback, Question, Quiz
from quizapp.services.banks.documents import bank_document
from quizapp.services.banks.writing import DEFAULT_QUIZ_KEY, store
from quizapp.services.pools import candidates
from quizapp.services.unit_of_work import transactional

FALLBACK_KEY = "quiz"  # for a title with no letter or digit to make a key of
FORM_FIELDS = ("title", "description", "questions", "count", "sources", "tags", "feedback")


@dataclass
class QuizPlan:
    """What a teacher asks of a quiz. ``picking``: ask the ``picked`` questions (by key); otherwise draw
    ``count`` (None: all) of those from one of ``sources`` and carrying one of ``tags`` (empty: any)."""

    title: str
    description: str = ""
    picking: bool = True
    picked: list[str] = field(default_factory=list)
    count: int | None = None
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    shuffle: bool = True
    feedback: Feedback = Feedback.AFTER_EACH


@dataclass
class QuizPlanError(Exception):
    """The quiz was not saved: messages by form field."""

    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


def pickable_questions(bank: Bank) -> list[Question]:
    """The bank's questions students may be asked (neither drafts nor archived), in bank order."""
    return list(db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.archived.is_(False), Question.draft.is_(False))
        .options(selectinload(Question.source_part)).order_by(Question.id)
    ))


def matching(questions: list[Question], text: str = "", kind: str = "", reference: str = "",
             tag: str = "") -> list[Question]:
    """Those of ``questions`` matching every filter given: ``text`` in the prompt or explanation (any case),
    the type, the part of the text, the tag."""
    needle = text.strip().casefold()
    return [
        q for q in questions
        if (not needle or needle in q.prompt.casefold() or needle in q.explanation.casefold())
        and (not kind or q.type == kind) and (not reference or q.source_part.reference == reference)
        and (not tag or tag in q.tags)
    ]


def filter_counts(questions: list[Question]) -> tuple[Counter[str], Counter[str]]:
    """How many of ``questions`` each part of the text (by reference) and each tag has."""
    return Counter(q.source_part.reference for q in questions), Counter(tag for q in questions for tag in q.tags)


def live_quiz(bank: Bank, quiz_id: int) -> Quiz | None:
    """The bank's quiz with that id, unless it is archived."""
    quiz = db.session.get(Quiz, quiz_id)
    return quiz if quiz is not None and quiz.bank_id == bank.id and not quiz.archived else None


def get_live_quiz(bank: Bank, quiz_id: int) -> Quiz:
    """As ``live_quiz``, but NotFound rather than None."""
    quiz = live_quiz(bank, quiz_id)
    if quiz is None:
        raise NotFound("No such quiz in this bank.")
    return quiz


def form_data(quiz: Quiz) -> dict[str, Any]:
    """The edit form's values for a stored quiz."""
    return {
        "title": quiz.title, "description": quiz.description, "mode": "pick" if quiz.question_keys else "random",
        "questions": list(quiz.question_keys), "count": str(quiz.count) if quiz.count else "",
        "sources": list(quiz.sources), "tags": list(quiz.tags), "shuffle": quiz.shuffle,
        "feedback": quiz.feedback.value,
    }


def problems(bank: Bank, plan: QuizPlan) -> dict[str, list[str]]:
    """What is wrong with ``plan`` in ``bank``, by form field; empty when nothing is."""
    return check_plan(plan, candidates(bank.id), {p.reference for p in bank.parts}).fields


def check_plan(plan: QuizPlan, pool: list[Candidate], references: set[str]) -> QuizPlanError:
    """Every problem with ``plan`` given the bank's ``pool`` of askable questions and the ``references``
    of its parts; an error with no fields when there is none."""
    error = QuizPlanError()
    if not plan.title.strip():
        error.add("title", "Give the quiz a title.")
    if plan.picking:
        askable = {c.key for c in pool}
        if not plan.picked:
            error.add("questions", "Pick at least one question.")
        for key in plan.picked:
            if key not in askable:
                error.add("questions", f"“{key}” cannot be asked: it is a draft, archived, or not in this bank.")
        if len(set(plan.picked)) != len(plan.picked):
            error.add("questions", "A question is picked more than once.")
        return error
    for reference in plan.sources:
        if reference not in references:
            error.add("sources", f"“{reference}” is not a part of this bank's text.")
    matching = eligible(pool, plan.sources, plan.tags)
    if not matching:
        if plan.sources or plan.tags:
            error.add("sources", "No question of this bank is drawn from these parts of the text and carries "
                                 "these tags: choose others.")
        else:
            error.add("sources", "This bank has no question students may be asked yet.")
    elif plan.count is not None and plan.count > len(matching):
        what = "These parts of the text and tags match" if plan.sources or plan.tags else "This bank has"
        error.add("count", f"{what} {_questions(len(matching))}: ask {len(matching)} or fewer, or leave it "
                           f"empty to ask them all.")
    if plan.count is not None and plan.count < 1:
        error.add("count", "Ask at least 1 question.")
    return error


@transactional
def save_quiz(bank: Bank, plan: QuizPlan, quiz: Quiz | None = None) -> Quiz:
    """Add a quiz to the teacher's own ``bank`` (``quiz`` None) or change ``quiz``; raise QuizPlanError,
    with nothing written, when the plan does not hold. A new quiz's key is made from its title, unique in
    the bank; a quiz keeps its key when changed, but for the bank's default quiz (see below)."""
    found = problems(bank, plan)
    if found:
        raise QuizPlanError(found)
    key = quiz.key if quiz is not None else None
    if quiz is None or quiz.key == DEFAULT_QUIZ_KEY:
        # The key of the quiz a bank gets when its file lists none is kept for that quiz as it was made:
        # a quiz built or changed takes a key of its own, so it is never mistaken for it.
        taken = set(db.session.scalars(select(Quiz.key).where(Quiz.bank_id == bank.id))) | {DEFAULT_QUIZ_KEY}
        key = unique_id(slugify(plan.title) or FALLBACK_KEY, taken)
        if quiz is not None:
            quiz.key = key  # in place, so that its attempts and assignments stay with it
    entry: dict[str, Any] = {"id": key, "title": plan.title.strip()}
    if plan.description.strip():
        entry["description"] = plan.description.strip()
    if plan.picking:
        entry["questions"] = _keep_order(quiz.question_keys if quiz is not None else [], plan.picked)
    else:
        if plan.count is not None:
            entry["count"] = plan.count
        entry.update(sources=list(plan.sources), tags=list(plan.tags))
    entry.update(shuffle=plan.shuffle, feedback=plan.feedback.value)
    document = bank_document(bank, default_quiz=True)
    quizzes = document.setdefault("quizzes", [])
    at = next((i for i, q in enumerate(quizzes) if q["id"] == key), None)
    if at is None:
        quizzes.append(entry)
    else:
        quizzes[at] = entry
    try:
        store(bank, document)
    except BankError as error:
        raise QuizPlanError(_fields(error)) from None
    return db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == key))


def _fields(error: BankError) -> dict[str, list[str]]:
    """The validator's problems with the quiz, by form field (the title's for any other)."""
    fields: dict[str, list[str]] = {}
    for problem in error.problems:
        path = problem.path
        name = path[2] if len(path) > 2 and path[0] == "quizzes" and isinstance(path[2], str) else "title"
        fields.setdefault(name if name in FORM_FIELDS else "title", []).append(problem.message)
    return fields


@transactional
def archive_quiz(quiz: Quiz) -> None:
    """Take the quiz out of the bank's list and out of new assignments; assignments already set keep it,
    and every attempt at it is kept."""
    quiz.archived = True


def _keep_order(before: list[str], picked: list[str]) -> list[str]:
    """The picked keys: those picked before in their old order (a bank file may have set it), then the new
    ones in the order given."""
    chosen = set(picked)
    kept = [key for key in before if key in chosen]
    return kept + [key for key in picked if key not in set(kept)]


def _questions(n: int) -> str:
    return f"{n} question{'s' if n != 1 else ''}"
