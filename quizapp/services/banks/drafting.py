"""Banks drafted from an article in the browser.

A teacher checks an article (``preview``: what was found, and each problem with its line), then
creates a bank of draft questions from it (``create_bank``). Drafts are never asked until their
teacher accepts or edits them (``accept``, ``accept_all``) or throws them away (``discard``).
Re-importing a changed article (``reimport``) updates the bank's key points, FAQs and sections,
marks the published questions drawn from a changed or removed part as needing review, and drafts
afresh for changed and new parts. Creating and re-importing are written by ``writing.store``, so
either all of it is stored or nothing is.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from quizapp.domain.article import Article, draft_questions, extract_article
from quizapp.domain.article_changes import (
    ADDED,
    CHANGED,
    KIND_ORDER,
    REMOVED,
    UNCHANGED,
    Part,
    PartChange,
    article_parts,
    compare_parts,
    review_note,
)
from quizapp.domain.bank_format import BankError, BankProblem, check_bank
from quizapp.domain.interchange.naming import slugify, unique_id
from quizapp.extensions import db
from quizapp.formatting import school_zone
from quizapp.models import Answer, AttemptItem, Bank, Question, SourcePart, User, utcnow
from quizapp.services.banks.documents import PART_LISTS, bank_document
from quizapp.services.banks.writing import store
from quizapp.services.unit_of_work import transactional

DRAFT_SEED = 0  # the same article always gives the same drafts
PASTED = "pasted text"


@dataclass
class ArticlePreview:
    """What an article holds, the problems found in it, and the questions it would give."""

    article: Article
    drafts: list[dict[str, Any]]
    notes: list[str]

    @property
    def problems(self) -> list[BankProblem]:
        return self.article.problems

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.drafts)


@dataclass
class ReimportReport:
    """What re-importing an article changes (or changed): the parts, and the questions drawn from them."""

    article: Article
    changes: list[PartChange] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    drafts_removed: list[str] = field(default_factory=list)
    drafts_added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parts_deleted: list[str] = field(default_factory=list)

    def _with(self, status: str) -> list[PartChange]:
        return [c for c in self.changes if c.status == status]

    @property
    def changed(self) -> list[PartChange]:
        return self._with(CHANGED)

    @property
    def added(self) -> list[PartChange]:
        return self._with(ADDED)

    @property
    def removed(self) -> list[PartChange]:
        return self._with(REMOVED)

    @property
    def unchanged(self) -> list[PartChange]:
        return self._with(UNCHANGED)

    @property
    def anything(self) -> bool:
        """Whether the article differs from the bank at all."""
        return bool(self.changed or self.added or self.removed)


class NotADraft(Exception):
    """Only a draft can be discarded; a published question is archived instead."""


# --------------------------------------------------------------------------- reading an article


def decode_article(data: bytes, name: str) -> str:
    """An uploaded article's text, or BankError naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1  # the object is the data after any byte-order mark
        byte = error.object[error.start: error.start + 1].hex()
        raise BankError([BankProblem(name, line, f"the file is not UTF-8 text: byte 0x{byte} cannot be read "
                                                 "(save it as UTF-8 and upload it again)")]) from None


def _as_draft(question: dict[str, Any]) -> dict[str, Any]:
    """A drafted question marked ``draft``; the flag says it, so the ``draft`` tag is dropped (it would
    outlive the acceptance)."""
    draft = {**question, "draft": True}
    tags = [t for t in draft.pop("tags", []) if t != "draft"]
    return {**draft, "tags": tags} if tags else draft


def preview(text: str, name: str = PASTED) -> ArticlePreview:
    """The sections, key points and FAQs found in an article, its problems, and the drafts it gives."""
    article = extract_article(text, name)
    drafts, notes = draft_questions(article, random.Random(DRAFT_SEED))
    return ArticlePreview(article, [_as_draft(d) for d in drafts], notes)


# --------------------------------------------------------------------------- a new bank


@transactional
def create_bank(teacher: User, text: str, name: str = PASTED, title: str = "") -> Bank:
    """A new bank of ``teacher``'s from the article, named ``title`` or else after the article: its parts,
    and every question drafted from them as a draft. An article with a problem makes nothing (BankError
    lists the problems)."""
    found = preview(text, name)
    if found.problems:
        raise BankError(found.problems)
    if not found.drafts:
        raise BankError([BankProblem(name, 1, "nothing to draft questions from: no key point or FAQ "
                                              "has a name, number or acronym to ask about")])
    article = found.article
    title = title.strip() or article.title
    key = unique_id(slugify(title) or "article", set(db.session.scalars(select(Bank.key))))
    document = {
        "version": 1, "id": key, "title": title,
        "description": f"Drafted from an article ({name}).",
        "source": article.to_source(),
        "questions": found.drafts,
    }
    # Checked against the article, so that every passage is found in it.
    store(None, check_bank(document, name, source_text=text), owner_id=teacher.id)
    return db.session.scalar(select(Bank).where(Bank.key == key))


# --------------------------------------------------------------------------- reviewing drafts


def _awaiting(bank: Bank) -> tuple:
    """Where a live question of the bank is a draft or needs review."""
    return (Question.bank_id == bank.id, Question.archived.is_(False),
            or_(Question.draft.is_(True), Question.review_note != ""))


def awaiting_review(bank: Bank) -> list[tuple[SourcePart, list[Question]]]:
    """The bank's drafts and questions needing review, grouped by the part of the text they are drawn
    from: key points first, then FAQs, then sections."""
    questions = db.session.scalars(select(Question).where(*_awaiting(bank))
                                   .options(selectinload(Question.source_part)).order_by(Question.id)).all()
    groups: dict[int, tuple[SourcePart, list[Question]]] = {}
    for question in questions:
        groups.setdefault(question.source_part_id, (question.source_part, []))[1].append(question)
    return sorted(groups.values(), key=lambda g: (KIND_ORDER[g[0].kind], g[0].number))


@dataclass(frozen=True)
class ReviewCounts:
    """What awaits the teacher in a bank: drafts, and published questions needing review."""

    drafts: int
    needing_review: int

    @property
    def total(self) -> int:
        return self.drafts + self.needing_review


def review_counts(bank: Bank) -> ReviewCounts:
    """How many drafts the bank holds, and how many published questions need review."""
    rows = db.session.execute(select(Question.draft, func.count()).where(*_awaiting(bank)).group_by(Question.draft))
    counts = {bool(draft): n for draft, n in rows}
    return ReviewCounts(counts.get(True, 0), counts.get(False, 0))


@transactional
def accept(question: Question) -> None:
    """Publish a draft, or mark a question that needed review as reviewed."""
    question.draft = False
    question.review_note = ""


@transactional
def accept_all(bank: Bank) -> int:
    """Accept every draft of the bank and mark every question needing review as reviewed."""
    questions = db.session.scalars(select(Question).where(*_awaiting(bank))).all()
    for question in questions:
        question.draft = False
        question.review_note = ""
    return len(questions)


def _has_answers(question: Question) -> bool:
    return any(db.session.scalar(select(func.count()).select_from(table).where(table.question_id == question.id))
               for table in (AttemptItem, Answer))


@transactional
def discard(question: Question) -> bool:
    """Throw a draft away: delete it, or archive it should it somehow have been asked. True if deleted."""
    if not question.draft:
        raise NotADraft(f"“{question.key}” is not a draft: archive it instead")
    deleted = not _has_answers(question)
    if deleted:
        db.session.delete(question)
    else:
        question.archived = True
    return deleted


# --------------------------------------------------------------------------- re-importing a changed article


def _today() -> date:
    return utcnow().astimezone(school_zone()).date()


def _note_reference(note: str) -> str:
    """The part a drafting note is about: ``key point 3: …`` gives ``key_point 3``."""
    return note.split(":", 1)[0].replace("key point", "key_point")


def _source(title: str, parts: list[Part]) -> dict[str, Any]:
    source: dict[str, Any] = {"title": title}
    for part in sorted(parts, key=lambda p: (KIND_ORDER[p.kind], p.number)):
        list_key, title_key, body_key = PART_LISTS[part.kind]
        entry: dict[str, Any] = {"number": part.number, title_key: part.title}
        if body_key and part.body:
            entry[body_key] = part.body
        source.setdefault(list_key, []).append(entry)
    return source


def _keep_live_picks(document: dict[str, Any]) -> None:
    """Leave out of each quiz's picks the questions no longer in the document; a quiz left with none goes."""
    keys = {q["id"] for q in document["questions"]}
    quizzes = []
    for quiz in document.get("quizzes", []):
        if quiz.get("questions"):
            quiz["questions"] = [key for key in quiz["questions"] if key in keys]
            if not quiz["questions"]:
                continue
        quizzes.append(quiz)
    document.pop("quizzes", None)
    if quizzes:
        document["quizzes"] = quizzes


@dataclass
class _Plan:
    report: ReimportReport
    document: dict[str, Any] = field(default_factory=dict)
    deletable: list[Question] = field(default_factory=list)
    removable: list[SourcePart] = field(default_factory=list)


def _plan(bank: Bank, text: str, name: str, today: date) -> _Plan:
    article = extract_article(text, name)
    plan = _Plan(ReimportReport(article))
    if article.problems:
        return plan
    report = plan.report
    stored = {p.reference: p for p in bank.parts}
    report.changes = compare_parts([Part(p.kind, p.number, p.title, p.body) for p in bank.parts],
                                   article_parts(article))
    touched = {c.reference: c for c in report.changes if c.status in (CHANGED, REMOVED)}
    redraft = {c.reference for c in report.changes if c.status in (CHANGED, ADDED)}

    questions = db.session.scalars(select(Question).where(Question.bank_id == bank.id)
                                   .options(selectinload(Question.source_part)).order_by(Question.id)).all()
    affected = [q for q in questions if not q.archived and q.source_part.reference in touched]
    stale = [q for q in affected if q.draft]
    notes = {q.key: review_note(touched[q.source_part.reference], today) for q in affected if not q.draft}
    plan.deletable = [q for q in stale if not _has_answers(q)]
    report.marked = list(notes)
    report.drafts_removed = [q.key for q in stale]

    deleted = {q.id for q in plan.deletable}
    taken = {q.key for q in questions if q.id not in deleted}
    # A changed part's fresh draft stands in for an unaccepted one: none where the teacher kept the question.
    kept = {q.key for q in affected if not q.draft}
    drafts, drafting_notes = draft_questions(article, random.Random(DRAFT_SEED))
    fresh = [{**_as_draft(d), "id": unique_id(d["id"], taken)} for d in drafts
             if d["source"] in redraft and d["id"] not in kept]
    report.drafts_added = [d["id"] for d in fresh]
    report.notes = [n for n in drafting_notes if _note_reference(n) in redraft]

    document = bank_document(bank)
    # A part gone from the article stays while a question or a quiz points at it, with the text it had.
    pointed = Counter(q.source_part_id for q in questions if q.id not in deleted)
    filtered = {reference for quiz in document.get("quizzes", []) for reference in quiz.get("sources", [])}
    plan.removable = [stored[c.reference] for c in report.removed
                      if not pointed[stored[c.reference].id] and c.reference not in filtered]
    gone = {part.reference for part in plan.removable}
    report.parts_deleted = sorted(gone)
    document["source"] = _source(document["source"]["title"],
                                 [c.new or c.old for c in report.changes if c.reference not in gone])
    stale_keys = {q.key for q in stale}
    entries = [entry for entry in document["questions"] if entry["id"] not in stale_keys]
    for entry in entries:
        if entry["id"] in notes:
            entry["review"] = notes[entry["id"]]
    document["questions"] = entries + fresh
    _keep_live_picks(document)
    plan.document = document
    return plan


def plan_reimport(bank: Bank, text: str, name: str = PASTED, today: date | None = None) -> ReimportReport:
    """What re-importing the article would change, without changing anything."""
    return _plan(bank, text, name, today or _today()).report


@transactional
def reimport(bank: Bank, text: str, name: str = PASTED, today: date | None = None) -> ReimportReport:
    """Bring the bank up to date with a changed article, all or nothing.

    Changed, new and removed key points, FAQs and sections are stored (a removed part stays while
    questions point at it). The published questions drawn from a changed or removed part get a
    review note saying what changed; that part's drafts are replaced by fresh ones, and new parts get
    drafts. Questions on unchanged parts are left alone. An article with a problem changes nothing
    (BankError lists the problems).
    """
    plan = _plan(bank, text, name, today or _today())
    if plan.report.article.problems:
        raise BankError(plan.report.article.problems)
    if not plan.report.anything:
        return plan.report
    try:
        for question in plan.deletable:
            db.session.delete(question)
        db.session.flush()
        for part in plan.removable:
            bank.parts.remove(part)
        # The article as it now reads is the one later edits quote.
        store(bank, plan.document, name=name, source_text=text)
    except BankError as error:
        # Where in the merged bank means nothing to the teacher: name the problems only.
        raise BankError([BankProblem(name, 1, f"in the bank after the update: {p.message}")
                         for p in error.problems]) from None
    return plan.report
