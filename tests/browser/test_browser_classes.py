"""End-to-end test of classes: a teacher and a student, each in their own browser context at the
same time, on the live server with CSRF protection on. The teacher creates a class and assigns the
quick-ten quiz; the student joins with the code, takes the quiz and sees the leaderboards; the
teacher then reads the statistics and the gradebook and downloads both CSV files.

The fixtures (Chromium, the live server, the browser, a page and the bundled bank) come from
conftest.py, with its skip-or-fail rule. QUIZAPP_SCREENSHOT_DIR, if set, is where the teacher's
assignment page and gradebook and the student's class page are saved.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain.standings import TIE_BREAK
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import users
from tests import support
from tests.browser.test_browser import _answer_current_question
from tests.support.browser import QUESTIONS, _screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

pytestmark = pytest.mark.browser

CLASS_NAME = "Year 10 History"
TEACHER = ("tess.teacher", "Tess Teacher")
STUDENT = ("sam.student", "Sam Student")
NICKNAME = "Sammy"
ANSWERS_HEADER = "student,username,attempt,question_id,response,correct,points,seconds,answered_at"


def _form_time(moment: datetime) -> str:
    """What a datetime-local input takes: ``YYYY-MM-DDTHH:MM`` in the school's time zone."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def _download_lines(download) -> list[str]:
    with open(download.path(), encoding="utf-8-sig", newline="") as file:  # the files start with a BOM
        return file.read().splitlines()


def test_teacher_assigns_quiz_student_takes_it_teacher_reads_results(
    app, page, student_page, bundled_bank  # noqa: F811 (the imported fixtures)
):
    title = bundled_bank["quick-ten"]
    users.create_user(TEACHER[0], TEACHER[1], support.PASSWORD, role=Role.TEACHER)
    db.session.remove()  # hold no connection or transaction while the server works
    teacher = page
    student = student_page

    # The teacher signs in, creates the class and reads its join code.
    teacher.goto("/")
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    teacher.get_by_label("Username").fill(TEACHER[0])
    teacher.get_by_label("Password").fill(support.PASSWORD)
    teacher.get_by_role("button", name="Sign in").click()
    expect(teacher).to_have_url(re.compile(r"/teach/$"))
    expect(teacher.get_by_role("heading", name="Teaching", level=1)).to_be_visible()
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Teach", exact=True).click()
    expect(teacher).to_have_url(re.compile(r"/teach/$"))
    teacher.get_by_label("Class name").fill(CLASS_NAME)
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher).to_have_url(re.compile(r"/teach/classes/\d+$"))
    expect(teacher.get_by_role("heading", name=CLASS_NAME, level=1)).to_be_visible()
    code = teacher.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4,20}", code), f"unexpected join code {code!r}"
    expect(teacher.get_by_role("status")).to_contain_text(f"Students join with the code {code}.")

    # It assigns the quick ten: open since an hour ago, until tomorrow, 30 minutes, 2 attempts, best counts.
    teacher.get_by_role("link", name="Assign a quiz").click()
    expect(teacher).to_have_url(re.compile(r"/teach/classes/\d+/assignments/new$"))
    option = teacher.locator("select#quiz_id option").filter(has_text=re.compile(rf"^{re.escape(title)} \("))
    expect(option).to_have_count(1)
    teacher.get_by_label("Quiz").select_option(value=option.get_attribute("value"))
    now = datetime.now(ZoneInfo(app.config["TIMEZONE"]))
    teacher.get_by_label("Opens at").fill(_form_time(now - timedelta(hours=1)))
    teacher.get_by_label("Closes at").fill(_form_time(now + timedelta(days=1)))
    teacher.get_by_label("Time limit (minutes)").fill("30")
    teacher.get_by_label("Attempts allowed").fill("2")
    teacher.get_by_label("Which attempt counts").select_option(label="The best")
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher).to_have_url(re.compile(r"/teach/assignments/\d+$"))
    assignment_url = teacher.url
    expect(teacher.get_by_role("status")).to_have_text(f"Assigned {title} to {CLASS_NAME}.")
    expect(teacher.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(teacher.locator("p.meta").first).to_contain_text("30 min limit · 2 attempts · the best counts")
    expect(teacher.get_by_text("No finished attempts yet.").first).to_be_visible()

    # Meanwhile, in another context, a student registers and joins with the code typed in lower case.
    student.goto("/")
    student.get_by_role("link", name="Create an account", exact=True).click()
    student.get_by_label("Username").fill(STUDENT[0])
    student.get_by_label("Your name").fill(STUDENT[1])
    student.get_by_label("Password", exact=True).fill(support.PASSWORD)
    student.get_by_label("Repeat password").fill(support.PASSWORD)
    student.get_by_role("button", name="Create account").click()
    expect(student).to_have_url(re.compile(r"/$"))
    expect(student.get_by_text("You are not in a class yet.")).to_be_visible()
    student.get_by_role("navigation", name="Main").get_by_role("link", name="My classes", exact=True).click()
    expect(student).to_have_url(re.compile(r"/classes$"))
    expect(student.get_by_text("You are not in a class yet.")).to_be_visible()
    student.get_by_role("link", name="Join a class").click()
    expect(student).to_have_url(re.compile(r"/classes/join$"))
    student.get_by_label("Class code").fill(code.lower())
    student.get_by_label("Nickname (optional)").fill(NICKNAME)
    student.get_by_role("button", name="Join class").click()
    expect(student).to_have_url(re.compile(r"/classes/\d+$"))
    class_url = student.url
    expect(student.get_by_role("status")).to_have_text(f"You joined {CLASS_NAME}.")
    expect(student.get_by_role("heading", name=CLASS_NAME, level=1)).to_be_visible()
    expect(student.get_by_text(f"Teacher: {TEACHER[1]}")).to_be_visible()
    card = student.locator("li.card.assignment", has=student.get_by_role("heading", name=title))
    expect(card).to_have_count(1)
    expect(card.locator(".state")).to_have_text("Open")
    expect(card).to_contain_text("30 min time limit · 0 of 2 attempts used · the best counts")

    # The student takes the quiz.
    card.get_by_role("button", name=f"Start: {title}").click()
    points = Decimal(0)
    for number in range(1, QUESTIONS + 1):
        expect(student).to_have_url(re.compile(r"/attempts/\d+$"))
        expect(student.locator("#progress-label")).to_have_text(f"Question {number} of {QUESTIONS}")
        expect(student.locator(".crumb")).to_have_text(title)
        expect(student.locator("p.deadline")).to_contain_text("Time is up at")  # the 30-minute limit
        expect(student.locator(".quiz-bar [data-deadline]")).to_have_text(re.compile(r"^(29|30):\d\d left$"))
        _answer_current_question(student)
        student.get_by_role("button", name="Submit answer").click()
        expect(student).to_have_url(re.compile(rf"/attempts/\d+/feedback/{number}$"))
        awarded = student.locator(".feedback h1 small").inner_text()
        match = re.fullmatch(r"([\d.]+) of 1 point", awarded.strip())
        assert match, f"question {number}: unexpected points line {awarded!r}"
        points += Decimal(match.group(1))
        if number < QUESTIONS:
            student.get_by_role("link", name="Next question").click()
        else:
            student.get_by_role("button", name="Finish and see results").click()
    expect(student).to_have_url(re.compile(r"/attempts/\d+/results$"))
    expect(student.get_by_role("heading", name=f"Results: {title}", level=1)).to_be_visible()
    expect(student.locator("#score")).to_have_text(re.compile(rf"^[\d.]+ of {QUESTIONS} points$"))
    score = student.locator("#score").inner_text().split()[0]
    assert abs(Decimal(score) - points) < Decimal("0.06"), (score, points)
    expect(student.locator("ol.review > li")).to_have_count(QUESTIONS)

    # The class page: the attempt is counted, one is left, and the student leads the class.
    student.get_by_role("link", name="Back to my classes").click()
    expect(student).to_have_url(re.compile(r"/classes$"))
    student.get_by_role("link", name=CLASS_NAME).click()
    expect(student).to_have_url(class_url)
    expect(card.locator(".state")).to_have_text("Open")
    expect(card).to_contain_text("1 of 2 attempts used")
    expect(card).to_contain_text(f"Your score: {score} / {QUESTIONS}")
    expect(card.get_by_role("button", name=f"Try again: {title}")).to_be_visible()
    board = student.locator("table.leaderboard")
    expect(board.locator("caption")).to_contain_text(TIE_BREAK)
    expect(board.locator("tbody tr")).to_have_count(1)
    you = board.locator("tbody tr.you")
    expect(you).to_have_attribute("aria-current", "true")
    expect(you.locator("td").nth(0)).to_have_text("1")
    expect(you.locator("td").nth(1)).to_have_text(f"{STUDENT[1]} (you)")
    expect(you.locator("td").nth(2)).to_contain_text(f"{score} / {QUESTIONS}")
    _screenshot(student, "quizapp-student-class.png")

    # The assignment's own leaderboard.
    card.get_by_role("link", name="Leaderboard").click()
    expect(student).to_have_url(re.compile(r"/assignments/\d+/leaderboard$"))
    expect(student.get_by_role("heading", name=f"Leaderboard: {title}", level=1)).to_be_visible()
    board = student.locator("table.leaderboard")
    expect(board.locator("caption")).to_contain_text(TIE_BREAK)
    you = board.locator("tbody tr.you")
    expect(you.locator("td").nth(0)).to_have_text("1")
    expect(you.locator("td").nth(1)).to_have_text(f"{STUDENT[1]} (you)")
    expect(student.get_by_text("1 student ranked.")).to_be_visible()

    # The teacher reloads the assignment page: statistics, charts, item table and leaderboard.
    teacher.reload()
    expect(teacher).to_have_url(assignment_url)
    finished = teacher.locator("dl.summary div", has=teacher.locator("dt", has_text="Finished attempts"))
    expect(finished.locator("dd")).to_have_text("1")
    expect(teacher.locator("svg#histogram")).to_be_visible()
    expect(teacher.locator("svg#histogram desc")).to_contain_text("Scores of 1 attempt")
    # One attempt says more about chance than about the questions: counts only, and how many more it takes.
    expect(teacher.locator("#too-few")).to_contain_text("1 of 5 attempts needed before statistics mean something")
    expect(teacher.locator("svg#facility")).to_have_count(0)
    expect(teacher.locator("table.items tbody tr")).to_have_count(QUESTIONS)
    board = teacher.locator("table.leaderboard")
    expect(board.locator("tbody tr")).to_have_count(1)
    expect(board.locator("tbody tr").first.locator("td").nth(0)).to_have_text("1")
    expect(board.locator("tbody tr").first.locator("td").nth(1)).to_have_text(STUDENT[1])
    expect(board.locator("tbody tr").first.locator("td").nth(2)).to_contain_text(f"{score} / {QUESTIONS}")
    _screenshot(teacher, "quizapp-teacher-assignment.png")

    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Download every answer (CSV)").click()
    download = info.value
    assert re.fullmatch(r"answers-assignment-\d+\.csv", download.suggested_filename), download.suggested_filename
    lines = _download_lines(download)
    assert lines[0] == ANSWERS_HEADER
    assert len(lines) == 1 + QUESTIONS, lines
    assert all(line.startswith(f"{STUDENT[1]},{STUDENT[0]},1,") for line in lines[1:]), lines

    # The gradebook lists the student with the counted score; its CSV too.
    teacher.locator(".crumb").get_by_role("link", name=CLASS_NAME).click()
    expect(teacher).to_have_url(re.compile(r"/teach/classes/\d+$"))
    expect(teacher.get_by_role("heading", name="Students (1)")).to_be_visible()
    member = teacher.locator("tr", has=teacher.get_by_role("link", name=STUDENT[1], exact=True))
    expect(member.locator("td")).to_have_text([STUDENT[1], STUDENT[0], NICKNAME, re.compile(r"^\d{4}-\d\d-\d\d "),
                                               re.compile(rf"Reset password of {STUDENT[1]}\s+Remove {STUDENT[1]}")])
    teacher.get_by_role("link", name="Gradebook").click()
    expect(teacher).to_have_url(re.compile(r"/teach/classes/\d+/gradebook$"))
    expect(teacher.get_by_role("heading", name=f"Gradebook: {CLASS_NAME}", level=1)).to_be_visible()
    rows = teacher.locator("table.gradebook tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text(STUDENT[1])
    expect(rows.first.locator("td")).to_have_count(1)
    expect(rows.first.locator("td").first).to_contain_text(f"{score} / {QUESTIONS}")
    expect(rows.first.locator("td").first).to_contain_text("1 attempt, done")
    _screenshot(teacher, "quizapp-gradebook.png")
    teacher.get_by_role("link", name="What the class has mastered").click()
    expect(teacher.locator("svg[id^=mastery-]")).not_to_have_count(0)
    teacher.go_back()

    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Download as CSV").click()
    download = info.value
    assert re.fullmatch(r"gradebook-class-\d+\.csv", download.suggested_filename), download.suggested_filename
    lines = _download_lines(download)
    assert lines[0] == (f"Student,Username,{title}: score,{title}: out of,{title}: attempts,{title}: completion")
    assert lines[1].startswith(f"{STUDENT[1]},{STUDENT[0]},"), lines
    assert lines[1].endswith(f",{QUESTIONS},1,done"), lines
    assert len(lines) == 2, lines
