"""API routes for spaced practice: the due queue, answering a question of it (a review of its card), the
student's own rating of their recall, and progress. They mirror the practice pages.

A question of the queue is shown without its key, with a signed token naming it as shown (to whom, its
choices' order, when, and the card as it was): showing writes nothing, and the answer brings the token back. Anyone
with an account practises their own cards, as anyone may take a practice quiz; nobody reads another's."""

from flask import abort, current_app, g, jsonify, request

from quizapp.api import schemas
from quizapp.api.auth import token_required
from quizapp.api.blueprint import bp
from quizapp.api.views import raw_response
from quizapp.domain.practice import RATINGS_BY_NAME
from quizapp.formatting import school_zone
from quizapp.security import limit_answers
from quizapp.services import practice

QUEUE_LIMIT = 50
"""The most questions one ``GET /reviews/due`` shows."""
QUEUE_DEFAULT = 20
FORECAST_DAYS = 14
FORECAST_MAX_DAYS = 60
MAX_ID = 2**31 - 1  # ids are the database's 32-bit integers (quizapp.routing)
RATING_WORDS = "'rating' must be one of " + ", ".join(RATINGS_BY_NAME) + "."


def _whole_number(name: str, default: int | None, low: int, high: int) -> int | None:
    """Query parameter ``name``, given at most once, a whole number from ``low`` to ``high``; ``default``
    when absent; 400 otherwise."""
    values = request.args.getlist(name)
    if not values:
        return default
    value = values[0]
    if len(values) > 1 or not (value.isascii() and value.isdecimal() and low <= int(value) <= high):
        abort(400, description=f"'{name}' must be a whole number from {low} to {high}, given once.")
    return int(value)


def _mode() -> str:
    values = request.args.getlist("mode")
    if not values:
        return "due"
    if len(values) > 1 or values[0] not in practice.MODES:
        abort(400, description="'mode' must be one of " + ", ".join(practice.MODES) + ", given once.")
    return values[0]


@bp.get("/reviews/due")
@token_required
def due_reviews():
    """The caller's practice queue, each question without its key and with the token to answer it by."""
    mode = _mode()
    part_id = _whole_number("part", None, 1, MAX_ID)
    limit = _whole_number("limit", QUEUE_DEFAULT, 1, QUEUE_LIMIT)
    if mode == "part":
        if part_id is None:
            abort(400, description="mode=part needs 'part', the id of a key point, FAQ or section.")
        practice.practice_part(g.api_user, part_id)  # NotFound for one the caller may not practise
    queue = practice.queue(g.api_user, school_zone(), mode=mode, part_id=part_id if mode == "part" else None,
                           size=limit)
    secret = current_app.secret_key
    shown = [(item, practice.show(g.api_user, item)) for item in queue.items]
    items = [schemas.due_item(item, s, position, len(shown), practice.seal(s, secret))
             for position, (item, s) in enumerate(shown, start=1)]
    return jsonify(schemas.practice_queue(queue, mode, items))


def _rating(body: dict, required: bool) -> str | None:
    if "rating" not in body and not required:
        return None
    rating = body.get("rating")
    if not isinstance(rating, str) or rating not in RATINGS_BY_NAME:
        abort(400, description=RATING_WORDS)
    return rating


@bp.post("/reviews")
@limit_answers
@token_required
def create_review():
    """Answer a question of the queue (its token and the response): the card is reviewed with the rating
    the answer gives, or with the caller's own ``rating`` when the body has one (in the same write).
    Counted against the answer rate limit, with the quizzes' answers."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description='Send a JSON object: {"token": "…", "response": ["1"], "rating": "good"}.')
    token = body.get("token")
    if not isinstance(token, str) or not token:
        abort(400, description="'token' must be the token the question came with from GET /reviews/due.")
    raw = raw_response(body.get("response"))
    if raw is None:
        abort(400, description="'response' must be a string, a boolean, or a list of strings.")
    rating = _rating(body, required=False)
    shown = practice.unseal(token, current_app.secret_key)  # one shown to someone else: bad_token
    feedback = practice.answer(g.api_user, shown, raw, rating_name=rating)
    return jsonify(schemas.practice_review(feedback)), 201


@bp.put("/reviews/<int:review_id>/rating")
@token_required
def rate_review(review_id: int):
    """Replace a review's rating with the caller's own (again, hard, good, easy), after its feedback."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description='Send a JSON object: {"rating": "good"}.')
    feedback = practice.rate(g.api_user, review_id, _rating(body, required=True))
    return jsonify(schemas.practice_review(feedback))


@bp.get("/progress")
@token_required
def progress():
    """The caller's progress: recall per key point, FAQ and section; the reviews due each coming day; the
    streak of practice days."""
    days = _whole_number("days", FORECAST_DAYS, 1, FORECAST_MAX_DAYS)
    return jsonify(schemas.practice_progress(practice.progress(g.api_user, school_zone(), days=days)))
