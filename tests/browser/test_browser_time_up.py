"""In real Chromium and real time: the answer chosen but not submitted when the time runs out is sent by
the page in time, kept, and the results say "Time is up" (see test_time_up.py for the server's side)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, utcnow
from tests.support.browser import expect, sign_in
from tests.support.builders import assign, member

pytestmark = pytest.mark.browser


def test_the_choice_on_screen_at_0_00_is_kept(page, classroom, tiny_bank):  # noqa: F811 (the imported fixture)
    """Ana starts, and her attempt is then given 8 seconds left (so that a slow start cannot eat into
    them); she picks the right answer and never submits it."""
    tiny_bank["everything"].shuffle = False
    assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=1), closes=utcnow() + timedelta(hours=1))
    member(classroom, "ana")
    db.session.remove()

    sign_in(page, "ana")
    page.goto("/classes")
    page.get_by_role("button", name="Start: Everything").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt = db.session.query(Attempt).one()
    deadline = attempt.deadline_at = utcnow() + timedelta(seconds=8)
    db.session.commit()
    db.session.remove()
    page.reload()
    page.get_by_label("1901").check()
    expect(page.locator("#time-up")).to_contain_text("Time is up", timeout=30_000)
    expect(page.locator("#score")).to_have_text("1 of 7 points")

    attempt = db.session.query(Attempt).one()
    assert attempt.finished_at == deadline
    answer = db.session.query(Answer).one()
    assert answer.is_correct and answer.answered_at < deadline
