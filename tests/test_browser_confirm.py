"""In Chromium: a button that removes, deletes or replaces something asks first (data-confirm, site.js);
saying no changes nothing, saying yes does it."""

from __future__ import annotations

import pytest
from conftest import member
from test_browser import (  # noqa: F401 (fixtures, found by pytest by name)
    browser,
    chromium_path,
    live_server,
    page,
    sign_in,
)

from quizapp.extensions import db
from quizapp.models import Classroom, Membership

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

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
