"""CSRF: every form that changes something, found in the URL map (so a POST route added later is covered
too), refuses a request without its token: 400, the "Form expired" page, and nothing changed, even from
the person the form is for and with a body it would otherwise accept. The API takes no session cookie,
only a bearer token, so it needs no token: a session cookie alone gets 401."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from tests.support import PASSWORD
from tests.support.pages import csrf_token, page
from tests.web.test_authorization_matrix import World, snapshot

# Who each POST page route is for: the signed-in person the refusal must hold against.
SIGNED_OUT = {"auth.login", "auth.register"}


def signed_in_with_token(app, username: str):
    """A client signed in through the sign-in form, token and all, as a browser would."""
    client = app.test_client()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"could not sign in as {username}"
    return client


def page_posts(app):
    """(endpoint, rule) of every POST route outside the API."""
    found = sorted((rule.endpoint, rule) for rule in app.url_map.iter_rules()
                   if "POST" in rule.methods and not rule.rule.startswith("/api/"))
    assert len(found) >= 30, "the URL map lost its forms?"
    return found


def api_routes(app):
    return sorted((rule.endpoint, method, rule) for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/api/") for method in rule.methods - {"HEAD", "OPTIONS"})


@pytest.fixture
def world(make_user, tiny_bank):
    return World(make_user, tiny_bank)


def test_every_form_refuses_a_post_without_its_token(app, world, csrf):
    clients = {"student": signed_in_with_token(app, "ana"), "teacher": signed_in_with_token(app, "tina")}
    bind = app.url_map.bind("localhost")
    refused = []
    for endpoint, rule in page_posts(app):
        ids = world.ids(endpoint)
        path = bind.build(endpoint, {a: ids[a] for a in rule.arguments})
        if endpoint in SIGNED_OUT:
            client = app.test_client()
        else:
            client = clients["teacher" if endpoint.startswith("teacher.") else "student"]
        before = snapshot()
        response = client.post(path, data=world.form(endpoint))
        if response.status_code != 400 or "Form expired" not in page(response, 400):
            refused.append(f"POST {path} ({endpoint}): {response.status_code}")
        elif snapshot() != before:
            refused.append(f"POST {path} ({endpoint}): changed the database")
        refused.extend(f"POST {path}: signed {who} out" for who, c in clients.items()
                       if c.get("/quizzes").status_code != 200)
    assert not refused, "\n".join(refused)


def test_with_its_token_the_same_form_goes_through(app, world, csrf):
    """The refusals above come from the missing token, not from the body."""
    tina = signed_in_with_token(app, "tina")
    token = csrf_token(tina.get(f"/teach/classes/{world.classroom.id}").get_data(as_text=True))
    response = tina.post(f"/teach/classes/{world.classroom.id}/display",
                         data={**world.form("teacher.name_display"), "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(world.classroom)
    assert world.classroom.name_display.value == "initials"


def test_the_api_ignores_a_session_cookie(app, world, csrf):
    """Signed in with a session (and sending its CSRF token too), the API still wants a bearer token."""
    client = signed_in_with_token(app, "ana")
    token = csrf_token(client.get("/classes/join").get_data(as_text=True))
    bind = app.url_map.bind("localhost")
    before = snapshot()
    checked = 0
    for endpoint, method, rule in api_routes(app):
        if endpoint in {"api.openapi", "api.create_token"}:
            continue  # public, and a token is had with a password (HTTP Basic), never with a session
        ids = world.ids(endpoint)
        path = bind.build(endpoint, {a: ids[a] for a in rule.arguments})
        response = client.open(path, method=method, json=world.api_body(endpoint),
                               headers={"X-CSRFToken": token})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.get_json()["error"]["code"] == "unauthorized"
        checked += 1
    assert checked >= 15
    assert client.post("/api/v1/tokens").status_code == 401
    assert snapshot() == before
