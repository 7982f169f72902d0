"""Keyboard and screen-reader tests in real Chromium on the live server, with CSRF protection on.

A student signs in and takes a quiz with one question of every type using the keyboard alone (Tab,
Shift+Tab, Enter, Space, the arrow keys and typing: no click, no fill), from the quizzes list to the
results. Every element the Tab key reaches must show that it has focus, and focus must land somewhere
sensible when a page opens: on the skip link first, or on the page's heading in the quiz itself. The test
also checks what a screen reader is told: the progress bar's name and values, the feedback's verdict
(focused, in a live region, and in the page title), and the timer's announcements at five minutes, one
minute and the end (with Playwright's fake clock, so nobody waits for them).

The fixtures (Chromium, the live server, the browser, a page) come from conftest.py, with its
skip-or-fail rule.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import classrooms, users
from tests import support
from tests.support.browser import _screenshot
from tests.support.builders import assign, member

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

pytestmark = pytest.mark.browser

QUESTIONS = 6  # the tiny bank's "Everything" quiz: one question of every type, in order, not shuffled
POINTS = 7  # the multiple-select question is worth 2

# What the focused element is, and whether it shows it: an outline or a box shadow, and on the screen.
FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(), type: e.getAttribute('type') || '', id: e.id, name: e.getAttribute('name') || '',
    text: (e.innerText || '').trim(), value: e.value ?? null,
    label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : (e.getAttribute('aria-label') || ''),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""


def focused(browser_page) -> dict:
    return browser_page.evaluate(FOCUSED)


def tab_to(browser_page, wanted, *, backwards: bool = False, limit: int = 40) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``wanted``; every element passed on the
    way must show its focus and be on the screen."""
    for _ in range(limit):
        browser_page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(browser_page)
        assert now["ring"], f"no visible focus indicator on {now}"
        assert now["onScreen"], f"the focused element is off the screen: {now}"
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached the element wanted; last focused: {focused(browser_page)}")


def skip_to_content(browser_page) -> None:
    """The first Tab on a browser_page reaches the skip link, which is then shown; Enter moves focus to <main>."""
    first = tab_to(browser_page, lambda f: True, limit=1)
    assert first["tag"] == "a" and first["text"] == "Skip to content", first
    _screenshot(browser_page, "keyboard-skip-link.png")
    browser_page.keyboard.press("Enter")
    assert focused(browser_page)["id"] == "main"


def expect_focus_on_heading(browser_page, text) -> None:
    """When a browser_page of the quiz opens, focus is on its main heading, so a screen reader starts there."""
    heading = browser_page.locator("h1:focus")
    expect(heading).to_have_count(1)
    expect(heading).to_have_text(text)


def choose_radio(browser_page, wanted: str) -> None:
    """With focus on a radio group, move through it with the arrow keys until ``wanted`` is checked."""
    now = focused(browser_page)
    assert now["type"] == "radio", now
    if now["label"] == wanted:
        browser_page.keyboard.press("Space")
    for _ in range(8):
        if now["label"] == wanted:
            break
        browser_page.keyboard.press("ArrowDown")
        now = focused(browser_page)
    assert now["label"] == wanted, now
    checked = browser_page.locator("ul.choices label", has=browser_page.locator("input[type=radio]:checked"))
    expect(checked).to_have_count(1)
    expect(checked).to_have_text(wanted)


def submit_answer(browser_page) -> None:
    tab_to(browser_page, lambda f: f["tag"] == "button" and f["text"] == "Submit answer")
    browser_page.keyboard.press("Enter")


def test_a_student_takes_a_whole_quiz_with_the_keyboard_alone(
    page, tiny_bank  # noqa: F811 (the imported fixtures)
):
    users.create_user("kay", "Kay Keys", support.PASSWORD)
    db.session.remove()  # hold no connection or transaction while the server works

    # Signing in: past the skip link and the menu to the two fields; Enter sends the form.
    page.goto("/auth/login")
    assert tab_to(page, lambda f: True, limit=1)["text"] == "Skip to content"
    tab_to(page, lambda f: f["id"] == "username")
    page.keyboard.type("kay")
    tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type(support.PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="To do", level=1)).to_be_visible()
    page.goto("/quizzes")

    # The quizzes list: past the skip link and the menu, to the quiz's Start button.
    expect(page.get_by_role("heading", name="Quizzes", level=1)).to_be_visible()
    skip_to_content(page)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Start “Everything”")
    page.keyboard.press("Enter")

    for number in range(1, QUESTIONS + 1):
        expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
        expect_focus_on_heading(page, f"Question {number} of {QUESTIONS}")
        # The progress bar is a real <progress>, named by the heading: "Question 3 of 6", 2 of 6 done.
        bar = page.get_by_role("progressbar", name=f"Question {number} of {QUESTIONS}")
        expect(bar).to_have_count(1)
        expect(bar).to_have_attribute("value", str(number - 1))
        expect(bar).to_have_attribute("max", str(QUESTIONS))
        kind = page.locator("legend .type").inner_text().split(" · ")[0]

        if kind == "Single choice":  # When did the harbour open? 1901; down to 1910 and back up
            tab_to(page, lambda f: f["type"] == "radio")
            page.keyboard.press("ArrowDown")
            assert focused(page)["label"] == "1910"
            page.keyboard.press("ArrowUp")
            choose_radio(page, "1901")
            _screenshot(page, "keyboard-radio-focus.png")
        elif kind == "Multiple select":  # Timber and grain, not coal or oil
            for _ in range(4):
                box = tab_to(page, lambda f: f["type"] == "checkbox")
                if box["label"] in ("Timber", "Grain"):
                    page.keyboard.press("Space")
            checked = page.locator("input[type=checkbox]:checked")
            expect(checked).to_have_count(2)
        elif kind == "True or false":
            tab_to(page, lambda f: f["type"] == "radio")
            choose_radio(page, "True")
        elif kind == "Short answer":
            tab_to(page, lambda f: f["id"] == "response")
            page.keyboard.type("the Town Council")
        elif kind == "Ordering":  # Timber, grain, salt: each moved up with its own button and Enter
            wanted_order = ["Timber", "Grain", "Salt"]
            for place, item in enumerate(wanted_order):
                now = page.locator(".reorder li .text").all_inner_texts().index(item)
                if now == place:
                    continue
                label = f"Move “{item}” up"
                ahead = page.evaluate(
                    "label => { const b = [...document.querySelectorAll('.reorder button')]"
                    ".find(x => x.getAttribute('aria-label') === label);"
                    " return !!(document.activeElement.compareDocumentPosition(b) & 4); }", label)
                tab_to(page, lambda f, label=label: f["label"] == label, backwards=not ahead)
                for _ in range(now - place):
                    page.keyboard.press("Enter")
                assert focused(page)["label"] == label  # focus stays on the button that moved
                expect(page.locator(".reorder [aria-live]").or_(page.locator(".reorder + [aria-live]"))).to_have_text(
                    f"“{item}” is now in place {place + 1} of 3.")
            expect(page.locator(".reorder li .text")).to_have_text(wanted_order)
            _screenshot(page, "keyboard-ordering-focus.png")
        elif kind == "Fill in the blanks":  # 1901 and timber; the first typed wrong, then corrected
            tab_to(page, lambda f: f["label"] == "Blank 1")
            page.keyboard.type("1910")
            tab_to(page, lambda f: f["label"] == "Blank 2")
            page.keyboard.type("timber")
            tab_to(page, lambda f: f["label"] == "Blank 1", backwards=True, limit=1)
            page.keyboard.press("ControlOrMeta+A")
            page.keyboard.type("1901")
            assert [b.input_value() for b in page.locator("input.blank").all()] == ["1901", "timber"]
        else:
            raise AssertionError(f"unexpected question type {kind!r}")
        submit_answer(page)

        # The feedback: focus on the verdict, which a live region holds and the page title repeats.
        expect(page).to_have_url(re.compile(rf"/attempts/\d+/feedback/{number}$"))
        expect_focus_on_heading(page, re.compile(r"^Right\b"))
        expect(page).to_have_title(re.compile(rf"^Right: feedback on question {number} of {QUESTIONS} · "))
        region = page.locator("section.feedback")
        expect(region).to_have_attribute("aria-live", "polite")
        next_step = "Next question" if number < QUESTIONS else "Finish and see results"
        step = tab_to(page, lambda f: f["tag"] in ("a", "button"), limit=1)  # the very next Tab
        assert step["text"] == next_step, step
        if number == 1:
            _screenshot(page, "keyboard-feedback-next.png")
        page.keyboard.press("Space" if step["tag"] == "button" else "Enter")  # as each is pressed

    expect(page).to_have_url(re.compile(r"/attempts/\d+/results$"))
    expect(page.get_by_role("heading", name="Results: Everything", level=1)).to_be_visible()
    expect(page.locator("#score")).to_have_text(f"{POINTS} of {POINTS} points")
    expect(page.locator("ol.review > li")).to_have_count(QUESTIONS)
    skip_to_content(page)
    last = tab_to(page, lambda f: f["text"] == "All my attempts")
    assert last["tag"] == "a"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/history$"))


def test_the_timer_is_announced_at_five_minutes_one_minute_and_the_end(
    page, tiny_bank, make_user  # noqa: F811 (the imported fixtures)
):
    """countdown.js speaks through #countdown-announce at its marks; Playwright's clock runs the page's
    timers (every second of them) without the test waiting."""
    teacher = make_user("tina", role=Role.TEACHER)
    classroom = classrooms.create_classroom(teacher, "Year 9")
    member(classroom, "kay", "Kay Keys")
    assign(classroom, tiny_bank["everything"], time_limit_minutes=10)
    db.session.remove()

    page.clock.install(time=datetime.now(UTC))
    page.goto("/auth/login")
    page.get_by_label("Username").fill("kay")
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/classes")
    page.get_by_role("button", name="Start: Everything").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("[data-deadline]")).to_have_text(re.compile(r"^(9|10):\d\d left$"))
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=2))

    announcer = page.locator("#countdown-announce")
    expect(announcer).to_have_attribute("aria-live", "assertive")
    expect(announcer).to_have_attribute("aria-atomic", "true")
    expect(announcer).to_have_class(re.compile(r"\bvisually-hidden\b"))  # heard, not seen
    expect(announcer).to_have_text("")  # ten minutes left: nothing said yet
    # The visible clock changes every second and is not itself live, so it does not chatter.
    assert page.locator("[data-deadline]").get_attribute("aria-live") is None

    def seconds_left() -> int:
        return page.evaluate("() => Math.round((Date.parse(document.querySelector('[data-deadline]')"
                             ".getAttribute('data-deadline')) - Date.now()) / 1000)")

    page.clock.run_for((seconds_left() - 200) * 1000)  # past the five-minute mark
    expect(announcer).to_have_text("5 minutes left")
    page.clock.run_for((seconds_left() - 30) * 1000)  # past the one-minute mark
    expect(announcer).to_have_text("1 minute left")
    page.clock.run_for((seconds_left() + 1) * 1000)  # to the end, not yet to the reload that follows
    expect(announcer).to_have_text("Time is up")
    expect(page.locator("[data-deadline]")).to_have_text("0:00 left")
