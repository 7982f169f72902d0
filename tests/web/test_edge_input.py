"""Input that once crashed the server is refused at the edge, on every route of the URL map (so a route added
later is covered too): a NUL or a lone surrogate in any text (form fields, query, JSON at any depth, HTTP
Basic credentials, file names) is a 400, a JSON one on the API (``invalid_text``), or the form again with
the message beside the field; JSON nested a thousand levels deep is a 400 (``nested_too_deeply``); a body
over the size limit is a 413. Never a 500, and nothing is written. Names and titles lose bidirectional
override characters, however they come in. Run on PostgreSQL too (``TEST_DATABASE_URL``), which refuses
NUL in text with an error of its own.
"""

from __future__ import annotations

import html
import io
import json

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.domain.bank_format import parse_bank
from quizapp.extensions import db, limiter
from quizapp.models import Bank, Classroom, Membership, Quiz, User
from quizapp.security import FORMS, checked_fields
from quizapp.services import users
from tests.support import PASSWORD
from tests.support.api_client import basic, bearer
from tests.support.pages import page, signed_in
from tests.web.test_authorization_matrix import World, snapshot
from tests.web.test_csrf import SIGNED_OUT, api_routes, page_posts

NUL = "\x00"
REFUSED_PAGE = "holds the NUL character"
BESIDE_THE_FIELD = "This held the NUL character"
DEEP = 1000


@pytest.fixture
def world(make_user, tiny_bank):
    return World(make_user, tiny_bank)


@pytest.fixture(autouse=True)
def _forget_failed_sign_ins():
    """The sweeps post sign-ins that fail: the tests after these start without them counted."""
    yield
    limiter.reset()


def with_nul(form: dict) -> dict:
    """Every text of a form with a NUL in it; a file keeps its content and gets one in its name."""
    spoiled = {}
    for name, value in form.items():
        if isinstance(value, tuple):
            spoiled[name] = (value[0], "bank" + NUL + ".gift")
        elif isinstance(value, list):
            spoiled[name] = [NUL + str(item) for item in value]
        else:
            spoiled[name] = NUL + str(value) + NUL
    return spoiled


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# Page forms only a teacher, or only someone given a one-time password, is shown.
FOR_TEACHERS = {"auth.school_time_zone"}
FOR_CHOOSERS = {"auth.choose_password"}


def client_for(app, clients, endpoint):
    if endpoint in SIGNED_OUT:
        return app.test_client()
    if endpoint in FOR_CHOOSERS and "chooser" in clients:
        return clients["chooser"]
    return clients["teacher" if endpoint.startswith("teacher.") or endpoint in FOR_TEACHERS else "student"]


def chooser(app) -> object:
    """A client signed in as someone who must choose a password (a teacher reset theirs)."""
    user = users.create_user("chooser", "Chooser", PASSWORD)
    user.must_choose_password = True
    db.session.commit()
    return signed_in(app, "chooser")


def path_for(app, world, endpoint, rule):
    ids = world.ids(endpoint)
    return app.url_map.bind("localhost").build(endpoint, {a: ids[a] for a in rule.arguments})


def test_every_form_refuses_a_nul_in_every_field(app, world):
    clients = {"student": signed_in(app, "ana"), "teacher": signed_in(app, "tina")}
    wrong = []
    for endpoint, rule in page_posts(app):
        path = path_for(app, world, endpoint, rule)
        before = snapshot()
        response = client_for(app, clients, endpoint).post(path, data=with_nul(world.form(endpoint)))
        text = html.unescape(response.get_data(as_text=True))
        if response.status_code != 400 or (REFUSED_PAGE not in text and BESIDE_THE_FIELD not in text):
            wrong.append(f"POST {path} ({endpoint}): {response.status_code}, the NUL not named")
        elif snapshot() != before:
            wrong.append(f"POST {path} ({endpoint}): changed the database")
    assert not wrong, "\n".join(wrong)


def test_the_forms_that_check_their_fields_say_so_beside_the_field(app, world):
    """Sent only the form's own fields, each with a NUL: the form again, with the message beside them."""
    clients = {"student": signed_in(app, "ana"), "teacher": signed_in(app, "tina"), "chooser": chooser(app)}
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    wrong = []
    for endpoint in sorted(FORMS):
        path = path_for(app, world, endpoint, rules[endpoint])
        fields = checked_fields(endpoint)
        form = {name: value for name, value in world.form(endpoint).items() if name in fields}
        before = snapshot()
        response = client_for(app, clients, endpoint).post(path, data=with_nul(form))
        text = html.unescape(response.get_data(as_text=True))
        # Each field the page shows has its message (a password field is shown empty again).
        if response.status_code != 400 or BESIDE_THE_FIELD not in text:
            wrong.append(f"POST {path} ({endpoint}): {response.status_code}, {text.count(BESIDE_THE_FIELD)} "
                         f"messages for {sorted(form)}")
        elif snapshot() != before:
            wrong.append(f"POST {path} ({endpoint}): changed the database")
    assert not wrong, "\n".join(wrong)


def test_every_page_refuses_a_nul_in_the_query(app, world):
    clients = {"student": signed_in(app, "ana"), "teacher": signed_in(app, "tina")}
    wrong = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.endpoint == "static":
            continue
        path = path_for(app, world, rule.endpoint, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            before = snapshot()
            response = client_for(app, clients, rule.endpoint).open(
                path, method=method, query_string={"q": "x" + NUL, "next": "/" + NUL},
                data=world.form(rule.endpoint) if method == "POST" else None)
            if response.status_code != 400 or REFUSED_PAGE not in page(response, 400):
                wrong.append(f"{method} {path}: {response.status_code}")
            elif snapshot() != before:
                wrong.append(f"{method} {path}: changed the database")
    assert not wrong, "\n".join(wrong)


# What each API request carries that no text may hold, and the code it is refused with.
API_SPOILERS = {
    "nul in a value": (lambda body: json.dumps(_spoil(body, NUL)), "invalid_text"),
    "nul in a key": (lambda body: json.dumps({**(body or {}), "code" + NUL: "x"}), "invalid_text"),
    "lone surrogate": (lambda body: json.dumps(_spoil(body, "\ud800")), "invalid_text"),
    "nul deep down": (lambda body: json.dumps({**(body or {}), "deep": [[[[{"x": [NUL]}]]]]}), "invalid_text"),
    "a thousand levels": (lambda body: nested(DEEP), "nested_too_deeply"),
    "a thousand levels in an object": (lambda body: '{"code": ' + nested(DEEP) + "}", "nested_too_deeply"),
    "forty levels": (lambda body: nested(40), "nested_too_deeply"),
}


def _spoil(body, text):
    body = dict(body or {"code": "K7M4PQ"})
    return {key: (value + text if isinstance(value, str) else [text]) for key, value in body.items()}


@pytest.mark.parametrize("spoiler", API_SPOILERS)
def test_every_api_route_refuses_bad_json_with_a_json_400(app, world, spoiler):
    spoil, code = API_SPOILERS[spoiler]
    wrong = []
    for endpoint, method, rule in api_routes(app):
        path = path_for(app, world, endpoint, rule)
        headers = basic("ana", PASSWORD) if endpoint == "api.create_token" else bearer(world.tokens["student"])
        before = snapshot()
        response = app.test_client().open(path, method=method, headers=headers, content_type="application/json",
                                          data=spoil(world.api_body(endpoint)))
        body = response.get_json(silent=True) or {}
        if response.status_code != 400 or body.get("error", {}).get("code") != code:
            wrong.append(f"{method} {path}: {response.status_code} {body}")
        elif snapshot() != before:
            wrong.append(f"{method} {path}: changed the database")
    assert not wrong, "\n".join(wrong)


def test_every_api_route_refuses_a_nul_in_the_query_or_the_credentials(app, world):
    wrong = []
    for endpoint, method, rule in api_routes(app):
        path = path_for(app, world, endpoint, rule)
        for headers, query in [(bearer(world.tokens["student"]), {"page": "1" + NUL}),
                               (basic("ana" + NUL, PASSWORD), None), (basic("ana", PASSWORD + NUL), None)]:
            before = snapshot()
            response = app.test_client().open(path, method=method, headers=headers, query_string=query,
                                              json=world.api_body(endpoint))
            body = response.get_json(silent=True) or {}
            if response.status_code != 400 or body.get("error", {}).get("code") != "invalid_text":
                wrong.append(f"{method} {path} {query or headers}: {response.status_code} {body}")
            elif snapshot() != before:
                wrong.append(f"{method} {path}: changed the database")
    assert not wrong, "\n".join(wrong)


def test_signing_up_with_a_nul_says_so_beside_the_field_and_keeps_the_rest(client):
    response = client.post("/auth/register", data={"username": "ana", "display_name": "Ana" + NUL + " Lopez",
                                                   "password": PASSWORD, "confirm": PASSWORD})
    text = page(response, 400)
    assert "This held the NUL character (\\0), which no text can hold" in text
    assert 'value="Ana Lopez"' in text and 'value="ana"' in text
    assert db.session.scalars(select(User)).all() == []


@pytest.mark.parametrize("username", ["ana" + NUL, NUL])
def test_signing_in_with_a_nul_is_a_400_not_a_500(client, make_user, username):
    make_user("ana")
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 400
    assert client.post("/api/v1/tokens", headers=basic(username, PASSWORD)).status_code in (400, 401)


def test_a_class_named_with_a_nul_is_not_created(app, world):
    tina = signed_in(app, "tina")
    before = len(db.session.scalars(select(Classroom)).all())
    text = page(tina.post("/teach/", data={"name": "Year 10" + NUL}), 400)
    assert BESIDE_THE_FIELD in text and 'value="Year 10"' in text
    assert len(db.session.scalars(select(Classroom)).all()) == before


# --- Size ---------------------------------------------------------------------------------------------

def test_a_large_json_body_is_a_json_413(app, world):
    big = json.dumps({"code": "x" * (2 * 1024 * 1024)})
    response = app.test_client().post("/api/v1/classes/join", headers=bearer(world.tokens["student"]), data=big,
                                      content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"


def test_a_large_form_is_a_413_page(app, world):
    response = signed_in(app, "tina").post("/teach/", data={"name": "x" * (2 * 1024 * 1024)})
    assert "Too large" in page(response, 413)
    response = app.test_client().post("/auth/login", data={"username": "ana", "password": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def multipart(client, path, fields):
    """POST a multipart body built in memory (the test client would spool a large one to an unclosed file)."""
    boundary, body = encode_multipart(fields)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_upload_routes_take_more_and_say_so_in_their_form(app, world):
    tina = signed_in(app, "tina")
    bank = world.bank.id
    # A 3 MB file reaches the import form, which says it is over its 2 MB; 5 MB is refused outright.
    response = multipart(tina, f"/teach/banks/{bank}/import", {
        "file": FileStorage(io.BytesIO(b"x" * (3 * 1024 * 1024)), "big.gift"), "format": "gift",
        "source": "section 1"})
    assert response.status_code != 413
    response = multipart(tina, f"/teach/banks/{bank}/import", {
        "file": FileStorage(io.BytesIO(b"x" * (5 * 1024 * 1024)), "big.gift"), "format": "gift",
        "source": "section 1"})
    assert "Too large" in page(response, 413)
    # An article of 600 K characters pasted (1.2 MB): the form's own message, not a 413.
    response = multipart(tina, "/teach/banks/from-article", {"text": "é" * 600_000, "check": "Check"})
    assert "The text is too long." in page(response, 400)


# --- Names ----------------------------------------------------------------------------------------------

OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_names_lose_bidirectional_overrides_in_every_form(app, world, client):
    response = client.post("/auth/register", data={"username": "eve", "display_name": "\u202eEve\u2066 exe.gnp",
                                                   "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert db.session.scalar(select(User.display_name).where(User.username == "eve")) == "Eve exe.gnp"
    client.post("/classes/join", data={"code": world.open_classroom.join_code, "nickname": "\u202eSneaky"})
    eve = db.session.scalar(select(User).where(User.username == "eve"))
    assert db.session.scalar(select(Membership.nickname).where(Membership.user_id == eve.id)) == "Sneaky"
    tina = signed_in(app, "tina")
    assert tina.post("/teach/", data={"name": "Year 10\u202e B"}).status_code == 302
    assert db.session.scalar(select(Classroom.name).order_by(Classroom.id.desc())) == "Year 10 B"
    tina.post(f"/teach/banks/{world.bank.id}/edit", data={"title": OVERRIDES + "Bank\u2067 title"})
    db.session.expire_all()
    assert db.session.get(Bank, world.bank.id).title == "Bank title"
    tina.post(f"/teach/banks/{world.bank.id}/quizzes/new", data={
        "title": "\u2068Quiz\u202e one", "mode": "pick", "questions": world.question_key, "feedback": "after_each"})
    assert "Quiz one" in db.session.scalars(select(Quiz.title).where(Quiz.bank_id == world.bank.id)).all()


def test_a_name_of_overrides_alone_is_no_name(client):
    response = client.post("/auth/register", data={"username": "eve", "display_name": OVERRIDES,
                                                   "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalars(select(User)).all() == []


def test_right_to_left_names_keep_their_marks(client):
    name = "\u05e0\u05d5\u05e2\u05d4 \u200f(2)"
    client.post("/auth/register", data={"username": "noa", "display_name": name, "password": PASSWORD,
                                        "confirm": PASSWORD})
    assert db.session.scalar(select(User.display_name).where(User.username == "noa")) == name


def test_the_api_nickname_loses_overrides(app, world):
    response = app.test_client().post("/api/v1/classes/join", headers=bearer(world.tokens["outsider"]),
                                      json={"code": world.api_open_classroom.join_code, "nickname": "\u202eBob"})
    assert response.status_code == 201
    joined = select(Membership.nickname).where(Membership.user_id == world.bob.id,
                                               Membership.classroom_id == world.api_open_classroom.id)
    assert db.session.scalar(joined) == "Bob"


def test_bank_file_titles_lose_overrides():
    document = parse_bank("""
version: 1
id: rtl
title: "\u202eBank"
source: {title: "Source\u2066", sections: [{number: 1, title: One}]}
questions:
  - {id: q1, type: true_false, prompt: "Is it?", answer: true, explanation: "It is.", source: section 1,
     difficulty: 1}
quizzes: [{id: q, title: "\u2067Quiz", questions: [q1]}]
""")
    assert (document.title, document.source_title, document.quizzes[0]["title"]) == ("Bank", "Source", "Quiz")
    with pytest.raises(Exception, match="'title' in the bank must be non-empty text"):
        parse_bank(f'version: 1\nid: rtl\ntitle: "{OVERRIDES}"\nsource: {{title: S, sections: []}}\nquestions: []\n')


def test_the_names_already_stored_lose_their_bidirectional_controls(app):
    """Names written before the models cleaned them are cleaned by migration 0011."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    db.session.remove()
    downgrade(revision="0010")
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO \"user\" (id, username, display_name, password_hash, role, created_at) "
            "VALUES (1, 'ana', :name, 'x', 'student', '2026-01-01 00:00:00+00:00')"), {"name": "Ana\u202egnp.exe"})
        connection.execute(text(
            "INSERT INTO classroom (id, name, teacher_id, join_code, name_display, created_at) "
            "VALUES (1, :name, 1, 'ABCDEF', 'full', '2026-01-01 00:00:00+00:00')"), {"name": "\u2066Year 9\u2069 "})
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT display_name FROM \"user\"")).scalar() == "Anagnp.exe"
        assert connection.execute(text("SELECT name FROM classroom")).scalar() == "Year 9"


def test_every_way_a_name_is_written_cleans_it(app, runner, make_user, teacher):
    """The command line, the services and bank files write names without forms: the models clean them."""
    from quizapp.services import classrooms

    result = runner.invoke(args=["users", "create", "otto", "--name", "Otto\u202eevil",
                                 "--password", "pw-long-enough-1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.display_name).where(User.username == "otto")) == "Ottoevil"
    room = classrooms.create_classroom(teacher, "\u2066Year 9\u2069")
    assert room.name == "Year 9"
    student = make_user("sia")
    classrooms.join(student, room.join_code, "\u202dSia")
    assert db.session.scalar(select(Membership.nickname).where(Membership.user_id == student.id)) == "Sia"
