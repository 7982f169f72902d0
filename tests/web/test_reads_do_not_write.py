"""Reads do not write: with a timed attempt abandoned past its deadline, no page or API route that reads
results closes it or recounts anything; each still shows it finished at its deadline with its score.
Closing it is a write of its own (``flask attempts close-overdue``, the app's start, the next write)."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import AssignmentResult, Attempt, ClassStanding, utcnow
from quizapp.services import attempts
from tests.support import PASSWORD
from tests.support.builders import any_response, assign, member
from tests.support.pages import signed_in

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def writes():
    """The INSERT, UPDATE and DELETE statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many):
        if statement.lstrip().upper().startswith(WRITES):
            seen.append(" ".join(statement.split())[:160])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def abandoned(app, classroom, tiny_bank):
    """Ana walked away from a 10-minute attempt an hour ago with one answer given; Ben finished his."""
    assignment = assign(classroom, tiny_bank["everything"], time_limit_minutes=10)
    ana, ben = member(classroom, "ana"), member(classroom, "ben")
    at = utcnow() - timedelta(hours=1)
    left = attempts.start_assignment_attempt(ana, assignment, now=at)
    attempts.record_answer(left, left.items[0].question_id, any_response(left.items[0]), now=at + timedelta(minutes=1))
    done = attempts.start_assignment_attempt(ben, assignment, now=at)
    attempts.finish_attempt(done, now=at + timedelta(minutes=2))
    return assignment, left


def test_no_read_closes_the_abandoned_attempt(app, classroom, abandoned):
    assignment, left = abandoned
    student, teacher = signed_in(app, "ana"), signed_in(app, "tina")
    token = app.test_client().post("/api/v1/tokens", auth=("ana", PASSWORD)).get_json()["token"]
    teacher_token = app.test_client().post("/api/v1/tokens", auth=("tina", PASSWORD)).get_json()["token"]
    api = app.test_client()
    routes = [
        (student, f"/attempts/{left.id}", {}),
        (student, f"/attempts/{left.id}/results", {}),
        (student, f"/assignments/{assignment.id}/leaderboard", {}),
        (student, f"/classes/{classroom.id}/leaderboard", {}),
        (student, f"/classes/{classroom.id}", {}),
        (student, "/", {}),
        (student, "/history", {}),
        (student, "/practice", {}),
        (student, "/practice/question", {}),
        (student, "/practice/settings", {}),
        (student, "/progress", {}),
        (teacher, "/teach/", {}),
        (teacher, f"/teach/classes/{classroom.id}/gradebook", {}),
        (teacher, f"/teach/classes/{classroom.id}/gradebook.csv", {}),
        (teacher, f"/teach/assignments/{assignment.id}", {}),
        (teacher, f"/teach/classes/{classroom.id}/students/{left.user_id}", {}),
        (api, f"/api/v1/attempts/{left.id}", {"Authorization": f"Bearer {token}"}),
        (api, f"/api/v1/attempts/{left.id}/question", {"Authorization": f"Bearer {token}"}),
        (api, f"/api/v1/attempts/{left.id}/result", {"Authorization": f"Bearer {token}"}),
        (api, f"/api/v1/assignments/{assignment.id}/leaderboard", {"Authorization": f"Bearer {token}"}),
        (api, f"/api/v1/classes/{classroom.id}/leaderboard", {"Authorization": f"Bearer {token}"}),
        (api, "/api/v1/reviews/due", {"Authorization": f"Bearer {token}"}),
        (api, "/api/v1/reviews/due?mode=ahead", {"Authorization": f"Bearer {token}"}),
        (api, "/api/v1/progress", {"Authorization": f"Bearer {token}"}),
        (api, f"/api/v1/classes/{classroom.id}/gradebook", {"Authorization": f"Bearer {teacher_token}"}),
        (api, f"/api/v1/assignments/{assignment.id}/statistics", {"Authorization": f"Bearer {teacher_token}"}),
    ]
    for client, path, headers in routes:
        db.session.expire_all()
        with writes() as seen:
            response = client.get(path, headers=headers)
        assert response.status_code in (200, 302, 409), (path, response.status_code)
        assert seen == [], (path, seen)
    db.session.expire_all()
    assert db.session.get(Attempt, left.id).finished_at is None
    assert db.session.scalar(select(AssignmentResult.id).where(AssignmentResult.user_id == left.user_id)) is None


def test_the_reads_show_it_as_closing_it_will_store_it(app, classroom, abandoned, runner):
    assignment, left = abandoned
    api = app.test_client()
    token = api.post("/api/v1/tokens", auth=("ana", PASSWORD)).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def shown():
        db.session.expire_all()
        return (api.get(f"/api/v1/attempts/{left.id}/result", headers=headers).get_json(),
                api.get(f"/api/v1/assignments/{assignment.id}/leaderboard", headers=headers).get_json(),
                api.get(f"/api/v1/classes/{classroom.id}/leaderboard", headers=headers).get_json())

    before = shown()
    assert before[0]["finished_at"] is not None and before[1]["you"] is not None and before[2]["you"] is not None
    result = runner.invoke(args=["attempts", "close-overdue"])
    assert result.exit_code == 0 and "closed 1 overdue attempt" in result.output, result.output
    assert shown() == before
    db.session.expire_all()
    attempt = db.session.get(Attempt, left.id)
    assert attempt.finished_at == attempt.deadline_at
    assert db.session.scalar(select(ClassStanding.score).where(ClassStanding.user_id == left.user_id)) == attempt.score
    assert runner.invoke(args=["attempts", "close-overdue"]).output.strip() == "closed 0 overdue attempts"


def test_showing_a_question_is_the_one_read_that_writes(app, classroom, tiny_bank):
    """``AttemptItem.presented_at``: the server counts an answer's seconds from when the question was
    first shown, so the GET that shows it stores that, once."""
    assignment = assign(classroom, tiny_bank["everything"], time_limit_minutes=10)
    attempt = attempts.start_assignment_attempt(member(classroom, "ana"), assignment)
    student = signed_in(app, "ana")
    with writes() as seen:
        assert student.get(f"/attempts/{attempt.id}").status_code == 200
    assert len(seen) == 1 and seen[0].startswith("UPDATE attempt_item SET presented_at"), seen
    with writes() as seen:
        assert student.get(f"/attempts/{attempt.id}").status_code == 200
    assert seen == []
