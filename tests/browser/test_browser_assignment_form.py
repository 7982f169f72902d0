"""In Chromium: the assignment form shows the one sentence of "What students will see" that fits the quiz
chosen and the attempts typed, and follows them as they change."""

from __future__ import annotations

import pytest

from quizapp.domain.assignment_feedback import assignment_feedback
from quizapp.extensions import db
from quizapp.models import Feedback
from tests.support.browser import expect, sign_in

pytestmark = pytest.mark.browser


def test_what_students_will_see_follows_the_form(page, teacher, classroom, tiny_bank):  # noqa: F811
    tiny_bank["two-grain"].feedback = Feedback.AT_END
    db.session.commit()
    classroom_id = classroom.id
    db.session.remove()
    sign_in(page, "tina")
    page.goto(f"/teach/classes/{classroom_id}/assignments/new")
    shown = page.locator(".feedback-rules [data-case]:visible dd")

    page.get_by_label("Quiz").select_option(label=page.get_by_label("Quiz").locator("option", has_text="Everything")
                                            .first.inner_text())
    expect(shown).to_have_count(1)
    expect(shown).to_have_text(assignment_feedback("after_each", None))
    page.get_by_label("Attempts allowed").fill("1")
    expect(shown).to_have_text(assignment_feedback("after_each", 1))
    page.get_by_label("Quiz").select_option(label=page.get_by_label("Quiz").locator("option", has_text="Two on cargo")
                                            .first.inner_text())
    expect(shown).to_have_text(assignment_feedback("at_end", 1))
    page.get_by_label("Attempts allowed").fill("4")
    expect(shown).to_have_text(assignment_feedback("at_end", 3))
