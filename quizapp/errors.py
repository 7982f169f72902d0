"""Error pages for people and JSON errors for the API, never a stack trace."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from quizapp.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, headers: dict | None = None):
    """The API's one error shape: ``{"error": {"status", "code", "message"}}``."""
    response = jsonify(error={"status": status, "code": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _code(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_")


def register(app: Flask) -> None:
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

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
            return json_error(error.code or 500, _code(error), error.description or error.name, headers)
        return render_template("error.html", status=error.code, title=error.name,
                               message=error.description), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        generic = InternalServerError()
        if wants_json():
            return json_error(500, "internal_server_error", "Something went wrong on our side; nothing was saved.")
        return render_template("error.html", status=500, title=generic.name,
                               message="Something went wrong on our side; nothing was saved. Try again."), 500
