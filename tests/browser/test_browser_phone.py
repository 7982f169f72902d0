"""At a phone's width (390 px) in Chromium: no sideways scrolling, and every action in reach. My attempts
clipped its only link ("Revi…") on a phone; its rows are now cards."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.services import attempts
from tests.support.browser import _screenshot, expect, sign_in
from tests.support.builders import any_response

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
IN_VIEW = """(e) => { const b = e.getBoundingClientRect();
  return b.left >= 0 && b.right <= document.documentElement.clientWidth && b.width > 0 && b.height >= 44; }"""


@pytest.fixture
def phone(browser, live_server, csrf):  # noqa: F811
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_my_attempts_on_a_phone_shows_each_attempt_with_its_link_whole(phone, student, tiny_bank):
    for _ in range(2):
        attempt = attempts.start_attempt(student, tiny_bank["everything"])
        for item in attempt.items[:3]:
            attempts.record_answer(attempt, item.question_id, any_response(item))
        attempts.finish_attempt(attempt)
    attempts.start_attempt(student, tiny_bank["two-grain"])
    db.session.remove()
    sign_in(phone, "student")
    phone.goto("/history")
    _screenshot(phone, "history-390.png")
    assert phone.evaluate(SIDEWAYS) <= 0
    links = phone.locator("main table a")
    expect(links).to_have_count(3)
    for link in links.all():
        assert link.evaluate(IN_VIEW), link.inner_text()
    expect(phone.get_by_role("link", name="Review Everything").first).to_be_visible()
    expect(phone.get_by_role("link", name="Continue Two on cargo")).to_be_visible()
    # The table is still a table to assistive technology, with its column names.
    expect(phone.get_by_role("columnheader", name="Score")).to_have_count(1)
