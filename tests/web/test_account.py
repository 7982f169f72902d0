"""A person changes their name and their password from their account page; the password needs the current
one, and changing it revokes the account's API tokens."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import ApiToken, User
from quizapp.services import users
from tests.support import PASSWORD
from tests.support.api_client import basic, bearer
from tests.support.pages import csrf_token, page


def test_the_name_in_the_header_leads_to_the_account_page(client, student):
    html = page(client.get("/quizzes"))
    assert 'href="/auth/account"' in html
    account = page(client.get("/auth/account"))
    assert "Signed in as <strong>student</strong>" in account and 'value="Student"' in account


def test_a_new_name_is_saved_and_a_blank_one_refused(client, student):
    response = client.post("/auth/account", data={"display_name": "  Sam  Student "})
    assert response.headers["Location"] == "/auth/account"
    assert "Your name is saved." in page(client.get("/auth/account"))
    db.session.refresh(student)
    assert student.display_name == "Sam  Student"
    refused = client.post("/auth/account", data={"display_name": "  "})
    assert refused.status_code == 400 and "Type your name." in refused.text
    assert "This field is required." not in refused.text
    db.session.refresh(student)
    assert student.display_name == "Sam  Student"


def test_the_password_changes_only_with_the_current_one(app, client, student):
    wrong = client.post("/auth/account/password", data={"current": "not it", "password": "a new password 1",
                                                          "confirm": "a new password 1"})
    assert wrong.status_code == 400 and "That is not your current password." in wrong.text
    assert users.authenticate("student", PASSWORD) is not None
    mismatch = client.post("/auth/account/password", data={"current": PASSWORD, "password": "a new password 1",
                                                             "confirm": "another one 22"})
    assert mismatch.status_code == 400 and "The passwords do not match." in mismatch.text
    done = client.post("/auth/account/password", data={"current": PASSWORD, "password": "a new password 1",
                                                         "confirm": "a new password 1"})
    assert done.headers["Location"] == "/auth/account"
    db.session.expire_all()
    assert users.authenticate("student", PASSWORD) is None
    assert users.authenticate("student", "a new password 1") is not None


def test_changing_the_password_revokes_the_api_tokens(app, client, student):
    api = app.test_client()
    token = api.post("/api/v1/tokens", headers=basic("student", PASSWORD)).get_json()["token"]
    assert api.get("/api/v1/quizzes", headers=bearer(token)).status_code == 200
    client.post("/auth/account/password", data={"current": PASSWORD, "password": "a new password 1",
                                                "confirm": "a new password 1"})
    assert api.get("/api/v1/quizzes", headers=bearer(token)).status_code == 401
    assert db.session.query(ApiToken).count() == 0


def test_the_account_forms_carry_csrf_tokens(app, csrf, make_user):
    make_user("ana")
    client = app.test_client()
    login = client.get("/auth/login")
    client.post("/auth/login", data={"username": "ana", "password": PASSWORD, "csrf_token": csrf_token(login.text)})
    refused = client.post("/auth/account", data={"display_name": "Sneaky"})
    assert refused.status_code == 400
    assert db.session.query(User).filter_by(username="ana").one().display_name == "Ana"


def test_a_new_password_ends_every_other_session_but_this_one(app, make_user):
    from tests.support.pages import signed_in

    make_user("ana")
    here, elsewhere = signed_in(app, "ana"), signed_in(app, "ana")
    changed = here.post("/auth/account/password", data={"current": PASSWORD, "password": "a new password 1",
                                                        "confirm": "a new password 1"})
    assert changed.headers["Location"] == "/auth/account"
    assert here.get("/quizzes").status_code == 200
    assert elsewhere.get("/quizzes").headers["Location"].startswith("/auth/login")


def test_a_browser_asked_to_remember_stays_remembered_after_a_new_password(app, make_user):
    """Its remember cookie carried the old password's mark, which no longer signs in: the change gives it a
    new one, so the person is not signed out when the browser closes."""
    make_user("ana")
    here = app.test_client()
    here.post("/auth/login", data={"username": "ana", "password": PASSWORD, "remember": "y"})
    old = here.get_cookie("remember_token").value
    here.post("/auth/account/password", data={"current": PASSWORD, "password": "a new password 1",
                                              "confirm": "a new password 1"})
    new = here.get_cookie("remember_token").value
    assert new != old
    reopened = app.test_client()  # the browser after a restart: no session, only what it remembered
    reopened.set_cookie("remember_token", new)
    assert reopened.get("/history").status_code == 200
