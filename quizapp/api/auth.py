"""Bearer-token authentication for the API. Browser sessions are not accepted here,
so the API needs no CSRF protection."""

from functools import wraps

from flask import g, request

from quizapp.errors import json_error
from quizapp.services import users


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = users.user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if user is None:
            return json_error(401, "unauthorized",
                              "Send 'Authorization: Bearer <token>'; get a token from POST /api/v1/tokens.",
                              {"WWW-Authenticate": 'Bearer realm="quizapp"'})
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper
