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
