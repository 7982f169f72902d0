"""The ceiling for `bench/answers.py`: the least a web request that stores one row can cost.

A Flask + Flask-SQLAlchemy app with one table and one POST route that inserts one row and commits,
served by gunicorn with the same workers and threads as quizapp. On SQLite it gets the same
connection settings as quizapp (WAL, the busy timeout, foreign keys), so the two pay for the same
durable commit.

    MINIMAL_DATABASE_URL=sqlite:////tmp/minimal.sqlite \\
        .venv/bin/gunicorn --workers 3 --threads 4 --bind 127.0.0.1:5001 'minimal_app:create_app()'

(run from bench/, or with ``--chdir bench``). The table is created by ``create_schema(url)``
before the server starts, so several worker processes never race to create it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SQLITE_BUSY_TIMEOUT_MS = 15000  # as quizapp's SQLITE_BUSY_TIMEOUT_MS


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


class Entry(db.Model):
    """One posted row: what quizapp's answer row carries, minus the grading."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int]
    question_id: Mapped[int]
    response: Mapped[object] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _sqlite_settings(connection, _record) -> None:
    """The same per-connection settings quizapp.database gives SQLite."""
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS:d}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ["MINIMAL_DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as quizapp
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_settings)

    @app.get("/")
    def alive():
        return jsonify(ok=True)

    @app.post("/entries")
    def add_entry():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("question_id"), int):
            return jsonify(error="send {attempt_id, question_id, response}"), 400
        entry = Entry(attempt_id=int(body.get("attempt_id") or 0), question_id=body["question_id"],
                      response=body.get("response"), created_at=datetime.now(UTC))
        db.session.add(entry)
        db.session.commit()
        return jsonify(id=entry.id, question_id=entry.question_id, response=entry.response), 201

    return app


def create_schema(url: str) -> None:
    """Create the one table (dropping an old one) before the server starts."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()


def count_entries(url: str) -> int:
    from sqlalchemy import func, select

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Entry.__table__))
    finally:
        engine.dispose()
