"""Points are stored and summed exactly, and written one way on pages, in the API and in CSV files.

Partial credit summed as floating point once printed 39 points as "39." on the results page and in My
attempts: ten answers of 0.1 point added up to 0.9999999999999999 in SQL, and the formatting left the
point behind.
"""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, select, text

from quizapp.domain.csv_export import to_csv
from quizapp.domain.points import points_text
from quizapp.extensions import db
from quizapp.models import Answer, AssignmentResult, Attempt, ClassStanding, utcnow
from quizapp.services import attempts, gradebook
from tests.support import PASSWORD
from tests.support.api_client import basic, bearer
from tests.support.builders import assign, member
from tests.support.pages import page, signed_in


@pytest.mark.parametrize(("value", "shown"), [
    (39.0, "39"), (0.9999999999999999, "1"), (38.99999999, "39"), (38.5, "38.5"), (2 / 3, "0.67"),
    (0.1 + 0.2, "0.3"), (0.0, "0"), (-0.001, "0"), (123456.78, "123456.78"), (12.10, "12.1"),
])
def test_points_are_written_to_the_hundredth_without_trailing_zeros(value, shown):
    assert points_text(value) == shown


# Partial credit that floating point adds up to 0.9999999999999999, not 1.
DRIFTING = [0.7, 0.1, 0.1, 0.1, 0.0, 0.0]


def _answer_drifting(attempt: Attempt) -> None:
    now = utcnow()
    for item, points in zip(attempt.items, DRIFTING, strict=True):
        db.session.execute(insert(Answer).values(
            attempt_id=attempt.id, question_id=item.question_id, question_version=item.version, response=["x"],
            is_correct=False, score=points, points_awarded=points, seconds=1.0, answered_at=now))
    db.session.commit()


def test_partial_credit_adds_up_exactly_everywhere(app, classroom, tiny_bank):
    """Each attempt earns 0.7 + 0.1 + 0.1 + 0.1 = 1 point: the results, My attempts, the API, the
    standings and the CSV files all say 1, never "1." or 0.99."""
    assert sum(DRIFTING) != 1
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=3)
    ana = member(classroom, "ana")
    for _ in range(2):
        attempt = attempts.start_assignment_attempt(ana, assignment)
        _answer_drifting(attempt)
        attempts.finish_attempt(attempt)
        db.session.refresh(attempt)
        assert attempt.score == 1
    assert db.session.scalar(select(text("score")).select_from(Attempt).where(Attempt.id == attempt.id)) == 100

    client = signed_in(app, "ana")
    assert "1 of 7 points" in page(client.get(f"/attempts/{attempt.id}/results"))
    assert "1 / 7 (14.3%)" in page(client.get("/history"))
    assert db.session.scalar(select(AssignmentResult)).score == 1
    assert db.session.scalar(select(ClassStanding)).score == 1
    assert ",1,7,2," in gradebook.gradebook_csv(gradebook.gradebook(classroom))
    assert ",0.7," in gradebook.answers_csv(assignment)
    api = app.test_client()
    token = api.post("/api/v1/tokens", headers=basic("ana", PASSWORD)).get_json()["token"]
    result = api.get(f"/api/v1/attempts/{attempt.id}/result", headers=bearer(token)).get_json()
    assert result["score"] == 1 and result["percentage"] == 14.3


def test_a_float_is_written_in_csv_as_points_are():
    assert to_csv(["points"], [[0.1 + 0.2], [39.0], [2 / 3]]).splitlines()[1:] == ["0.3", "39", "0.67"]


def test_the_migration_turns_stored_floats_into_exact_hundredths(app):
    """A database of 0009 holding a drifted total upgrades to hundredths, and back."""
    db.session.remove()
    downgrade(revision="0009")
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO \"user\" (id, username, display_name, password_hash, role, created_at) "
            "VALUES (1, 'ana', 'Ana', 'x', 'student', '2026-01-01 00:00:00+00:00')"))
        connection.execute(text(
            "INSERT INTO bank (id, key, title, description, source_title, loaded_at, archived, source_text) "
            "VALUES (1, 'b', 'B', '', 'S', '2026-01-01 00:00:00+00:00', false, '')"))
        connection.execute(text(
            "INSERT INTO quiz (id, bank_id, key, title, description, sources, tags, shuffle, archived, "
            "question_keys, feedback) VALUES (1, 1, 'q', 'Q', '', '[]', '[]', true, false, '[]', 'after_each')"))
        connection.execute(text(
            "INSERT INTO attempt (id, quiz_id, user_id, started_at, score, max_score, feedback) "
            "VALUES (1, 1, 1, '2026-01-01 00:00:00+00:00', 38.99999999999999, 49.0, 'after_each')"))
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT score, max_score FROM attempt")).one() == (3900, 4900)
    assert db.session.get(Attempt, 1).score == 39.0
    db.session.remove()
    downgrade(revision="0009")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT score FROM attempt")).scalar() == 39.0
    upgrade()

