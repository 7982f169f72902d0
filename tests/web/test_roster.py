"""A teacher's hand in students' accounts: resetting a student's password to a one-time password shown once,
and adding students by pasting their names. Every account given a one-time password signs in with it once,
within its time, and chooses a password of its own before anything else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.domain.roster import MAX_NAMES, RosterError, parse_names, unique_usernames, username_base
from quizapp.extensions import db
from quizapp.models import ApiToken, Membership, Role, User, utcnow
from quizapp.services import classrooms, roster, users
from tests.support import PASSWORD
from tests.support.api_client import basic, bearer
from tests.support.builders import member
from tests.support.pages import page, signed_in

CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")
NEW_PASSWORD = "my very own password"


def reset(client, classroom, user):
    return client.post(f"/teach/classes/{classroom.id}/members/{user.id}/reset-password")


def one_time_password(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    codes = CODE.findall(response.text)
    assert len(codes) == 1, codes
    return codes[0]


def sign_in(client, username, password):
    return client.post("/auth/login", data={"username": username, "password": password})


def user_named(username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


# --- Resetting a student's password ---------------------------------------------------------------------

def test_a_reset_replaces_the_password_with_a_one_time_one_shown_once(app, teacher, classroom):
    ana = member(classroom, "ana")
    token = users.issue_token(ana, timedelta(hours=1))[0]
    response = reset(signed_in(app, "tina"), classroom, ana)
    code = one_time_password(response)
    assert "<title>New one-time password for Ana · quizapp</title>" in page(response)
    assert 'data-print hidden>Print</button>' in response.text
    assert users.authenticate("ana", PASSWORD) is None, "the old password stops working"
    assert app.test_client().get("/api/v1/quizzes", headers=bearer(token)).status_code == 401
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0
    assert user_named("ana").must_choose_password
    # The class page says who has yet to choose a password.
    assert "password to choose" in page(signed_in(app, "tina").get(f"/teach/classes/{classroom.id}"))
    assert code not in page(signed_in(app, "tina").get(f"/teach/classes/{classroom.id}"))


def test_a_reset_ends_the_students_open_sessions(app, teacher, classroom):
    ana = member(classroom, "ana")
    her_session = signed_in(app, "ana")
    assert her_session.get("/quizzes").status_code == 200
    reset(signed_in(app, "tina"), classroom, ana)
    assert her_session.get("/quizzes").headers["Location"].startswith("/auth/login")


def test_the_one_time_password_leads_to_choosing_a_password_before_anything_else(app, teacher, classroom):
    ana = member(classroom, "ana")
    code = one_time_password(reset(signed_in(app, "tina"), classroom, ana))
    client = app.test_client()
    # Typed as people type what they read off paper: lower case, spaces for dashes.
    response = sign_in(client, "ana", code.lower().replace("-", " "))
    assert response.headers["Location"] == "/auth/choose-password"
    for path in ("/quizzes", "/classes", f"/classes/{classroom.id}", "/auth/account", "/history", "/nowhere"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/auth/choose-password", path
    assert "Choose your password" in page(client.get("/auth/choose-password"))
    mismatch = client.post("/auth/choose-password", data={"password": NEW_PASSWORD, "confirm": "something else"})
    assert mismatch.status_code == 400 and "The passwords do not match." in mismatch.text
    short = client.post("/auth/choose-password", data={"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "Use 8 to 128 characters." in short.text
    assert user_named("ana").must_choose_password
    done = client.post("/auth/choose-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/"
    assert "Your password is saved." in page(client.get("/"))
    assert not user_named("ana").must_choose_password
    assert client.get("/auth/choose-password").headers["Location"] == "/auth/account"
    client.post("/auth/logout")
    assert sign_in(client, "ana", code).status_code == 400, "the code worked once"
    assert sign_in(client, "ana", NEW_PASSWORD).headers["Location"] == "/"


def test_a_one_time_password_works_once_even_if_no_password_is_chosen(app, teacher, classroom):
    ana = member(classroom, "ana")
    code = one_time_password(reset(signed_in(app, "tina"), classroom, ana))
    client = app.test_client()
    assert sign_in(client, "ana", code).status_code == 302
    client.post("/auth/logout")
    refused = sign_in(app.test_client(), "ana", code)
    assert refused.status_code == 400 and "Wrong username or password." in refused.text


def test_two_sign_ins_racing_with_one_code_let_only_one_in(app, teacher, classroom):
    """The second request read the account before the first used the code up: its check of the code passes
    against what it read, but only the request that swaps the hash it checked gets in."""
    ana = member(classroom, "ana")
    code = roster.reset_password(classroom, ana.id).password
    stale = db.session.get(User, ana.id)
    assert stale.one_time_password_expires_at is not None  # as the second request read it
    with db.engine.begin() as first:  # the first request uses the code up meanwhile
        first.execute(User.__table__.update().where(User.__table__.c.id == ana.id)
                      .values(password_hash="!used one-time password", one_time_password_expires_at=None))
    assert users.authenticate("ana", code, one_time=True) is None


def test_a_one_time_password_expires_after_seven_days(app, teacher, classroom):
    ana = member(classroom, "ana")
    handout = roster.reset_password(classroom, ana.id, now=utcnow() - timedelta(days=7, minutes=1))
    refused = sign_in(app.test_client(), "ana", handout.password)
    assert refused.status_code == 400 and "no longer works" in page(refused, 400)
    fresh = roster.reset_password(classroom, ana.id, now=utcnow() - timedelta(days=6, hours=23))
    assert sign_in(app.test_client(), "ana", fresh.password).headers["Location"] == "/auth/choose-password"


def test_the_api_takes_no_one_time_password(app, teacher, classroom):
    ana = member(classroom, "ana")
    code = one_time_password(reset(signed_in(app, "tina"), classroom, ana))
    assert app.test_client().post("/api/v1/tokens", headers=basic("ana", code)).status_code == 401
    assert sign_in(app.test_client(), "ana", code).status_code == 302, "nor does the API use it up"


def test_guessing_one_time_passwords_is_throttled_like_passwords(app, teacher, classroom, rate_limits):
    ana = member(classroom, "ana")
    code = roster.reset_password(classroom, ana.id).password
    guesser = app.test_client()
    statuses = [sign_in(guesser, "ana", f"AAAA-BBBB-{i:04d}").status_code for i in range(12)]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}
    assert sign_in(guesser, "ana", code).status_code == 429
    assert user_named("ana").one_time_password_expires_at is not None, "the refused try used nothing up"


def test_only_the_teacher_of_the_class_resets_and_never_a_teacher(app, teacher, classroom, make_user):
    ana = member(classroom, "ana")
    make_user("otto", role=Role.TEACHER)
    otto_class = classrooms.create_classroom(user_named("otto"), "Otto's class")
    bob = member(otto_class, "bob")
    theo = make_user("theo", role=Role.TEACHER)
    classrooms.join(theo, classroom.join_code)
    before = {u.username: u.password_hash for u in db.session.scalars(select(User))}
    assert reset(signed_in(app, "otto"), classroom, ana).status_code == 404
    assert reset(signed_in(app, "bob"), classroom, ana).status_code == 403
    assert reset(signed_in(app, "ana"), classroom, ana).status_code == 403
    tina = signed_in(app, "tina")
    assert reset(tina, classroom, bob).status_code == 404, "bob is in no class of tina's"
    assert reset(tina, otto_class, bob).status_code == 404
    refused = reset(tina, classroom, theo)
    assert refused.status_code == 403 and "theirs alone to change" in page(refused, 403)
    class_page = page(tina.get(f"/teach/classes/{classroom.id}"))
    assert 'Reset password<span class="visually-hidden"> of Ana</span>' in class_page
    assert " of Theo</span>" not in class_page
    db.session.expire_all()
    assert {u.username: u.password_hash for u in db.session.scalars(select(User))} == before
    assert not any(u.must_choose_password for u in db.session.scalars(select(User)))


# --- Adding students by pasting names -------------------------------------------------------------------

def test_names_become_usernames_in_ascii_lower_case():
    assert username_base("  Zoë Müller-Øberg ") == "zoe.muller.oberg"
    assert username_base("Łukasz O'Brien") == "lukasz.o.brien"
    assert username_base("李雷") == "student"
    assert len(username_base("A" * 80)) <= 36
    assert unique_usernames(["Ana Lima", "ana lima.", "Li", "李雷", "王芳"], {"ana.lima", "student"}) == [
        "ana.lima2", "ana.lima3", "li2", "student2", "student3"]


def test_a_paste_is_read_line_by_line():
    assert parse_names("Ana Lima\r\n\n  Bo\u202e Chen  \n") == ["Ana Lima", "Bo Chen"]
    with pytest.raises(RosterError) as error:
        parse_names("Ana\n\u202e\u2066\nana\n" + "x" * 81)
    assert error.value.problems == [
        "Line 2 holds no name once invisible characters are taken out.",
        "Line 3 repeats line 1 (ana). If two students share a name, tell them apart, with an initial for instance.",
        "Line 4 is 81 characters long; a name can have at most 80.",
    ]


def test_pasted_names_become_accounts_in_the_class_shown_once(app, teacher, classroom, make_user):
    make_user("ana.lima")
    tina = signed_in(app, "tina")
    assert "Add students by name" in page(tina.get(f"/teach/classes/{classroom.id}"))
    response = tina.post(f"/teach/classes/{classroom.id}/roster/add",
                         data={"names": "Ana Lima\n\nZoë Müller\n  Bo Chen  \n"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = page(response)
    assert "3 students added to Year 10 History" in text
    assert "<title>New accounts in Year 10 History · quizapp</title>" in text
    assert '<main id="main" tabindex="-1" class="wide">' in text
    codes = CODE.findall(text)
    assert len(set(codes)) == 3
    rows = re.findall(r'<td class="title" data-label="Name">(.*?)</td><td data-label="Username"><span class="code">'
                      r"(.*?)</span>", text)
    assert rows == [("Ana Lima", "ana.lima2"), ("Zoë Müller", "zoe.muller"), ("Bo Chen", "bo.chen")]
    db.session.expire_all()
    added = {m.user.username: m.user for m in classrooms.roster(classroom)}
    assert set(added) == {"ana.lima2", "zoe.muller", "bo.chen"}
    assert all(u.must_choose_password and u.role is Role.STUDENT for u in added.values())
    assert added["zoe.muller"].display_name == "Zoë Müller"
    # Each signs in with the one-time password next to their name, and must choose their own.
    client = app.test_client()
    assert sign_in(client, "zoe.muller", codes[1]).headers["Location"] == "/auth/choose-password"
    assert client.get("/quizzes").headers["Location"] == "/auth/choose-password"
    client.post("/auth/choose-password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "Year 10 History" in page(client.get("/classes"))


@pytest.mark.parametrize(("names", "message"), [
    ("", "Paste at least one name, one per line."),
    ("\n  \n", "Paste at least one name, one per line."),
    ("Ana\n\u202e\n", "Line 2 holds no name once invisible characters are taken out."),
    ("Ana\nBo\n" + "x" * 81, "Line 3 is 81 characters long; a name can have at most 80."),
    ("Ana Lima\nBo\nANA LIMA", "Line 3 repeats line 1 (ANA LIMA)."),
    ("\n".join(f"Student {i}" for i in range(MAX_NAMES + 1)), f"That is 101 names; add at most {MAX_NAMES} at a time."),
    ("Ana\nB\x00o", "which no text can hold"),
], ids=["empty", "blank lines", "invisible only", "too long", "duplicate", "too many", "NUL"])
def test_a_bad_paste_names_the_line_and_adds_nobody(app, teacher, classroom, names, message):
    response = signed_in(app, "tina").post(f"/teach/classes/{classroom.id}/roster/add", data={"names": names})
    text = page(response, 400)
    assert message in text and "Nobody was added" in text
    assert db.session.scalar(select(func.count(User.id))) == 1
    assert db.session.scalar(select(func.count(Membership.id))) == 0


def test_only_the_teacher_of_the_class_adds_students(app, teacher, classroom, make_user):
    make_user("otto", role=Role.TEACHER)
    member(classroom, "ana")
    for who, status in (("otto", 404), ("ana", 403)):
        response = signed_in(app, who).post(f"/teach/classes/{classroom.id}/roster/add", data={"names": "Eve"})
        assert response.status_code == status
    assert user_named("eve") is None


def test_one_time_passwords_skip_the_slow_hash_a_class_list_cannot_wait_for(app, teacher, classroom, monkeypatch):
    # scrypt, for the passwords people choose, takes up to 0.4 s a hash here: 100 would outlast a request.
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    handouts = roster.add_students(classroom, "\n".join(f"Student {i}" for i in range(MAX_NAMES)))
    assert len(handouts) == MAX_NAMES
    assert user_named("student.0").password_hash.startswith(users.ONE_TIME_HASH_METHOD + "$")
    assert users.authenticate("student.0", handouts[0].password, one_time=True) is not None
