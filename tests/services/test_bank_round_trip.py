"""An accepted bank, loaded and exported as YAML, reads back the same: the round trip of the fuzzing in
tests/fuzz/test_fuzz_importers.py that goes through the services and the database."""

from __future__ import annotations

import itertools

from hypothesis import given, settings

from quizapp.domain.bank_format import BankDocument, parse_bank
from tests.fuzz.test_fuzz_importers import STRUCTURED, dump, valid_bank

_round_trips = itertools.count(1)


def _comparable(document: BankDocument) -> dict:
    """What a bank file says, without where it came from."""
    return {"title": document.title, "description": document.description, "source_title": document.source_title,
            "parts": document.parts, "questions": document.questions, "quizzes": document.quizzes}


@settings(STRUCTURED, max_examples=60)
@given(bank=valid_bank())
def test_accepted_bank_exported_as_yaml_reads_back_the_same(app, bank):
    """Load an accepted bank, export it as ``services.banks.interchange`` writes YAML, and parse it again."""
    from quizapp.services.banks.interchange import export_bank
    from quizapp.services.banks.writing import store

    bank["id"] = f"round-trip-{next(_round_trips)}"  # each example its own bank in the test's database
    document = parse_bank(dump(bank), "original.yaml")
    store(None, document)
    text, warnings = export_bank(bank["id"], "yaml")
    assert warnings == []
    assert _comparable(parse_bank(text, "exported.yaml")) == _comparable(document)
