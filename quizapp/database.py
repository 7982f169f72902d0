"""Connection settings the database needs for several server processes at once.

SQLite gets write-ahead logging (readers never wait for the writer), a busy timeout (a writer waits
its turn instead of answering "database is locked") and foreign keys enforced, on every connection.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from quizapp.extensions import db


def register(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
        event.listen(engine, "connect", lambda connection, _record: configure_sqlite(connection, timeout_ms))


def configure_sqlite(connection, timeout_ms: int) -> None:
    """WAL, a busy timeout and foreign keys for one new SQLite connection."""
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {timeout_ms:d}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
