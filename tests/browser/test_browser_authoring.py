"""End-to-end test of authoring: in real Chromium on the live server with CSRF on, a teacher copies
the bundled bank, writes a multiple-choice question without inventing an id (first with a mistake,
which the form reports beside the field while keeping what was typed), previews it as a student would
see it, builds a quiz of it and sets it to a class; a student, in a browser context of their own,
joins the class and answers that very question. And, at a desktop's width and at a phone's, adding a
question from the bank's tabs with no id typed, the Advanced section left shut.

The fixtures (Chromium, the live server, the browser, a page and the bundled bank) come from
conftest.py, with its skip-or-fail rule.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import users
from tests import support
from tests.support.browser import _screenshot, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

pytestmark = pytest.mark.browser

TEACHER = ("tess.teacher", "Tess Teacher")
STUDENT = ("sam.student", "Sam Student")
PROMPT = "Which country's president hosted the Paris meeting of the Coalition of the Willing?"
RIGHT = "France"
WRONG = ("Germany", "Poland", "Italy")
EXPLANATION = "The article says the meeting was hosted in Paris by the French president."
QUIZ_TITLE = "Paris meeting check"
CLASS_NAME = "Year 11 Politics"


def test_teacher_writes_a_question_previews_it_quizzes_it_and_a_student_answers_it(
    app, page, student_page, bundled_bank  # noqa: F811 (the imported fixtures)
):
    users.create_user(TEACHER[0], TEACHER[1], support.PASSWORD, role=Role.TEACHER)
    users.create_user(STUDENT[0], STUDENT[1], support.PASSWORD)
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

    # A new single-choice question, first without its explanation; its id is left to the app.
    teacher.get_by_role("link", name="Add a question").first.click()
    teacher.get_by_role("link", name="Single choice", exact=True).click()
    expect(teacher).to_have_url(re.compile(r"/questions/new\?type=single_choice$"))
    teacher.get_by_label("Question", exact=True).fill(PROMPT)
    teacher.get_by_label("Choices").fill("\n".join([WRONG[0], f"*{RIGHT}", *WRONG[1:]]))
    teacher.get_by_label("Drawn from").select_option(index=0)
    teacher.get_by_role("button", name="Save question").click()
    explanation = teacher.get_by_label("Explanation")
    expect(explanation).to_have_attribute("aria-invalid", "true")
    expect(teacher.locator("#explanation-error")).to_have_text(
        "Write the explanation students see once they have answered.")
    expect(teacher.get_by_label("Question", exact=True)).to_have_value(PROMPT)  # what was typed is kept
    explanation.fill(EXPLANATION)
    teacher.get_by_role("button", name="Save question").click()
    expect(teacher).to_have_url(bank_url)
    expect(teacher.get_by_role("status")).to_have_text(re.compile(r"^Added the question “[a-z0-9-]+-\d+”\.$"))
    question_id = re.search(r"“(.+)”", teacher.get_by_role("status").inner_text()).group(1)

    # The preview shows it as a student sees it, and the feedback for the right answer.
    row = teacher.locator("tr", has=teacher.locator("code", has_text=re.compile(rf"^{question_id}$")))
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Preview").click()
    expect(teacher.get_by_role("heading", name=re.compile(rf"Preview of {question_id}"))).to_be_visible()
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
    teacher.get_by_label(question_id, exact=True).check()
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


@pytest.mark.parametrize("width", [1280, 390])
def test_adding_a_question_from_the_banks_tabs_needs_no_id(app, page, width, bundled_bank):  # noqa: F811
    users.create_user(TEACHER[0], TEACHER[1], support.PASSWORD, role=Role.TEACHER)
    db.session.remove()
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, TEACHER[0])
    page.goto("/teach/banks")
    page.get_by_role("button", name=re.compile(r"^Copy “")).first.click()
    expect(page.get_by_role("status")).to_contain_text("which you can change")
    bank_url = page.url

    tabs = page.get_by_role("navigation", name="This bank")
    expect(tabs.get_by_role("link", name="Questions")).to_have_attribute("aria-current", "page")
    tabs.get_by_role("link", name="Add a question").click()
    expect(tabs.get_by_role("link", name="Add a question")).to_have_attribute("aria-current", "page")
    _no_sideways_scrolling(page)
    _screenshot(page, f"quizapp-add-question-types-{width}.png")
    page.get_by_role("link", name="True or false").click()

    # The id is out of the way: under Advanced, shut, and empty.
    advanced = page.locator("details.advanced")
    expect(advanced).not_to_have_attribute("open", "")
    expect(page.get_by_label("Question id")).to_be_hidden()
    page.get_by_label("Question", exact=True).fill("The coalition met in Paris.")
    page.get_by_label("Explanation").fill("The article says the meeting was held in Paris.")
    page.get_by_label("Drawn from").select_option(index=0)
    _no_sideways_scrolling(page)
    _screenshot(page, f"quizapp-new-question-{width}.png")
    page.get_by_role("button", name="Save question").click()
    expect(page).to_have_url(bank_url)
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Added the question “[a-z0-9-]+-\d+”\.$"))
    key = re.search(r"“(.+)”", page.get_by_role("status").inner_text()).group(1)
    row = page.locator("tr", has=page.locator("code", has_text=re.compile(rf"^{key}$")))
    expect(row).to_contain_text("The coalition met in Paris.")
    _no_sideways_scrolling(page)
    _screenshot(page, f"quizapp-bank-questions-{width}.png")
    directory = os.environ.get("QUIZAPP_SCREENSHOT_DIR")
    if directory:  # the whole list is long: the top, as the teacher first sees it
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(directory) / f"quizapp-bank-questions-top-{width}.png"))

    # A second one is given the next number, never the same id.
    page.get_by_role("navigation", name="This bank").get_by_role("link", name="Add a question").click()
    page.get_by_role("link", name="True or false").click()
    page.get_by_label("Question", exact=True).fill("The coalition met in Rome.")
    page.get_by_label("Answer").select_option("false")
    page.get_by_label("Explanation").fill("The article says Paris.")
    page.get_by_label("Drawn from").select_option(index=0)
    page.get_by_role("button", name="Save question").click()
    base, number = key.rsplit("-", 1)
    expect(page.get_by_role("status")).to_have_text(f"Added the question “{base}-{int(number) + 1}”.")

    # An id typed wrong opens Advanced to say so.
    page.goto(f"{bank_url}/questions/new?type=true_false")
    page.get_by_text("Advanced").click()
    page.get_by_label("Question id").fill("Paris Meeting")
    page.get_by_role("button", name="Save question").click()
    expect(advanced).to_have_attribute("open", "")
    expect(page.locator("#id-error")).to_contain_text("Use only lowercase letters, digits and hyphens")
    _no_sideways_scrolling(page)
    _screenshot(page, f"quizapp-new-question-id-error-{width}.png")


def _no_sideways_scrolling(view) -> None:
    overflow = view.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{view.url} scrolls sideways by {overflow} px"


def test_stopping_sharing_asks_first(page, teacher, make_user, tiny_bank):  # noqa: F811
    from sqlalchemy import select

    from quizapp.models import Bank, BankShare
    from quizapp.services.banks import sharing

    make_user("otto", role=Role.TEACHER)
    bank = sharing.copy_bank(db.session.scalar(select(Bank).where(Bank.key == "tiny")), teacher)
    sharing.share_bank(bank, "otto")
    bank_id = bank.id
    db.session.remove()
    sign_in(page, "tina")
    page.goto(f"/teach/banks/{bank_id}/shares")
    asked = []

    def answer(dialog, accept: bool):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Stop sharing").click()
    expect(page.get_by_text("Otto (otto)")).to_be_visible()
    assert db.session.query(BankShare).count() == 1
    assert asked == ["Stop sharing this bank with Otto? They can no longer use it or set its quizzes; "
                     "copies they made stay theirs."]
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Stop sharing").click()
    expect(page.get_by_role("status")).to_have_text("Stopped sharing this bank with Otto (otto).")
    db.session.remove()
    assert db.session.query(BankShare).count() == 0
