"""Every problem the bank forms can have is said in plain words beside its field (or above the form,
for the bulk actions, whose buttons are the field), never in a validator's words, and nothing is
written. The question form's messages are tested in test_authoring.py, the quiz form's in
test_quiz_builder.py."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question
from tests.support.pages import page

# What a validator says that must never reach a teacher.
VALIDATOR_WORDS = ("Field must", "Field cannot", "Not a valid choice", "not a valid choice", "This field is required",
                   "Invalid value", "Invalid choice", "Invalid Choice", "could not coerce")


def snapshot() -> dict:
    """Every row of every table: what "nothing was written" means."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {table.name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
                for table in db.metadata.sorted_tables}


def errors_beside(text: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-error">(.*?)</ul>', text, re.S)
    assert match, f"no errors beside {name}"
    return match.group(1)


def plain(text: str) -> None:
    for words in VALIDATOR_WORDS:
        assert words not in text, words


BANK_DETAILS = [
    ({"title": "  "}, "title", "Give the bank a title."),
    ({"title": "T" * 201}, "title", "Keep the title to 200 characters or fewer."),
    ({"title": "Fine", "description": "D" * 2001}, "description", "Keep the description to 2,000 characters or fewer."),
]


@pytest.mark.parametrize(("data", "name", "message"), BANK_DETAILS)
def test_the_banks_details(tina, own_bank, data, name, message):
    before = snapshot()
    text = page(tina.post(f"/teach/banks/{own_bank.id}/edit", data=data), 400)
    assert message in errors_beside(text, name) and "Nothing was saved" in text
    plain(text)
    assert snapshot() == before


SHARING = [
    ("", "Give a teacher's username."),
    ("u" * 41, "A username has 40 characters or fewer: check it."),
    ("nobody", "No teacher has the username"),
]


@pytest.mark.parametrize(("username", "message"), SHARING)
def test_sharing(tina, own_bank, username, message):
    before = snapshot()
    text = page(tina.post(f"/teach/banks/{own_bank.id}/shares", data={"username": username}), 400)
    assert message in errors_beside(text, "username") and "The bank was not shared" in text
    plain(text)
    assert snapshot() == before


BULK = [
    ({"action": "publish", "questions": "1"}, "Choose what to do: add a tag, remove a tag, or delete."),
    ({"action": "delete", "questions": "first"},
     "The list of questions was out of date: nothing was changed. Tick the questions again."),
    ({"action": "delete", "questions": "first", "shown": "second", "select_all": "y"},
     "The list of questions was out of date: nothing was changed. Tick the questions again."),
]


@pytest.mark.parametrize(("data", "message"), BULK)
def test_bulk_actions(tina, own_bank, data, message):
    before = snapshot()
    text = page(tina.post(f"/teach/banks/{own_bank.id}/questions/bulk", data=data), 400)
    assert "Nothing was changed" in text and text.count(message) == 1  # said once, for two fields
    plain(text)
    assert snapshot() == before


def test_a_bulk_tag_too_long(tina, own_bank):
    question = db.session.scalars(select(Question).where(Question.bank_id == own_bank.id)).first()
    before = snapshot()
    data = {"action": "add_tag", "tag": "t" * 41, "questions": str(question.id)}
    text = page(tina.post(f"/teach/banks/{own_bank.id}/questions/bulk", data=data), 400)
    assert "A tag has 40 characters or fewer." in errors_beside(text, "bulk-tag")
    plain(text)
    assert snapshot() == before


FILTERS = [
    ({"type": "essay"}, "type", "Choose a type from the list."),
    ({"source": "faq 99"}, "source", "Choose a part of the text from the list."),
    ({"difficulty": "7"}, "difficulty", "Choose a difficulty from the list."),
    ({"status": "lost"}, "status", "Choose a status from the list."),
    ({"q": "q" * 101}, "q", "Search for 100 characters or fewer."),
    ({"tag": "t" * 41}, "tag", "A tag has 40 characters or fewer."),
]


@pytest.mark.parametrize(("query", "name", "message"), FILTERS)
def test_the_question_filters(tina, own_bank, query, name, message):
    text = page(tina.get(f"/teach/banks/{own_bank.id}", query_string=query), 400)
    assert message in errors_beside(text, name)
    plain(text)


IMPORT = [
    ({"format": "docx"}, "format", "Choose a format from the list."),
    ({"source": "faq 99"}, "import-source", "Choose the part of the text new questions belong to."),
    ({"file": None}, "file", "Choose a file to import."),
]


@pytest.mark.parametrize(("fields", "name", "message"), IMPORT)
def test_importing(tina, own_bank, fields, name, message):
    data = {"file": (io.BytesIO(b"::new:: The harbour opened in 1901. {T}\n"), "new.gift"), "format": "gift",
            "source": "key_point 1", **fields}
    data = {key: value for key, value in data.items() if value is not None}
    before = snapshot()
    text = page(tina.post(f"/teach/banks/{own_bank.id}/import", data=data, content_type="multipart/form-data"), 400)
    assert message in errors_beside(text, name)
    plain(text)
    assert snapshot() == before
