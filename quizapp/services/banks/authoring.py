"""Writing, editing, archiving and previewing questions of a teacher's own bank in the browser.

A question from the form goes through the same validator as a bank file: the bank as it stands
(``documents.bank_document``), with the question added or replaced, is checked by ``check_bank``
and written by ``writing.store``, so a changed question becomes a new version as on a file load,
and answers already given keep the version they were graded against.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from quizapp.domain.authoring import field_for, form_from_question, form_message, new_key, question_from_form
from quizapp.domain.bank_format import BankError, check_bank, passage_in_source
from quizapp.domain.errors import NotFound
from quizapp.domain.question_types import question_type
from quizapp.extensions import db
from quizapp.models import Answer, Bank, Question, Quiz
from quizapp.services.banks.documents import bank_document, question_entry
from quizapp.services.banks.writing import LoadReport, store
from quizapp.services.unit_of_work import transactional, unit_of_work


@dataclass
class AuthoringError(Exception):
    """The question was not saved: messages by form field, and those for the top of the form."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str | None, message: str) -> None:
        if name is None:
            self.general.append(message)
        else:
            self.fields.setdefault(name, []).append(message)


@dataclass
class SavedQuestion:
    """What saving the form did: the question's id (made up for a new one left without) and the load report."""

    key: str
    report: LoadReport


@dataclass(frozen=True)
class BankCounts:
    """What a bank holds, for the list of banks: questions (not archived), drafts among them, and quizzes."""

    questions: int = 0
    drafts: int = 0
    quizzes: int = 0


def bank_counts(banks: list[Bank]) -> dict[int, BankCounts]:
    """Each bank's counts by id, in two statements however many banks there are."""
    ids = [bank.id for bank in banks]
    questions = {bank_id: (total, drafts or 0) for bank_id, total, drafts in db.session.execute(
        select(Question.bank_id, func.count(), func.sum(case((Question.draft, 1), else_=0)))
        .where(Question.bank_id.in_(ids), Question.archived.is_(False)).group_by(Question.bank_id))}
    quizzes = dict(db.session.execute(
        select(Quiz.bank_id, func.count()).where(Quiz.bank_id.in_(ids), Quiz.archived.is_(False))
        .group_by(Quiz.bank_id)).all())
    return {bank_id: BankCounts(*questions.get(bank_id, (0, 0)), quizzes.get(bank_id, 0)) for bank_id in ids}


def live_question(bank: Bank, question_id: int) -> Question | None:
    """The bank's question with that id, unless it is archived."""
    question = db.session.get(Question, question_id)
    if question is None or question.bank_id != bank.id or question.archived:
        return None
    return question


def get_live_question(bank: Bank, question_id: int) -> Question:
    """As ``live_question``, but NotFound rather than None."""
    question = live_question(bank, question_id)
    if question is None:
        raise NotFound("No such question in this bank.")
    return question


def form_data(question: Question) -> dict[str, Any]:
    """The edit form's text for a stored question."""
    return form_from_question(question_entry(question))


@transactional
def save_question(bank: Bank, kind: str, data: dict[str, Any], question: Question | None = None) -> SavedQuestion:
    """Add a question to the bank (``question`` None) or change ``question``, from the form's text;
    raise AuthoringError, with nothing saved, when the validator (or the form) finds a problem.

    A new question left without an id is given one (``domain.authoring.new_key``); an existing
    question keeps its id whatever the form says, as the id names its versions."""
    entry, form_problems = question_from_form(kind, data)
    error = AuthoringError()
    for name, message in form_problems:
        error.add(name, message)
    if question is not None:
        entry["id"] = question.key
    else:
        # Archived questions count: their answers still name them by id.
        taken = {key: archived for key, archived in db.session.execute(
            select(Question.key, Question.archived).where(Question.bank_id == bank.id))}
        if not entry["id"]:
            entry["id"] = new_key(kind, entry["source"], set(taken))
        elif entry["id"] in taken:
            where = "An archived question" if taken[entry["id"]] else "Another question"
            error.add("id", f"{where} of this bank has the id “{entry['id']}”: choose another, or leave it "
                            "empty to have one made.")
    document = bank_document(bank)
    questions = document["questions"]
    index = next((i for i, q in enumerate(questions) if question is not None and q["id"] == question.key), None)
    if index is None:
        questions.append(entry)
        index = len(questions) - 1
    else:
        questions[index] = entry
    name = f"bank {bank.key}"
    try:
        checked = check_bank(document, name)
    except BankError as problems:
        for problem in problems.problems:
            if "id" in error.fields and problem.message.startswith("duplicate question id"):
                continue  # said already, without the line numbers of a file the teacher never saw
            name = field_for(problem, index, kind)
            error.add(name, form_message(problem.message, name, kind))
    passage = entry.get("passage")
    if isinstance(passage, str) and passage.strip() and bank.source_text \
            and not passage_in_source(passage, bank.source_text):
        error.add("passage", form_message("not found word for word", "passage", kind))
    if error.fields or error.general:
        raise error
    return SavedQuestion(entry["id"], store(bank, checked))


def answers_to_current_version(question: Question) -> int:
    """How many answers were graded against the question as it stands."""
    return db.session.scalar(select(func.count()).select_from(Answer).where(
        Answer.question_id == question.id, Answer.question_version == question.version))


def answers_to_question(question: Question) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer).where(Answer.question_id == question.id))


def archive_question(question: Question) -> int:
    """Hide the question from the bank and its quizzes; its answers stay. Returns how many it has.
    (Loading the bank without it would do the same; archiving directly also works for a last question.)"""
    with unit_of_work():
        question.archived = True
    return answers_to_question(question)


def preview(question: Question) -> dict[str, Any]:
    """The question as a student sees it before answering (choices in their written order), and the key."""
    kind = question_type(question.type)
    presentation = kind.present(question.spec, random.Random(0), shuffle=False)
    view = {
        "question_id": question.id, "position": 1, "total": 1, "type": question.type, "type_label": kind.label,
        "prompt": question.prompt, "points": question.points, **kind.public(question.spec, presentation),
    }
    return {"q": view, "correct_answer": kind.correct_answer(question.spec),
            "ordered": question.type in ("ordering", "cloze")}
