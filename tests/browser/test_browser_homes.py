"""The home pages in Chromium, at a desktop's width and a phone's: a student lands on To do and a teacher
on Teaching after signing in; each reads in order, nothing scrolls sideways, the main menu (behind the
Menu button on a phone) marks the page it is on, and the first thing to do is one press away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import utcnow
from quizapp.services import attempts
from tests.support.browser import _screenshot, expect, sign_in
from tests.support.builders import any_response, assign, member

pytestmark = pytest.mark.browser

WIDTHS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def school(teacher, classroom, tiny_bank):
    """Ana and Ben in Tina's class: one quiz due in five hours, one Ana has begun, one opening tomorrow,
    one Ana missed; Ben has finished the first."""
    now = utcnow()
    ana = member(classroom, "ana", "Ana Student")
    ben = member(classroom, "ben", "Ben Student")
    quiz = tiny_bank["everything"]
    soon = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(hours=5, minutes=30))
    begun = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(days=3))
    assign(classroom, quiz, now + timedelta(days=1), now + timedelta(days=2))
    assign(classroom, quiz, now - timedelta(days=4), now - timedelta(days=2))
    attempts.start_assignment_attempt(ana, begun)
    attempt = attempts.start_assignment_attempt(ben, soon)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)
    db.session.remove()  # hold no connection while the server works


def _menu(view, width):
    """The main menu, opened first on a phone, where it folds behind the Menu button."""
    nav = view.get_by_role("navigation", name="Main")
    if width == "390":
        expect(nav).to_be_hidden()
        view.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    return nav


def test_a_student_starts_from_to_do(page, school, width):  # noqa: F811 (the imported fixtures)
    sign_in(page, "ana")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("To do")
    expect(page.get_by_role("heading", level=2)).to_have_text(["Open now", "Coming up", "Practice", "Missed"])
    _screenshot(page, f"todo-{width}.png")
    assert page.evaluate(SIDEWAYS) <= 0
    cards = page.locator("section[aria-labelledby=open-heading] li.card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Not started")
    expect(cards.first).to_contain_text(re.compile(r"Due \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\) · in 5 hours"))
    expect(cards.nth(1)).to_contain_text("In progress")
    expect(page.locator("section[aria-labelledby=upcoming-heading]")).to_contain_text("tomorrow at")
    expect(page.locator("section[aria-labelledby=missed-heading]")).to_contain_text("2 days ago")

    nav = _menu(page, width)
    expect(nav.get_by_role("link", name="To do", exact=True)).to_have_attribute("aria-current", "page")
    _screenshot(page, f"todo-menu-{width}.png")
    expect(nav.get_by_role("link", name="Teach", exact=True)).to_have_count(0)
    nav.get_by_role("link", name="My classes", exact=True).click()
    expect(page).to_have_url(re.compile(r"/classes$"))
    nav = _menu(page, width)
    expect(nav.get_by_role("link", name="My classes", exact=True)).to_have_attribute("aria-current", "page")
    expect(nav.locator("[aria-current]")).to_have_count(1)

    page.goto("/")
    page.get_by_role("button", name="Continue: Everything").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))


def test_a_teacher_starts_from_teaching(page, school, width):  # noqa: F811 (the imported fixtures)
    sign_in(page, "tina")
    expect(page).to_have_url(re.compile(r"/teach/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Teaching")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        ["Your classes", "Due soon", "Recent activity", "New class"])
    _screenshot(page, f"teaching-{width}.png")
    assert page.evaluate(SIDEWAYS) <= 0
    due = page.locator("section[aria-labelledby=due-heading] li.card")
    expect(due).to_have_count(2)
    expect(due.first).to_contain_text("1 of 2 done")
    expect(due.first).to_contain_text("in 5 hours")
    expect(page.locator("ul.activity li")).to_have_text(
        [re.compile(r"^Ben Student finished\s+Everything\s+· Year 10 History\s+· [\d.]+ / 7")])

    nav = _menu(page, width)
    expect(nav.get_by_role("link", name="Teach", exact=True)).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="To do", exact=True)).to_have_count(0)
    if width == "390":
        page.get_by_role("button", name="Menu").click()  # closed again, out of the way
    page.get_by_role("link", name="New class").click()
    expect(page).to_have_url(re.compile(r"/teach/#new-class$"))
    page.get_by_label("Class name").fill("Year 11 Geography")
    page.get_by_role("button", name="Create class").click()
    expect(page).to_have_url(re.compile(r"/teach/classes/\d+$"))
    # Under Teach, the class's page marks Teach as the section it is in.
    nav = _menu(page, width)
    expect(nav.get_by_role("link", name="Teach", exact=True)).to_have_attribute("aria-current", "true")
    nav.get_by_role("link", name="Banks", exact=True).click()
    nav = _menu(page, width)
    expect(nav.get_by_role("link", name="Banks", exact=True)).to_have_attribute("aria-current", "page")
