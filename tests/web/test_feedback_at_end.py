"""Feedback only at the end: answers are saved without a word on how they went, in the pages and the API,
until the attempt is finished; then the results show everything (the assignment rule on the key holds)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Feedback, Question
from tests.support.api_client import CORRECT, WRONG, assert_error
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in

# Right answers for the tiny bank, as choice texts or typed words (see test_quiz_flow.py).
RIGHT = {
    "opened": ["1901"], "cargo": ["Timber", "Grain"], "council": "true", "runner": [" Town COUNCIL. "],
    "order": ["Timber", "Grain", "Salt"], "blanks": ["1901", "wood"],
}


@pytest.fixture
def at_end(tiny_bank):
    """The tiny bank's "everything" quiz (all six, in file order), with feedback at the end."""
    quiz = tiny_bank["everything"]
    quiz.feedback = Feedback.AT_END
    db.session.commit()
    return quiz


def key_texts() -> list[str]:
    """What would give the key away: every explanation and passage of the bank."""
    questions = db.session.scalars(select(Question)).all()
    return [q.explanation for q in questions] + [q.passage for q in questions if q.passage]


def assert_nothing_given_away(text: str) -> None:
    for secret in key_texts():
        assert secret not in text, secret
    for word in ("Correct answer", 'class="verdict', "Right", "Wrong", "Partly right", "points awarded"):
        assert word not in text, word


def question_on(client, attempt_id):
    text = page(client.get(f"/attempts/{attempt_id}"))
    question_id = int(re.search(r'name="question_id" type="hidden" value="(\d+)"', text).group(1))
    item = next(i for i in db.session.get(Attempt, attempt_id).items if i.question_id == question_id)
    return text, item


def test_the_quiz_list_and_the_class_page_say_feedback_comes_at_the_end(app, at_end, classroom, tiny_bank):
    assign(classroom, tiny_bank["two-grain"])
    tiny_bank["two-grain"].feedback = Feedback.AT_END
    db.session.commit()
    member(classroom, "ana")
    ana = signed_in(app, "ana")
    listed = page(ana.get("/quizzes"))
    card = listed[listed.index("<h3>Everything</h3>"):listed.index("Start “Everything”")]
    assert "Feedback at the end:" in card
    # An assignment's card says what this quiz's setting means with the attempts allowed.
    assert "Nothing is shown while you answer. At the end of each attempt" in page(ana.get("/classes"))


def test_answers_are_saved_without_feedback_then_the_results_show_everything(app, at_end, make_user):
    make_user("ana")
    ana = signed_in(app, "ana")
    response = ana.post(f"/quizzes/{at_end.id}/start")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for position in range(1, 7):
        text, item = question_on(ana, attempt_id)
        assert f"Question {position} of 6" in text and "feedback at the end" in text
        assert_nothing_given_away(text)
        right = RIGHT[item.question.key]
        saved = ana.post(f"/attempts/{attempt_id}/answer", data={"question_id": item.question_id,
                                                                 "response": raw_for(item, right)})
        assert saved.status_code == 302 and saved.headers["Location"] == f"/attempts/{attempt_id}"
        # No feedback page to be had, even by asking for it.
        peek = ana.get(f"/attempts/{attempt_id}/feedback/{position}")
        assert peek.status_code == 302 and peek.headers["Location"] == f"/attempts/{attempt_id}"
        again = ana.post(f"/attempts/{attempt_id}/answer", data={"question_id": item.question_id,
                                                                 "response": raw_for(item, right)})
        assert again.headers["Location"] == f"/attempts/{attempt_id}"
    done = page(ana.get(f"/attempts/{attempt_id}"))
    assert "All questions answered" in done
    assert_nothing_given_away(done)
    assert_nothing_given_away(page(ana.get("/history")))
    assert ana.get(f"/attempts/{attempt_id}/results").headers["Location"] == f"/attempts/{attempt_id}"

    ana.post(f"/attempts/{attempt_id}/finish")
    results = page(ana.get(f"/attempts/{attempt_id}/results"))
    assert results.count('class="verdict right"') == 6 and "Correct answer" in results
    for secret in key_texts():
        assert secret in results, secret
    feedback = page(ana.get(f"/attempts/{attempt_id}/feedback/1"))
    assert "Correct answer" in feedback and "The text says it opened in 1901." in feedback


def test_an_attempt_keeps_the_timing_it_began_with_when_the_quiz_changes(app, at_end, make_user):
    """Changing a quiz (its owner may not be the teacher who set it) must not open held feedback."""
    make_user("ana")
    ana = signed_in(app, "ana")
    attempt_id = int(ana.post(f"/quizzes/{at_end.id}/start").headers["Location"].rsplit("/", 1)[1])
    _, item = question_on(ana, attempt_id)
    ana.post(f"/attempts/{attempt_id}/answer",
             data={"question_id": item.question_id, "response": raw_for(item, RIGHT[item.question.key])})
    at_end.feedback = Feedback.AFTER_EACH
    db.session.commit()
    assert ana.get(f"/attempts/{attempt_id}/feedback/1").headers["Location"] == f"/attempts/{attempt_id}"
    assert_nothing_given_away(page(ana.get(f"/attempts/{attempt_id}")))


def test_a_wrong_answer_says_answer_saved_and_shows_the_next_question(app, at_end, make_user):
    make_user("ana")
    ana = signed_in(app, "ana")
    attempt_id = int(ana.post(f"/quizzes/{at_end.id}/start").headers["Location"].rsplit("/", 1)[1])
    _, item = question_on(ana, attempt_id)
    response = ana.post(f"/attempts/{attempt_id}/answer",
                        data={"question_id": item.question_id, "response": raw_for(item, ["1899"])})
    text = page(ana.get(response.headers["Location"]))
    assert "Answer saved." in text and "Question 2 of 6" in text
    assert_nothing_given_away(text)
    ana.post(f"/attempts/{attempt_id}/finish")
    results = page(ana.get(f"/attempts/{attempt_id}/results"))
    assert 'class="verdict wrong"' in results and results.count('class="verdict unanswered"') == 5
    assert "The text says it opened in 1901." in results
    assert '<blockquote class="passage">The harbour opened in 1901.</blockquote>' in results


def test_in_an_assignment_the_key_still_waits_for_the_last_attempt(app, at_end, classroom):
    assignment = assign(classroom, at_end, attempts_allowed=2)
    member(classroom, "ana")
    ana = signed_in(app, "ana")
    attempt_id = int(ana.post(f"/assignments/{assignment.id}/start").headers["Location"].rsplit("/", 1)[1])
    _, item = question_on(ana, attempt_id)
    saved = ana.post(f"/attempts/{attempt_id}/answer",
                     data={"question_id": item.question_id, "response": raw_for(item, ["1899"])})
    assert_nothing_given_away(page(ana.get(saved.headers["Location"])))
    ana.post(f"/attempts/{attempt_id}/finish")
    results = page(ana.get(f"/attempts/{attempt_id}/results"))
    assert 'class="verdict wrong"' in results  # how it went, now that it is finished
    assert "Correct answer" not in results and "The text says it opened in 1901." not in results
    assert 'class="passage"' not in results and "once it closes" in results


def test_the_class_page_counts_no_answer_of_an_unfinished_attempt(app, at_end, classroom):
    """Mastery on the class page would otherwise say, answer by answer, whether each was right."""
    assignment = assign(classroom, at_end, attempts_allowed=1)
    member(classroom, "ana")
    ana = signed_in(app, "ana")
    attempt_id = int(ana.post(f"/assignments/{assignment.id}/start").headers["Location"].rsplit("/", 1)[1])
    _, item = question_on(ana, attempt_id)
    ana.post(f"/attempts/{attempt_id}/answer",
             data={"question_id": item.question_id, "response": raw_for(item, RIGHT[item.question.key])})
    assert " right)" not in page(ana.get(f"/classes/{classroom.id}"))
    ana.post(f"/attempts/{attempt_id}/finish")
    assert "(1 of 1 right)" in page(ana.get(f"/classes/{classroom.id}"))


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_saves_answers_without_feedback_until_the_attempt_is_finished(at_end, ana):
    listed = {q["id"]: q for q in ana.get("/quizzes").get_json()["quizzes"]}
    assert listed[at_end.id]["feedback"] == "at_end"
    attempt = ana.start(at_end)
    assert attempt["feedback"] == "at_end"
    for position in range(1, 7):
        question = ana.current(attempt["id"])
        response = (WRONG if position == 1 else CORRECT)[question["type"]](question)
        saved = ana.answer(attempt["id"], question["question_id"], response)
        assert saved.status_code == 201
        body = saved.get_json()
        assert set(body) == {"question_id", "position", "total", "response", "seconds", "feedback"}
        assert body["feedback"] == "at_end" and body["position"] == position
        assert_nothing_given_away(saved.get_data(as_text=True))
        assert_error(ana.answer(attempt["id"], question["question_id"], response), 409, "already_answered")
        assert_nothing_given_away(ana.get(f"/attempts/{attempt['id']}").get_data(as_text=True))
    assert_error(ana.get(f"/attempts/{attempt['id']}/result"), 409, "attempt_not_finished")

    result = ana.finish(attempt["id"])
    assert not result["key_withheld"] and result["score"] == 6
    first = result["questions"][0]
    assert first["correct"] is False and first["correct_answer"] == ["1901"]
    assert first["explanation"] == "The text says it opened in 1901."
    assert first["passage"] == "The harbour opened in 1901."
    assert all(q["correct"] for q in result["questions"][1:])
    assert ana.get(f"/attempts/{attempt['id']}/result").get_json() == result


def test_after_each_question_the_api_still_gives_feedback_at_once(tiny_bank, ana):
    attempt = ana.start(tiny_bank["everything"])
    assert attempt["feedback"] == "after_each"
    question = ana.current(attempt["id"])
    feedback = ana.answer_correctly(attempt["id"], question)
    assert feedback["feedback"] == "after_each" and feedback["correct"] is True
    assert feedback["correct_answer"] == ["1901"] and feedback["explanation"]
