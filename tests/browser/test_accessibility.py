"""Accessibility audit: every page a student or teacher uses, run through axe-core (the WCAG 2.1 A and AA
rules) in real Chromium on the live server, with CSRF protection on. A violation of serious or critical
impact fails the test, which names each one: the page, the rule, its help text and the failing elements.

axe-core is vendored as its single published file (tests/vendor/axe-core, with its licence and a README
saying which version it is and how to update it). The app's Content-Security-Policy allows no inline
script, so the file is not added as a <script> tag: Playwright evaluates it through the DevTools protocol,
which the policy does not govern, and the page under audit runs with its real policy.

The world audited is seeded through the services, as a school would have it after a few weeks: the
bundled bank; a teacher with a class, an assignment (and one still to open) and two students who have
finished it, one of whom starts another, timed attempt during the test; an own bank drafted from an
article, with a quiz, drafts to review, questions needing review after an update, and a share with
another teacher; and another class of five who have taken the own bank's quiz. The student takes the
bundled bank's whole-article quiz in the browser, and each question type (all six are in the bank) is
audited once, with its feedback.

Each walk runs at a desktop's width (1280 px) and at a phone's (390 px), and at a phone's in the dark
colour scheme. At every width no page may scroll sideways: that fails like a serious axe violation,
naming the widest elements.

The fixtures (Chromium, the live server, the browser, a page) come from conftest.py, with its
skip-or-fail rule. QUIZAPP_SCREENSHOT_DIR, if set, receives a screenshot of every page audited, named by
who, width and page.
"""

from __future__ import annotations

import hashlib
import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, Question, Quiz, Role, utcnow
from quizapp.services import attempts, classrooms, reports, users
from quizapp.services.banks import authoring, drafting, loading, sharing
from tests import support
from tests.browser.test_browser import _answer_current_question
from tests.support.browser import AXE_FILE, AXE_SHA256, AXE_VERSION, VIEWPORTS, Audit, sign_in
from tests.support.builders import any_response, assign, member, raw_for

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

pytestmark = pytest.mark.browser

ARTICLES = Path(__file__).parent.parent / "data" / "articles"
HARBOUR = (ARTICLES / "harbour.txt").read_text(encoding="utf-8")
REVISED = (ARTICLES / "harbour-revised.txt").read_text(encoding="utf-8")
IMPORT_FILE = Path(__file__).parent.parent / "data" / "interchange" / "moodle-html-media.xml"
QUESTION_TYPES = ("single_choice", "multiple_select", "true_false", "short_answer", "ordering", "cloze")
TEACHER = ("tina", "Tina Teacher")
OTHER_TEACHER = ("otto", "Otto Other")
STUDENT = ("sam", "Sam Student")
CLASSMATE = ("kim", "Kim Classmate")
CLASS_NAME = "Year 10 History"


SCHEMES = {"1280": "light", "390": "light", "390-dark": "dark"}


@pytest.fixture(params=sorted(SCHEMES), ids=lambda width: f"{width}px")
def width(request, page):  # noqa: F811 (the imported fixture)
    """The walk's screen width and colour scheme: the page is set to them before the walk starts."""
    page.set_viewport_size(VIEWPORTS[request.param.removesuffix("-dark")])
    page.emulate_media(color_scheme=SCHEMES[request.param])
    return request.param


# --------------------------------------------------------------------------- the world


def _finish(user, assignment) -> Attempt:
    """An attempt of ``user`` at ``assignment``, every question answered (rightly or not), finished."""
    attempt = attempts.start_assignment_attempt(user, assignment)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    return attempts.finish_attempt(attempt)


def _practise(user, quiz, rounds: int, days_apart: int) -> None:
    """``rounds`` practice attempts at ``quiz``, ``days_apart`` days apart up to a few days ago, every third
    one answered wrong: weeks of memory cards, reviewed, remembered and forgotten, for the practice pages."""
    start = utcnow() - timedelta(days=rounds * days_apart, hours=5)
    for n in range(rounds):
        moment = start + timedelta(days=n * days_apart)
        attempt = attempts.start_practice(user, quiz, rng=random.Random(n), now=moment).attempt
        for item in list(attempt.items):
            attempts.current_item(attempt, moment)
            moment += timedelta(seconds=8)
            spec, right = item.question.spec, n % 3 != 2
            if item.type == "single_choice":
                wrong = next(c for c in spec["choices"] if c != spec["answer"])
                response = raw_for(item, [spec["answer"] if right else wrong])
            elif item.type == "true_false":
                response = [str(spec["answer"] == right).lower()]
            else:
                response = any_response(item)
            attempts.record_answer(attempt, item.question_id, response, now=moment)
        attempts.finish_attempt(attempt, now=moment)


@pytest.fixture
def world(app):
    """A school a few weeks in; ids and names of what the pages show. The database session is closed
    at the end, so the test holds no connection while the server works."""
    loading.load_files([support.ROOT / "questions"])
    bundled = db.session.scalar(select(Bank).where(Bank.owner_id.is_(None)))
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == bundled.id, Quiz.key == "quick-ten"))
    whole = db.session.scalar(select(Quiz).where(Quiz.bank_id == bundled.id, Quiz.key == "whole-article"))
    tina = users.create_user(*TEACHER, support.PASSWORD, role=Role.TEACHER)
    users.create_user(*OTHER_TEACHER, support.PASSWORD, role=Role.TEACHER)

    classroom = classrooms.create_classroom(tina, CLASS_NAME)
    sam = member(classroom, STUDENT[0], STUDENT[1], nickname="Sammy")
    kim = member(classroom, CLASSMATE[0], CLASSMATE[1])
    assignment = assign(classroom, quiz, time_limit_minutes=30, attempts_allowed=3)
    _finish(kim, assignment)
    finished = _finish(sam, assignment)
    upcoming = db.session.scalar(select(Quiz).where(Quiz.bank_id == bundled.id, Quiz.key == "faqs"))
    assign(classroom, upcoming, opens=utcnow() + timedelta(days=1), closes=utcnow() + timedelta(days=8))

    # An own bank drafted from an article: half its drafts accepted, then the article changed, so some
    # published questions need review and fresh drafts wait; shared with the other teacher.
    own = drafting.create_bank(tina, HARBOUR, "harbour.txt", title="Port Elwin harbour")
    drafts = list(db.session.scalars(select(Question).where(Question.bank_id == own.id).order_by(Question.id)))
    for question in drafts[: len(drafts) // 2 + 1]:
        drafting.accept(question)
    drafting.reimport(own, REVISED, "harbour-revised.txt")
    # Drafts lint clean, so a question written by hand carries the linter's warning: a key point copied.
    authoring.save_question(own, "true_false", {
        "prompt": "The harbour of Port Elwin opened in 1901.", "answer": "true", "source": "key_point 1",
        "explanation": "Key point 1 says so.", "difficulty": "1", "points": "1"})
    sharing.share_bank(own, OTHER_TEACHER[0])
    own_quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == own.id))
    published = db.session.scalar(select(Question).where(Question.bank_id == own.id, Question.draft.is_(False),
                                                         Question.archived.is_(False)).order_by(Question.id))
    # Another class of Tina's has taken a quiz of her own bank, five students: enough for the statistics to
    # suggest difficulties, with at least one set otherwise, so the page offers its difficulty buttons.
    own_class = classrooms.create_classroom(tina, "Year 11 History")
    own_assignment = assign(own_class, own_quiz)
    for n in range(5):
        _finish(member(own_class, f"pupil{n}"), own_assignment)
    item = next(i for i in reports.assignment_report(own_assignment).items if i.stats.suggested_difficulty)
    item.question.difficulty = item.stats.suggested_difficulty % 3 + 1
    db.session.commit()
    _practise(kim, own_quiz, rounds=8, days_apart=4)
    by_type = {}
    for question in db.session.scalars(select(Question).where(Question.bank_id == bundled.id)):
        by_type.setdefault(question.type, question.id)
    ids = {
        "bundled": bundled.id, "own": own.id, "own_quiz": own_quiz.id, "published": published.id,
        "classroom": classroom.id, "assignment": assignment.id, "sam": sam.id, "finished": finished.id,
        "own_assignment": own_assignment.id, "whole_title": whole.title, "by_type": by_type,
    }
    db.session.remove()
    return ids


def _types_in_order(attempt_id: int) -> list[tuple[int, str]]:
    attempt = db.session.get(Attempt, attempt_id)
    order = [(item.position, item.type) for item in sorted(attempt.items, key=lambda i: i.position)]
    db.session.remove()
    return order


def _answer_by_service(attempt_id: int, position: int) -> None:
    attempt = db.session.get(Attempt, attempt_id)
    item = next(i for i in attempt.items if i.position == position)
    attempts.record_answer(attempt, item.question_id, any_response(item))
    db.session.remove()


# --------------------------------------------------------------------------- the audits


def test_the_vendored_axe_core_is_the_pinned_version():
    banner = AXE_FILE.read_text(encoding="utf-8")[:200]
    assert banner.startswith(f"/*! axe v{AXE_VERSION}\n"), banner
    assert hashlib.sha256(AXE_FILE.read_bytes()).hexdigest() == AXE_SHA256, "axe.min.js is not the file npm ships"
    readme = (AXE_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert f"**{AXE_VERSION}**" in readme and AXE_SHA256 in readme
    assert (AXE_FILE.parent / "LICENSE").read_text().startswith("Mozilla Public License, version 2.0")


def test_every_page_a_student_uses_passes_axe(page, world, width):  # noqa: F811 (the imported fixtures)
    audit = Audit(page, "student", width)

    # Signed out: the front page, signing in and registering, with their errors.
    page.goto("/")
    audit("home")
    page.goto("/auth/login")
    audit("sign in")
    page.get_by_label("Username").fill(STUDENT[0])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    audit("sign in, wrong password")
    page.goto("/auth/register")
    audit("register")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".errors").first).to_be_visible()
    audit("register, with errors")
    page.goto("/no-such-page")
    audit("error page (404)")

    sign_in(page, STUDENT[0])
    audit("to do")
    page.goto("/quizzes")
    audit("quizzes")
    page.goto("/classes")
    audit("classes")
    page.get_by_role("link", name="Join a class").click()
    audit("join a class")
    page.get_by_label("Class code").fill("NOSUCH")
    page.get_by_role("button", name="Join class").click()
    expect(page.locator(".errors")).to_be_visible()
    audit("join a class, wrong code")
    page.goto(f"/classes/{world['classroom']}")
    audit("class page")
    page.goto(f"/classes/{world['classroom']}/leaderboard")
    audit("class leaderboard")
    page.goto(f"/assignments/{world['assignment']}/leaderboard")
    audit("assignment leaderboard")
    page.goto(f"/attempts/{world['finished']}/results")
    audit("results of an assignment (key withheld)")

    # A timed attempt at the assignment: the question page with its deadline and countdown.
    page.goto(f"/classes/{world['classroom']}")
    page.get_by_role("button", name=re.compile(r"^Try again: ")).click()
    expect(page.locator("p.deadline")).to_be_visible()
    audit("question page, timed")
    # Nothing chosen: the answer is refused. (An ordering list is an answer as it stands: take it away.)
    page.evaluate("() => document.querySelectorAll('.reorder input[name=response]').forEach(e => e.remove())")
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Your answer was not recorded")
    audit("question page, answer refused")

    # The assignment closes, so its questions may be practised again (while it is open for Sam, practice
    # leaves them out: test_key_side_doors.py); the upcoming one still holds back the FAQs' questions.
    db.session.get(Assignment, world["assignment"]).closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    db.session.remove()

    # The whole article, practised: each question type once, with its feedback; the rest answered behind
    # the scenes.
    page.goto("/quizzes")
    page.get_by_role("button", name=f"Start “{world['whole_title']}”").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    seen: set[str] = set()
    for position, kind in _types_in_order(attempt_id):
        if kind in seen:
            _answer_by_service(attempt_id, position)
            continue
        seen.add(kind)
        page.goto(f"/attempts/{attempt_id}")
        expect(page.locator("#progress-label")).to_contain_text(f"Question {position} of")
        audit(f"question page ({kind.replace('_', ' ')})")
        _answer_current_question(page)
        page.get_by_role("button", name="Submit answer").click()
        expect(page).to_have_url(re.compile(rf"/feedback/{position}$"))
        audit(f"feedback page ({kind.replace('_', ' ')})")
    assert seen == set(QUESTION_TYPES), seen
    page.goto(f"/attempts/{attempt_id}")
    expect(page.get_by_role("heading", name="All questions answered")).to_be_visible()
    audit("all questions answered")
    page.get_by_role("button", name="Finish and see results").click()
    expect(page).to_have_url(re.compile(r"/results$"))
    audit("results")
    page.goto("/history")
    audit("my attempts")
    page.goto("/auth/account")
    audit("my account")
    page.get_by_role("button", name="Change password").click()  # nothing filled in: the form says so
    expect(page.locator(".errors").first).to_be_visible()
    audit("my account, password not changed")

    # Spaced practice: what the quizzes above left due today, a question, its feedback, progress, the limits.
    page.goto("/practice")
    audit("practice today")
    page.get_by_role("link", name="Start practice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice: question 1 of")
    audit("practice question")
    _answer_current_question(page)
    page.get_by_role("button", name="Check answer").click()
    expect(page).to_have_url(re.compile(r"/practice/reviews/\d+"))
    audit("practice feedback")
    page.goto("/progress")
    audit("progress")
    page.goto("/practice/settings")
    audit("practice limits")
    page.get_by_label("Reviews a day").fill("-1")
    page.get_by_role("button", name="Save limits").click()
    expect(page.locator(".errors").first).to_be_visible()
    audit("practice limits, with errors")

    audit.check(expected_pages=40)


def test_every_page_a_teacher_uses_passes_axe(page, world, width):  # noqa: F811 (the imported fixtures)
    audit = Audit(page, "teacher", width)
    own, bundled = world["own"], world["bundled"]
    classroom, assignment = world["classroom"], world["assignment"]

    sign_in(page, TEACHER[0])
    page.goto("/teach/")
    audit("teacher: teaching")
    page.get_by_role("button", name="Create class").click()  # no name: the form says so
    expect(page.locator(".errors")).to_be_visible()
    audit("teacher: teaching, new class with errors")
    page.goto(f"/teach/classes/{classroom}")
    audit("teacher: class page")
    page.goto(f"/teach/classes/{classroom}/assignments/new")
    audit("teacher: assignment form")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".errors").first).to_be_visible()
    audit("teacher: assignment form, with errors")
    page.goto(f"/teach/assignments/{assignment}")
    audit("teacher: assignment statistics")
    page.goto(f"/teach/assignments/{world['own_assignment']}")
    set_one = page.get_by_role("button", name=re.compile(r"^Set difficulty to \d for question \d+$"))
    expect(set_one.first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Correct the difficulty of \d+ questions?$"))).to_be_visible()
    audit("teacher: assignment statistics of an own bank, difficulties to correct")
    page.goto(f"/teach/assignments/{assignment}/edit")
    audit("teacher: change an assignment")
    page.goto(f"/teach/assignments/{assignment}/extend")
    audit("teacher: extend an assignment")
    page.get_by_role("button", name="Extend for this student").click()  # neither a close nor attempts
    expect(page.locator(".errors").first).to_be_visible()
    audit("teacher: extend an assignment, with errors")
    page.goto(f"/teach/classes/{classroom}/gradebook")
    audit("teacher: gradebook")
    page.goto(f"/teach/classes/{classroom}/mastery")
    audit("teacher: class mastery")
    page.goto(f"/teach/classes/{classroom}/practice")
    expect(page.get_by_role("heading", name="Most often forgotten")).to_be_visible()
    audit("teacher: class practice")
    page.goto(f"/teach/classes/{classroom}/students/{world['sam']}")
    audit("teacher: student drill-down")
    page.goto(f"/attempts/{world['finished']}/results")
    audit("teacher: a student's results")
    page.goto(f"/classes/{classroom}/leaderboard")
    audit("teacher: class leaderboard")

    page.goto("/teach/banks")
    audit("teacher: banks")
    page.goto(f"/teach/banks/{bundled}")
    audit("teacher: bundled bank page")
    page.goto(f"/teach/banks/{own}")
    audit("teacher: own bank page")
    page.locator("a.badge.lint").first.click()  # a question the linter warns about
    expect(page.locator("#lint-warnings")).to_be_visible()
    audit("teacher: edit question, with lint warnings")
    page.goto(f"/teach/banks/{own}/questions/new")
    audit("teacher: add a question (choose a type)")
    page.goto(f"/teach/banks/{own}/shares")
    audit("teacher: sharing")
    page.get_by_role("button", name="Share", exact=True).click()  # no username: the form says so
    expect(page.locator(".errors")).to_be_visible()
    audit("teacher: sharing, with errors")
    page.goto(f"/teach/banks/{own}/download")
    audit("teacher: download")
    page.goto(f"/teach/banks/{own}/import")
    audit("teacher: import")
    page.get_by_label("Question file").set_input_files(str(IMPORT_FILE))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name="Could not be carried")).to_be_visible()
    audit("teacher: import preview")
    page.goto(f"/teach/banks/{own}/edit")
    audit("teacher: edit bank")
    page.goto(f"/teach/banks/{own}/delete")
    audit("teacher: delete bank")

    for kind in QUESTION_TYPES:
        page.goto(f"/teach/banks/{own}/questions/new?type={kind}")
        audit(f"teacher: new question ({kind.replace('_', ' ')})")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("teacher: new question, with errors")
    page.get_by_text("Advanced").click()
    page.get_by_label("Question id").fill("Not An Id")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator("details.advanced")).to_have_attribute("open", "")
    audit("teacher: new question, with an error in its id")
    page.goto(f"/teach/banks/{own}/questions/{world['published']}/edit")
    audit("teacher: edit question")
    page.get_by_label("Explanation").fill("")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("teacher: edit question, with errors")
    page.goto(f"/teach/banks/{own}/questions/{world['published']}/preview")
    audit("teacher: preview (own bank)")
    for kind, question_id in sorted(world["by_type"].items()):
        page.goto(f"/teach/banks/{bundled}/questions/{question_id}/preview")
        audit(f"teacher: preview ({kind.replace('_', ' ')})")

    page.goto(f"/teach/banks/{own}/quizzes")
    audit("teacher: quizzes of own bank")
    page.goto(f"/teach/banks/{own}/quizzes?saved={world['own_quiz']}")
    audit("teacher: quizzes of own bank, one just saved")
    page.goto(f"/teach/banks/{bundled}/quizzes")
    audit("teacher: quizzes of bundled bank")
    page.goto(f"/teach/banks/{own}/quizzes/new")
    audit("teacher: new quiz")
    page.get_by_role("button", name="Save quiz").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("teacher: new quiz, with errors")
    page.goto(f"/teach/banks/{own}/quizzes/{world['own_quiz']}/edit")
    audit("teacher: edit quiz")

    page.goto("/teach/banks/from-article")
    audit("teacher: new bank from article")
    page.get_by_label("The article's text").fill(HARBOUR)
    page.get_by_role("button", name="Check the article").click()
    expect(page.get_by_role("heading", name="What the article holds")).to_be_visible()
    audit("teacher: new bank from article, checked")
    page.get_by_label("The article's text").fill(HARBOUR.replace("Key Points", "Key ideas"))
    page.get_by_role("button", name="Check the article").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("teacher: new bank from article, with problems")
    page.goto(f"/teach/banks/{own}/drafts")
    audit("teacher: review drafts")
    page.goto(f"/teach/banks/{own}/update-from-article")
    audit("teacher: update from article")
    page.get_by_label("The article's text").fill(HARBOUR)
    page.get_by_role("button", name="Check the article").click()
    expect(page.get_by_role("heading", name="What updating the bank will change")).to_be_visible()
    audit("teacher: update from article, checked")
    page.goto("/teach/no-such-page")
    audit("teacher: error page (404)")

    # The class's accounts: adding students by name (a wrong paste first), a password reset, the account
    # page with the school's time zone; then a student's first sign-in with a one-time password.
    page.goto(f"/teach/classes/{classroom}/roster/add")
    audit("teacher: add students by name")
    page.get_by_label("Names, one per line").fill("Lee Park\nlee park")
    page.get_by_role("button", name="Add students").click()
    expect(page.locator(".errors")).to_be_visible()
    audit("teacher: add students by name, with errors")
    page.get_by_label("Names, one per line").fill("Lee Park\nNoor Haddad")
    page.get_by_role("button", name="Add students").click()
    expect(page.locator("table.handout")).to_be_visible()
    audit("teacher: new accounts to hand out")
    one_time = page.locator("table.handout tbody tr").first.locator("td").nth(2).inner_text().strip()
    page.goto(f"/teach/classes/{classroom}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Reset password of {CLASSMATE[1]}").click()
    expect(page.locator("#one-time-password")).to_be_visible()
    audit("teacher: one-time password after a reset")
    page.goto("/auth/account")
    audit("teacher: my account, with the school's time zone")
    page.goto("/auth/school-time-zone")
    audit("teacher: the school's time zone")
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("lee.park")
    page.get_by_label("Password").fill(one_time)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/auth/choose-password$"))
    audit("new student: choose a password")
    page.get_by_role("button", name="Save my password").click()
    expect(page.locator(".errors").first).to_be_visible()
    audit("new student: choose a password, with errors")

    # The teacher the bank is shared with, who reads it and can change nothing.
    page.context.clear_cookies()
    sign_in(page, OTHER_TEACHER[0])
    page.goto("/teach/banks")
    expect(page.get_by_role("heading", name="Shared with you")).to_be_visible()
    audit("other teacher: banks, one shared with them")
    page.goto(f"/teach/banks/{own}")
    audit("other teacher: shared bank page")
    # Read-only, the linter's warnings open in place rather than on an edit page (the bundled bank has none).
    page.locator("summary.badge.lint").first.click()
    expect(page.locator("details.lint[open] li").first).to_be_visible()
    audit("other teacher: shared bank page, a question's warnings open")
    page.goto(f"/teach/banks/{own}/download")
    audit("other teacher: download a shared bank")

    audit.check(expected_pages=70)


def test_the_audit_catches_what_it_should(page, live_server):  # noqa: F811 (the imported fixtures)
    """The harness itself: on a page spoiled on purpose, axe runs and the audit reports the violations."""
    audit = Audit(page, "spoiled")
    page.goto("/auth/login")
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" name="unlabelled"><img src="/static/x.png">');
    }""")
    audit("spoiled sign-in page")
    assert any(": label (critical)" in f for f in audit.failures), audit.failures
    assert any(": image-alt (critical)" in f for f in audit.failures), audit.failures

    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<p id=\"main\">again</p>')")
    audit("spoiled again: a repeated id")
    assert any("duplicate-id (serious)" in f and "#main" in f for f in audit.failures), audit.failures
