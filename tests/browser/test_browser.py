"""End-to-end tests: real Chromium (through Playwright's sync API) against the app served by a
real HTTP server, with CSRF protection on, so forms, cookies and redirects go the way they do
for a person using the site.

The fixtures (Chromium, the live server, the browser, a page) are the layer's, in conftest.py, with
its skip-or-fail rule for a missing Chromium. QUIZAPP_SCREENSHOT_DIR, if set, is where the main test
saves a question page and the results.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from quizapp.extensions import db
from tests import support
from tests.support.browser import QUESTIONS, _screenshot, expect

pytestmark = pytest.mark.browser


def _answer_current_question(page) -> str:
    """Answer the question on the page, whatever its type; returns the type it looked like."""
    form = page.locator("form.question")
    radios = form.locator("input[type=radio][name=response]")
    checkboxes = form.locator("input[type=checkbox][name=response]")
    selects = form.locator("select[name=response]")
    reorder = form.locator(".reorder li")
    blanks = form.locator("input.blank[name=response]")
    text = form.locator("input#response[type=text]")
    if radios.count():
        radios.first.check()
        return "choice"
    if checkboxes.count():
        checkboxes.first.check()
        return "multiple"
    if reorder.count():
        # The list as shown is an answer already; move the last item to the top, by its button.
        last = reorder.nth(reorder.count() - 1).locator(".text").inner_text()
        moving = form.locator(".reorder li", has=page.locator(".text", has_text=last))
        for _ in range(reorder.count() - 1):
            moving.locator("button[data-move=up]").click()
        return "ordering"
    if selects.count():
        # A different item in each place: the first place gets the first item, and so on.
        for index in range(selects.count()):
            select_ = selects.nth(index)
            value = select_.locator("option").nth(index + 1).get_attribute("value")
            select_.select_option(value=value)
        return "ordering"
    if blanks.count():
        for index in range(blanks.count()):
            blanks.nth(index).fill(f"guess {index + 1}")
        return "cloze"
    if text.count():
        page.get_by_label("Your answer").fill("I am not sure")
        return "text"
    raise AssertionError(f"unrecognised question form:\n{form.inner_html()}")


def test_register_take_quick_ten_and_review(page, bundled_bank):
    title = bundled_bank["quick-ten"]

    page.goto("/")
    page.get_by_role("link", name="Create an account", exact=True).click()
    expect(page).to_have_url(re.compile(r"/auth/register$"))
    expect(page.locator("form input[name=csrf_token]")).to_have_count(1)  # CSRF is really on
    page.get_by_label("Username").fill("ana.browser")
    page.get_by_label("Your name").fill("Ana Browser")
    page.get_by_label("Password", exact=True).fill(support.PASSWORD)
    page.get_by_label("Repeat password").fill(support.PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="To do", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Welcome, Ana Browser!")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Quizzes", exact=True).click()
    expect(page).to_have_url(re.compile(r"/quizzes$"))
    expect(page.get_by_role("heading", name="Quizzes", level=1)).to_be_visible()
    page.get_by_role("button", name=f"Start “{title}”").click()

    verdicts, points = [], Decimal(0)
    for number in range(1, QUESTIONS + 1):
        expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {QUESTIONS}")
        expect(page.locator(".crumb")).to_have_text(title)
        _answer_current_question(page)
        if number == 1:
            _screenshot(page, "quizapp-question.png")
        page.get_by_role("button", name="Submit answer").click()

        expect(page).to_have_url(re.compile(rf"/attempts/\d+/feedback/{number}$"))
        expect(page.locator("#progress-label")).to_have_text(f"Question {number} of {QUESTIONS}")
        verdict = page.locator(".feedback h1 .verdict")
        expect(verdict).to_have_text(re.compile(r"^(Right|Wrong|Partly right)$"))
        verdicts.append(verdict.inner_text())
        expect(page.locator(".feedback dt", has_text="Correct answer")).to_be_visible()
        awarded = page.locator(".feedback h1 small").inner_text()
        match = re.fullmatch(r"([\d.]+) of 1 point", awarded.strip())
        assert match, f"question {number}: unexpected points line {awarded!r}"
        points += Decimal(match.group(1))

        if number < QUESTIONS:
            page.get_by_role("link", name="Next question").click()
        else:
            expect(page.get_by_role("link", name="Next question")).to_have_count(0)
            page.get_by_role("button", name="Finish and see results").click()

    expect(page).to_have_url(re.compile(r"/attempts/\d+/results$"))
    expect(page.get_by_role("heading", name=f"Results: {title}", level=1)).to_be_visible()
    expect(page.locator("#score")).to_have_text(re.compile(rf"^[\d.]+ of {QUESTIONS} points$"))
    score_text = page.locator("#score").inner_text().split()[0]
    score = Decimal(score_text)
    # Partial credit (a third of a point, say) is shown to two places, hence the tolerance.
    mismatch = f"results say {score} points, the feedback pages added up to {points}"
    assert abs(score - points) < Decimal("0.06"), mismatch
    expect(page.locator("#percentage")).to_have_text(re.compile(r"^\d+(\.\d+)?%$"))
    percentage_text = page.locator("#percentage").inner_text()
    percentage = Decimal(percentage_text.rstrip("%"))
    assert abs(percentage - 100 * score / QUESTIONS) <= Decimal("0.1"), (score, percentage)
    right = verdicts.count("Right")
    summary = page.locator(".summary div", has=page.locator("dt", has_text="Right"))
    expect(summary.locator("dd")).to_have_text(f"{right} of {QUESTIONS} questions")
    review = page.locator("ol.review > li")
    expect(review).to_have_count(QUESTIONS)
    expect(review.locator("h3 .verdict")).to_have_text(verdicts)
    _screenshot(page, "quizapp-results.png")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My attempts").click()
    expect(page).to_have_url(re.compile(r"/history$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text(title)
    expect(rows.first).to_contain_text(f"{score_text} / {QUESTIONS} ({percentage_text})")
    review_link = rows.first.get_by_role("link", name="Review")
    expect(review_link).to_be_visible()
    review_link.click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/results$"))
    expect(page.locator("ol.review > li")).to_have_count(QUESTIONS)


def test_wrong_password_keeps_username(page, make_user):
    make_user("ben")
    db.session.remove()

    page.goto("/auth/login")
    page.get_by_label("Username").fill("ben")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("ben")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
