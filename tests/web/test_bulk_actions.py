"""Bulk actions on an own bank's questions: add or remove a tag, delete (archiving what students
have had); all or nothing, through the bank validator, and the bank still valid afterwards."""

from __future__ import annotations

import random
import re

import pytest
import yaml
from sqlalchemy import select

from quizapp.domain.bank_format import parse_bank
from quizapp.extensions import db
from quizapp.models import Answer, AttemptItem, Bank, Question, Quiz
from quizapp.services import attempts
from quizapp.services.banks import documents
from tests.support.builders import raw_for
from tests.support.pages import page


def questions(bank) -> dict[str, Question]:
    db.session.expire_all()
    return {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}


def ids(bank, *keys) -> list[str]:
    found = questions(bank)
    return [str(found[key].id) for key in keys]


def bulk(client, bank, action, keys=(), tag="", **extra):
    data = {"action": action, "tag": tag, "questions": ids(bank, *keys), **extra}
    return client.post(f"/teach/banks/{bank.id}/questions/bulk", data=data)


def errors_beside(text: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-error">(.*?)</ul>', text, re.S)
    assert match, f"no errors beside {name}"
    return match.group(1)


def still_valid(bank) -> None:
    db.session.expire_all()
    document = documents.bank_document(db.session.get(Bank, bank.id))
    parse_bank(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "after")


def test_the_list_has_a_box_per_question_and_select_all(tina, own_bank):
    text = page(tina.get(f"/teach/banks/{own_bank.id}"))
    assert text.count('name="questions"') == 6 and 'data-select-all' in text and "bulk.js" in text
    assert "<script>" not in text  # no inline script: the CSP forbids them
    assert 'form="bulk"' in text and ">Add tag<" in text and ">Remove tag<" in text and ">Delete<" in text


def test_adding_a_tag_changes_no_version(tina, own_bank):
    response = bulk(tina, own_bank, "add_tag", ["opened", "cargo"], tag=" exam ")
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/banks/{own_bank.id}"
    assert "Added the tag “exam” to 2 questions." in page(tina.get(response.headers["Location"]))
    found = questions(own_bank)
    assert found["opened"].tags == ["history", "exam"] and found["cargo"].tags == ["cargo", "exam"]
    assert "exam" not in found["council"].tags
    assert {q.version for q in found.values()} == {1}

    again = bulk(tina, own_bank, "add_tag", ["opened", "council"], tag="exam")
    assert "Added the tag “exam” to 1 question (1 had it already)." in page(tina.get(again.headers["Location"]))
    assert questions(own_bank)["opened"].tags == ["history", "exam"]


def test_removing_a_tag(tina, own_bank):
    response = bulk(tina, own_bank, "remove_tag", ["cargo", "order", "opened"], tag="cargo")
    assert "Removed the tag “cargo” from 2 questions (1 did not have it)." in page(
        tina.get(response.headers["Location"]))
    found = questions(own_bank)
    assert found["cargo"].tags == [] and found["order"].tags == [] and found["opened"].tags == ["history"]
    assert {q.version for q in found.values()} == {1}
    still_valid(own_bank)


def test_select_all_works_without_javascript_on_the_listed_questions(tina, own_bank):
    listed = ids(own_bank, "cargo", "order")  # what the page listed under ?tag=cargo
    response = tina.post(f"/teach/banks/{own_bank.id}/questions/bulk?tag=cargo",
                         data={"action": "add_tag", "tag": "goods", "select_all": "y", "shown": listed})
    assert response.headers["Location"] == f"/teach/banks/{own_bank.id}?tag=cargo"  # back to the same list
    tagged = sorted(k for k, q in questions(own_bank).items() if "goods" in q.tags)
    assert tagged == ["cargo", "order"]


@pytest.mark.parametrize(("tag", "message"), [
    ("", "Give the tag to add or remove."),
    ("two words", "“two words” is not a tag"),
    ("a,b", "“a,b” is not a tag"),
])
def test_a_tag_that_is_not_a_word_changes_nothing(tina, own_bank, tag, message):
    text = page(bulk(tina, own_bank, "add_tag", ["opened", "cargo"], tag=tag), 400)
    assert message in errors_beside(text, "bulk-tag")
    assert re.search(rf'value="{ids(own_bank, "opened")[0]}"[^>]*checked', text)  # the choice is kept
    assert questions(own_bank)["opened"].tags == ["history"]


@pytest.mark.parametrize("action", ["add_tag", "remove_tag", "delete"])
def test_an_empty_selection_asks_for_one(tina, own_bank, action):
    text = page(bulk(tina, own_bank, action, [], tag="exam"), 400)
    assert "Nothing was changed" in text and "Choose at least one question." in text
    assert len(questions(own_bank)) == 6


def test_a_question_of_another_bank_in_the_selection_changes_nothing(tina, own_bank):
    bundled = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    elsewhere = db.session.scalar(select(Question).where(Question.bank_id == bundled.id, Question.key == "cargo"))
    data = {"action": "delete", "questions": [*ids(own_bank, "opened"), str(elsewhere.id)]}
    text = page(tina.post(f"/teach/banks/{own_bank.id}/questions/bulk", data=data), 400)
    assert "no longer in this bank" in text
    assert len(questions(own_bank)) == 6 and not questions(own_bank)["opened"].archived
    assert db.session.get(Question, elsewhere.id) is not None


def test_an_unknown_action_is_refused(tina, own_bank):
    assert bulk(tina, own_bank, "publish", ["opened"]).status_code == 400
    assert len(questions(own_bank)) == 6


def given_to_a_student(bank, make_user, answer: bool):
    """A student's attempt at the bank's "everything" quiz, answering "opened" if ``answer``."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == "everything"))
    attempt = attempts.start_attempt(make_user("ana"), quiz, random.Random(1))
    if answer:
        item = next(i for i in attempt.items if i.question.key == "opened")
        attempts.record_answer(attempt, item.question_id, raw_for(item, ["1901"]))
    return attempt


NEW_QUESTION = {"id": "unused", "prompt": "Is this new?", "explanation": "It is.", "source": "faq 1",
                "difficulty": "1", "answer": "true", "points": "1"}


def add_question(client, bank, **fields):
    response = client.post(f"/teach/banks/{bank.id}/questions/new?type=true_false", data={**NEW_QUESTION, **fields})
    assert response.status_code == 302, page(response, 400)


def test_deleting_deletes_what_no_student_had_and_archives_the_rest(tina, own_bank, make_user):
    given_to_a_student(own_bank, make_user, answer=True)  # every question drawn; "opened" answered
    add_question(tina, own_bank)  # added since: never drawn
    response = bulk(tina, own_bank, "delete", ["opened", "cargo", "unused"])
    assert response.status_code == 302
    shown = page(tina.get(response.headers["Location"]))
    assert "Deleted 1 question. Archived 2 questions that students have had: their answers are kept." in shown
    found = questions(own_bank)
    assert "unused" not in found and found["opened"].archived and found["cargo"].archived
    assert db.session.scalar(select(Answer).where(Answer.question_id == found["opened"].id)) is not None
    assert db.session.scalar(select(AttemptItem).where(AttemptItem.question_id == found["cargo"].id)) is not None
    assert "<code>opened</code>" not in shown and "<code>council</code>" in shown
    still_valid(own_bank)
    add_question(tina, own_bank)  # a deleted question's id is free again


def test_questions_no_student_had_are_deleted_for_good(tina, own_bank):
    response = bulk(tina, own_bank, "delete", ["opened", "runner"])
    assert "Deleted 2 questions." in page(tina.get(response.headers["Location"]))
    assert sorted(questions(own_bank)) == ["blanks", "cargo", "council", "order"]


def test_deleting_takes_the_questions_out_of_the_quizzes_that_picked_them(tina, own_bank, make_user):
    given_to_a_student(own_bank, make_user, answer=False)  # so "cargo" is archived, not deleted
    picks = {"picked": ["opened", "cargo", "council"], "gone": ["opened", "cargo"]}
    for key, keys in picks.items():
        db.session.add(Quiz(bank_id=own_bank.id, key=key, title=key.title(), question_keys=keys))
    db.session.commit()
    add_question(tina, own_bank, id="opened-2")
    bulk(tina, own_bank, "delete", ["opened", "cargo", "opened-2"])
    db.session.expire_all()
    quizzes = {q.key: q for q in db.session.scalars(select(Quiz).where(Quiz.bank_id == own_bank.id))}
    assert quizzes["picked"].question_keys == ["council"] and not quizzes["picked"].archived
    assert quizzes["gone"].archived  # none of its picks left: it has nothing to ask
    still_valid(own_bank)
    # The bank as it stands still goes through the validator: another question saves.
    add_question(tina, own_bank, id="after-delete")
    assert "after-delete" in questions(own_bank)
    db.session.expire_all()
    assert db.session.get(Quiz, quizzes["picked"].id).question_keys == ["council"]


def test_deleting_every_question_leaves_an_empty_bank_that_takes_new_ones(tina, own_bank):
    response = tina.post(f"/teach/banks/{own_bank.id}/questions/bulk",
                         data={"action": "delete", "select_all": "y",
                               "shown": ids(own_bank, "opened", "cargo", "council", "runner", "order", "blanks")})
    assert "Deleted 6 questions." in page(tina.get(response.headers["Location"]))
    assert questions(own_bank) == {}
    assert all(q.archived for q in db.session.scalars(select(Quiz).where(Quiz.bank_id == own_bank.id)))
    add_question(tina, own_bank)
    assert list(questions(own_bank)) == ["unused"]
    # The quizzes put away stay put away: the teacher builds a new one when the bank has questions again.
    assert db.session.scalars(select(Quiz.key).where(Quiz.bank_id == own_bank.id,
                                                     Quiz.archived.is_(False))).all() == []


def test_the_bulk_form_works_with_csrf_protection_on(app, own_bank, teacher, csrf):
    from tests.support import PASSWORD
    from tests.support.pages import csrf_token

    tina = app.test_client()
    login = csrf_token(tina.get("/auth/login").get_data(as_text=True))
    tina.post("/auth/login", data={"username": "tina", "password": PASSWORD, "csrf_token": login})
    token = csrf_token(tina.get(f"/teach/banks/{own_bank.id}").get_data(as_text=True))
    data = {"csrf_token": token, "action": "add_tag", "tag": "exam", "questions": ids(own_bank, "opened")}
    assert tina.post(f"/teach/banks/{own_bank.id}/questions/bulk", data=data).status_code == 302
    assert "exam" in questions(own_bank)["opened"].tags
    del data["csrf_token"]
    assert tina.post(f"/teach/banks/{own_bank.id}/questions/bulk", data=data).status_code == 400
