"""The sign-in limits serve the student, not the attacker (README, "Signing in: how guessing is slowed").

Three attacks and the class they must not hurt: someone guessing one student's password from an
address of their own cannot lock her out of signing in at school with the right password; nor can a
classmate guessing behind the school's own address keep her out of the browser she signs in on; one
address trying a password at sixty accounts is slowed; and thirty students signing in together behind
one school address all get in, typos and all. The limits are the production ones (``rate_limits``).
"""

from __future__ import annotations

import os

import pytest

from quizapp.models import Role
from quizapp.security import DEVICE_COOKIE
from tests.support import PASSWORD
from tests.support.api_client import basic

SCHOOL = "198.51.100.7"
ATTACKER = "203.0.113.9"


def sign_in(client, username, password=PASSWORD, address=SCHOOL):
    return client.post("/auth/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def token(client, username, password=PASSWORD, address=SCHOOL):
    return client.post("/api/v1/tokens", headers=basic(username, password), environ_base={"REMOTE_ADDR": address})


def test_guessing_from_elsewhere_cannot_lock_the_student_out(app, make_user, rate_limits):
    make_user("ana")
    attacker = app.test_client()
    statuses = [sign_in(attacker, "ana", f"guess {i}", ATTACKER).status_code for i in range(50)]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}, "the guesser is slowed"
    assert {token(attacker, "ana", f"guess {i}", ATTACKER).status_code for i in range(20)} == {429}
    # Ana, at school, with her password: in, on the page and through the API.
    assert sign_in(app.test_client(), "ana").status_code == 302
    assert token(app.test_client(), "ana").status_code == 201
    # Even her right password does not get the guesser in: the limit is not a password check.
    assert sign_in(attacker, "ana", PASSWORD, ATTACKER).status_code == 429


def test_a_guesser_behind_the_school_address_cannot_keep_her_out_of_her_browser(app, make_user, rate_limits):
    make_user("ana")
    her_browser = app.test_client()
    assert sign_in(her_browser, "ana").status_code == 302
    assert her_browser.get_cookie(DEVICE_COOKIE) is not None
    her_browser.post("/auth/logout")
    classmate = app.test_client()
    statuses = [sign_in(classmate, "ana", f"guess {i}").status_code for i in range(15)]
    assert statuses[-1] == 429, "the classmate is slowed"
    assert sign_in(her_browser, "ana").status_code == 302


def test_guessing_from_many_addresses_is_slowed_but_her_browser_still_gets_in(app, make_user, rate_limits):
    make_user("ana")
    her_browser = app.test_client()
    assert sign_in(her_browser, "ana").status_code == 302
    her_browser.post("/auth/logout")
    botnet = app.test_client()
    statuses = [sign_in(botnet, "ana", "guess", f"192.0.2.{i}").status_code for i in range(1, 80)]
    assert statuses.count(400) == 50 and statuses[-1] == 429, "fifty failures an hour per account, from anywhere"
    # A browser ana never signed in from must wait (the price of stopping the guessing); hers need not.
    refused = sign_in(app.test_client(), "ana", address="192.0.2.200")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert sign_in(her_browser, "ana", address="192.0.2.201").status_code == 302


def test_one_address_trying_a_password_at_sixty_accounts_is_slowed(app, make_user, rate_limits):
    for i in range(30):
        make_user(f"student{i}")
    sprayer = app.test_client()
    # Half the names exist, half are guessed: both count.
    statuses = [sign_in(sprayer, f"student{i}", "Summer2026!", ATTACKER).status_code for i in range(60)]
    assert statuses[:30] == [400] * 30
    assert set(statuses[30:]) == {429}
    refused = sign_in(sprayer, "student59", "Summer2026!", ATTACKER)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Through the API too: the same address, the same count.
    assert token(sprayer, "student3", "Summer2026!", ATTACKER).get_json()["error"]["code"] == "too_many_requests"
    # The school's students are not slowed by it.
    assert sign_in(app.test_client(), "student1").status_code == 302


def test_thirty_students_behind_one_address_all_get_in(app, make_user, rate_limits):
    names = [f"pupil{i}" for i in range(30)]
    for name in names:
        make_user(name)
    # A third mistype their password first, some of them several times.
    for i, name in enumerate(names[:10]):
        for _ in range(1 + i % 3):
            assert sign_in(app.test_client(), name, "oops").status_code == 400
    assert [sign_in(app.test_client(), name).status_code for name in names] == [302] * 30
    assert [token(app.test_client(), name).status_code for name in names] == [201] * 30
    # The typos that came right are forgiven: the school's address has its whole allowance again.
    statuses = [sign_in(app.test_client(), f"nobody{i}", "guess").status_code for i in range(30)]
    assert statuses == [400] * 30


def test_a_session_does_not_exempt_token_requests_from_the_limits(app, make_user, rate_limits):
    """Signed in on the pages as herself, an attacker still guesses a classmate's password at the API's pace."""
    make_user("ana")
    make_user("mallory")
    mallory = app.test_client()
    assert sign_in(mallory, "mallory", address=ATTACKER).status_code == 302
    statuses = [token(mallory, "ana", f"guess {i}", ATTACKER).status_code for i in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    # Nor does posting the classmate's name to the sign-in page, signed in, forgive the guesses.
    assert sign_in(mallory, "ana", "guess", ATTACKER).status_code == 302
    assert token(mallory, "ana", "guess", ATTACKER).status_code == 429


def test_a_teacher_is_protected_the_same_way(app, make_user, rate_limits):
    make_user("tina", role=Role.TEACHER)
    attacker = app.test_client()
    for _ in range(12):
        sign_in(attacker, "TINA ", "guess", ATTACKER)
    assert sign_in(attacker, "tina", PASSWORD, ATTACKER).status_code == 429
    assert sign_in(app.test_client(), "tina").status_code == 302


def test_a_forged_device_cookie_is_ignored(app, make_user, rate_limits):
    make_user("ana")
    forger = app.test_client()
    forger.set_cookie(DEVICE_COOKIE, "eyJpZCI6ImZvcmdlZCIsImFjY291bnRzIjpbXX0.forged")
    statuses = [sign_in(forger, "ana", "guess", ATTACKER).status_code for _ in range(12)]
    assert statuses[-1] == 429


def test_registering_is_limited_per_address(app, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_RATE_LIMIT", "3 per hour")
    statuses = [app.test_client().post("/auth/register", data={
        "username": f"new{i}", "display_name": "New", "password": PASSWORD, "confirm": PASSWORD},
        environ_base={"REMOTE_ADDR": ATTACKER}).status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]
    other = app.test_client().post("/auth/register", data={
        "username": "elsewhere", "display_name": "New", "password": PASSWORD, "confirm": PASSWORD},
        environ_base={"REMOTE_ADDR": SCHOOL})
    assert other.status_code == 302


@pytest.mark.parametrize("limit", ["SIGN_IN_RATE_LIMIT", "SIGN_IN_ACCOUNT_RATE_LIMIT", "SIGN_IN_ADDRESS_RATE_LIMIT"])
def test_the_limits_are_settings(app, make_user, rate_limits, monkeypatch, limit):
    make_user("ana")
    monkeypatch.setitem(app.config, limit, "2 per minute")
    assert [sign_in(app.test_client(), "ana", "guess").status_code for _ in range(3)] == [400, 400, 429]


# --- Shared by every server process -----------------------------------------------------------------

REDIS_DB = 13  # a database of the local Redis of its own, emptied before and after


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    connection = redis.Redis.from_url(url)
    try:
        connection.flushdb()
    except redis.ConnectionError:
        # In CI a missing Redis is a failure, not a skip (as a missing browser is).
        if os.environ.get("QUIZAPP_REQUIRE_REDIS") == "1":
            pytest.fail("QUIZAPP_REQUIRE_REDIS=1 but no Redis answers at 127.0.0.1:6379", pytrace=False)
        pytest.skip("no Redis at 127.0.0.1:6379 to share the counts")
    yield url
    connection.flushdb()


def test_gunicorn_workers_share_the_counts_through_redis(tmp_path, monkeypatch, redis_url):
    """Three gunicorn workers behind one address: the class gets in, and a spray is refused after exactly
    thirty failures however the requests were spread over the workers (each would count alone in memory)."""
    from tests.support.server_process import PASSWORD as SEEDED_PASSWORD
    from tests.support.server_process import Client, Server, prepare_template

    monkeypatch.setenv("RATELIMIT_STORAGE_URI", redis_url)
    database, seeded = prepare_template("sqlite")
    server = Server(database, tmp_path, workers=3, threads=2)
    try:
        server.start()
        client = Client("127.0.0.1", server.port)
        students = sorted(name for name in seeded.tokens if name.startswith("s"))
        assert [client.post("/api/v1/tokens", headers=basic(name, SEEDED_PASSWORD)).status
                for name in students] == [201] * len(students)
        statuses = [client.post("/api/v1/tokens", headers=basic(f"guess{i}", "Summer2026!")).status
                    for i in range(40)]
        assert statuses == [401] * 30 + [429] * 10, server.log()
    finally:
        server.stop()
        database.drop()
