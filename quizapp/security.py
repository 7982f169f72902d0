"""What every response carries for the browser's protection, and the rate limits on signing in and
answering.

The Content-Security-Policy allows scripts, styles and images from the app's own origin only: no
inline script or style attribute runs, and no other site may frame the app. Rate limits are kept per
username for signing in (a class behind one school address signs in at once) and per person for
answers; their store is memory by default (per server process) or ``RATELIMIT_STORAGE_URI``.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request
from flask_login import current_user

from quizapp.extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def sign_in_key() -> str:
    """Whose sign-in attempts these are: the username tried (HTTP Basic or the form), else the address."""
    username = request.authorization.username if request.authorization else request.form.get("username")
    if isinstance(username, str) and username.strip():
        return "sign-in:" + username.strip().casefold()
    return "sign-in-from:" + (request.remote_addr or "unknown")


def person_key() -> str:
    """Who is answering: the API token sent (limits are checked before the token is looked up), or the
    signed-in person, else the address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "from:" + (request.remote_addr or "unknown")


def sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def answer_limit() -> str:
    return current_app.config["ANSWER_RATE_LIMIT"]


def limit_sign_in(view):
    """At most SIGN_IN_RATE_LIMIT posted sign-ins per username; showing the form is never limited."""
    return limiter.limit(sign_in_limit, key_func=sign_in_key, methods=["POST"])(view)


def limit_answers(view):
    """At most ANSWER_RATE_LIMIT answers per person."""
    return limiter.limit(answer_limit, key_func=person_key, methods=["POST"])(view)


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
