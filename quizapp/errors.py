"""Error pages for people and JSON errors for the API, never a stack trace.

The database going away (PostgreSQL stopped or refusing connections, the SQLite file read-only or
gone) is a 503 with Retry-After, saying that nothing was saved; the connections that met the outage
are replaced, so the app works again as soon as the database does, without a restart.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3

from flask import Blueprint, Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, RequestEntityTooLarge

from quizapp.domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from quizapp.extensions import db, login_manager

DATABASE_UNAVAILABLE = "The database is not available just now; nothing was saved. Try again in a moment."
RETRY_AFTER_SECONDS = 10
# SQLite result codes (low byte) that mean the file cannot be used now, not a mistake in the SQL:
# BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
SQLITE_UNAVAILABLE = {5, 6, 8, 10, 13, 14, 15}
# Of those, the ones after which a connection should be opened afresh: READONLY (the file was
# read-only when it was opened, or was replaced since), IOERR, CANTOPEN.
SQLITE_REOPEN = {8, 10, 14}


class InvalidInput(BadRequest):
    """A request refused at the edge (``quizapp.security``): a 400 whose JSON error names what was wrong with
    ``error_code`` (``invalid_text``, ``nested_too_deeply``)."""

    def __init__(self, error_code: str, description: str):
        super().__init__(description)
        self.error_code = error_code


# What a person is told for the errors a page may meet, instead of the server library's stock sentences.
PLAIN_WORDS = {
    400: ("Something in that request was not right",
          "The page could not use what was sent. Go back, check what you entered and try again."),
    403: ("Not yours to open", "This page belongs to another person's account or class."),
    404: ("Page not found", "There is no page at this address: the link may be mistyped or out of date, or what "
                            "it pointed to has been deleted."),
    405: ("That does not work here", "This address cannot be used that way. Go back and use the page's buttons."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, headers: dict | None = None):
    """The API's one error shape: ``{"error": {"status", "code", "message"}}``."""
    response = jsonify(error={"status": status, "code": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


GENERIC_MESSAGES = {kind.message for kind in (DomainError, NotFound, Forbidden, Conflict, Invalid)}


def domain_error_json(error: DomainError):
    """A service's refusal as the API's error: its status, code and message."""
    return json_error(error.status, error.code, str(error))


def domain_error_page(error: DomainError):
    """A service's refusal as a page: the plain title of its status, and its message (or the plain words
    for the status when it brings none of its own)."""
    title, message = PLAIN_WORDS.get(error.status, ("Not possible", str(error)))
    if str(error) not in GENERIC_MESSAGES:
        message = str(error)
    return render_template("error.html", status=error.status, title=title, message=message), error.status


def handle_domain_errors(blueprint: Blueprint, handler=None) -> None:
    """Give ``blueprint`` its one handler for the services' ``DomainError``s: ``handler``, or the error
    page. The API's passes ``domain_error_json``."""
    blueprint.register_error_handler(DomainError, handler or domain_error_page)


def _code(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_")


def _sqlite_code(error: BaseException | None) -> int | None:
    if isinstance(error, sqlite3.Error) and getattr(error, "sqlite_errorcode", None) is not None:
        return error.sqlite_errorcode & 0xFF
    return None


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached or written just now (as opposed to a bug):
    a lost connection, a refused one, no pooled connection free in time, or a SQLite file that is locked,
    read-only or missing."""
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.Error):  # sqlite3 reports SQL mistakes as OperationalError too
        return _sqlite_code(error.orig) in SQLITE_UNAVAILABLE
    return isinstance(error, OperationalError)


def recover_from_outages(engine: Engine) -> None:
    """Make the pool replace connections that met an outage, so none outlives it.

    PostgreSQL: ``pool_pre_ping`` (in the configuration) already swaps a dead connection for a new one.
    SQLite: a connection opened while the file was read-only stays read-only after the file is writable
    again, and one whose file was replaced keeps the old file. Such errors count as disconnects (the
    pool is invalidated), and a connection opened read-only is reopened once the file is writable.
    """

    def lost_file(context) -> None:
        if _sqlite_code(context.original_exception) in SQLITE_REOPEN:
            context.is_disconnect = True
            # SQLAlchemy leaves the cursor of a disconnect open, and its statement would keep the closed
            # sqlite3 connection alive (until garbage collection) holding the WAL index open read-only:
            # the new connections of this process would share it, and stay read-only.
            cursor = getattr(context.execution_context, "cursor", None)
            if cursor is not None:
                with contextlib.suppress(Exception):
                    cursor.close()

    event.listen(engine, "handle_error", lost_file)
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return

    def writable() -> bool:
        file_ok = not os.path.exists(path) or os.access(path, os.W_OK)
        return file_ok and os.access(os.path.dirname(os.path.abspath(path)), os.W_OK)

    def note_read_only(_connection, record) -> None:
        record.info["opened_read_only"] = not writable()

    def reopen_if_writable(_connection, record, _proxy) -> None:
        if record.info.get("opened_read_only") and writable():
            raise DisconnectionError("The SQLite file is writable again; opening a new connection.")

    event.listen(engine, "connect", note_read_only)
    event.listen(engine, "checkout", reopen_if_writable)


def register(app: Flask) -> None:
    with app.app_context():
        recover_from_outages(db.engine)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "The form expired or was sent from elsewhere. Go back, reload the page and try again."
        return render_template("error.html", status=400, title="Form expired", message=message), 400

    @app.errorhandler(429)
    def too_many_requests(error: HTTPException):
        message = "Too many tries in a short time. Wait a minute, then try again."
        headers = {"Retry-After": error.get_response().headers.get("Retry-After", "60")}
        if wants_json():
            return json_error(429, "too_many_requests", message, headers)
        return render_template("error.html", status=429, title="Too many requests", message=message), 429, headers

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """A refusal from a service called outside the four blueprints, whose own handlers come first."""
        return domain_error_json(error) if wants_json() else domain_error_page(error)

    @app.errorhandler(InvalidInput)
    def invalid_input(error: InvalidInput):
        if wants_json():
            return json_error(400, error.error_code, error.description)
        return render_template("error.html", status=400, title="Not something we can take",
                               message=error.description), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        largest = request.max_content_length
        size = f" ({largest / 1024 / 1024:g} MB)" if largest and largest >= 1024 * 1024 else \
            f" ({largest // 1024} KB)" if largest else ""
        message = f"That is more than can be sent here at once{size}; nothing was saved. Send less, or split it."
        if wants_json():
            return json_error(413, "too_large", message)
        return render_template("error.html", status=413, title="Too large", message=message), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
            return json_error(error.code or 500, _code(error), error.description or error.name, headers)
        title, message = PLAIN_WORDS.get(error.code, (error.name, error.description))
        if error.description != type(error).description:  # the view said what was wrong: that says more
            message = error.description
        return render_template("error.html", status=error.code, title=title, message=message), error.code

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeoutError)
    def database_error(error: Exception):
        if not database_unavailable(error):
            return unexpected_error(error)
        # The driver's message only: the statement's parameters may hold answers or token digests.
        app.logger.error("The database is unavailable (%s %s): %s", request.method, request.path,
                         getattr(error, "orig", None) or error)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if wants_json():
            _release_session()
            return json_error(503, "database_unavailable", DATABASE_UNAVAILABLE, headers)
        # The page's header shows who is signed in: only from what is already loaded, not from the database.
        g._login_user = _user_already_loaded()
        try:
            page = render_template("error.html", status=503, title="Database unavailable",
                                   message=DATABASE_UNAVAILABLE)
        except Exception:
            app.logger.exception("Could not render the database-unavailable page")
            page = f"<!doctype html><title>Database unavailable</title><p>{DATABASE_UNAVAILABLE}</p>"
        _release_session()
        return page, 503, headers

    def _release_session() -> None:
        try:
            db.session.rollback()
        except Exception:  # the connection may be gone as well
            app.logger.warning("Rolling back after the database became unavailable failed", exc_info=True)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        generic = InternalServerError()
        if wants_json():
            return json_error(500, "internal_server_error", "Something went wrong on our side; nothing was saved.")
        return render_template("error.html", status=500, title=generic.name,
                               message="Something went wrong on our side; nothing was saved. Try again."), 500


def _user_already_loaded():
    """The signed-in user if loading them needs no query now, else an anonymous user."""
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        state = inspect(user, raiseerr=False)
        if state is not None and {"display_name", "role"} <= state.dict.keys():
            return user
    return login_manager.anonymous_user()
