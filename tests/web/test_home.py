"""The pages each role starts from: a student's To do and a teacher's Teaching page, their service and
what the signed-in land on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.domain.points import points_text
from quizapp.extensions import db
from quizapp.models import Quiz, Role, utcnow
from quizapp.services import attempts, classrooms, home
from tests.support.builders import any_response, assign, member
from tests.support.pages import page, signed_in


def finish(user, assignment, answered: int = 1):
    """An attempt at ``assignment`` with its first ``answered`` questions answered, finished."""
    attempt = attempts.start_assignment_attempt(user, assignment)
    for item in attempt.items[:answered]:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    return attempts.finish_attempt(attempt)


def titles(statuses) -> list[int]:
    return [s.assignment.id for s in statuses]


def sections(text: str) -> list[str]:
    return re.findall(r'<h2 id="[a-z]+-heading">([^<]+)</h2>', text)


@pytest.fixture
def world(teacher, classroom, tiny_bank):
    """Ana in Tina's class, with assignments in every state."""
    now = utcnow()
    ana = member(classroom, "ana", "Ana Student")
    quiz = tiny_bank["everything"]
    w = {"now": now, "ana": ana, "quiz": quiz}
    w["later"] = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(days=3))
    w["soon"] = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(hours=3, minutes=30))
    w["twice"] = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(days=2), attempts_allowed=2)
    w["once"] = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(days=1), attempts_allowed=1)
    w["going"] = assign(classroom, quiz, now - timedelta(days=1), now + timedelta(days=4))
    w["next_week"] = assign(classroom, quiz, now + timedelta(days=7), now + timedelta(days=8))
    w["tomorrow"] = assign(classroom, quiz, now + timedelta(days=1), now + timedelta(days=2))
    w["missed"] = assign(classroom, quiz, now - timedelta(days=5), now - timedelta(days=2))
    w["long_ago"] = assign(classroom, quiz, now - timedelta(days=40), now - timedelta(days=30))
    w["finished_closed"] = assign(classroom, quiz, now - timedelta(days=5), now - timedelta(hours=1))
    finish(ana, w["twice"])
    finish(ana, w["once"], answered=6)
    attempts.start_assignment_attempt(ana, w["going"])
    # Finished while it was open, before it closed an hour ago: done, not missed.
    attempt = attempts.start_assignment_attempt(ana, w["finished_closed"], now=now - timedelta(hours=2))
    attempts.finish_attempt(attempt, now=now - timedelta(hours=2) + timedelta(minutes=5))
    return w


# --- the student's To do: the service -------------------------------------------------------------


def test_open_assignments_still_to_do_come_first_soonest_due_first(world):
    todo = home.student_home(world["ana"])
    w = world
    assert titles(todo.open) == [w["soon"].id, w["twice"].id, w["later"].id, w["going"].id, w["once"].id]
    states = {s.assignment.id: (s.state, s.in_progress, s.attempts_left) for s in todo.open}
    assert states[w["soon"].id] == ("open", False, None)
    assert states[w["twice"].id] == ("open", False, 1)
    assert states[w["going"].id] == ("open", True, None)
    assert states[w["once"].id] == ("done", False, 0)
    assert todo.to_do == 4


def test_upcoming_soonest_opening_first_and_missed_of_the_last_two_weeks(world):
    todo = home.student_home(world["ana"])
    assert titles(todo.upcoming) == [world["tomorrow"].id, world["next_week"].id]
    assert titles(todo.missed) == [world["missed"].id]  # neither one closed a month ago nor one she finished


def test_practice_carries_on_an_unfinished_attempt_and_suggests_untried_quizzes(student, tiny_bank):
    todo = home.student_home(student)
    assert not todo.in_a_class and not todo.open and not todo.missed
    assert [s.quiz.key for s in todo.suggested] == ["everything", "two-grain"]
    started = attempts.start_attempt(student, tiny_bank["two-grain"])
    todo = home.student_home(student)
    assert [s.in_progress.id for s in todo.practice_in_progress] == [started.id]
    assert [s.quiz.key for s in todo.suggested] == ["everything"]
    attempts.finish_attempt(started)
    todo = home.student_home(student)
    assert not todo.practice_in_progress and [s.quiz.key for s in todo.suggested] == ["everything"]
    assert todo.practice_count == 2


def test_a_quiz_set_to_the_class_is_not_suggested_for_practice(world):
    todo = home.student_home(world["ana"])
    # Every question of both quizzes is one an open assignment can ask: nothing to practise.
    assert not todo.suggested and not todo.practice_in_progress and todo.practice_count == 0
    assert todo.practice_waiting == 1  # two-grain; everything, set to the class, is not a practice quiz now


# --- the student's To do: the page -----------------------------------------------------------------


def test_signing_in_lands_a_student_on_to_do(app, world):
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "ana", "password": "correct horse battery"})
    assert response.headers["Location"] == "/"
    text = page(client.get("/"))
    assert "<title>To do · quizapp</title>" in text
    assert sections(text) == ["Open now", "Coming up", "Practice", "Missed"]
    assert 'aria-current="page">To do</a>' in text


def test_the_to_do_page_says_when_each_is_due_and_what_to_press(app, world):
    text = page(signed_in(app, "ana").get("/"))
    cards = re.findall(r'<li class="card assignment (\w+)">(.*?)</li>', text, re.S)
    opened = [body for state, body in cards if state in ("open", "done")]
    assert len(opened) == 5
    soon, twice, _later, going, once = opened
    assert "Not started" in soon and "in 3 hours" in soon and "Start: Everything" in soon
    assert "(UTC)" in soon  # the due time in the school's zone
    assert "Attempts left" in twice and "1 of 2 attempts used, 1 left" in twice and "Try again: Everything" in twice
    assert "Your score:" in twice
    assert "In progress" in going and "Continue: Everything" in going
    assert "Done" in once and "Your score: <strong>" in once and "<button" not in once
    upcoming = [body for state, body in cards if state == "upcoming"]
    assert "Opens" in upcoming[0] and "tomorrow at" in upcoming[0]
    missed = text.split('id="missed-heading"')[1]
    assert "closed" in missed and "2 days ago" in missed


def test_the_to_do_page_shows_no_key_of_an_open_assignment(app, world, tiny_bank):
    text = page(signed_in(app, "ana").get("/"))
    bank = tiny_bank["everything"].bank
    secrets = [part.title for part in bank.parts if part.kind == "key_point"] + [
        q.explanation for q in bank.questions] + ["1901", "timber", "The town council"]
    assert not [secret for secret in secrets if secret.lower() in text.lower()]


def test_a_student_with_no_class_is_told_how_to_join_one(app, student, tiny_bank, client):
    text = page(client.get("/"))
    assert "You are not in a class yet" in text and 'href="/classes/join"' in text
    assert "Open now" not in text
    assert "Start “Everything”" in text and "All quizzes to practise (2)" in text


def test_a_class_with_nothing_open_says_so(app, classroom, tiny_bank):
    member(classroom, "ana")
    text = page(signed_in(app, "ana").get("/"))
    assert "Nothing is open for you right now." in text and "Coming up" not in text and "Missed" not in text


def test_the_practice_section_says_why_there_is_nothing_to_practise(app, world, make_user):
    assert "Nothing to practise just now: your open assignments" in page(signed_in(app, "ana").get("/"))
    make_user("newcomer")
    text = page(signed_in(app, "newcomer").get("/"))
    assert "All quizzes to practise (2)" in text
    for quiz in db.session.scalars(select(Quiz)):
        quiz.archived = True
    db.session.commit()
    assert "No quizzes to practise yet." in page(signed_in(app, "newcomer").get("/"))


def test_a_teacher_starts_from_the_teaching_page(app, teacher):
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "tina", "password": "correct horse battery"})
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/teach/"
    text = page(client.get("/teach/"))
    assert "<title>Teaching · quizapp</title>" in text and "<h1>Teaching</h1>" in text
    assert 'aria-current="page">Teach</a>' in text and ">To do</a>" not in text


# --- the teacher's home ---------------------------------------------------------------------------


@pytest.fixture
def teaching(world, teacher, classroom, tiny_bank, make_user):
    """Two more of Tina's students, one of whom finished; and Otto, whose class must not show."""
    ben = member(classroom, "ben", "Ben Student")
    member(classroom, "cat", "Cat Student")
    bens = finish(ben, world["soon"], answered=6)
    otto = make_user("otto", role=Role.TEACHER)
    other = classrooms.create_classroom(otto, "Otto's class")
    stranger = member(other, "sid", "Sid Stranger")
    finish(stranger, assign(other, tiny_bank["everything"]))
    return {**world, "ben": ben, "bens": bens, "otto": otto}


def test_what_is_due_closes_soonest_first_with_how_many_are_done(teaching, teacher):
    start = home.teacher_home(teacher)
    w = teaching
    assert [(d.assignment.id, d.done, d.students) for d in start.due] == [
        (w["soon"].id, 1, 3), (w["once"].id, 1, 3), (w["twice"].id, 1, 3), (w["later"].id, 0, 3),
        (w["going"].id, 0, 3)]
    assert len(start.due) == home.DUE_SHOWN


def test_a_student_who_left_is_not_counted_among_the_done(teaching, teacher, classroom):
    classrooms.remove_member(classroom, teaching["ben"].id)
    soon = home.teacher_home(teacher).due[0]
    assert (soon.assignment.id, soon.done, soon.students) == (teaching["soon"].id, 0, 2)


def test_recent_activity_is_the_latest_finished_attempts_of_the_teachers_classes(teaching, teacher):
    activity = home.teacher_home(teacher).activity
    assert [(a.user.username, a.assignment_id) for a in activity] == [
        ("ben", teaching["soon"].id), ("ana", teaching["once"].id), ("ana", teaching["twice"].id),
        ("ana", teaching["finished_closed"].id)]
    assert "sid" not in {a.user.username for a in activity}


def test_an_archived_assignment_leaves_what_is_due_and_the_activity(teaching, teacher):
    """Deleted after students answered it, it is archived: gone from the Teaching page as from the rest."""
    from quizapp.services import assignments

    assert assignments.delete_assignment(teaching["soon"]) is False  # archived, not deleted
    start = home.teacher_home(teacher)
    assert teaching["soon"].id not in {d.assignment.id for d in start.due}
    assert teaching["soon"].id not in {a.assignment_id for a in start.activity}


def test_the_teaching_page_shows_classes_due_and_activity(app, teaching, classroom):
    text = page(signed_in(app, "tina").get("/teach/"))
    assert sections(text) == ["Your classes", "Due soon", "Recent activity"]
    assert classroom.join_code in text and "3 students · 10 assignments" in text
    due = text.split('id="due-heading"')[1].split('id="activity-heading"')[0]
    assert "1 of 3</strong> done" in due and "in 3 hours" in due and "Otto" not in due
    activity = text.split('id="activity-heading"')[1]
    score = f"{points_text(teaching['bens'].score)} / {points_text(teaching['bens'].max_score)}"
    assert "Ben Student</strong> finished" in activity and score in activity and "Sid" not in activity
    assert f'href="/attempts/{teaching["bens"].id}/results">Everything</a>' in activity
    assert 'href="#new-class"' in text and 'id="new-class"' in text and "Create class" in text


def test_a_new_teacher_is_shown_how_to_begin(app, teacher):
    text = page(signed_in(app, "tina").get("/teach/"))
    assert "No classes yet" in text and "Due soon" not in text and "Create class" in text


def test_an_extension_keeps_a_closed_assignment_on_the_students_to_do_with_her_own_terms(
        app, teacher, classroom, tiny_bank):
    """Closed for the class an hour ago, but extended for Ana to tomorrow with one more attempt: it is
    open on her To do, due at her close, with her attempts; her classmate has missed it."""
    from quizapp.services import assignments

    now = utcnow()
    ana, ben = member(classroom, "ana", "Ana Student"), member(classroom, "ben", "Ben Student")
    closed = assign(classroom, tiny_bank["everything"], now - timedelta(days=2), now - timedelta(hours=1),
                    attempts_allowed=1)
    assignments.extend_for_student(closed, ana.id, now + timedelta(days=1), 1)
    mine = home.student_home(ana, now)
    assert titles(mine.open) == [closed.id] and mine.to_do == 1 and not mine.missed
    assert mine.open[0].closes_at > now and mine.open[0].attempts_allowed == 2
    text = page(signed_in(app, "ana").get("/"))
    assert "(extended for you)" in text and "0 of 2 attempts used" in text
    assert "Nothing is open for you right now" not in text
    assert titles(home.student_home(ben, now).missed) == [closed.id]
