"""Classes in the pages: create one, its join code, joining, the roster, removing a student."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Assignment, Attempt, Classroom, Membership, utcnow
from quizapp.services import attempts, classrooms
from tests.support.pages import page, signed_in

AMBIGUOUS = set("0O1IL5S")


# --- builders -------------------------------------------------------------------------------------


def created_class(client, name="Year 10 History") -> Classroom:
    """Create a class through the teacher's form; return it."""
    response = client.post("/teach/", data={"name": name})
    assert response.status_code == 302
    classroom_id = int(re.fullmatch(r"/teach/classes/(\d+)", response.headers["Location"]).group(1))
    return db.session.get(Classroom, classroom_id)


def join_code_on(text: str) -> str:
    return re.search(r'<strong class="code" id="join-code">([^<]+)</strong>', text).group(1)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- creating a class and its code ----------------------------------------------------------------


def test_a_teacher_creates_a_class_and_gets_an_unambiguous_code(tina, teacher):
    response = tina.post("/teach/", data={"name": "  Year 10 History  "})
    assert response.status_code == 302
    classroom = db.session.scalar(select(Classroom))
    assert classroom.name == "Year 10 History" and classroom.teacher_id == teacher.id
    assert response.headers["Location"] == f"/teach/classes/{classroom.id}"

    shown = page(tina.get(response.headers["Location"]))
    code = join_code_on(shown)
    assert code == classroom.join_code
    assert f"Students join with the code {code}" in shown  # the flash message
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert not set(code) & AMBIGUOUS
    assert classroom.name in page(tina.get("/teach/")) and code in page(tina.get("/teach/"))


def test_join_codes_never_use_ambiguous_characters():
    assert not set(classrooms.CODE_ALPHABET) & AMBIGUOUS
    codes = {classrooms.new_join_code() for _ in range(2000)}
    seen = set("".join(codes))
    assert not seen & AMBIGUOUS
    assert len(codes) > 1990  # random, not a fixed code
    assert seen == set(classrooms.CODE_ALPHABET)  # and the whole alphabet is used


def test_a_class_needs_a_name(tina):
    response = tina.post("/teach/", data={"name": ""})
    assert 'class="errors"' in page(response, 400)
    assert count(Classroom) == 0


def test_regenerating_the_code_retires_the_old_one(app, tina, make_user):
    classroom = created_class(tina)
    old = classroom.join_code
    response = tina.post(f"/teach/classes/{classroom.id}/code")
    assert response.status_code == 302
    shown = page(tina.get(response.headers["Location"]))
    db.session.refresh(classroom)
    new = classroom.join_code
    assert new != old and join_code_on(shown) == new
    assert f"The new join code is {new}" in shown
    assert not set(new) & AMBIGUOUS

    make_user("ana")
    ana = signed_in(app, "ana")
    refused = ana.post("/classes/join", data={"code": old})
    assert "No class has that code" in page(refused, 400)
    assert ana.post("/classes/join", data={"code": new}).status_code == 302
    assert count(Membership) == 1


# --- joining --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    lambda c: c.lower(),
    lambda c: f"  {c[:3]} {c[3:]}  ",
    lambda c: f"{c[:3]}-{c[3:]}".lower(),
    lambda c: "-".join(c[:3]) + " " + c[3:].lower(),
], ids=["lower case", "spaces", "dash", "mixed"])
def test_a_student_joins_with_the_code_typed_loosely(app, tina, make_user, typed):
    classroom = created_class(tina)
    ana_user = make_user("ana")
    ana = signed_in(app, "ana")
    response = ana.post("/classes/join", data={"code": typed(classroom.join_code), "nickname": " Speedy "})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/classes/{classroom.id}"
    assert f"You joined {classroom.name}." in page(ana.get(response.headers["Location"]))
    membership = db.session.scalar(select(Membership))
    assert (membership.classroom_id, membership.user_id, membership.nickname) == (classroom.id, ana_user.id, "Speedy")
    assert classroom.name in page(ana.get("/classes"))


def test_a_wrong_code_is_a_form_error(app, tina, make_user):
    classroom = created_class(tina)
    make_user("ana")
    ana = signed_in(app, "ana")
    wrong = "".join("A" if ch != "A" else "B" for ch in classroom.join_code)
    response = ana.post("/classes/join", data={"code": wrong})
    text = page(response, 400)
    assert "No class has that code. Check it with your teacher." in text
    assert 'id="code-error"' in text  # shown at the field
    assert count(Membership) == 0


def test_an_empty_code_is_a_form_error(app, make_user):
    make_user("ana")
    response = signed_in(app, "ana").post("/classes/join", data={"code": ""})
    assert 'id="code-error"' in page(response, 400)


def test_joining_twice_says_so_and_adds_nothing(app, tina, make_user):
    classroom = created_class(tina)
    make_user("ana")
    ana = signed_in(app, "ana")
    assert ana.post("/classes/join", data={"code": classroom.join_code}).status_code == 302
    again = ana.post("/classes/join", data={"code": classroom.join_code.lower()})
    assert f"You are already in {classroom.name}." in page(again, 400)
    assert count(Membership) == 1


def test_a_teacher_cannot_join_their_own_class(tina):
    classroom = created_class(tina)
    response = tina.post("/classes/join", data={"code": classroom.join_code})
    assert "You teach this class." in page(response, 400)
    assert count(Membership) == 0


# --- roster and removal ---------------------------------------------------------------------------


def test_the_teacher_sees_the_roster(app, tina, make_user):
    classroom = created_class(tina)
    for username, nickname in (("ana", "Speedy"), ("bob", "")):
        make_user(username)
        signed_in(app, username).post("/classes/join", data={"code": classroom.join_code, "nickname": nickname})
    make_user("carl")  # not in the class
    text = page(tina.get(f"/teach/classes/{classroom.id}"))
    assert "Students (2)" in text
    assert "Ana" in text and "Bob" in text and "Speedy" in text
    assert "Carl" not in text


def _finished_attempt(user, assignment, right: bool):
    """An attempt at the assignment with one answer, finished."""
    now = utcnow() - timedelta(hours=1)
    attempt = attempts.start_assignment_attempt(user, assignment, now=now)
    item = next(i for i in attempt.items if i.question.key == "council")
    attempts.record_answer(attempt, item.question_id, ["true" if right else "false"], now=now + timedelta(seconds=5))
    return attempts.finish_attempt(attempt, now=now + timedelta(seconds=30))


def test_removing_a_student_keeps_their_answers_and_takes_them_off_boards_and_gradebook(
        app, tina, teacher, make_user, tiny_bank):
    classroom = created_class(tina)
    assignment = classrooms.create_assignment(classroom, tiny_bank["everything"], utcnow() - timedelta(days=1),
                                              utcnow() + timedelta(days=1))
    quentin_user, bob_user = make_user("quentin"), make_user("bob")
    for user in (quentin_user, bob_user):
        classrooms.join(user, classroom.join_code)
        _finished_attempt(user, assignment, right=True)
    answers_before = db.session.scalars(select(Answer.id).order_by(Answer.id)).all()
    attempts_before = db.session.scalars(select(Attempt.id).order_by(Attempt.id)).all()
    assert len(answers_before) == 2 and len(attempts_before) == 2

    assert "Quentin" in page(tina.get(f"/teach/classes/{classroom.id}/gradebook"))
    response = tina.post(f"/teach/classes/{classroom.id}/members/{quentin_user.id}/remove")
    assert response.status_code == 302
    text = page(tina.get(response.headers["Location"]))
    assert "Removed the student from the class; their past answers are kept." in text
    assert "give the class a new code to keep them out" in text
    assert "Students (1)" in text and "Remove Quentin" not in text

    db.session.expire_all()
    assert db.session.scalars(select(Answer.id).order_by(Answer.id)).all() == answers_before
    assert db.session.scalars(select(Attempt.id).order_by(Attempt.id)).all() == attempts_before
    assert all(a.assignment_id == assignment.id for a in db.session.scalars(select(Attempt)))
    assert db.session.scalar(select(Membership.user_id)) == bob_user.id

    bob = signed_in(app, "bob")
    for path in (f"/assignments/{assignment.id}/leaderboard", f"/classes/{classroom.id}/leaderboard",
                 f"/classes/{classroom.id}"):
        board = page(bob.get(path))
        assert "Bob (you)" in board, path
        assert "Quentin" not in board, path
    for path in (f"/teach/classes/{classroom.id}/gradebook", f"/teach/classes/{classroom.id}/gradebook.csv",
                 f"/teach/assignments/{assignment.id}", f"/assignments/{assignment.id}/leaderboard"):
        text = page(tina.get(path))
        assert "Bob" in text, path
        assert "Quentin" not in text, path

    quentin = signed_in(app, "quentin")
    assert quentin.get(f"/classes/{classroom.id}").status_code == 404
    assert classroom.name not in page(quentin.get("/classes"))
    assert tina.get(f"/teach/classes/{classroom.id}/students/{quentin_user.id}").status_code == 404


def test_removing_someone_not_in_the_class_is_not_found(tina, make_user):
    classroom = created_class(tina)
    carl = make_user("carl")
    assert tina.post(f"/teach/classes/{classroom.id}/members/{carl.id}/remove").status_code == 404


def test_a_removed_student_can_join_again_with_the_code(app, tina, make_user):
    classroom = created_class(tina)
    ana_user = make_user("ana")
    ana = signed_in(app, "ana")
    ana.post("/classes/join", data={"code": classroom.join_code})
    tina.post(f"/teach/classes/{classroom.id}/members/{ana_user.id}/remove")
    assert ana.post("/classes/join", data={"code": classroom.join_code}).status_code == 302
    assert count(Membership) == 1


def test_the_class_page_lists_its_assignments(tina, tiny_bank):
    classroom = created_class(tina)
    classrooms.create_assignment(classroom, tiny_bank["two-grain"], utcnow(), utcnow() + timedelta(days=2))
    text = page(tina.get(f"/teach/classes/{classroom.id}"))
    assert "Two on cargo" in text and count(Assignment) == 1


def test_a_removed_student_cannot_go_on_with_an_assignment_attempt(classroom, tiny_bank):
    from quizapp.services import attempts
    from tests.support.builders import any_response, assign, member

    assignment = assign(classroom, tiny_bank["everything"])
    ana = member(classroom, "ana")
    attempt = attempts.start_assignment_attempt(ana, assignment)
    classrooms.remove_member(classroom, ana.id)
    item = attempt.items[0]
    with pytest.raises(attempts.AttemptFinished, match="no longer in this class"):
        attempts.record_answer(attempt, item.question_id, any_response(item))


def test_a_join_code_clash_is_retried_and_the_class_still_created(teacher, monkeypatch):
    first = classrooms.create_classroom(teacher, "First")
    codes = iter([first.join_code, "NEW234"])
    monkeypatch.setattr(classrooms, "new_join_code", lambda: next(codes))
    second = classrooms.create_classroom(teacher, "Second")
    assert second.id is not None and second.join_code == "NEW234"
    assert count(Classroom) == 2
