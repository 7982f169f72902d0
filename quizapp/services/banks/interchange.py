"""Banks in and out of other formats: export a stored bank as YAML (lossless), GIFT, Aiken,
Moodle XML or CSV; import questions from a GIFT, Aiken or Moodle XML file into a teacher's bank, all
or nothing, after saying what the import will do (``plan_import``, which writes nothing).

What an import adds, updates, restores or leaves alone is decided in
``quizapp.domain.interchange.plan``: only a question the file names itself updates one of the bank."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.domain.article import draft_questions, extract_article
from quizapp.domain.bank_format import BankError, BankProblem, check_bank
from quizapp.domain.csv_export import to_csv
from quizapp.domain.interchange.aiken import read_aiken, to_aiken
from quizapp.domain.interchange.gift import read_gift, to_gift
from quizapp.domain.interchange.imported import Imported
from quizapp.domain.interchange.moodle_xml import read_moodle_xml, to_moodle_xml
from quizapp.domain.interchange.plan import Existing, ImportPlan, plan_import
from quizapp.domain.question_types import question_type
from quizapp.extensions import db
from quizapp.models import Bank, Question
from quizapp.services.banks.documents import bank_document, question_entry
from quizapp.services.banks.writing import store
from quizapp.services.unit_of_work import transactional

FORMATS = ("yaml", "gift", "aiken", "moodle-xml", "csv")
CSV_COLUMNS = ["id", "type", "prompt", "choices", "correct answer", "explanation", "source", "passage",
               "difficulty", "tags", "points"]
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".gift": "gift", ".txt": "aiken", ".xml": "moodle-xml"}
SCHEMA_COMMENT = "# yaml-language-server: $schema=bank.schema.json\n"  # editors then check the file


class ExportError(Exception):
    """The bank to export does not exist."""


class ImportChanged(Exception):
    """The import would now do something other than the preview the teacher confirmed (the bank
    changed in between): ``plan`` is what it would do now."""

    def __init__(self, plan: ImportPlan):
        super().__init__("the bank changed since the preview")
        self.plan = plan


def export_bank(bank_key: str, fmt: str = "yaml") -> tuple[str, list[str]]:
    """The bank as text in ``fmt``, and warnings for what the format cannot hold."""
    bank = db.session.scalar(select(Bank).where(Bank.key == bank_key))
    if bank is None:
        raise ExportError(f"no bank with the id '{bank_key}'")
    document = bank_document(bank)
    if fmt == "yaml":
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
        return SCHEMA_COMMENT + text, []
    if fmt == "csv":
        return questions_csv(bank), []
    writers = {"gift": to_gift, "aiken": to_aiken, "moodle-xml": to_moodle_xml}
    return writers[fmt](document["questions"])


def questions_csv(bank: Bank) -> str:
    """One row per question, for spreadsheets: lists joined with ' | '."""
    rows = []
    for question in db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.archived.is_(False)).order_by(Question.id)
    ):
        spec = question.spec
        shown = spec.get("choices") or spec.get("items") or []
        rows.append([
            question.key, question.type, question.prompt if question.type != "cloze" else spec["text"],
            " | ".join(shown), " | ".join(question_type(question.type).correct_answer(spec)),
            question.explanation, question.source_part.label, question.passage, question.difficulty,
            " | ".join(question.tags), question.points,
        ])
    return to_csv(CSV_COLUMNS, rows)


IMPORT_FORMATS = ("gift", "aiken", "moodle-xml")


def read_imported(data: bytes, name: str, fmt: str | None, default_source: str) -> list[Imported]:
    """The questions of a GIFT, Aiken or Moodle XML file, each with what reading it converted or could
    not carry; BankError naming each problem, or saying that the file holds no question."""
    fmt = fmt or EXTENSIONS.get(Path(name).suffix.lower())
    if fmt not in IMPORT_FORMATS:
        raise BankError([BankProblem(name, 1, "say which format the file is in (gift, aiken or moodle-xml)")])
    if fmt == "moodle-xml":
        imported = read_moodle_xml(data, name, default_source)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BankError([BankProblem(name, 1, "the file is not UTF-8 text")]) from None
        imported = (read_gift if fmt == "gift" else read_aiken)(text, name, default_source)
    if not imported:
        raise BankError([BankProblem(name, 1, f"no questions found in {name}: nothing to import (is it a "
                                              f"{'Moodle XML' if fmt == 'moodle-xml' else fmt.upper()} file?)")])
    return imported


def read_questions(path: Path, fmt: str | None, default_source: str,
                   shown_name: str | None = None) -> list[dict[str, Any]]:
    """The questions of a GIFT, Aiken or Moodle XML file, or BankError naming each problem."""
    name = shown_name or str(path)
    return [item.question for item in read_imported(_read_bytes(Path(path), name), name,
                                                    fmt or EXTENSIONS.get(Path(path).suffix.lower()),
                                                    default_source)]


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BankError([BankProblem(name, 1, f"cannot read the file: {error}")]) from None


def _import_target(bank_key: str, name: str, default_source: str) -> Bank:
    """The bank to import into: a teacher's own, with ``default_source`` among its parts; else BankError."""
    bank = db.session.scalar(select(Bank).where(Bank.key == bank_key))
    if bank is None:
        raise BankError([BankProblem(name, 1, f"no bank with the id '{bank_key}' to import into")])
    if bank.owner_id is None:
        # Loading the bundled files (every 'make run') would archive whatever the file does not list.
        raise BankError([BankProblem(name, 1, f"'{bank_key}' is a bundled bank, which is loaded from its file "
                                              "and would lose imported questions the next time it is loaded: "
                                              "copy it first (Copy this bank to change it, on its page) and "
                                              "import into the copy")])
    if default_source not in {p.reference for p in bank.parts}:
        raise BankError([BankProblem(name, 1, f"unknown source reference '{default_source}': "
                                              f"the bank '{bank_key}' does not list it")])
    return bank


def plan_upload(data: bytes, name: str, bank_key: str, default_source: str = "section 1",
                fmt: str | None = None, update_named: bool = True) -> ImportPlan:
    """What importing the file would do to the bank: changes nothing. BankError for a bad file, a
    bundled bank or an unknown part of the text."""
    bank = _import_target(bank_key, name, default_source)
    imported = read_imported(data, name, fmt, default_source)
    questions = db.session.scalars(
        select(Question).where(Question.bank_id == bank.id).options(selectinload(Question.source_part))
    )
    existing = {q.key: Existing(question_entry(q), q.archived) for q in questions}
    plan = plan_import(name, bank.key, existing, imported, update_named)
    if plan.entries():
        try:  # the preview finds every problem the import itself would
            check_bank(_merged(bank, plan), name)
        except BankError as error:
            raise _as_import_problems(error, name) from None
    return plan


def _merged(bank: Bank, plan: ImportPlan) -> dict[str, Any]:
    """The bank as a document, with the plan's questions added or replaced."""
    document = bank_document(bank)
    by_id = {q["id"]: q for q in document["questions"]}
    by_id.update({q["id"]: q for q in plan.entries()})
    document["questions"] = list(by_id.values())
    return document


def _as_import_problems(error: BankError, name: str) -> BankError:
    """Problems of the merged bank, which mean nothing to whoever wrote the file at their place in it:
    the file's name and the message only."""
    return BankError([BankProblem(name, 1, f"in the bank after import: {p.message}") for p in error.problems])


@transactional
def import_upload(data: bytes, name: str, bank_key: str, default_source: str = "section 1",
                  fmt: str | None = None, update_named: bool = True, expected: str | None = None) -> ImportPlan:
    """Import the file into the bank, all or nothing: adds, updates and restores as ``plan_upload``
    says. With ``expected`` (the digest of a plan shown before), ImportChanged and nothing written if
    the import would now do something else. One unit of work: the plan is made and carried out in the same
    transaction."""
    plan = plan_upload(data, name, bank_key, default_source, fmt, update_named)
    if expected is not None and plan.digest() != expected:
        raise ImportChanged(plan)
    if not plan.entries():
        return plan
    bank = db.session.scalar(select(Bank).where(Bank.key == bank_key))
    try:
        store(bank, _merged(bank, plan), name=name)
    except BankError as error:
        raise _as_import_problems(error, name) from None
    return plan


def import_questions(path: str | Path, bank_key: str, default_source: str = "section 1",
                     fmt: str | None = None, shown_name: str | None = None, dry_run: bool = False,
                     update_named: bool = True) -> ImportPlan:
    """Import a file into a bank (``dry_run``: only say what that would do), all or nothing."""
    path = Path(path)
    name = shown_name or str(path)
    data = _read_bytes(path, name)
    fmt = fmt or EXTENSIONS.get(path.suffix.lower())
    if dry_run:
        return plan_upload(data, name, bank_key, default_source, fmt, update_named)  # writes nothing
    return import_upload(data, name, bank_key, default_source, fmt, update_named)


def draft_bank(article_path: str | Path, bank_key: str, seed: int = 0,
               output: str | Path | None = None) -> tuple[str, list[str], list[str]]:
    """A bank file drafted from an article: its sections, key points and FAQs as the source, and
    questions drafted from them, each marked ``draft: true`` (never asked while it is) and tagged
    ``draft``, for a teacher to edit before loading. The source names the article by its path from
    ``output``'s folder, so the bank validates wherever it is written.
    Returns the YAML, what was found in the article and what was not, and notes (what extraction
    found broken, what could not be drafted)."""
    path = Path(article_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise BankError([BankProblem(str(path), 1, f"cannot read the article: {error}")]) from None
    article = extract_article(text, str(path))
    drafts, notes = draft_questions(article, random.Random(seed))
    notes = [str(p) for p in article.problems] + notes
    if not drafts:
        found = " ".join(article.report()[2:])
        raise BankError([*article.problems, BankProblem(str(path), 1, f"nothing to draft questions from. {found}")])
    folder = Path(output).resolve().parent if output is not None else path.resolve().parent
    document = {
        "version": 1, "id": bank_key, "title": article.title,
        "description": f"Drafted from {path.name}: review every question before students see it.",
        "source": {**article.to_source(), "file": Path(os.path.relpath(path.resolve(), folder)).as_posix()},
        "questions": [{**draft, "draft": True} for draft in drafts],
    }
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return SCHEMA_COMMENT + text, article.report(), notes
