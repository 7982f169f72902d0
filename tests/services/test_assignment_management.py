"""Running an assignment after setting it: changing it, extending it for the class or one student, closing it
early, deleting or archiving and restoring it; and what students, boards and key secrecy make of each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    AssignmentExtension,
    AssignmentResult,
    Attempt,
    ClassStanding,
    Counting,
    Quiz,
    Role,
    utcnow,
)
from quizapp.services import assignments, attempts, classrooms, gradebook, standings
from quizapp.services.banks import sharing
from quizapp.services.classrooms import ClassroomError
from quizapp.services.key_secrecy import withheld_keys
from tests.support.builders import any_response, assign, member
from tests.support.pages import page, signed_in


def answered_attempt(user, assignment, now=None, finish=True):
    attempt = attempts.start_assignment_attempt(user, assignment, now=now)
    item = attempt.items[0]
    attempts.record_answer(attempt, item.question_id, any_response(item), now=now)
    return attempts.finish_attempt(attempt, now=now) if finish else attempt


@pytest.fixture
def setup(classroom, tiny_bank):
    """A class with ana and ben, and the "everything" quiz set to it: open a week, one attempt each."""
    ana, ben = member(classroom, "ana"), member(classroom, "ben")
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=1)
    return ana, ben, assignment


def count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


# --- extensions --------------------------------------------------------------------------------------------


def test_a_later_close_for_one_student_lets_only_them_start_after_the_class_closes(setup):
    ana, ben, assignment = setup
    now = utcnow()
    assignments.extend_for_student(assignment, ana.id, now + timedelta(days=10), None, now=now)
    later = now + timedelta(days=8)  # the class closed a day ago
    with pytest.raises(attempts.AssignmentUnavailable, match="closed"):
        attempts.start_assignment_attempt(ben, assignment, now=later)
    attempt = attempts.start_assignment_attempt(ana, assignment, now=later)
    # No time limit: the attempt runs until the quiz closes for her.
    assert attempt.deadline_at == now + timedelta(days=10)
    (_, [mine]), = classrooms.dashboard(ana, later)
    (_, [his]), = classrooms.dashboard(ben, later)
    assert (mine.state, mine.closes_at) == ("open", now + timedelta(days=10))
    assert (his.state, his.closes_at) == ("closed", assignment.closes_at)


def test_extra_attempts_for_one_student(setup):
    ana, ben, assignment = setup
    answered_attempt(ana, assignment)
    answered_attempt(ben, assignment)
    assignments.extend_for_student(assignment, ana.id, None, 2)
    (_, [mine]), = classrooms.dashboard(ana)
    assert (mine.state, mine.attempts_allowed, mine.attempts_left) == ("open", 3, 2)
    answered_attempt(ana, assignment)
    answered_attempt(ana, assignment)
    with pytest.raises(attempts.AssignmentUnavailable, match="used all"):
        attempts.start_assignment_attempt(ana, assignment)
    with pytest.raises(attempts.AssignmentUnavailable, match="used all"):
        attempts.start_assignment_attempt(ben, assignment)
    # Given again, they add up.
    assignments.extend_for_student(assignment, ana.id, None, 1)
    assert db.session.scalar(select(AssignmentExtension.extra_attempts)) == 3


def test_a_time_limit_still_bounds_an_extended_attempt(classroom, tiny_bank):
    ana = member(classroom, "ana")
    now = utcnow()
    assignment = assign(classroom, tiny_bank["everything"], closes=now + timedelta(minutes=10), time_limit_minutes=30)
    running = attempts.start_assignment_attempt(ana, assignment, now=now)
    assert running.deadline_at == now + timedelta(minutes=10)
    # The later close lengthens her running attempt up to its time limit.
    assignments.extend_for_student(assignment, ana.id, now + timedelta(days=1), None, now=now)
    db.session.refresh(running)
    assert running.deadline_at == now + timedelta(minutes=30)


def test_a_later_close_for_the_class_lengthens_running_attempts(setup):
    ana, _, assignment = setup
    now = utcnow()
    running = attempts.start_assignment_attempt(ana, assignment, now=now)
    assignments.extend_for_class(assignment, assignment.closes_at + timedelta(days=3), now=now)
    db.session.refresh(running)
    assert running.deadline_at == assignment.closes_at
    with pytest.raises(ClassroomError, match="later"):
        assignments.extend_for_class(assignment, assignment.closes_at - timedelta(hours=1), now=now)


def test_extensions_refuse_what_makes_no_sense(setup, make_user, tiny_bank, classroom):
    ana, _, assignment = setup
    outsider = make_user("otto")
    with pytest.raises(ClassroomError, match="student of this class"):
        assignments.extend_for_student(assignment, outsider.id, None, 1)
    with pytest.raises(ClassroomError, match="later close, extra attempts"):
        assignments.extend_for_student(assignment, ana.id, None, None)
    with pytest.raises(ClassroomError, match="later than"):
        assignments.extend_for_student(assignment, ana.id, assignment.closes_at - timedelta(hours=1), None)
    unlimited = assign(classroom, tiny_bank["two-grain"])
    with pytest.raises(ClassroomError, match="as often as they like"):
        assignments.extend_for_student(unlimited, ana.id, None, 1)
    assert count(AssignmentExtension) == 0


# --- closing early -----------------------------------------------------------------------------------------


def test_closing_early_finishes_running_attempts_and_ends_every_extension(setup):
    ana, ben, assignment = setup
    now = utcnow()
    assignments.extend_for_student(assignment, ana.id, now + timedelta(days=30), None, now=now)
    running = answered_attempt(ben, assignment, now=now, finish=False)
    later = now + timedelta(minutes=5)
    assignments.close_early(assignment, now=later)
    db.session.refresh(running)
    assert running.finished_at == later
    assert assignment.closes_at == later
    # His answer counts: a result, on the board.
    assert count(AssignmentResult, assignment_id=assignment.id, user_id=ben.id) == 1
    for student in (ana, ben):
        with pytest.raises(attempts.AssignmentUnavailable, match="closed"):
            attempts.start_assignment_attempt(student, assignment, now=later)
    with pytest.raises(ClassroomError, match="closed already"):
        assignments.close_early(assignment, now=later + timedelta(minutes=1))


def test_an_assignment_not_open_yet_cannot_be_closed_early(classroom, tiny_bank):
    now = utcnow()
    upcoming = assign(classroom, tiny_bank["everything"], opens=now + timedelta(days=1), closes=now + timedelta(days=2))
    with pytest.raises(ClassroomError, match="not opened yet"):
        assignments.close_early(upcoming, now=now)


# --- key secrecy -------------------------------------------------------------------------------------------


def test_an_extension_reopens_the_keys_for_that_student_alone(setup):
    ana, ben, assignment = setup
    now = utcnow()
    mine, his = answered_attempt(ana, assignment, now), answered_attempt(ben, assignment, now)
    # One attempt each, both used: the keys are theirs to see.
    assert attempts.reveals_key(mine, now) and attempts.reveals_key(his, now)
    assert not withheld_keys(ana.id, now) and not withheld_keys(ben.id, now)
    assignments.extend_for_student(assignment, ana.id, None, 1, now=now)
    assert not attempts.reveals_key(mine, now) and attempts.reveals_key(his, now)
    assert withheld_keys(ana.id, now).question_ids([mine.items[0].question_id])
    assert not withheld_keys(ben.id, now)

    # Once the class closes, extra attempts alone open nothing; a later close keeps it open for her alone.
    after = assignment.closes_at + timedelta(hours=1)
    assert attempts.reveals_key(mine, after) and not withheld_keys(ana.id, after)
    assignments.extend_for_student(assignment, ana.id, after + timedelta(days=1), None, now=now)
    assert not attempts.reveals_key(mine, after)
    assert withheld_keys(ana.id, after) and not withheld_keys(ben.id, after)


def test_a_later_close_alone_withholds_keys_only_while_attempts_are_left(classroom, tiny_bank):
    ana, ben = member(classroom, "ana"), member(classroom, "ben")
    assignment = assign(classroom, tiny_bank["everything"])  # as many attempts as they like
    now = utcnow()
    mine, his = answered_attempt(ana, assignment, now), answered_attempt(ben, assignment, now)
    after = assignment.closes_at + timedelta(minutes=1)
    assert attempts.reveals_key(mine, after) and not withheld_keys(ana.id, after)
    assignments.extend_for_student(assignment, ana.id, assignment.closes_at + timedelta(days=2), None, now=now)
    assert not attempts.reveals_key(mine, after) and withheld_keys(ana.id, after)
    assert attempts.reveals_key(his, after) and not withheld_keys(ben.id, after)
    # Practice leaves her withheld questions out; his is free.
    with pytest.raises(attempts.QuestionsWithheld):
        attempts.start_practice(ana, tiny_bank["everything"], now=after)


def test_closing_early_closes_it_for_everyone_and_shows_the_keys(classroom, tiny_bank):
    ana, ben = member(classroom, "ana"), member(classroom, "ben")
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=3)
    now = utcnow()
    mine, his = answered_attempt(ana, assignment, now), answered_attempt(ben, assignment, now)
    assignments.extend_for_student(assignment, ana.id, now + timedelta(days=30), 2, now=now)
    assert withheld_keys(ana.id, now) and withheld_keys(ben.id, now)
    assert not attempts.reveals_key(mine, now) and not attempts.reveals_key(his, now)
    assignments.close_early(assignment, now=now)
    later = now + timedelta(seconds=1)
    assert not withheld_keys(ana.id, later) and not withheld_keys(ben.id, later)
    assert attempts.reveals_key(mine, later) and attempts.reveals_key(his, later)


def test_an_archived_assignment_withholds_no_key(setup):
    ana, _, assignment = setup
    assignment.attempts_allowed = 5
    db.session.commit()
    mine = answered_attempt(ana, assignment)
    assert withheld_keys(ana.id)
    assert assignments.delete_assignment(assignment) is False
    assert not withheld_keys(ana.id) and attempts.reveals_key(mine)


# --- changing, deleting, archiving, restoring --------------------------------------------------------------


def test_the_quiz_can_change_only_while_nobody_has_started(setup, tiny_bank):
    ana, _, assignment = setup
    a = assignment
    assignments.update_assignment(a, tiny_bank["two-grain"], a.opens_at, a.closes_at, 15, 2, Counting.LAST)
    assert (a.quiz_id, a.time_limit_minutes, a.attempts_allowed, a.counting) == (
        tiny_bank["two-grain"].id, 15, 2, Counting.LAST)
    attempts.start_assignment_attempt(ana, a)
    with pytest.raises(ClassroomError, match="started"):
        assignments.update_assignment(a, tiny_bank["everything"], a.opens_at, a.closes_at, None, 2, Counting.LAST)
    db.session.rollback()
    db.session.refresh(a)
    assert a.quiz_id == tiny_bank["two-grain"].id
    with pytest.raises(ClassroomError, match="close after it opens"):
        assignments.update_assignment(a, a.quiz, a.closes_at, a.opens_at, None, 2, Counting.LAST)


def test_changing_what_counts_recounts_the_results(setup):
    ana, _, assignment = setup
    assignment.attempts_allowed = 3
    db.session.commit()
    now = utcnow()
    first = attempts.start_assignment_attempt(ana, assignment, now=now)
    for item in first.items:  # answered in full, then an empty second attempt
        attempts.record_answer(first, item.question_id, any_response(item), now=now)
    attempts.finish_attempt(first, now=now)
    later = now + timedelta(minutes=1)
    attempts.finish_attempt(attempts.start_assignment_attempt(ana, assignment, now=later), now=later)
    result = db.session.scalar(select(AssignmentResult))
    best = result.score
    a = assignment
    assignments.update_assignment(a, a.quiz, a.opens_at, a.closes_at, None, 3, Counting.LAST)
    db.session.refresh(result)
    assert best > 0 and result.score == 0


def test_deleting_an_assignment_nobody_started_removes_it(setup):
    _, _, assignment = setup
    assert assignments.delete_assignment(assignment) is True
    assert count(Assignment) == 0


def test_deleting_an_answered_assignment_archives_it_and_restoring_brings_it_back(setup, classroom):
    ana, ben, assignment = setup
    mine = answered_attempt(ana, assignment)
    running = answered_attempt(ben, assignment, finish=False)
    assert count(ClassStanding, user_id=ana.id) == 1
    assert assignments.delete_assignment(assignment) is False
    db.session.refresh(running)
    assert assignment.archived and running.is_finished
    # Answers kept; gone from the students' pages, the boards and the gradebook.
    assert count(Attempt, assignment_id=assignment.id) == 2 and count(Answer) == 2
    assert classrooms.dashboard(ana) == [(classroom, [])]
    assert count(ClassStanding) == 0
    assert standings.class_board(classroom, ana.id).rows == []
    assert gradebook.gradebook(classroom).assignments == []
    assert classrooms.visible_assignment(ana, assignment.id) is None
    assert classrooms.visible_assignment(classroom.teacher, assignment.id) is assignment
    with pytest.raises(attempts.AssignmentUnavailable):
        attempts.start_assignment_attempt(ana, assignment)
    assert mine in attempts.history(ana)

    assignments.restore_assignment(assignment)
    assert not assignment.archived
    assert count(ClassStanding) == 2
    assert [s.state for _, statuses in classrooms.dashboard(ana) for s in statuses] == ["done"]


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def tina(app, setup):
    return signed_in(app, "tina")


def test_the_change_form_starts_from_the_assignment_and_saves(tina, setup, tiny_bank):
    _, _, assignment = setup
    text = page(tina.get(f"/teach/assignments/{assignment.id}/edit"))
    assert "Change the assignment of Everything" in text
    assert re.search(rf'<option selected value="{assignment.quiz_id}">|<option value="{assignment.quiz_id}" selected>',
                     text)
    response = tina.post(f"/teach/assignments/{assignment.id}/edit", data={
        "quiz_id": tiny_bank["two-grain"].id, "opens_at": "2026-01-01T09:00", "closes_at": "2099-01-01T09:00",
        "time_limit_minutes": "20", "attempts_allowed": "2", "counting": "last"})
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/assignments/{assignment.id}"
    db.session.refresh(assignment)
    assert (assignment.quiz_id, assignment.time_limit_minutes, assignment.attempts_allowed, assignment.counting) == (
        tiny_bank["two-grain"].id, 20, 2, Counting.LAST)


def test_bad_changes_are_named_beside_the_fields_and_write_nothing(tina, setup):
    _, _, assignment = setup
    before = (assignment.opens_at, assignment.closes_at, assignment.attempts_allowed)
    text = page(tina.post(f"/teach/assignments/{assignment.id}/edit", data={
        "quiz_id": assignment.quiz_id, "opens_at": "2099-01-02T09:00", "closes_at": "2099-01-01T09:00",
        "attempts_allowed": "0", "counting": "best"}), 400)
    assert "The quiz must close after it opens." in text and "Number must be" in text
    db.session.expire_all()
    assert (assignment.opens_at, assignment.closes_at, assignment.attempts_allowed) == before


def test_once_started_the_change_form_keeps_the_quiz(tina, setup, tiny_bank):
    ana, _, assignment = setup
    attempts.start_assignment_attempt(ana, assignment)
    text = page(tina.get(f"/teach/assignments/{assignment.id}/edit"))
    assert 'name="quiz_id"' not in text and "can no longer be swapped" in text
    response = tina.post(f"/teach/assignments/{assignment.id}/edit", data={
        "quiz_id": tiny_bank["two-grain"].id, "opens_at": "2026-01-01T09:00", "closes_at": "2099-01-01T09:00",
        "counting": "best"})
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.quiz_id == tiny_bank["everything"].id and assignment.attempts_allowed is None


def test_extending_for_a_student_from_the_page(tina, setup):
    ana, _, assignment = setup
    text = page(tina.get(f"/teach/assignments/{assignment.id}/extend"))
    assert "For one student" in text and "Nobody has an extension." in text
    response = tina.post(f"/teach/assignments/{assignment.id}/extend/student",
                         data={"user_id": ana.id, "closes_at": "2099-01-01T09:00", "extra_attempts": "2"})
    assert response.status_code == 302
    text = page(tina.get(response.headers["Location"]))
    assert "Extended the assignment for Ana." in text
    extension = db.session.scalar(select(AssignmentExtension))
    assert (extension.user_id, extension.extra_attempts) == (ana.id, 2)
    # Her class page says so.
    student_page = page(signed_in(tina.application, "ana").get(f"/classes/{assignment.classroom_id}"))
    assert "(extended for you)" in student_page and "0 of 3 attempts used" in student_page


@pytest.mark.parametrize("data, message", [
    ({"closes_at": "", "extra_attempts": ""}, "Give a later close, extra attempts, or both."),
    ({"closes_at": "2001-01-01T09:00"}, "later than the student's present close"),
    ({"extra_attempts": "0"}, "Number must be"),
    ({"user_id": "999999", "extra_attempts": "1"}, "Not a valid choice"),
])
def test_bad_extensions_are_named_and_write_nothing(tina, setup, data, message):
    ana, _, assignment = setup
    text = page(tina.post(f"/teach/assignments/{assignment.id}/extend/student",
                          data={"user_id": ana.id, **data}), 400)
    assert message in text
    assert count(AssignmentExtension) == 0


def test_extending_for_the_class_from_the_page(tina, setup):
    _, _, assignment = setup
    bad = page(tina.post(f"/teach/assignments/{assignment.id}/extend/class", data={"closes_at": "2001-01-01T09:00"}),
               400)
    assert "Give a time later than the present close" in bad
    response = tina.post(f"/teach/assignments/{assignment.id}/extend/class", data={"closes_at": "2099-01-01T09:00"})
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.closes_at.year == 2099


def test_the_assignment_page_offers_its_actions_with_confirmations(tina, setup):
    _, _, assignment = setup
    text = page(tina.get(f"/teach/assignments/{assignment.id}"))
    assert f'href="/teach/assignments/{assignment.id}/edit"' in text
    assert f'href="/teach/assignments/{assignment.id}/extend"' in text
    assert re.search(r'data-confirm="Close Everything now for every student[^"]*">Close now</button>', text)
    assert re.search(r'data-confirm="Delete this assignment[^"]*">Delete</button>', text)


def test_closing_and_deleting_from_the_pages(tina, setup, classroom):
    ana, _, assignment = setup
    answered_attempt(ana, assignment)
    response = tina.post(f"/teach/assignments/{assignment.id}/close")
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.closes_at <= utcnow()
    assert "Close now" not in page(tina.get(f"/teach/assignments/{assignment.id}"))
    response = tina.post(f"/teach/assignments/{assignment.id}/delete")
    assert response.headers["Location"] == f"/teach/classes/{classroom.id}"
    text = page(tina.get(response.headers["Location"]))
    assert "Archived the assignment of Everything" in text and "Archived" in text and "Restore" in text
    assert "No quizzes assigned yet." in text
    ana_client = signed_in(tina.application, "ana")
    assert ana_client.get(f"/assignments/{assignment.id}/leaderboard").status_code == 404
    assert "Everything" not in page(ana_client.get("/classes"))
    response = tina.post(f"/teach/assignments/{assignment.id}/restore")
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert not assignment.archived


def test_another_teacher_gets_404_and_changes_nothing(app, setup, make_user):
    _, _, assignment = setup
    make_user("otto", role=Role.TEACHER)
    otto = signed_in(app, "otto")
    for method, path in [("get", "edit"), ("post", "edit"), ("get", "extend"), ("post", "extend/class"),
                         ("post", "extend/student"), ("post", "close"), ("post", "delete"), ("post", "restore")]:
        assert getattr(otto, method)(f"/teach/assignments/{assignment.id}/{path}",
                                     data={"closes_at": "2099-01-01T09:00"}).status_code == 404
    assert count(Assignment) == 1 and count(AssignmentExtension) == 0


def test_the_assign_dropdown_groups_quizzes_by_bank_with_no_label_twice(tina, setup, teacher, tiny_bank, classroom):
    bank = tiny_bank["everything"].bank
    sharing.copy_bank(bank, teacher)
    sharing.copy_bank(bank, teacher)  # two copies: the same bank and quiz titles three times over
    text = page(tina.get(f"/teach/classes/{classroom.id}/assignments/new"))
    start = text.index('id="quiz_id"')
    select_html = text[start:text.index("</select>", start)]
    groups = re.findall(r'<optgroup label="([^"]*)"', select_html)
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select_html)
    assert len(groups) == 3 and len(set(groups)) == 3
    assert len(labels) == 6 and len(set(labels)) == 6, labels


def test_after_saving_a_quiz_the_page_offers_to_assign_it(tina, teacher, tiny_bank, classroom):
    other = classrooms.create_classroom(teacher, "Year 11")
    bank = sharing.copy_bank(tiny_bank["everything"].bank, teacher)
    quiz = db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id).order_by(Quiz.id)).first()
    text = page(tina.get(f"/teach/banks/{bank.id}/quizzes?saved={quiz.id}"))
    assert f"Assign “{quiz.title}” to a class" in text
    for c in (classroom, other):
        assert f'href="/teach/classes/{c.id}/assignments/new?quiz_id={quiz.id}"' in text
    form = page(tina.get(f"/teach/classes/{other.id}/assignments/new?quiz_id={quiz.id}"))
    assert re.search(rf'<option selected value="{quiz.id}">|<option value="{quiz.id}" selected>', form)


def test_an_archived_assignment_changes_only_by_being_restored(setup):
    ana, _, assignment = setup
    answered_attempt(ana, assignment)
    assignments.delete_assignment(assignment)
    a = assignment
    for change in (lambda: assignments.update_assignment(a, a.quiz, a.opens_at, a.closes_at, None, 1, Counting.BEST),
                   lambda: assignments.extend_for_class(a, utcnow() + timedelta(days=30)),
                   lambda: assignments.extend_for_student(a, ana.id, None, 1),
                   lambda: assignments.close_early(a)):
        with pytest.raises(ClassroomError, match="archived"):
            change()
    assert count(AssignmentExtension) == 0


def test_the_api_gives_each_student_their_own_close_and_attempts(app, setup):
    from quizapp.services import users

    ana, ben, assignment = setup
    later = assignment.closes_at + timedelta(days=3)
    assignments.extend_for_student(assignment, ana.id, later, 2)
    seen = {}
    for student in (ana, ben):
        token = users.issue_token(student, timedelta(hours=1))[0]
        body = app.test_client().get("/api/v1/classes", headers={"Authorization": f"Bearer {token}"}).get_json()
        (entry,) = body["classes"][0]["assignments"]
        seen[student.username] = (entry["closes_at"], entry["attempts_allowed"])
    assert seen == {"ana": (later.isoformat(), 3), "ben": (assignment.closes_at.isoformat(), 1)}


def test_taking_an_extension_back(tina, setup):
    ana, _, assignment = setup
    now = utcnow()
    assignments.extend_for_student(assignment, ana.id, assignment.closes_at + timedelta(days=5), 1, now=now)
    running = attempts.start_assignment_attempt(ana, assignment, now=now)
    assert running.deadline_at == assignment.closes_at + timedelta(days=5)
    text = page(tina.get(f"/teach/assignments/{assignment.id}/extend"))
    assert re.search(r'data-confirm="Take back Ana\'s extension\?[^"]*">Take back', text)
    response = tina.post(f"/teach/assignments/{assignment.id}/extend/{ana.id}/remove")
    assert response.status_code == 302 and count(AssignmentExtension) == 0
    db.session.refresh(running)
    assert running.deadline_at == assignment.closes_at  # her running attempt ends with the class's again
    assert tina.post(f"/teach/assignments/{assignment.id}/extend/{ana.id}/remove").status_code == 404
