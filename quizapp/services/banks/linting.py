"""Item-writing warnings for bank files (with their lines) and for the banks in the database.

Reads only: nothing here writes, so a warning never stands in the way of loading or saving.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from quizapp.domain.bank_format import BankDocument
from quizapp.domain.lint import LintWarning, by_question, lint_bank
from quizapp.extensions import db
from quizapp.models import Bank, Question
from quizapp.services.banks.loading import validate_files


@dataclass(frozen=True)
class FileWarning:
    """A warning placed in a bank file: the line of its question (of ``questions:`` for the bank's own)."""

    file: str
    line: int
    subject: str
    """The question's id, or the bank's id for a warning about the bank as a whole."""
    warning: LintWarning

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.subject}: {self.warning.code} {self.warning.message}"


@dataclass
class FileReport:
    file: str
    questions: int
    warnings: list[FileWarning]


def lint_files(paths: Iterable[str | Path]) -> list[FileReport]:
    """Check the bank files (or folders of them) as ``banks validate`` does, then lint each one; a file
    that does not validate raises BankError, as there is nothing sound to lint."""
    return [lint_document(document) for document in validate_files(paths)]


def lint_document(document: BankDocument) -> FileReport:
    """The warnings of one checked bank file, each with its line in the file."""
    lines, bank_line = _question_lines(Path(document.file).read_text(encoding="utf-8"))
    texts = [document.source_text, *(text for part in document.parts for text in (part["title"], part["body"]))]
    warnings = [
        FileWarning(document.file, lines.get(w.question, bank_line) if w.question else bank_line,
                    w.question or document.key, w)
        for w in lint_bank(document.questions, texts)
    ]
    return FileReport(document.file, len(document.questions), warnings)


def _question_lines(text: str) -> tuple[dict[str, int], int]:
    """The line of each question (where its entry starts, as the validator reports it) and of the
    ``questions:`` key."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    bank_line = 1
    for key_node, value_node in getattr(root, "value", []):
        if key_node.value != "questions" or not isinstance(value_node, yaml.SequenceNode):
            continue
        bank_line = key_node.start_mark.line + 1
        for item in value_node.value:
            if isinstance(item, yaml.MappingNode):
                for field, value in item.value:
                    if field.value == "id" and isinstance(value, yaml.ScalarNode):
                        lines.setdefault(value.value, item.start_mark.line + 1)
    return lines, bank_line


def bank_warnings(bank: Bank) -> dict[str | None, list[LintWarning]]:
    """The warnings of a bank's live questions (drafts too), by question id (None: the bank's own),
    computed in one pass over the bank: one query for its questions, one for its parts."""
    questions = db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, Question.archived.is_(False)).order_by(Question.id)
    )
    shaped = [{"key": q.key, "type": q.type, "prompt": q.prompt, "explanation": q.explanation,
               "passage": q.passage, "spec": q.spec} for q in questions]
    texts = [bank.source_text, *(text for part in bank.parts for text in (part.title, part.body))]
    return by_question(lint_bank(shaped, texts))
