"""Mastery bars say what each part of the text is about: by its text where the reader may see it, else by a
question the student was asked on it, with why the text is held back."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Bank, utcnow
from quizapp.services import attempts, classrooms
from tests.support.builders import any_response, assign, member
from tests.support.pages import page, signed_in


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())


def _take(student, assignment):
    attempt = attempts.start_assignment_attempt(student, assignment)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)


def _titles(tiny_bank) -> dict[str, str]:
    bank = db.session.scalar(select(Bank).where(Bank.id == tiny_bank["everything"].bank_id))
    return {p.reference: p.title for p in bank.parts}


def test_a_withheld_part_is_named_by_a_question_the_student_answered_and_says_why(app, classroom, tiny_bank):
    """One attempt of three at an open assignment: the key is withheld, so is the text of its parts."""
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=3)
    ana = member(classroom, "ana")
    _take(ana, assignment)
    text = words(signed_in(app, "ana").get(f"/classes/{classroom.id}"))
    titles = _titles(tiny_bank)
    assert titles["key_point 1"] not in text and titles["key_point 2"] not in text
    assert "Key point 1: asked “When did the harbour open?”" in text
    assert ("Key point 1, Key point 2, FAQ 1, Section 1: their text is held back while a quiz on them is still "
            "open for you, because the text could give an answer away.") in text


def test_a_part_the_student_may_read_is_named_by_its_text(app, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=9),
                        closes=utcnow() + timedelta(days=1))
    ana = member(classroom, "ana")
    _take(ana, assignment)
    assignment.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    text = words(signed_in(app, "ana").get(f"/classes/{classroom.id}"))
    assert f"Key point 2: {_titles(tiny_bank)['key_point 2']}" in text
    assert "held back" not in text


def test_the_teacher_reads_each_part_by_its_text(app, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=3)
    ana = member(classroom, "ana")
    _take(ana, assignment)
    client = signed_in(app, "tina")
    for path in (f"/teach/classes/{classroom.id}/mastery", f"/teach/classes/{classroom.id}/students/{ana.id}"):
        text = words(client.get(path))
        assert "FAQ 1: Who runs the harbour?" in text and "Section 1: The harbour" in text, path
        assert "held back" not in text, path


def test_parts_withheld_by_another_class_are_explained_too(app, teacher, classroom, tiny_bank):
    earlier = assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=9),
                     closes=utcnow() + timedelta(days=1))
    ana = member(classroom, "ana")
    _take(ana, earlier)
    earlier.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    other = classrooms.create_classroom(teacher, "Year 11")
    classrooms.join(ana, other.join_code)
    assign(other, tiny_bank["two-grain"])
    text = words(signed_in(app, "ana").get(f"/classes/{classroom.id}"))
    assert _titles(tiny_bank)["key_point 2"] not in text
    assert "Key point 2: asked “Put the cargo in the order the text names it.”" in text
    assert "Key point 2: its text is held back while a quiz on it is still open for you" in text
    assert f"Key point 1: {_titles(tiny_bank)['key_point 1']}" in text
