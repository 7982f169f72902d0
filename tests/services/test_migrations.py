"""The migrations build exactly the schema the models describe, and undo cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from quizapp.extensions import db


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_gives_the_models_schema(app):
    db.session.remove()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []
    assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_leaderboard_and_lookup_columns_are_indexed(app):
    inspector = inspect(db.engine)
    indexes = {ix["name"] for table in ("attempt", "answer", "question") for ix in inspector.get_indexes(table)}
    assert {"ix_attempt_user_started", "ix_attempt_quiz_user", "ix_answer_question_id"} <= indexes


def test_the_extension_and_account_migrations_keep_a_schools_answers(app, teacher, classroom, tiny_bank):
    """0012 (extensions, archiving) and 0013 (one-time passwords, the school's time zone) run over a database
    that already holds answers: taken down to 0011 and up again, every answer stays, the new columns start
    empty or false, and the student still signs in with her password."""
    from sqlalchemy import func, select

    from quizapp.models import Answer, Assignment, Attempt, User
    from quizapp.services import attempts, users
    from tests.support import PASSWORD
    from tests.support.builders import any_response, assign, member

    ana = member(classroom, "ana")
    attempt = attempts.start_assignment_attempt(ana, assign(classroom, tiny_bank["everything"]))
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)
    before = {model: db.session.scalar(select(func.count()).select_from(model)) for model in (Answer, Attempt)}
    db.session.remove()
    downgrade(revision="0011")
    assert "assignment_extension" not in inspect(db.engine).get_table_names()
    upgrade()
    assert schema_differences() == []
    assert {model: db.session.scalar(select(func.count()).select_from(model)) for model in (Answer, Attempt)} == before
    student = db.session.scalar(select(User).where(User.username == "ana"))
    assert student.must_choose_password is False and student.one_time_password_expires_at is None
    assert db.session.scalar(select(Assignment.archived_at)) is None
    assert users.authenticate("ana", PASSWORD) is not None
