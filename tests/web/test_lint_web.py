"""Lint warnings in the authoring pages: a badge beside each question in the list, the messages on its
edit page, the bank's own warnings above the list; never a bar to saving; one pass for the whole bank."""

import re
from pathlib import Path

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Bank, Question
from quizapp.services.banks import authoring, loading, sharing
from tests.support.pages import page

DATA = Path(__file__).parent.parent / "data" / "lint"


def _bank(key):
    return db.session.scalar(select(Bank).where(Bank.key == key))


def _question(bank, key):
    db.session.expire_all()
    return db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == key))


def _row(text, key):
    """The list's row for the question ``key``."""
    return re.search(rf"<tr>(?:(?!</tr>).)*<code>{key}</code>.*?</tr>", text, re.S).group(0)


def test_a_warning_shows_beside_the_question_and_on_its_edit_page_and_never_stops_saving(tina, teacher):
    loading.load_files([DATA / "clean.yaml"])
    own = sharing.copy_bank(_bank("lint-clean"), teacher)
    fuel = _question(own, "fuel")
    listed = page(tina.get(f"/teach/banks/{own.id}"))
    assert "warning" not in _row(listed, "fuel") and "bank-warnings" not in listed

    edit = f"/teach/banks/{own.id}/questions/{fuel.id}/edit"
    response = tina.post(edit, data={**authoring.form_data(fuel), "prompt": "What did the lamp not burn?"})
    assert response.status_code == 302  # saved, warning or not
    assert _question(own, "fuel").prompt == "What did the lamp not burn?"

    row = _row(page(tina.get(f"/teach/banks/{own.id}")), "fuel")
    assert f'href="/teach/banks/{own.id}/questions/{fuel.id}/edit#lint-warnings"' in row
    assert ">1 warning</a>" in row
    shown = page(tina.get(edit))
    assert "1 warning about how the saved question is written" in shown
    assert "The question turns on the word “not”, which is easy to miss" in shown and "(negative-stem)" in shown

    tina.post(edit, data={**authoring.form_data(_question(own, "fuel")), "prompt": "What did the lamp NOT burn?"})
    assert "warning" not in _row(page(tina.get(f"/teach/banks/{own.id}")), "fuel")
    assert 'id="lint-warnings"' not in page(tina.get(edit))


def test_a_read_only_bank_shows_its_warnings_in_the_list(tina):
    loading.load_files([DATA / "answers-another.yaml"])
    listed = page(tina.get(f"/teach/banks/{_bank('lint-answers-another').id}"))
    row = _row(listed, "keeper-name")
    assert '<summary class="badge lint">1 warning</summary>' in row
    assert "The answer “Mary Holt” is written in question keeper-years" in row


def test_the_bank_s_own_warnings_are_above_the_list(tina):
    loading.load_files([DATA / "key-position.yaml"])
    listed = page(tina.get(f"/teach/banks/{_bank('lint-key-position').id}"))
    above = listed.split('id="bank-warnings"', 1)[1].split("</div>", 1)[0]
    assert "In 5 of the 5 single-choice questions the correct answer is choice 1" in above
    assert "badge lint" not in listed  # no question of its own is at fault


def test_warnings_take_the_same_queries_however_many_questions(tina, count_queries):
    loading.load_files([DATA / "key-position.yaml", DATA / "clean.yaml"])
    counts = []
    for key in ("lint-key-position", "lint-clean"):  # 5 and 10 questions
        bank_id = _bank(key).id
        db.session.expire_all()
        with count_queries() as queries:
            assert tina.get(f"/teach/banks/{bank_id}").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts


def test_the_review_drafts_page_says_what_the_linter_finds_in_each_draft(tina, teacher):
    """Before a draft is published is the moment to fix it: each one says its warnings, and none for a clean
    one; accepting stays the teacher's call."""
    loading.load_files([DATA / "clean.yaml"])
    own = sharing.copy_bank(_bank("lint-clean"), teacher)
    _question(own, "fuel").prompt = "What did the lamp not burn?"
    for question in db.session.scalars(select(Question).where(Question.bank_id == own.id)):
        question.draft = True
    db.session.commit()
    drafts = page(tina.get(f"/teach/banks/{own.id}/drafts"))
    fuel = drafts[drafts.index("<code>fuel</code>"):]
    fuel = fuel[:fuel.find("<h3>") if "<h3>" in fuel else None]  # up to the next draft
    assert "1 warning about how it is written" in fuel and "(negative-stem)" in fuel
    assert "Accept</button>" in fuel
    assert drafts.count("about how it is written") == 1
