"""The teacher setting an assignment, and the student taking it, are told what the student will see of
their answers and when: the quiz's feedback setting used to be overridden in silence ("after each
question" became right or wrong only while attempts were left)."""

from __future__ import annotations

import re

import pytest

from quizapp.domain.assignment_feedback import assignment_feedback
from quizapp.extensions import db
from quizapp.models import Feedback
from tests.support.builders import assign, member
from tests.support.pages import csrf_token, page, signed_in


@pytest.mark.parametrize(("feedback", "attempts", "says", "never"), [
    ("after_each", 1, "right or wrong, the correct answer and the explanation", "only"),
    ("after_each", 3, "right or wrong only. The correct answers and explanations are shown once the quiz closes "
                      "or a student has used every attempt", "Nothing"),
    ("after_each", None, "right or wrong only. The correct answers and explanations are shown once the quiz "
                         "closes, so that", "every attempt"),
    ("at_end", 1, "Nothing is shown while students answer. At the end: their score, right or wrong for each "
                  "question, the correct answers", "closes"),
    ("at_end", None, "At the end of each attempt: their score and right or wrong for each question. The correct "
                     "answers and explanations are shown once the quiz closes", "every attempt"),
])
def test_the_rule_in_plain_words(feedback, attempts, says, never):
    text = assignment_feedback(feedback, attempts)
    assert says in text and never not in text


def test_the_student_is_spoken_to():
    assert assignment_feedback("after_each", 2, student=True).endswith(
        "shown once the quiz closes or you have used every attempt, so that you cannot copy them into another "
        "attempt.")


def test_the_assign_form_lists_every_case_and_names_each_quizs_setting(app, teacher, classroom, tiny_bank):
    tiny_bank["two-grain"].feedback = Feedback.AT_END
    db.session.commit()
    form = page(signed_in(app, "tina").get(f"/teach/classes/{classroom.id}/assignments/new"))
    section = form[form.index('id="what-students-see"'):form.index("</section>")]
    assert len(re.findall(r'data-case="(after_each|at_end) (one|several|any)"', section)) == 6
    assert assignment_feedback("after_each", None) in section and assignment_feedback("at_end", 1) in section
    modes = re.search(r"data-feedback='([^']+)'", form).group(1)
    assert f'"{tiny_bank["two-grain"].id}": "at_end"' in modes
    assert f'"{tiny_bank["everything"].id}": "after_each"' in modes


def test_the_assignment_page_and_the_students_card_say_what_applies(app, teacher, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=2)
    member(classroom, "ana")
    teacher_page = page(signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}"))
    assert assignment_feedback("after_each", 2) in teacher_page
    assert assignment_feedback("after_each", 2, student=True) in page(signed_in(app, "ana").get("/classes"))


def test_a_form_sent_with_an_error_keeps_the_rules(app, teacher, classroom, tiny_bank):
    client = signed_in(app, "tina")
    token = csrf_token(client.get(f"/teach/classes/{classroom.id}/assignments/new").text)
    response = client.post(f"/teach/classes/{classroom.id}/assignments/new",
                           data={"csrf_token": token, "quiz_id": tiny_bank["everything"].id})
    assert response.status_code == 400 and 'id="what-students-see"' in response.text
