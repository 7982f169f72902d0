"""End-to-end tests of the accounts a teacher manages, in real Chromium on the live server with CSRF on:
resetting a student's password from the class page and the student's first sign-in with the one-time
password (at a desktop's width and a phone's); adding students by pasting their names, a wrong paste
first; and the first teacher choosing the school's time zone, with script (the browser's zone is offered)
and without.

The fixtures come from conftest.py, with its skip-or-fail rule. QUIZAPP_SCREENSHOT_DIR, if set,
receives the pages along the way.
"""

from __future__ import annotations

import re

import pytest

from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import classrooms, school, users
from tests import support
from tests.support.browser import TIMEOUT_MS, _screenshot, expect, sign_in
from tests.support.builders import member

pytestmark = pytest.mark.browser

WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
NEW_PASSWORD = "a password of my own"


@pytest.fixture
def school_class(app):
    """Tina's class with Ana in it; its id."""
    tina = users.create_user("tina", "Tina Teacher", support.PASSWORD, Role.TEACHER)
    classroom = classrooms.create_classroom(tina, "Year 8 Science")
    member(classroom, "ana", "Ana Lima")
    classroom_id = classroom.id
    db.session.remove()
    return classroom_id


def new_page(browser, live_server, **options):  # noqa: F811 (the imported fixtures)
    context = browser.new_context(base_url=live_server, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sign_in_once(page, username: str, password: str) -> None:
    """Sign in with a one-time password: the next page is the one to choose a password on."""
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/auth/choose-password$"))


def choose_password(page, shots: str) -> None:
    """On the choose-password page: nothing else opens, a mismatch is refused, then the password is chosen."""
    page.goto("/quizzes")
    expect(page).to_have_url(re.compile(r"/auth/choose-password$"))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    _screenshot(page, f"{shots}-choose-password.png")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill("not the same one")
    page.get_by_role("button", name="Save my password").click()
    expect(page.locator(".errors")).to_contain_text("The passwords do not match.")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text("Your password is saved.")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_reset_password_and_the_students_first_sign_in(browser, live_server, csrf, school_class, width):  # noqa: F811 (fixtures)
    teacher = new_page(browser, live_server, viewport=WIDTHS[width])
    sign_in(teacher, "tina")
    teacher.goto(f"/teach/classes/{school_class}")
    _screenshot(teacher, f"accounts-{width}-class.png")
    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.get_by_role("button", name="Reset password of Ana Lima").click()
    expect(teacher.get_by_role("heading", name="New one-time password for Ana Lima")).to_be_visible()
    code = teacher.locator("#one-time-password").inner_text().strip()
    assert CODE.match(code), code
    expect(teacher.locator("#handout-username")).to_have_text("ana")
    assert teacher.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    _screenshot(teacher, f"accounts-{width}-reset.png")
    teacher.context.close()

    student = new_page(browser, live_server, viewport=WIDTHS[width])
    student.goto("/auth/login")
    student.get_by_label("Username").fill("ana")
    student.get_by_label("Password").fill(support.PASSWORD)
    student.get_by_role("button", name="Sign in").click()
    expect(student.locator(".errors")).to_contain_text("Wrong username or password.")
    sign_in_once(student, "ana", code.lower())
    choose_password(student, f"accounts-{width}")
    student.context.close()


def test_pasting_a_roster_makes_accounts_to_hand_out(browser, live_server, csrf, school_class):  # noqa: F811
    teacher = new_page(browser, live_server, viewport=WIDTHS["1280"])
    sign_in(teacher, "tina")
    teacher.goto(f"/teach/classes/{school_class}")
    teacher.get_by_label("Names, one per line").fill("Zoë Müller\nBo Chen\nzoë müller\n")
    teacher.get_by_role("button", name="Add students").click()
    expect(teacher.get_by_role("alert")).to_contain_text("Nobody was added")
    expect(teacher.locator(".errors")).to_contain_text("Line 3 repeats line 1 (zoë müller).")
    _screenshot(teacher, "accounts-roster-errors.png")
    teacher.get_by_label("Names, one per line").fill("Zoë Müller\nBo Chen\nAna Lima\n")
    teacher.get_by_role("button", name="Add students").click()
    expect(teacher.get_by_role("heading", name="New accounts in Year 8 Science")).to_be_visible()
    rows = teacher.locator("table.handout tbody tr")
    expect(rows).to_have_count(3)
    handouts = [[cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()] for i in range(3)]
    assert [(name, username) for name, username, _ in handouts] == [
        ("Zoë Müller", "zoe.muller"), ("Bo Chen", "bo.chen"), ("Ana Lima", "ana.lima")]
    assert all(CODE.match(password) for _, _, password in handouts)
    expect(teacher.get_by_role("button", name="Print")).to_be_visible()
    _screenshot(teacher, "accounts-roster-1280.png")
    teacher.set_viewport_size(WIDTHS["390"])
    assert teacher.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    _screenshot(teacher, "accounts-roster-390.png")
    teacher.goto(f"/teach/classes/{school_class}")
    expect(teacher.get_by_role("heading", name="Students (4)")).to_be_visible()
    teacher.context.close()

    student = new_page(browser, live_server, viewport=WIDTHS["390"])
    name, username, password = handouts[0]
    sign_in_once(student, username, password)
    choose_password(student, "accounts-roster")
    student.goto("/classes")
    expect(student.get_by_role("main")).to_contain_text("Year 8 Science")
    student.context.close()


@pytest.mark.parametrize("script", [True, False], ids=["with script", "without script"])
def test_the_first_teacher_chooses_the_school_time_zone(app, browser, live_server, csrf, monkeypatch, script):  # noqa: F811
    monkeypatch.setitem(app.config, "ASK_SCHOOL_TIME_ZONE", True)
    users.create_user("tina", "Tina Teacher", support.PASSWORD, Role.TEACHER)
    db.session.remove()
    page = new_page(browser, live_server, viewport=WIDTHS["390"], timezone_id="Asia/Tokyo",
                    java_script_enabled=script)
    page.goto("/auth/login?next=/teach/")
    page.get_by_label("Username").fill("tina")
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/auth/school-time-zone\?next=/teach/$"))
    field = page.get_by_label("Time zone")
    if script:
        expect(field).to_have_value("Asia/Tokyo")
        expect(page.get_by_text("Suggested from this computer's clock")).to_be_visible()
    else:
        expect(field).to_have_value("UTC")
        field.fill("Europe/Pari")
        page.get_by_role("button", name="Save the time zone").click()
        expect(page.locator(".errors")).to_contain_text("not a time zone this server knows")
        field.fill("Asia/Tokyo")
    _screenshot(page, f"accounts-zone-{'js' if script else 'nojs'}.png")
    page.get_by_role("button", name="Save the time zone").click()
    expect(page).to_have_url(re.compile(r"/teach/$"))
    expect(page.get_by_role("status")).to_contain_text("Times are now typed and shown in Asia/Tokyo.")
    assert school.time_zone() == "Asia/Tokyo"
    db.session.remove()
    page.context.close()
