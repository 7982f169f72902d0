"""API routes for taking quizzes; each mirrors a step of the student flow in the pages."""

from datetime import timedelta

from flask import abort, current_app, g, jsonify, request

from quizapp.api import schemas
from quizapp.api.auth import bearer_token, token_required, unauthorized
from quizapp.api.blueprint import bp
from quizapp.api.openapi import openapi_document
from quizapp.errors import json_error
from quizapp.security import limit_answers, limit_sign_in
from quizapp.services import attempts, users
from quizapp.services.quizzes import practice_quiz, quiz_summaries


def attempt_dict(attempt) -> dict:
    return schemas.attempt(attempt, attempts.answered_count(attempt))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document describing these routes."""
    return jsonify(openapi_document())


@bp.post("/tokens")
@limit_sign_in
def create_token():
    """Exchange a username and password (HTTP Basic) for a bearer token."""
    auth = request.authorization
    user = users.authenticate(auth.username or "", auth.password or "") if auth and auth.type == "basic" else None
    if user is None:
        return json_error(401, "unauthorized", "Send a valid username and password with HTTP Basic.",
                          {"WWW-Authenticate": 'Basic realm="quizapp"'})
    lifetime = timedelta(hours=current_app.config["API_TOKEN_LIFETIME_HOURS"])
    token, expires_at = users.issue_token(user, lifetime)
    return jsonify(token=token, token_type="Bearer", expires_at=expires_at.isoformat(),
                   user={"username": user.username, "role": user.role.value}), 201


@bp.get("/quizzes")
@token_required
def list_quizzes():
    """The quizzes the caller may practise: those of the bundled banks (and a teacher's own)."""
    return jsonify(quizzes=[schemas.quiz_summary(s) for s in quiz_summaries(g.api_user)])


@bp.post("/quizzes/<int:quiz_id>/attempts")
@token_required
def start_attempt(quiz_id: int):
    """Start an attempt at a quiz."""
    attempt = attempts.start_practice(g.api_user, practice_quiz(quiz_id, g.api_user)).attempt
    return jsonify(attempt_dict(attempt)), 201


@bp.get("/attempts/<int:attempt_id>")
@token_required
def get_attempt(attempt_id: int):
    """An attempt's progress."""
    return jsonify(attempt_dict(attempts.get_own_attempt(g.api_user, attempt_id)))


@bp.get("/attempts/<int:attempt_id>/question")
@token_required
def current_question(attempt_id: int):
    """The next unanswered question, without its key; null once all are answered."""
    attempt = attempts.get_own_attempt(g.api_user, attempt_id)
    if attempt.is_finished:
        return json_error(409, "attempt_finished", "This attempt is finished.")
    item = attempts.current_item(attempt)
    return jsonify(question=attempts.question_view(item, len(attempt.items)) if item else None)


@bp.post("/attempts/<int:attempt_id>/answers")
@limit_answers
def submit_answer(attempt_id: int):
    """Record an answer; the reply is the feedback, or only that it was saved when the quiz gives feedback
    at the end.

    The hottest route: the token, the attempt and the item are read in one statement
    (``attempts.read_for_answer``), then the answer is inserted if the attempt is still open, and committed.
    The checks and replies are those of ``token_required`` and ``_attempt``, in the same order."""
    body = request.get_json(silent=True)
    read = attempts.read_for_answer(users.token_digest(bearer_token() or ""), attempt_id,
                                    body.get("question_id") if isinstance(body, dict) else None)
    if read.user_id is None:
        return unauthorized()
    if read.attempt is None:
        abort(404, description="No such attempt.")
    if read.attempt.user_id != read.user_id:
        abort(403, description="This attempt belongs to someone else.")
    question_id, raw = _answer_body(body)
    feedback = attempts.record_answer(read.attempt, question_id, raw, read=read)
    return jsonify(schemas.feedback(feedback)), 201


def _answer_body(body) -> tuple[int, list[str]]:
    """Read ``{"question_id": int, "response": str | bool | [str]}`` or abort with 400."""
    if not isinstance(body, dict):
        abort(400, description="Send a JSON object: {\"question_id\": 1, \"response\": ...}.")
    question_id = body.get("question_id")
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        abort(400, description="'question_id' must be an integer.")
    raw = raw_response(body.get("response"))
    if raw is None:
        abort(400, description="'response' must be a string, a boolean, or a list of strings.")
    return question_id, raw


def raw_response(response) -> list[str] | None:
    """A body's ``response`` (a string, a boolean, or a list of 1 to 50 strings) as the services' raw
    response, or None when it is none of those."""
    if isinstance(response, bool):
        return ["true" if response else "false"]
    if isinstance(response, str | int):
        return [str(response)]
    if isinstance(response, list) and 0 < len(response) <= 50 and all(
        isinstance(r, str | int) and not isinstance(r, bool) for r in response
    ):
        return [str(r) for r in response]
    return None


@bp.post("/attempts/<int:attempt_id>/finish")
@token_required
def finish_attempt(attempt_id: int):
    """Finish the attempt and return its result."""
    attempt = attempts.finish_attempt(attempts.get_own_attempt(g.api_user, attempt_id))
    return jsonify(schemas.result(attempt, attempts.review_for(attempt, g.api_user)))


@bp.get("/attempts/<int:attempt_id>/result")
@token_required
def attempt_result(attempt_id: int):
    """A finished attempt's score and review."""
    attempt = attempts.get_own_attempt(g.api_user, attempt_id)
    if not attempt.is_finished:
        return json_error(409, "attempt_not_finished", "Finish the attempt first.")
    return jsonify(schemas.result(attempt, attempts.review_for(attempt, g.api_user)))
