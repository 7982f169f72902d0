"""A student's Quizzes page shows the quizzes their classes set, open or upcoming, with their state, above
the quizzes to practise: an assigned quiz used to vanish from it without a word, even before it opened."""

from __future__ import annotations

import re
from datetime import timedelta

from quizapp.extensions import db
from quizapp.models import utcnow
from quizapp.services import attempts
from tests.support.builders import assign, member
from tests.support.pages import page, signed_in


def _cards(html: str) -> list[str]:
    section = html.split('id="assigned-heading"', 1)[1].split('id="practice-heading"', 1)[0]
    return re.findall(r'<li class="card assignment (\w+)">(.*?)</li>', section, re.DOTALL)


def test_open_and_upcoming_assignments_are_listed_with_their_state(app, teacher, classroom, tiny_bank):
    now = utcnow()
    assign(classroom, tiny_bank["everything"], closes=now + timedelta(days=2), attempts_allowed=2)
    assign(classroom, tiny_bank["two-grain"], opens=now + timedelta(days=1), closes=now + timedelta(days=3))
    member(classroom, "ana")
    html = page(signed_in(app, "ana").get("/quizzes"))
    cards = _cards(html)
    assert [state for state, _ in cards] == ["open", "upcoming"]
    everything, cargo = (text for _, text in cards)
    assert "Everything" in everything and "Open" in everything and "Year 10 History" in everything
    assert "0 of 2 attempts used" in everything and "Start: Everything" in everything
    assert "Two on cargo" in cargo and "Upcoming" in cargo and "Opens" in cargo and "Start:" not in cargo
    # Still not practice: the assigned quiz has no practice card.
    assert "Start “Everything”" not in html


def test_a_finished_or_closed_assignment_leaves_the_list(app, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=1)
    ana = member(classroom, "ana")
    client = signed_in(app, "ana")
    attempts.finish_attempt(attempts.start_assignment_attempt(ana, assignment))
    assert 'id="assigned-heading"' not in page(client.get("/quizzes"))
    assignment.attempts_allowed = None
    db.session.commit()
    assert [state for state, _ in _cards(page(client.get("/quizzes")))] == ["open"]
    assignment.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert 'id="assigned-heading"' not in page(client.get("/quizzes"))


def test_a_student_without_a_class_sees_practice_only(app, student, tiny_bank, client):
    html = page(client.get("/quizzes"))
    assert 'id="assigned-heading"' not in html and "Start “Everything”" in html
