"""Loading bank files from the server's disk into the database: every file checked (``parse_bank``, problems by
line), then every bank stored (``writing.store``) in one transaction: a problem anywhere loads nothing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from quizapp.domain.bank_format import BankDocument, BankError, BankProblem, read_bank
from quizapp.services.banks.writing import LoadReport, store
from quizapp.services.unit_of_work import transactional


def bank_files(paths: Iterable[str | Path]) -> list[Path]:
    """The bank files named by ``paths``: files as given, directories by their *.yaml and *.yml."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def validate_files(paths: Iterable[str | Path]) -> list[BankDocument]:
    """Check every file; raise one BankError listing the problems of all of them."""
    documents, problems = [], []
    files = bank_files(paths)
    if not files:
        raise BankError([BankProblem(", ".join(map(str, paths)) or "(none)", 1, "no bank files found")])
    for path in files:
        try:
            documents.append(read_bank(path))
        except BankError as error:
            problems.extend(error.problems)
    keys: dict[str, str] = {}
    for document in documents:
        if document.key in keys:
            message = f"bank id '{document.key}' is also used by {keys[document.key]}"
            problems.append(BankProblem(document.file, 1, message))
        keys[document.key] = document.file
    if problems:
        raise BankError(problems)
    return documents


@transactional
def load_files(paths: Iterable[str | Path]) -> list[LoadReport]:
    """Validate, then load every bank in one unit of work (each ``store`` joins it); a problem anywhere
    loads nothing."""
    documents = validate_files(paths)
    return [store(None, document) for document in documents]
