"""A stored bank as the data of a version 1 bank file: what ``writing.store`` writes back, changed, and
what export writes out as YAML."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Bank, Question, Quiz
from quizapp.services.banks.writing import DEFAULT_QUIZ_KEY

PART_LISTS = {"section": ("sections", "title", "text"), "key_point": ("key_points", "text", None),
              "faq": ("faqs", "question", "answer")}


def bank_document(bank: Bank, default_quiz: bool = False) -> dict[str, Any]:
    """The bank as the data of a version 1 bank file: what loading it back would store. The quiz a bank
    gets when its file lists none is left out, as loading would make it, unless ``default_quiz`` asks
    for it (to store the bank with a quiz added beside it)."""
    source: dict[str, Any] = {"title": bank.source_title}
    for part in bank.parts:
        list_key, title_key, body_key = PART_LISTS[part.kind]
        entry: dict[str, Any] = {"number": part.number, title_key: part.title}
        if body_key and part.body:
            entry[body_key] = part.body
        source.setdefault(list_key, []).append(entry)
    questions = db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.archived.is_(False)).order_by(Question.id)
    ).all()
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.bank_id == bank.id, Quiz.archived.is_(False)).order_by(Quiz.id)
    ).all()
    if len(quizzes) == 1 and _is_default_quiz(quizzes[0], bank) and not default_quiz:
        quizzes = []  # made by loading a file that listed no quizzes, as loading one would make it
    document: dict[str, Any] = {"version": 1, "id": bank.key, "title": bank.title}
    if bank.description:
        document["description"] = bank.description
    document["source"] = source
    live = {q.key for q in questions}
    # A quiz of picked questions that have all been archived has nothing left to ask: it is left out.
    quizzes = [q for q in quizzes if not q.question_keys or live.intersection(q.question_keys)]
    if quizzes:
        document["quizzes"] = [_quiz_entry(q, live) for q in quizzes]
    document["questions"] = [question_entry(q) for q in questions]
    return document


def _is_default_quiz(quiz: Quiz, bank: Bank) -> bool:
    """Whether the quiz is still the one a bank gets when its file lists none: every question, as it came."""
    return (quiz.key == DEFAULT_QUIZ_KEY and quiz.title == bank.title and quiz.description == bank.description
            and not (quiz.count or quiz.sources or quiz.tags or quiz.question_keys) and quiz.shuffle
            and quiz.feedback.value == "after_each")


def _quiz_entry(quiz: Quiz, live: set[str]) -> dict[str, Any]:
    """The quiz as a bank file writes it; picked questions since archived are left out."""
    entry: dict[str, Any] = {"id": quiz.key, "title": quiz.title}
    if quiz.description:
        entry["description"] = quiz.description
    if quiz.count:
        entry["count"] = quiz.count
    if quiz.sources:
        entry["sources"] = list(quiz.sources)
    if quiz.tags:
        entry["tags"] = list(quiz.tags)
    if not quiz.shuffle:
        entry["shuffle"] = False
    picked = [key for key in quiz.question_keys if key in live]
    if picked:
        entry["questions"] = picked
    if quiz.feedback.value != "after_each":
        entry["feedback"] = quiz.feedback.value
    return entry


def question_entry(question: Question) -> dict[str, Any]:
    """A stored question as it stands in a bank file."""
    entry: dict[str, Any] = {"id": question.key, "type": question.type, "prompt": question.prompt}
    entry.update(question.spec)
    entry["explanation"] = question.explanation
    entry["source"] = question.source_part.reference
    if question.passage:
        entry["passage"] = question.passage
    entry["difficulty"] = question.difficulty
    if question.tags:
        entry["tags"] = list(question.tags)
    entry["points"] = question.points
    if question.draft:
        entry["draft"] = True
    if question.review_note:
        entry["review"] = question.review_note
    return entry
