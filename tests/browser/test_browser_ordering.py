"""Ordering by dragging, in Chromium: with a mouse anywhere on an item, and with a finger on its grip
(real touch events, at a phone's width). The answer recorded is the order on screen. Before, the list used
the HTML drag-and-drop events, which a phone's browser never fires for a finger: on a phone only the
arrows worked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Answer, Question
from quizapp.services import attempts
from tests.support.browser import _screenshot, expect, sign_in
from tests.support.builders import any_response

pytestmark = pytest.mark.browser
TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _at_ordering_question(student, quiz) -> int:
    """An attempt of the tiny bank's whole quiz, answered up to its ordering question."""
    attempt = attempts.start_attempt(student, quiz)
    for item in attempt.items:
        if db.session.get(Question, item.question_id).key == "order":
            break
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempt_id = attempt.id
    db.session.remove()
    return attempt_id


def _context(browser, live_server, viewport, **options):  # noqa: F811 (fixtures)
    context = browser.new_context(base_url=live_server, viewport=viewport, **options)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return context


def _centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _sent_order(attempt_id: int) -> list[str]:
    answer = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)
                                .order_by(Answer.id.desc())).first()
    question = db.session.get(Question, answer.question_id)
    assert question.key == "order"
    return answer.response


def test_a_mouse_drags_the_last_item_to_the_top_and_that_order_is_sent(
        browser, live_server, csrf, student, tiny_bank):  # noqa: F811 (fixtures)
    attempt_id = _at_ordering_question(student, tiny_bank["everything"])
    context = _context(browser, live_server, DESKTOP)
    try:
        page = context.new_page()
        sign_in(page, "student")
        page.goto(f"/attempts/{attempt_id}")
        items = page.locator(".reorder li")
        expect(items).to_have_count(3)
        before = items.locator(".text").all_inner_texts()
        last, first = items.nth(2), items.nth(0)
        page.mouse.move(*_centre(last.locator(".text")))
        page.mouse.down()
        x, y = _centre(first)
        page.mouse.move(x, y - 10, steps=8)
        page.mouse.up()
        wanted = [before[2], before[0], before[1]]
        expect(items.locator(".text")).to_have_text(wanted)
        expect(page.locator(".reorder + [aria-live]")).to_contain_text(f"“{before[2]}” is now in place 1 of 3")
        expect(items.first.locator("[data-move=up]")).to_have_attribute("aria-disabled", "true")
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".feedback")).to_be_visible()
        assert _sent_order(attempt_id) == wanted
    finally:
        context.close()


def test_a_finger_drags_an_item_by_its_grip_on_a_phone(
        browser, live_server, csrf, student, tiny_bank):  # noqa: F811 (fixtures)
    attempt_id = _at_ordering_question(student, tiny_bank["everything"])
    context = _context(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, "student")
        page.goto(f"/attempts/{attempt_id}")
        items = page.locator(".reorder li")
        expect(items).to_have_count(3)
        before = items.locator(".text").all_inner_texts()
        grip = items.nth(0).locator(".grip")
        box = grip.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box  # big enough for a finger
        start = _centre(grip)
        below = items.nth(2).bounding_box()
        end = (start[0], below["y"] + below["height"] - 4)
        touch = context.new_cdp_session(page)
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
        for step in range(1, 11):
            y = start[1] + (end[1] - start[1]) * step / 10
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": start[0], "y": y}]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        wanted = [before[1], before[2], before[0]]
        expect(items.locator(".text")).to_have_text(wanted)
        _screenshot(page, "ordering-dragged-390.png")
        assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".feedback")).to_be_visible()
        assert _sent_order(attempt_id) == wanted
    finally:
        context.close()
