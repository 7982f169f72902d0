"""The assignment's statistics as a teacher reads them, and accepting a typed answer as correct.

A class of five (enough attempts for statistics) takes "Everything" from the teacher's copy of the tiny
bank, in order: opened (single choice), cargo (multiple select, 2 points), council (true/false), runner
(short answer: "The town council"), order (ordering), blanks (cloze: "1901", "timber" or "wood").
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Answer, AssignmentResult, Attempt, ClassStanding, Question, Quiz, Role
from quizapp.services import attempts
from quizapp.services.banks import sharing
from tests.support import PASSWORD
from tests.support.api_client import Student, basic, bearer
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in

RESPONSES = {  # per student: what they give to runner and blanks; the rest they answer right
    "ana": ("The town council", ["1901", "timber"]),
    "ben": ("the Mayor", ["1901", "lumber"]),
    "cat": ("The mayor!", ["1910", "Lumber"]),
    "dan": ("town council", ["1901", "wood"]),
    "eve": ("harbour master", ["1901", "grain"]),
}


def _answer(attempt, item, typed):
    question = item.question
    if question.key == "runner":
        raw = [typed[0]]
    elif question.key == "blanks":
        raw = typed[1]
    elif question.key == "opened":
        raw = raw_for(item, ["1901"])
    elif question.key == "cargo":
        raw = raw_for(item, ["Timber", "Grain"])
    elif question.key == "council":
        raw = ["true"]
    else:
        raw = raw_for(item, ["Timber", "Grain", "Salt"])
    attempts.record_answer(attempt, item.question_id, raw)


def _class_takes(classroom, quiz, names=RESPONSES):
    assignment = assign(classroom, quiz)
    for name in names:
        student = member(classroom, name)
        attempt = attempts.start_assignment_attempt(student, assignment)
        for item in attempt.items:
            _answer(attempt, item, RESPONSES[name])
        attempts.finish_attempt(attempt)
    return assignment


@pytest.fixture
def own_quiz(teacher, tiny_bank):
    copy = sharing.copy_bank(tiny_bank["everything"].bank, teacher)
    return db.session.scalar(select(Quiz).where(Quiz.bank_id == copy.id, Quiz.key == "everything"))


def _question(quiz, key) -> Question:
    return db.session.scalar(select(Question).where(Question.bank_id == quiz.bank_id, Question.key == key))


def words(response, status: int = 200) -> str:
    """What a person reads on the page: its text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page(response, status)).split())


def _scores(assignment) -> dict[str, float]:
    db.session.expire_all()
    return {a.user.username: a.score for a in db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id))}


def test_the_page_explains_each_question_in_plain_words(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    text = words(signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}"))
    # Questions by their text, with the part of the text they are drawn from; ids second.
    assert "Q1 When did the harbour open? Key point 1: The harbour opened in 1901. · Single choice · id opened" in text
    assert "Q6 Fill in the blanks. The harbour opened in ___ and ships unload ___." in text
    # Right choices are marked in words as well as colour.
    assert "✓ 1901: 5 right answer 1910: 0 1899: 0" in text
    assert "✓ Timber: 5 right answer ✓ Grain: 5 right answer Coal: 0 Oil: 0" in text
    # Everyone got the single choice right: the advice says so and what to do.
    assert "Questions to look at" in text
    assert "Almost everyone got this right: 100% of its points were earned." in text
    assert "Nobody picked “1910” or “1899”." in text
    assert "Mean" in text and "of 5 attempts needed" not in text


def test_too_few_attempts_show_counts_and_no_percentages_or_advice(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz, ["ana", "ben"])
    response = signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}")
    text = words(response)
    assert 'id="facility"' not in page(response), "no facility chart"
    assert "2 of 5 attempts needed before statistics mean something" in text
    assert "Mean" not in text and "Cronbach" not in text
    assert "Questions to look at" not in text
    assert text.count("2 of 5 attempts needed") == 1 + 6, "once at the top, once per question"
    assert "“the Mayor”" in text, "what was typed is listed even so"


def test_typed_answers_are_listed_with_counts_as_grading_compares_them(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    text = words(signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}"))
    assert "What students typed" in text
    # "the Mayor" and "The mayor!" are one answer to grading, shown as typed (of equals, the first); so are
    # "The town council" and "town council". Near misses come first, most typed first, then the right ones.
    assert ("“The mayor!” 2 times ✗ not accepted Accept “The mayor!” as correct also regrade answers already "
            "given in your classes “harbour master” 1 time ✗ not accepted") in text
    assert "“The town council” 2 times ✓ accepted" in text
    assert text.index("“harbour master”") < text.index("“The town council” 2 times")
    assert "Accept “The town council” as correct" not in text, "an accepted answer needs no button"
    assert "Blank 2 “Lumber” 2 times ✗ not accepted" in text


def test_accepting_without_regrade_makes_a_new_version_and_leaves_marks_alone(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    runner = _question(own_quiz, "runner")
    before, version = _scores(assignment), runner.version
    client = signed_in(app, "tina")
    response = client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept",
                           data={"answer": "The mayor!"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teach/assignments/{assignment.id}#typed-{runner.id}")
    db.session.expire_all()
    runner = db.session.get(Question, runner.id)
    assert runner.version == version + 1
    assert runner.spec["accepted"] == ["The town council", "town council", "The mayor!"]
    assert _scores(assignment) == before
    given = db.session.scalars(select(Answer).where(Answer.question_id == runner.id)).all()
    assert {a.question_version for a in given} == {version}
    text = words(client.get(f"/teach/assignments/{assignment.id}"))
    assert "is now accepted: question runner is at version 2. Answers already given keep their marks" in text
    assert "2 of these still marked wrong: given before it was accepted" in text
    assert "Regrade the 2 answers “The mayor!”" in text


def test_accepting_with_regrade_rescores_attempts_results_and_standings(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    runner = _question(own_quiz, "runner")
    before = _scores(assignment)
    client = signed_in(app, "tina")
    client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept",
                data={"answer": "the mayor", "regrade": "y"})
    after = _scores(assignment)
    assert after == {**before, "ben": before["ben"] + 1, "cat": before["cat"] + 1}
    db.session.expire_all()
    runner = db.session.get(Question, runner.id)
    mayor = [a for a in db.session.scalars(select(Answer).where(Answer.question_id == runner.id))
             if "ayor" in a.response[0]]
    assert all(a.is_correct and a.points_awarded == 1 and a.question_version == runner.version for a in mayor)
    results = {r.user.username: r.score for r in db.session.scalars(select(AssignmentResult))}
    standings = {s.user_id: s.score for s in db.session.scalars(select(ClassStanding))}
    assert results == after
    assert sorted(standings.values()) == sorted(after.values())
    text = words(client.get(f"/teach/assignments/{assignment.id}"))
    assert "2 answers regraded; scores, leaderboards and the gradebook are updated." in text
    assert "still marked wrong" not in text
    assert f"Ben {after['ben']:g} / 7" in text, "the leaderboard"
    gradebook = words(client.get(f"/teach/classes/{classroom.id}/gradebook"))
    assert f"Ben {after['ben']:g} / 7" in gradebook


def test_regrading_later_reaches_answers_given_before_an_answer_was_accepted(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    runner = _question(own_quiz, "runner")
    client = signed_in(app, "tina")
    url = f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept"
    client.post(url, data={"answer": "The mayor!"})
    before = _scores(assignment)
    client.post(url, data={"answer": "The mayor!", "regrade": "y"})
    db.session.expire_all()
    assert db.session.get(Question, runner.id).version == 2, "accepted already: no third version"
    assert _scores(assignment) == {**before, "ben": before["ben"] + 1, "cat": before["cat"] + 1}


def test_accepting_a_cloze_answer_widens_its_blank_and_regrades_partial_credit(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    blanks = _question(own_quiz, "blanks")
    before = _scores(assignment)
    signed_in(app, "tina").post(f"/teach/assignments/{assignment.id}/questions/{blanks.id}/accept",
                                data={"answer": "Lumber", "blank": "2", "regrade": "y"})
    db.session.expire_all()
    assert db.session.get(Question, blanks.id).spec["blanks"] == [["1901"], ["timber", "wood", "Lumber"]]
    # ben: 1901 and lumber, half right before, all right now; cat: 1910 and Lumber, from none to half.
    assert _scores(assignment) == {**before, "ben": before["ben"] + 0.5, "cat": before["cat"] + 0.5}


def test_regrading_stays_within_the_teachers_own_classes(app, make_user, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz, ["ben"])
    otto = make_user("otto", role=Role.TEACHER)
    from quizapp.services import classrooms

    others = classrooms.create_classroom(otto, "Otto's class")
    other_assignment = assign(others, own_quiz)
    zed = member(others, "zed")
    attempt = attempts.start_assignment_attempt(zed, other_assignment)
    for item in attempt.items:
        _answer(attempt, item, RESPONSES["ben"])
    attempts.finish_attempt(attempt)
    theirs = _scores(other_assignment)
    runner = _question(own_quiz, "runner")
    signed_in(app, "tina").post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept",
                                data={"answer": "the mayor", "regrade": "y"})
    assert _scores(other_assignment) == theirs


def test_a_bundled_banks_question_gets_an_explanation_instead_of_a_button(app, classroom, tiny_bank):
    assignment = _class_takes(classroom, tiny_bank["everything"])
    runner = db.session.scalar(select(Question).where(Question.key == "runner"))
    client = signed_in(app, "tina")
    text = page(client.get(f"/teach/assignments/{assignment.id}"))
    assert "comes from a bank that ships with the app, which cannot be changed here" in text
    assert "as correct</button>" not in text
    spec, before = dict(runner.spec), _scores(assignment)
    response = client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept",
                           data={"answer": "the mayor", "regrade": "y"}, follow_redirects=True)
    assert "cannot be changed here" in page(response)
    db.session.expire_all()
    assert db.session.get(Question, runner.id).spec == spec and _scores(assignment) == before


def test_a_shared_banks_question_is_for_its_owner_to_change(app, make_user, classroom, own_quiz):
    otto = make_user("otto", role=Role.TEACHER)
    from quizapp.services import classrooms

    sharing.share_bank(own_quiz.bank, "otto")
    others = classrooms.create_classroom(otto, "Otto's class")
    assignment = _class_takes(others, own_quiz, ["ben"])
    runner = _question(own_quiz, "runner")
    client = signed_in(app, "otto")
    assert "another teacher's bank" in page(client.get(f"/teach/assignments/{assignment.id}"))
    client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept", data={"answer": "the mayor"})
    db.session.expire_all()
    assert db.session.get(Question, runner.id).version == 1


def test_only_a_question_of_the_assignment_and_only_its_teacher(app, make_user, classroom, own_quiz, tiny_bank):
    assignment = _class_takes(classroom, own_quiz, ["ben"])
    make_user("otto", role=Role.TEACHER)
    runner = _question(own_quiz, "runner")
    url = f"/teach/assignments/{assignment.id}/questions/{runner.id}/accept"
    assert signed_in(app, "otto").post(url, data={"answer": "the mayor"}).status_code == 404
    assert signed_in(app, "ben").post(url, data={"answer": "the mayor"}).status_code == 403
    bundled = db.session.scalar(select(Question).where(Question.bank_id == tiny_bank["everything"].bank_id,
                                                       Question.key == "runner"))
    other = f"/teach/assignments/{assignment.id}/questions/{bundled.id}/accept"
    assert signed_in(app, "tina").post(other, data={"answer": "the mayor"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Question, runner.id).version == 1


def test_the_api_statistics_carry_the_same_explanations(app, classroom, own_quiz, api):
    assignment = _class_takes(classroom, own_quiz)
    token = api.post("/tokens", headers=basic("tina", PASSWORD)).get_json()["token"]
    statistics = Student(api, bearer(token)).get(f"/assignments/{assignment.id}/statistics").get_json()
    assert statistics["enough_attempts"] is True and statistics["min_attempts"] == 5
    opened, runner = statistics["questions"][0], statistics["questions"][3]
    assert opened["text"] == "When did the harbour open?" and opened["source_title"] == "The harbour opened in 1901."
    assert opened["correct_choices"] == ["1901"]
    assert [r["code"] for r in opened["review"]] == ["easy", "unpicked_choice"]
    assert opened["flags"][0].startswith("Almost everyone got this right")
    assert [(t["normalised"], t["count"], t["accepted"]) for t in runner["typed_answers"]] == [
        ("mayor", 2, False), ("harbour master", 1, False), ("town council", 2, True)]


def test_a_question_asked_too_few_times_gets_no_bar_in_an_assignment_with_enough(app, classroom, own_quiz):
    """Six attempts, but one question is in a single attempt's draw: it says "1 of 5 attempts needed"."""
    from quizapp.domain.statistics import AttemptRecord, QuestionInfo, assignment_statistics
    from quizapp.services.reports import AssignmentReport, ItemReport

    records = [AttemptRecord(n, n, 1, 2, {1: 1.0, 2: 0.0} if n == 1 else {1: 1.0}, {}) for n in range(1, 7)]
    stats = assignment_statistics(records, [QuestionInfo(1), QuestionInfo(2)])
    opened, runner = _question(own_quiz, "opened"), _question(own_quiz, "runner")
    report = AssignmentReport(None, stats, [ItemReport(opened, stats.items[0], 1),
                                            ItemReport(runner, stats.items[1], 2)])
    rows = report.facility_rows
    assert rows[0]["value"] == 1.0 and rows[0]["note"].endswith("6 attempts")
    assert rows[1]["value"] is None and rows[1]["note"].endswith("1 of 5 attempts needed")


def test_an_attempt_still_running_is_totalled_with_its_regraded_answer_when_it_finishes(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    fay = member(classroom, "fay")
    attempt = attempts.start_assignment_attempt(fay, assignment)
    runner_item = next(item for item in attempt.items if item.question.key == "runner")
    attempts.record_answer(attempt, runner_item.question_id, ["The Mayor"])
    runner_id = runner_item.question_id
    signed_in(app, "tina").post(f"/teach/assignments/{assignment.id}/questions/{runner_id}/accept",
                                data={"answer": "the mayor", "regrade": "y"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempts.finish_attempt(attempt).score == 1
    assert db.session.scalar(select(AssignmentResult.score).where(AssignmentResult.user_id == fay.id)) == 1
