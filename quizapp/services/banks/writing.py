"""The one write path for bank content: ``store(bank, document)``.

Whatever writes a bank's questions, quizzes or source parts (loading files, authoring a question,
building a quiz, drafting from an article, importing GIFT, Aiken or Moodle XML, bulk changes, copies
of a shared bank, accepting a typed answer) builds the bank as the data of a bank file
(``documents.bank_document``, changed) and hands it to ``store``: it is checked by the bank validator
(``check_bank``; a file is checked by ``parse_bank`` as it is read), then written all or nothing,
keeping every answer already given: a question whose graded fields change becomes a new version, one
the document leaves out is archived.

Changes that are the teacher's filing of one question or quiz (archiving, accepting a draft, a
difficulty, archiving a quiz) set that one field in place and need no check of the whole bank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from quizapp.domain.bank_format import BankDocument, BankError, BankProblem, check_bank
from quizapp.extensions import db
from quizapp.models import Bank, Feedback, Question, Quiz, SourcePart, utcnow
from quizapp.services import practice
from quizapp.services.unit_of_work import transactional

DEFAULT_QUIZ_KEY = "all-questions"
# What a student sees or is graded on: a change to any of these makes a new version of the question.
# Difficulty, tags and the draft and review marks are the teacher's filing: they change in place.
GRADED_FIELDS = ("type", "prompt", "explanation", "passage", "source_part_id", "points", "spec")


@dataclass
class LoadReport:
    """What loading one bank changed."""

    bank: str
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    restored: int = 0
    """Archived questions the document lists again: they are asked again (with any change it makes)."""
    quizzes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        restored = f"{self.restored} restored, " if self.restored else ""
        return (f"{self.file}: bank '{self.bank}': {self.added} added, {self.updated} updated, {restored}"
                f"{self.unchanged} unchanged, {self.archived} archived; "
                f"quizzes: {', '.join(self.quizzes) or 'none'}")


@transactional
def store(bank: Bank | None, document: dict[str, Any] | BankDocument, *, owner_id: int | None = None,
          name: str | None = None, source_text: str | None = None, lineage: Mapping[str, int] | None = None
          ) -> LoadReport:
    """Write ``document`` as the whole content of ``bank``, all or nothing, and say what changed.

    ``document`` is the data of a bank file, checked here by ``check_bank`` (problems named by their
    path in it, under ``name``: ``bank <id>`` unless given), or a bank file already checked by
    ``parse_bank`` (problems by line). ``bank`` is the stored bank it is of, whose owner keeps it;
    None for a new bank of ``owner_id`` (None: a bundled bank, loaded from the server's files), or for
    a file's bank, new or not, which must then be ``owner_id``'s. ``source_text``, when given, is the
    text the bank's source now reads. A new question whose id is in ``lineage`` is a copy of the
    question with that identity (see ``Question.lineage``).

    One unit of work: called on its own, it commits; called by a service in a unit of its own (storing
    several banks, or a bank and something else), it joins that unit, which commits. BankError (the
    document's problems, or a bank id that is someone else's) and any other failure roll back the whole
    unit, with whatever the caller wrote in it, so that nothing is half-written.
    """
    if bank is not None:
        owner_id = bank.owner_id
    if isinstance(document, BankDocument):
        checked = document
    else:
        checked = check_bank(document, name or f"bank {bank.key if bank is not None else document.get('id')}")
    if bank is not None and checked.key != bank.key:
        raise ValueError(f"the document is of bank '{checked.key}', not of '{bank.key}'")
    if source_text is not None:
        checked.source_text = source_text
    return _load(checked, owner_id, lineage or {})


def _load(document: BankDocument, owner_id: int | None = None, lineage: Mapping[str, int] | None = None) -> LoadReport:
    report = LoadReport(bank=document.key, file=document.file)
    bank = db.session.scalar(select(Bank).where(Bank.key == document.key))
    if bank is None:
        bank = Bank(key=document.key, owner_id=owner_id)
        db.session.add(bank)
    elif bank.owner_id != owner_id:
        # A bank id is global: loading must never change a bank that belongs to someone else.
        whose = "a bundled bank" if bank.owner_id is None else "a teacher's bank"
        raise BankError([BankProblem(document.file, 1, f"bank id '{document.key}' is already used by {whose}")])
    bank.title = document.title
    bank.description = document.description
    bank.source_title = document.source_title
    if document.source_text:
        bank.source_text = document.source_text
    bank.loaded_at = utcnow()

    parts = {(p.kind, p.number): p for p in bank.parts}
    for entry in document.parts:
        part = parts.get((entry["kind"], entry["number"]))
        if part is None:
            part = SourcePart(kind=entry["kind"], number=entry["number"])
            bank.parts.append(part)
            parts[(part.kind, part.number)] = part
        part.title, part.body = entry["title"], entry["body"]
    db.session.flush()

    existing = {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}
    rekeyed: dict[int, tuple[int, str]] = {}
    for entry in document.questions:
        kind, number = entry["source"].split()
        values = {
            "type": entry["type"],
            "prompt": entry["prompt"],
            "explanation": entry["explanation"],
            "passage": entry["passage"],
            "source_part_id": parts[(kind, int(number))].id,
            "difficulty": entry["difficulty"],
            "points": entry["points"],
            "tags": entry["tags"],
            "spec": entry["spec"],
            "draft": entry["draft"],
            "review_note": entry["review"],
        }
        question = existing.pop(entry["key"], None)
        if question is None:
            db.session.add(Question(bank_id=bank.id, key=entry["key"], version=1,
                                    lineage=(lineage or {}).get(entry["key"]), **values))
            report.added += 1
            continue
        if any(getattr(question, name) != values[name] for name in GRADED_FIELDS):
            # Answers keep the version they were graded against; a changed question is a new version.
            question.version += 1
            new_key = practice.fingerprint(values["type"], values["spec"])
            if practice.fingerprint(question.type, question.spec) != new_key:
                rekeyed[question.id] = (question.version, new_key)
        changed = any(getattr(question, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(question, name, value)
        if question.archived:
            question.archived = False
            report.restored += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    # Practice cards remember the key: a new key starts them again; a new filing or wording keeps them.
    practice.restart_cards(rekeyed)
    for question in existing.values():
        if not question.archived:
            question.archived = True
            report.archived += 1

    quizzes = {q.key: q for q in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id))}
    if not document.quizzes:
        # A file that lists no quizzes leaves the bank's quizzes as they are; a new bank gets one of everything.
        if not quizzes:
            db.session.add(Quiz(bank_id=bank.id, key=DEFAULT_QUIZ_KEY, title=document.title,
                                description=document.description, count=None, sources=[], tags=[], shuffle=True,
                                question_keys=[], feedback=Feedback.AFTER_EACH))
        report.quizzes = [key for key, quiz in quizzes.items() if not quiz.archived] or [DEFAULT_QUIZ_KEY]
        db.session.flush()
        return report
    for entry in document.quizzes:
        quiz = quizzes.pop(entry["key"], None) or Quiz(bank_id=bank.id, key=entry["key"])
        db.session.add(quiz)
        for name in ("title", "description", "count", "sources", "tags", "shuffle"):
            setattr(quiz, name, entry[name])
        quiz.question_keys = entry["questions"]
        quiz.feedback = Feedback(entry["feedback"])
        quiz.archived = False
        report.quizzes.append(quiz.key)
    for quiz in quizzes.values():
        quiz.archived = True
    db.session.flush()
    return report


def class_quiz(bank: Bank, key: str, title: str, description: str, sources: list[str]) -> Quiz:
    """A quiz made for one class's assignment (a practice set: ``practice.assign_weakest``), drawing every
    question of some parts of the text: archived from the start, so that no list of quizzes, bank file or
    export shows it, and a bank file reloaded leaves it alone. In the caller's unit of work."""
    quiz = Quiz(bank_id=bank.id, key=key, title=title, description=description, count=None, sources=sources,
                tags=[], shuffle=True, question_keys=[], feedback=Feedback.AFTER_EACH, archived=True)
    db.session.add(quiz)
    db.session.flush()
    return quiz

