"""In Chromium: a button that removes, deletes or replaces something asks first (data-confirm, site.js);
saying no changes nothing, saying yes does it. A question's preview creates nothing by accident."""

from __future__ import annotations

import re

import pytest

from quizapp.extensions import db
from quizapp.models import Classroom, Membership
from tests.support.browser import expect, sign_in
from tests.support.builders import member

pytestmark = pytest.mark.browser


def test_removing_a_student_and_a_new_code_ask_first(page, teacher, classroom):  # noqa: F811
    member(classroom, "ana", "Ana Able")
    classroom_id, code = classroom.id, classroom.join_code
    db.session.remove()
    sign_in(page, "tina")
    page.goto(f"/teach/classes/{classroom_id}")
    asked = []

    def answer(dialog, accept: bool):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="New code").click()
    expect(page.locator("#join-code")).to_have_text(code)
    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Remove Ana Able").click()
    expect(page.get_by_role("button", name="Remove Ana Able")).to_be_visible()
    assert db.session.query(Membership).count() == 1
    assert asked[0].startswith("Make a new join code?") and asked[1].startswith("Remove Ana Able from")

    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Remove Ana Able").click()
    expect(page.get_by_role("button", name="Remove Ana Able")).to_have_count(0)
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="New code").click()
    expect(page.locator("#join-code")).not_to_have_text(code)
    db.session.remove()
    assert db.session.query(Membership).count() == 0
    assert db.session.get(Classroom, classroom_id).join_code != code


def test_a_preview_creates_nothing_by_accident(page, teacher, tiny_bank):  # noqa: F811
    """Enter in a previewed short answer goes nowhere; copying the question is below the preview, and asks."""
    from sqlalchemy import func, select

    from quizapp.models import Question
    from quizapp.services.banks import sharing

    own = sharing.copy_bank(tiny_bank["everything"].bank, teacher)
    runner = db.session.scalar(select(Question).where(Question.bank_id == own.id, Question.key == "runner"))
    path = f"/teach/banks/{own.id}/questions/{runner.id}/preview"
    count = db.session.scalar(select(func.count()).select_from(Question))
    db.session.remove()
    sign_in(page, "tina")
    page.goto(path)
    page.get_by_label("Your answer").fill("the mayor")
    page.get_by_label("Your answer").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.get_by_label("Your answer")).to_have_value("the mayor")
    expect(page.get_by_text("Answering is switched off in a preview")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Copy question").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert db.session.scalar(select(func.count()).select_from(Question)) == count
