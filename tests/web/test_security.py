"""What every response carries for the browser's protection, the session cookie's flags, the rate
limits on signing in and answering (a clear 429, page or JSON), and SQLite's settings for several
server processes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from quizapp.extensions import db
from quizapp.models import Attempt, Role
from quizapp.security import CONTENT_SECURITY_POLICY
from quizapp.services import attempts
from tests.support import PASSWORD
from tests.support.api_client import basic, bearer
from tests.support.builders import any_response
from tests.support.pages import page, signed_in

TEMPLATES = Path(__file__).parents[2] / "quizapp" / "templates"


@pytest.mark.parametrize("path", ["/", "/auth/login", "/api/v1/openapi.json", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_policy_allows_no_inline_script_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and "unsafe" not in CONTENT_SECURITY_POLICY


def test_no_template_has_an_inline_script_or_style():
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), template
        assert not re.search(r"\son[a-z]+=", source), template
        assert not re.search(r"\sstyle=|<style", source), template


def test_the_session_cookie_is_http_only_and_same_site(client, make_user):
    make_user("ana")
    response = client.post("/auth/login", data={"username": "ana", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signing_in_is_limited_per_username_with_a_clear_page(app, client, make_user, rate_limits):
    make_user("ana")
    make_user("ben")
    for _ in range(10):
        assert client.post("/auth/login", data={"username": "ana", "password": "wrong"}).status_code == 400
    refused = client.post("/auth/login", data={"username": "ana", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many tries in a short time. Wait a minute, then try again." in refused.get_data(as_text=True)
    # A classmate on the same school address signs in as usual; showing the form is never limited.
    assert app.test_client().post("/auth/login", data={"username": "ben", "password": PASSWORD}).status_code == 302
    assert client.get("/auth/login").status_code == 200


def test_api_tokens_are_limited_per_username_with_a_json_429(client, make_user, rate_limits):
    make_user("ana")
    for _ in range(10):
        client.post("/api/v1/tokens", headers=basic("ana", "wrong"))
    refused = client.post("/api/v1/tokens", headers=basic("ana", PASSWORD))
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.get_json()["error"]["code"] == "too_many_requests"


def test_answers_are_limited_per_person(app, client, make_user, tiny_bank, rate_limits):
    rate_limits["ANSWER_RATE_LIMIT"] = "3 per minute"
    make_user("ana")
    token = client.post("/api/v1/tokens", headers=basic("ana", PASSWORD)).get_json()["token"]
    attempt = client.post(f"/api/v1/quizzes/{tiny_bank['everything'].id}/attempts",
                          headers=bearer(token)).get_json()
    items = db.session.get(Attempt, attempt["id"]).items
    statuses = [client.post(f"/api/v1/attempts/{attempt['id']}/answers", headers=bearer(token),
                            json={"question_id": item.question_id, "response": any_response(item)}).status_code
                for item in items[:4]]
    assert 429 not in statuses[:3] and statuses[3] == 429
    assert len(db.session.get(Attempt, attempt["id"]).answers) == 3  # the refused one was not recorded


def test_a_teacher_signing_in_is_limited_like_anyone(client, make_user, rate_limits):
    make_user("tina", role=Role.TEACHER)
    for _ in range(10):
        client.post("/auth/login", data={"username": "TINA ", "password": "wrong"})
    assert client.post("/auth/login", data={"username": "tina", "password": PASSWORD}).status_code == 429


def test_sqlite_runs_with_wal_a_busy_timeout_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_answers_on_the_pages_are_limited_per_person_with_a_429_page(app, tiny_bank, make_user, rate_limits):
    rate_limits["ANSWER_RATE_LIMIT"] = "2 per minute"
    ana = make_user("ana")
    attempt = attempts.start_practice(ana, tiny_bank["everything"]).attempt
    client = signed_in(app, "ana")
    statuses = [client.post(f"/attempts/{attempt.id}/answer",
                            data={"question_id": item.question_id, "response": any_response(item)}).status_code
                for item in attempt.items[:3]]
    assert 429 not in statuses[:2] and statuses[2] == 429
    db.session.expire_all()
    assert len(db.session.get(Attempt, attempt.id).answers) == 2
    refused = client.post(f"/attempts/{attempt.id}/answer", data={"question_id": attempt.items[2].question_id})
    assert int(refused.headers["Retry-After"]) > 0 and "Too many tries" in page(refused, 429)
