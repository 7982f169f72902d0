"""End-to-end test of authoring: in real Chromium on the live server with CSRF on, a teacher copies
the bundled bank, writes a multiple-choice question (first with a mistake, which the form reports
beside the field while keeping what was typed), previews it as a student would see it, builds a
quiz of it and sets it to a class; a student, in a browser context of their own, joins the class
and answers that very question.

The fixtures (Chromium, the live server, the browser, a page and the bundled bank) come from
test_browser.py, with its skip-or-fail rule.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import conftest
import pytest
from test_browser import (  # noqa: F401 (fixtures, found by pytest by name)
    TIMEOUT_MS,
    _screenshot,
    browser,
    bundled_bank,
    chromium_path,
    live_server,
    page,
    sign_in,
)
from test_browser_classes import student_page  # noqa: F401 (a fixture)

from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import users

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

pytestmark = pytest.mark.browser

TEACHER = ("tess.teacher", "Tess Teacher")
STUDENT = ("sam.student", "Sam Student")
QUESTION_ID = "who-hosted-paris"
PROMPT = "Which country's president hosted the Paris meeting of the Coalition of the Willing?"
RIGHT = "France"
WRONG = ("Germany", "Poland", "Italy")
EXPLANATION = "The article says the meeting was hosted in Paris by the French president."
QUIZ_TITLE = "Paris meeting check"
CLASS_NAME = "Year 11 Politics"


def test_teacher_writes_a_question_previews_it_quizzes_it_and_a_student_answers_it(
    app, page, student_page, bundled_bank  # noqa: F811 (the imported fixtures)
):
    users.create_user(TEACHER[0], TEACHER[1], conftest.PASSWORD, role=Role.TEACHER)
    users.create_user(STUDENT[0], STUDENT[1], conftest.PASSWORD)
    db.session.remove()  # hold no connection or transaction while the server works
    teacher, student = page, student_page

    # The teacher copies the bundled bank, which is read-only, to write in it.
    sign_in(teacher, TEACHER[0])
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Banks").click()
    expect(teacher.get_by_role("heading", name="Question banks", level=1)).to_be_visible()
    teacher.get_by_role("button", name=re.compile(r"^Copy “")).click()
    expect(teacher).to_have_url(re.compile(r"/teach/banks/\d+$"))
    expect(teacher.get_by_role("status")).to_contain_text("which you can change")
    bank_url = teacher.url

    # A new single-choice question, first without its explanation.
    teacher.get_by_label("Type", exact=True).first.select_option(label="Single choice")
    teacher.get_by_role("button", name="New question").click()
    expect(teacher).to_have_url(re.compile(r"/questions/new\?type=single_choice$"))
    teacher.get_by_label("Id").fill(QUESTION_ID)
    teacher.get_by_label("Question").fill(PROMPT)
    teacher.get_by_label("Choices").fill("\n".join([WRONG[0], f"*{RIGHT}", *WRONG[1:]]))
    teacher.get_by_label("Drawn from").select_option(index=0)
    teacher.get_by_role("button", name="Save question").click()
    explanation = teacher.get_by_label("Explanation")
    expect(explanation).to_have_attribute("aria-invalid", "true")
    expect(teacher.locator("#explanation-error")).to_have_text("Fill this in.")
    expect(teacher.get_by_label("Id")).to_have_value(QUESTION_ID)  # what was typed is kept
    expect(teacher.get_by_label("Question")).to_have_value(PROMPT)
    explanation.fill(EXPLANATION)
    teacher.get_by_role("button", name="Save question").click()
    expect(teacher).to_have_url(bank_url)
    expect(teacher.get_by_role("status")).to_have_text(f"Added the question “{QUESTION_ID}”.")

    # The preview shows it as a student sees it, and the feedback for the right answer.
    row = teacher.locator("tr", has=teacher.locator("code", has_text=re.compile(rf"^{QUESTION_ID}$")))
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Preview").click()
    expect(teacher.get_by_role("heading", name=re.compile(rf"Preview of {QUESTION_ID}"))).to_be_visible()
    expect(teacher.locator("form.question")).to_contain_text(PROMPT)
    for choice in (RIGHT, *WRONG):
        expect(teacher.locator("form.question").get_by_label(choice, exact=True)).to_be_visible()
    expect(teacher.locator("section.feedback dd").first).to_have_text(RIGHT)
    expect(teacher.locator("section.feedback")).to_contain_text(EXPLANATION)
    _screenshot(teacher, "quizapp-teacher-preview.png")

    # A quiz of that one question, feedback after each question.
    teacher.goto(bank_url)
    teacher.locator("#main").get_by_role("link", name="Quizzes", exact=True).click()
    teacher.get_by_role("link", name="New quiz").click()
    teacher.get_by_label("Title").fill(QUIZ_TITLE)
    teacher.get_by_label(QUESTION_ID, exact=True).check()
    teacher.get_by_role("radio", name=re.compile(r"After each question")).check()
    teacher.get_by_role("button", name="Save quiz").click()
    expect(teacher.get_by_role("status")).to_have_text(f"Added the quiz “{QUIZ_TITLE}”.")
    expect(teacher.get_by_text("Asks this one question")).to_be_visible()

    # A class, and the quiz set to it from an hour ago until tomorrow, one attempt each.
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Teach", exact=True).click()
    teacher.get_by_label("Class name").fill(CLASS_NAME)
    teacher.get_by_role("button", name="Create class").click()
    code = teacher.locator("#join-code").inner_text().strip()
    teacher.get_by_role("link", name="Assign a quiz").click()
    option = teacher.locator("select#quiz_id option").filter(has_text=QUIZ_TITLE)
    expect(option).to_have_count(1)
    teacher.get_by_label("Quiz").select_option(value=option.get_attribute("value"))
    now = datetime.now(ZoneInfo(app.config["TIMEZONE"]))
    teacher.get_by_label("Opens at").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    teacher.get_by_label("Closes at").fill((now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    teacher.get_by_label("Attempts allowed").fill("1")  # one go: the feedback may show the key at once
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher).to_have_url(re.compile(r"/teach/assignments/\d+$"))

    # The student joins and answers the teacher's question, and only that one.
    sign_in(student, STUDENT[0])
    student.goto("/classes/join")
    student.get_by_label("Class code").fill(code)
    student.get_by_role("button", name="Join class").click()
    expect(student.get_by_role("heading", name=CLASS_NAME, level=1)).to_be_visible()
    student.get_by_role("button", name=f"Start: {QUIZ_TITLE}").click()
    expect(student.locator("#progress-label")).to_have_text("Question 1 of 1")
    expect(student.locator("form.question")).to_contain_text(PROMPT)
    student.locator("form.question").get_by_label(RIGHT, exact=True).check()
    student.get_by_role("button", name="Submit answer").click()
    expect(student).to_have_url(re.compile(r"/attempts/\d+/feedback/1$"))
    expect(student.locator(".feedback h1 .verdict")).to_have_text("Right")
    expect(student.locator(".feedback")).to_contain_text(EXPLANATION)
    student.get_by_role("button", name="Finish and see results").click()
    expect(student.locator("#score")).to_have_text("1 of 1 points")

    # The teacher's assignment page counts the finished attempt.
    teacher.reload()
    finished = teacher.locator("dl.summary div", has=teacher.locator("dt", has_text="Finished attempts"))
    expect(finished.locator("dd")).to_have_text("1")
