"""Accounts: register, sign in and out, hashed passwords, CSRF, the first teacher."""

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Role, User
from tests.support import PASSWORD
from tests.support.pages import csrf_token


def register(client, username="ana", password=PASSWORD, confirm=None, name="Ana"):
    return client.post("/auth/register", data={
        "username": username, "display_name": name, "password": password, "confirm": confirm or password,
    })


def test_register_signs_in_and_stores_only_a_hash(client):
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = db.session.scalar(select(User))
    assert user.username == "ana" and user.role is Role.STUDENT
    assert PASSWORD not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert "Ana" in client.get("/quizzes").text


def test_register_form_errors_keep_what_was_typed(client):
    response = register(client, username="a!", password="short", confirm="other")
    assert response.status_code == 400
    page = response.text
    assert "Use letters, digits, dots, dashes and underscores only." in page
    assert "Use 8 to 128 characters." in page
    assert "The passwords do not match." in page
    assert 'value="a!"' in page and 'value="Ana"' in page
    assert db.session.scalar(select(User)) is None


def test_username_taken(client, make_user):
    make_user("ana")
    response = register(client, username="ANA")
    assert response.status_code == 400 and "That username is taken" in response.text


def test_login_and_logout(client, make_user, auth):
    make_user("ana")
    assert auth.login("ana").headers["Location"] == "/"
    assert client.get("/quizzes").status_code == 200
    auth.logout()
    response = client.get("/quizzes")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_wrong_password_re_renders_with_a_message(client, make_user, auth):
    make_user("ana")
    response = auth.login("ana", "wrong password")
    assert response.status_code == 400
    assert "Wrong username or password." in response.text and 'value="ana"' in response.text


def test_login_follows_only_local_next(client, make_user):
    make_user("ana")
    data = {"username": "ana", "password": PASSWORD}
    assert client.post("/auth/login?next=/history", data=data).headers["Location"] == "/history"
    client.post("/auth/logout")
    assert client.post("/auth/login?next=//evil.example/x", data=data).headers["Location"] == "/"


def test_pages_need_sign_in(client):
    for path in ("/quizzes", "/history", "/attempts/1", "/attempts/1/results"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], path


def test_csrf_is_required_on_forms(client, make_user, csrf):
    make_user("ana")
    refused = client.post("/auth/login", data={"username": "ana", "password": PASSWORD})
    assert refused.status_code == 400 and "Form expired" in refused.text
    token = csrf_token(client.get("/auth/login").text)
    accepted = client.post("/auth/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/quizzes").status_code == 200


def test_session_cookie_is_httponly_and_samesite(client, make_user, auth):
    make_user("ana")
    cookie = auth.login("ana").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class TestBootstrap:
    def test_creates_one_teacher_with_a_random_password(self, runner, client):
        result = runner.invoke(args=["users", "bootstrap"])
        assert result.exit_code == 0
        password = result.output.split("password: ")[1].split()[0]
        assert len(password) >= 12
        teacher = db.session.scalar(select(User))
        assert teacher.role is Role.TEACHER and password not in teacher.password_hash
        assert client.post("/auth/login", data={"username": "teacher", "password": password}).status_code == 302

    def test_second_run_creates_nothing(self, runner):
        runner.invoke(args=["users", "bootstrap"])
        result = runner.invoke(args=["users", "bootstrap"])
        assert "A teacher account exists" in result.output and "password:" not in result.output
        assert len(db.session.scalars(select(User)).all()) == 1

    def test_users_create(self, runner):
        result = runner.invoke(args=["users", "create", "tom", "--teacher"], input="longpassword\nlongpassword\n")
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(User)).role is Role.TEACHER
