"""The one write path for bank content: ``check_bank`` checks a bank given as a dict by the rules a file
is checked by, and ``writing.store`` writes it, all or nothing. Nothing else in the services writes
questions, quizzes or source parts, or turns a bank into YAML but to export it."""

import ast
import copy
import dataclasses
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from quizapp.domain.bank_format import BankError, check_bank, parse_bank
from quizapp.extensions import db
from quizapp.models import Bank, Question, Quiz, SourcePart
from quizapp.services.banks import documents, writing
from tests.support import TINY_BANK

SERVICES = Path(__file__).parent.parent.parent / "quizapp" / "services"


def tiny_data() -> dict:
    return yaml.safe_load(TINY_BANK.read_text(encoding="utf-8"))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- checking a dict ----------------------------------------------------------------------------------


def test_a_dict_is_checked_as_its_file_is():
    data = tiny_data()
    from_dict = dataclasses.asdict(check_bank(data, "tiny"))
    from_file = dataclasses.asdict(parse_bank(TINY_BANK.read_text(encoding="utf-8"), "tiny"))
    assert from_dict == from_file


def test_problems_in_a_dict_are_named_by_their_path_not_a_line():
    data = tiny_data()
    data["questions"][0]["answer"] = "1911"
    data["questions"].append({**data["questions"][1]})
    with pytest.raises(BankError) as caught:
        check_bank(data, "bank tiny")
    problems = caught.value.problems
    assert problems and all(p.line == 0 for p in problems)
    by_path = {p.path: p for p in problems}
    wrong = by_path[("questions", 0, "answer")]
    assert "is not among the choices" in wrong.message
    assert str(wrong) == f"bank tiny: questions[0].answer: {wrong.message}"
    twice = by_path[("questions", 6, "id")]
    assert twice.message == "duplicate question id 'cargo' (first at questions[1].id)"
    # The same bank as a file keeps its file:line messages.
    with pytest.raises(BankError) as in_file:
        parse_bank(yaml.safe_dump(data, sort_keys=False), "tiny.yaml")
    assert all(p.line >= 1 and str(p).startswith(f"tiny.yaml:{p.line}: ") for p in in_file.value.problems)
    assert any(p.message.startswith("duplicate question id 'cargo' (first on line ") for p in in_file.value.problems)


def test_what_is_not_a_mapping_is_refused():
    with pytest.raises(BankError) as caught:
        check_bank(["version", 1], "bank x")
    assert [str(p) for p in caught.value.problems] == ["bank x: a bank must be a mapping starting 'version: 1'"]


def test_checking_leaves_the_dict_alone_and_shares_nothing_with_it():
    data = tiny_data()
    before = copy.deepcopy(data)
    checked = check_bank(data)
    assert data == before
    for question in checked.questions:
        for value in question["spec"].values():
            if isinstance(value, list):
                value.append("changed")
    assert data == before


# --- storing ------------------------------------------------------------------------------------------


def test_store_writes_a_new_bank_from_a_dict_for_its_owner(app, teacher):
    data = {**tiny_data(), "id": "mine"}
    report = writing.store(None, data, owner_id=teacher.id)
    bank = db.session.scalar(select(Bank).where(Bank.key == "mine"))
    assert bank.owner_id == teacher.id and (report.bank, report.added) == ("mine", 6)
    assert count(Question, Question.bank_id == bank.id) == 6
    assert sorted(db.session.scalars(select(Quiz.key).where(Quiz.bank_id == bank.id))) == ["everything", "two-grain"]


def test_store_changes_a_stored_bank_as_a_file_load_would(app, teacher):
    writing.store(None, {**tiny_data(), "id": "mine"}, owner_id=teacher.id)
    bank = db.session.scalar(select(Bank).where(Bank.key == "mine"))
    document = documents.bank_document(bank)
    document["questions"][0]["prompt"] = "In which year did the harbour open?"
    report = writing.store(bank, document)
    assert (report.added, report.updated, report.unchanged, report.archived) == (0, 1, 5, 0)
    opened = db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == "opened"))
    assert (opened.prompt, opened.version) == ("In which year did the harbour open?", 2)


def _snapshot(bank_id: int) -> tuple:
    db.session.expire_all()
    bank = db.session.get(Bank, bank_id)
    questions = sorted((q.key, q.prompt, q.version, q.archived, tuple(q.tags))
                       for q in db.session.scalars(select(Question).where(Question.bank_id == bank_id)))
    quizzes = sorted((q.key, q.title, q.archived)
                     for q in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank_id)))
    parts = sorted((p.kind, p.number, p.title) for p in db.session.scalars(
        select(SourcePart).where(SourcePart.bank_id == bank_id)))
    return bank.title, questions, quizzes, parts


@pytest.fixture
def own_bank(app, teacher) -> Bank:
    writing.store(None, {**tiny_data(), "id": "mine"}, owner_id=teacher.id)
    return db.session.scalar(select(Bank).where(Bank.key == "mine"))


def test_a_bad_dict_writes_nothing_and_takes_the_callers_writes_back_with_it(own_bank):
    before = _snapshot(own_bank.id)
    document = documents.bank_document(own_bank)
    document["title"] = "Renamed"
    document["questions"][0]["prompt"] = "Changed, and would be a new version"
    document["source"]["sections"].append({"number": 2, "title": "A new section"})
    document["questions"].append({"id": "broken", "type": "true_false", "prompt": "No answer given?",
                                  "explanation": "E", "source": "section 9", "difficulty": 1})
    own_bank.description = "written by the caller in the same transaction"
    with pytest.raises(BankError) as caught:
        writing.store(own_bank, document)
    assert {p.path[:2] for p in caught.value.problems} == {("questions", 6)}
    assert _snapshot(own_bank.id) == before
    assert db.session.get(Bank, own_bank.id).description != "written by the caller in the same transaction"


def test_a_failure_half_way_through_writing_leaves_nothing_half_written(own_bank, monkeypatch):
    before = _snapshot(own_bank.id)
    document = documents.bank_document(own_bank)
    document["title"] = "Renamed"
    document["questions"][0]["prompt"] = "Changed"

    def fail():  # called once the bank's own fields are changed, before its parts and questions
        raise RuntimeError("the database went away")

    monkeypatch.setattr(writing, "utcnow", fail)
    with pytest.raises(RuntimeError):
        writing.store(own_bank, document)
    assert _snapshot(own_bank.id) == before


def test_another_owners_bank_id_is_refused_with_nothing_written(own_bank, make_user):
    from quizapp.models import Role

    before = _snapshot(own_bank.id)
    other = make_user("otto", role=Role.TEACHER)
    with pytest.raises(BankError, match="already used by a teacher's bank"):
        writing.store(None, {**tiny_data(), "id": "mine", "title": "Otto's"}, owner_id=other.id)
    assert _snapshot(own_bank.id) == before


def test_a_document_of_another_bank_is_refused(own_bank):
    with pytest.raises(ValueError, match="not of 'mine'"):
        writing.store(own_bank, {**tiny_data(), "id": "tiny"})
    assert count(Bank, Bank.key == "tiny") == 0


# --- the one path -------------------------------------------------------------------------------------


def _calls(tree: ast.AST):
    """(function the call is in, the called name) for every call in a module."""
    found = []

    def walk(node, where):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else where
            if isinstance(child, ast.Call):
                func = child.func
                name = (f"{func.value.id}.{func.attr}" if isinstance(func, ast.Attribute)
                        and isinstance(func.value, ast.Name) else getattr(func, "id", None))
                found.append((inner, name))
            walk(child, inner)

    walk(tree, "<module>")
    return found


def test_bank_content_is_written_only_by_store_and_turned_into_yaml_only_for_export():
    modules = sorted(SERVICES.rglob("*.py"))
    assert SERVICES / "banks" / "writing.py" in modules
    dumps, makers, parsed = [], [], []
    for path in modules:
        where = path.relative_to(SERVICES).as_posix()
        for function, name in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if name in ("yaml.safe_dump", "yaml.dump", "safe_dump", "dump"):
                dumps.append((where, function))
            if name in ("Question", "Quiz", "SourcePart"):
                makers.append((where, function, name))
            if name in ("parse_bank", "bank_format.parse_bank"):
                parsed.append((where, function))
    # A bank file written out: the YAML export, and a bank drafted from an article into a file.
    assert sorted(dumps) == [("banks/interchange.py", "draft_bank"), ("banks/interchange.py", "export_bank")]
    # Beside the one write path, the quiz a class's practice set is made of (archived: no file holds it).
    assert {(where, function) for where, function, _ in makers} == {("banks/writing.py", "_load"),
                                                                     ("banks/writing.py", "class_quiz")}
    assert parsed == []  # services check a dict with check_bank; parse_bank reads files (domain.read_bank)
