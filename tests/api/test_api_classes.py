"""The class routes of the API: join, assignments, leaderboards, and the teacher's gradebook,
answers and statistics. Every response is checked against the OpenAPI document (``Api``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.models import Role, utcnow
from quizapp.services import classrooms
from tests.support.api_client import Student, assert_error


@pytest.fixture
def teacher(log_in) -> Student:
    return log_in("tom", Role.TEACHER)


@pytest.fixture
def classroom(teacher, tiny_bank):
    from sqlalchemy import select

    from quizapp.models import User

    tom = db.session.scalar(select(User).where(User.username == "tom"))
    room = classrooms.create_classroom(tom, "Year 10 & <friends>")
    now = utcnow()
    assignment = classrooms.create_assignment(room, tiny_bank["everything"], now - timedelta(hours=1),
                                              now + timedelta(hours=1), attempts_allowed=1)
    return room, assignment


def join(student: Student, code: str, nickname: str = ""):
    return student.post("/classes/join", json={"code": code, "nickname": nickname})


def take_assignment(student: Student, assignment_id: int, right: int) -> dict:
    """Answer the first ``right`` questions right and the rest wrong-or-blank, then finish."""
    response = student.post(f"/assignments/{assignment_id}/attempts")
    assert response.status_code == 201, response.get_json()
    attempt = response.get_json()
    for index in range(right):
        question = student.current(attempt["id"])
        student.answer_correctly(attempt["id"], question)
        assert index < attempt["total"]
    return student.finish(attempt["id"])


def test_join_with_the_code_then_list_classes(log_in, classroom):
    room, assignment = classroom
    ana = log_in("ana")
    response = join(ana, room.join_code.lower(), "Ace")
    assert response.status_code == 201 and response.get_json()["name"] == "Year 10 & <friends>"
    (listed,) = ana.get("/classes").get_json()["classes"]
    assert listed["role"] == "student" and "join_code" not in listed
    (status,) = listed["assignments"]
    assert status["state"] == "open" and status["attempts_allowed"] == 1 and status["score"] is None


def test_join_refusals(log_in, classroom):
    room, _ = classroom
    ana = log_in("ana")
    assert_error(join(ana, "NOPE42"), 404, "unknown_code")
    join(ana, room.join_code)
    assert_error(join(ana, room.join_code), 409, "already_member")
    assert_error(ana.post("/classes/join", json=["not", "an", "object"]), 400)
    assert_error(ana.post("/classes/join", json={"code": room.join_code, "nickname": "x" * 41}), 400)


def test_assignment_attempt_limits_and_leaderboard(log_in, teacher, classroom):
    room, assignment = classroom
    ana, ben = log_in("ana"), log_in("ben")
    for student in (ana, ben):
        join(student, room.join_code)
    take_assignment(ana, assignment.id, right=6)
    take_assignment(ben, assignment.id, right=2)
    assert_error(ana.post(f"/assignments/{assignment.id}/attempts"), 409, "assignment_unavailable")

    board = ben.get(f"/assignments/{assignment.id}/leaderboard").get_json()
    assert [row["rank"] for row in board["top"]] == [1, 2]
    assert board["top"][0]["name"] == "Ana" and board["you"]["name"] == "Ben" and board["you"]["you"]
    assert "Higher score ranks first" in board["tie_break"]
    overall = teacher.get(f"/classes/{room.id}/leaderboard").get_json()
    assert overall["ranked"] == 2 and overall["you"] is None


def test_teacher_only_routes(log_in, teacher, classroom):
    room, assignment = classroom
    ana = log_in("ana")
    join(ana, room.join_code)
    take_assignment(ana, assignment.id, right=3)

    book = teacher.get(f"/classes/{room.id}/gradebook").get_json()
    (student,) = book["students"]
    assert student["username"] == "ana" and student["assignments"][0]["completion"] == "done"
    answers = teacher.get(f"/assignments/{assignment.id}/answers").get_json()["answers"]
    assert len(answers) == 3 and all(a["correct"] for a in answers)
    statistics = teacher.get(f"/assignments/{assignment.id}/statistics").get_json()
    assert statistics["attempts"] == 1 and len(statistics["questions"]) == 6

    for path in (f"/classes/{room.id}/gradebook", f"/assignments/{assignment.id}/answers",
                 f"/assignments/{assignment.id}/statistics"):
        assert_error(ana.get(path), 404)


def test_another_teacher_and_outsiders_get_404_everywhere(log_in, classroom):
    room, assignment = classroom
    other_teacher, outsider = log_in("tess", Role.TEACHER), log_in("olga")
    for user in (other_teacher, outsider):
        for path in (f"/classes/{room.id}/leaderboard", f"/assignments/{assignment.id}/leaderboard",
                     f"/classes/{room.id}/gradebook", f"/assignments/{assignment.id}/answers",
                     f"/assignments/{assignment.id}/statistics"):
            assert_error(user.get(path), 404)
        assert_error(user.post(f"/assignments/{assignment.id}/attempts"), 404)


def test_a_gradebook_page_that_is_not_one_whole_number_is_a_400(teacher, classroom):
    room, _ = classroom
    for query in ("page=0", "page=abc", "page=1.5", "page=true", "page=1&page=2", "page=%C2%B2"):
        response = teacher.get(f"/classes/{room.id}/gradebook", query_string=query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "bad_request"
    assert teacher.get(f"/classes/{room.id}/gradebook", query_string="page=1").status_code == 200
