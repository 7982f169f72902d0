"""An assignment's key stays hidden until the student is done with it: no practice run of an
assigned quiz, and no correct answers between attempts while more are allowed."""

from datetime import timedelta

from quizapp.extensions import db
from quizapp.models import Attempt, utcnow
from quizapp.services import attempts
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in


def test_an_assigned_quiz_is_not_offered_for_practice_until_it_closes(app, classroom, tiny_bank):
    quiz = tiny_bank["everything"]
    assignment = assign(classroom, quiz, opens=utcnow() + timedelta(days=1), closes=utcnow() + timedelta(days=2))
    member(classroom, "ana")
    ana = signed_in(app, "ana")
    listed = page(ana.get("/quizzes"))
    assert "Start “Everything”" not in listed
    # "Two on cargo" draws only questions "Everything" can ask: listed, with every question left out.
    assert "Waiting for your assignments" in listed and "Two on cargo <span class=\"meta\">· 2 questions" in listed
    refused = ana.post(f"/quizzes/{quiz.id}/start")
    assert refused.headers["Location"] == "/classes"
    assert "take it from the class page" in page(ana.get("/classes"))
    assert db.session.query(Attempt).count() == 0

    assignment.opens_at, assignment.closes_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    db.session.commit()
    assert "Start “Everything”" in page(ana.get("/quizzes")) and "Start “Two on cargo”" in page(ana.get("/quizzes"))


def test_the_api_refuses_a_practice_run_of_an_assigned_quiz(app, classroom, tiny_bank, log_in):
    quiz = tiny_bank["everything"]
    assign(classroom, quiz)
    student = log_in("ana")
    from quizapp.models import User
    from quizapp.services import classrooms

    classrooms.join(db.session.query(User).filter_by(username="ana").one(), classroom.join_code)
    listed = [q["id"] for q in student.get("/quizzes").get_json()["quizzes"]]
    assert quiz.id not in listed
    response = student.post(f"/quizzes/{quiz.id}/attempts")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "quiz_assigned"


def answer_first(client, attempt_id):
    attempt = db.session.get(Attempt, attempt_id)
    item = attempt.items[0]
    assert item.question.key == "opened"
    response = client.post(f"/attempts/{attempt_id}/answer",
                           data={"question_id": item.question_id, "response": raw_for(item, ["1899"])})
    return page(client.get(response.headers["Location"]))


def start(client, assignment) -> int:
    response = client.post(f"/assignments/{assignment.id}/start")
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_between_attempts_the_key_is_withheld_then_shown_when_none_is_left(app, classroom, tiny_bank):
    tiny_bank["everything"].shuffle = False
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=2)
    member(classroom, "ana")
    ana = signed_in(app, "ana")

    first = start(ana, assignment)
    feedback = answer_first(ana, first)
    assert "Wrong" in feedback and "Correct answer" not in feedback and "1901" not in feedback
    assert "The text says it opened in 1901." not in feedback and "once it closes" in feedback
    ana.post(f"/attempts/{first}/finish")
    results = page(ana.get(f"/attempts/{first}/results"))
    assert "Correct answer" not in results and "once it closes" in results and "1901" not in results

    second = start(ana, assignment)
    feedback = answer_first(ana, second)
    assert "Correct answer" in feedback and "The text says it opened in 1901." in feedback
    assert "Correct answer" in page(ana.get(f"/attempts/{first}/results"))


def test_the_key_is_shown_once_the_assignment_closes_and_always_to_the_teacher(app, teacher, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"])
    ana = member(classroom, "ana")
    attempt = attempts.start_assignment_attempt(ana, assignment)
    attempts.finish_attempt(attempt)
    client = signed_in(app, "ana")
    assert "Correct answer" not in page(client.get(f"/attempts/{attempt.id}/results"))
    assert "Correct answer" in page(signed_in(app, "tina").get(f"/attempts/{attempt.id}/results"))
    assignment.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Correct answer" in page(client.get(f"/attempts/{attempt.id}/results"))


def test_the_api_withholds_the_key_in_feedback_and_results(app, classroom, tiny_bank, log_in):
    assignment = assign(classroom, tiny_bank["everything"])
    student = log_in("ana")
    from quizapp.models import User
    from quizapp.services import classrooms

    classrooms.join(db.session.query(User).filter_by(username="ana").one(), classroom.join_code)
    attempt = student.post(f"/assignments/{assignment.id}/attempts").get_json()
    question = student.current(attempt["id"])
    assert question["type"] == "single_choice"  # "everything" asks in file order
    feedback = student.answer(attempt["id"], question["question_id"], "3").get_json()  # 1899: wrong
    assert feedback["key_withheld"] and feedback["correct_answer"] is None and feedback["explanation"] is None
    assert feedback["passage"] is None and feedback["source"]["title"] == "" and "1901" not in str(feedback)
    result = student.finish(attempt["id"])
    assert result["key_withheld"] and all(q["correct_answer"] is None for q in result["questions"])
