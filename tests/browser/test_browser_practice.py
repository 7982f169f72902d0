"""Spaced practice in Chromium, at a desktop's width and a phone's: a student answers a quiz with mistakes;
the next day she finds those questions due on Practice today, reviews them, rates one herself, and sees
her predicted recall rise on Progress.

The server reads the time from its own clock, so "the next day" is made by moving the student's memory
cards and their reviews a day into the past (every time on them, by the same amount: the same as the clock
moving a day on)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import PracticeCard, PracticeReview
from tests.support.browser import Audit, _screenshot, expect, sign_in
from tests.support.builders import member

pytestmark = pytest.mark.browser

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The answers the student gives, right or wrong, by the question's prompt.
RIGHT = {"When did the harbour open?": "1901", "The town council runs the harbour.": "True",
         "Who runs the harbour?": "The town council"}


def _a_day_passes(user_id: int) -> None:
    """Every time on the student's cards and reviews a day earlier: as if the clock moved a day on."""
    day = timedelta(days=1)
    for card in db.session.scalars(select(PracticeCard).where(PracticeCard.user_id == user_id)):
        card.due, card.last_review, card.created_at = card.due - day, card.last_review - day, card.created_at - day
    for review in db.session.scalars(select(PracticeReview).where(PracticeReview.user_id == user_id)):
        review.reviewed_at, review.due_after = review.reviewed_at - day, review.due_after - day
    db.session.commit()
    db.session.remove()


def _recall(page, part: str) -> int:
    """The predicted recall of a part, in percent, from the progress chart's table."""
    cell = page.locator("table tr", has=page.locator("th", has_text=part)).locator("td").first
    return int(cell.text_content().strip().rstrip("%"))


def _answer(page, text: str) -> None:
    """Pick or type ``text`` as the answer on a question page."""
    choice = page.locator("form.question label", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    if choice.count():
        choice.click()
    else:
        page.get_by_label("Your answer").fill(text)


def test_answers_with_mistakes_come_back_the_next_day_and_practice_raises_recall(page, width, classroom, tiny_bank):
    ana = member(classroom, "ana", "Ana Student")
    ana_id = ana.id
    db.session.remove()
    sign_in(page, "ana")

    # The quiz, with mistakes: the harbour's year, its cargo and who runs it wrong, the council question right.
    page.goto("/quizzes")
    page.get_by_role("button", name="Start “Everything”").click()
    for prompt, given in (("When did the harbour open?", ["1910"]), ("Which goods do ships unload?", ["Coal"]),
                          ("The town council runs the harbour.", ["True"]), ("Who runs the harbour?", ["the mayor"])):
        expect(page.locator("form.question legend .prompt")).to_have_text(prompt)
        for text in given:
            _answer(page, text)
        page.get_by_role("button", name="Submit answer").click()
        page.get_by_role("link", name="Next question").click()
    page.locator("summary", has_text="Finish early").click()
    page.get_by_role("button", name="Finish now").click()
    expect(page).to_have_url(re.compile(r"/results$"))

    _a_day_passes(ana_id)

    page.goto("/progress")
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    before = _recall(page, "Key point 1")
    faq_before = _recall(page, "FAQ 1")
    assert before < 100, before  # a day after a wrong answer, some is forgotten
    _screenshot(page, f"practice-progress-before-{width}.png")
    assert page.evaluate(SIDEWAYS) <= 0

    nav = page.get_by_role("navigation", name="Main")
    if width == "390":
        page.get_by_role("button", name="Menu").click()
    nav.get_by_role("link", name="Practice", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice today")
    # Her four mistakes and right answer of yesterday, and the text's two questions she has not met yet.
    expect(page.get_by_role("heading", level=2).first).to_have_text("4 questions due today, and 2 new")
    # Today she reviews only: no new questions (the settings page, by keyboard).
    page.get_by_role("link", name="Daily limits").click()
    page.get_by_label("New questions a day").fill("0")
    page.get_by_label("New questions a day").press("Enter")
    expect(page.get_by_role("heading", level=2).first).to_have_text("4 questions due today")
    _screenshot(page, f"practice-today-{width}.png")
    assert page.evaluate(SIDEWAYS) <= 0
    page.get_by_role("link", name="Start practice").click()

    reviewed = 0
    while True:
        expect(page.get_by_role("heading", level=1)).to_contain_text("Practice: question")
        if reviewed == 0:
            _screenshot(page, f"practice-question-{width}.png")
            assert page.evaluate(SIDEWAYS) <= 0
        prompt = page.locator("form.question legend .prompt").inner_text()
        if prompt in RIGHT:
            _answer(page, RIGHT[prompt])
        else:  # Which goods do ships unload? Timber and grain
            for text in ("Timber", "Grain"):
                page.locator("form.question label", has_text=text).click()
        # Keyboard first: the answer is sent with Enter from the form.
        page.get_by_role("button", name="Check answer").focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/practice/reviews/\d+\?"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Right")
        expect(page.locator(".practice-next h2")).to_contain_text("Comes back")
        reviewed += 1
        if reviewed == 1:
            expect(page.get_by_role("heading", name="Why")).to_be_visible()
            _screenshot(page, f"practice-feedback-{width}.png")
            assert page.evaluate(SIDEWAYS) <= 0
            buttons = page.locator(".rating-buttons button")
            expect(buttons).to_have_text([re.compile(r"^Again"), re.compile(r"^Hard"), re.compile(r"^Good"),
                                          re.compile(r"^Easy")])
            for index in range(4):  # a thumb's size each
                assert buttons.nth(index).bounding_box()["height"] >= 44
            page.get_by_role("button", name=re.compile(r"^Easy")).click()
            expect(page.get_by_role("status").first).to_contain_text("Rated Easy")
        else:
            page.get_by_role("link", name="Next question").click()
        if "/practice/question" not in page.url or reviewed == 12:
            break
    # Each question once, and those still being learnt again, minutes later: until nothing is due today.
    assert 4 <= reviewed < 12, reviewed
    expect(page).to_have_url(re.compile(r"/practice$"))
    expect(page.get_by_role("heading", level=2).first).to_have_text("Nothing is due today")
    _screenshot(page, f"practice-done-{width}.png")
    assert page.evaluate(SIDEWAYS) <= 0
    # The page when nothing is due (tomorrow, the week, studying ahead, each part) is audited too.
    audit = Audit(page, "practice", width)
    audit("practice today, nothing due")
    audit.check(expected_pages=1)

    page.goto("/progress")
    after, faq_after = _recall(page, "Key point 1"), _recall(page, "FAQ 1")
    assert after > before and faq_after > faq_before, (before, after, faq_before, faq_after)
    expect(page.locator(".practice-summary")).to_contain_text("2 days")  # yesterday's quiz and today
    _screenshot(page, f"practice-progress-after-{width}.png")
    assert page.evaluate(SIDEWAYS) <= 0
