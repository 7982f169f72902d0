"""Bearer-token authentication for the API. Browser sessions are not accepted here,
so the API needs no CSRF protection."""

from functools import wraps

from flask import g, request

from quizapp.errors import json_error
from quizapp.services import users


def bearer_token() -> str | None:
    """The token of the request's ``Authorization: Bearer`` header, if it has one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def unauthorized():
    return json_error(401, "unauthorized",
                      "Send 'Authorization: Bearer <token>'; get a token from POST /api/v1/tokens.",
                      {"WWW-Authenticate": 'Bearer realm="quizapp"'})


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer_token()
        user = users.user_for_token(token) if token else None
        if user is None:
            return unauthorized()
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper
