"""In Chromium, at a desktop's and a phone's width: a teacher changes an assignment, extends it for one
student, closes it early and deletes it (archived, since it was answered), confirming each destructive step,
then restores it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import Assignment, AssignmentExtension, utcnow
from quizapp.services import attempts
from tests.support.browser import _screenshot, expect, sign_in
from tests.support.builders import any_response, assign, member

pytestmark = pytest.mark.browser

WIDTHS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_teacher_runs_an_assignment_after_setting_it(page, teacher, classroom, tiny_bank, width):  # noqa: F811
    page.set_viewport_size(WIDTHS[width])
    ana = member(classroom, "ana", "Ana Lima")
    member(classroom, "ben", "Ben Okafor")
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=1,
                        closes=utcnow() + timedelta(days=2))
    attempt = attempts.start_assignment_attempt(ana, assignment)
    item = attempt.items[0]
    attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)
    assignment_id, classroom_id, ana_id = assignment.id, classroom.id, ana.id
    db.session.remove()

    def look(name: str) -> None:
        assert page.evaluate(SIDEWAYS) <= 0, f"{name} scrolls sideways at {width} px"
        _screenshot(page, f"assign-manage-{width}-{name}.png")

    sign_in(page, "tina")
    page.goto(f"/teach/assignments/{assignment_id}")
    look("assignment")
    page.get_by_role("link", name="Change", exact=True).click()
    expect(page.get_by_role("heading", name="Change the assignment of Everything")).to_be_visible()
    expect(page.get_by_text("can no longer be swapped")).to_be_visible()  # ana has answered
    page.get_by_label("Time limit (minutes)").fill("25")
    look("change")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved the changes to the assignment.")).to_be_visible()
    expect(page.get_by_text("25 min limit")).to_be_visible()

    page.get_by_role("link", name="Extend", exact=True).click()
    page.get_by_label("Student", exact=True).select_option(label="Ana Lima")
    page.get_by_label("Extra attempts").fill("1")
    look("extend")
    page.get_by_role("button", name="Extend for this student").click()
    expect(page.get_by_text("Extended the assignment for Ana Lima.")).to_be_visible()
    expect(page.get_by_role("cell", name="Ana Lima", exact=True)).to_be_visible()
    look("extended")

    page.goto(f"/teach/assignments/{assignment_id}")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_text("Closed the assignment")).to_be_visible()
    expect(page.get_by_role("button", name="Close now")).to_have_count(0)

    # Dismissing the confirmation deletes nothing.
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(rf"/teach/assignments/{assignment_id}$"))
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Archived the assignment of Everything")).to_be_visible()
    expect(page.get_by_role("heading", name="Archived")).to_be_visible()
    look("archived")
    page.get_by_role("button", name="Restore Everything").click()
    expect(page.get_by_text("Restored the assignment of Everything")).to_be_visible()
    expect(page.get_by_role("heading", name="Archived")).to_have_count(0)

    restored = db.session.get(Assignment, assignment_id)
    assert restored.archived_at is None and restored.time_limit_minutes == 25 and restored.closes_at <= utcnow()
    extension = db.session.query(AssignmentExtension).one()
    assert (extension.user_id, extension.extra_attempts, extension.closes_at) == (ana_id, 1, None)
    assert restored.classroom_id == classroom_id
    db.session.remove()
