"""The school's time zone: kept in the database, asked of the first teacher before the teacher pages while
it is unset (the TIMEZONE setting stands in until then), changed by any teacher from their account page,
and the zone every time is typed and shown in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.formatting import from_local, local_time
from quizapp.models import SCHOOL_ID, Assignment, SchoolSettings
from quizapp.services import school
from tests.support.builders import assign
from tests.support.pages import page, signed_in


@pytest.fixture
def asking(app, monkeypatch):
    """The production setting: a teacher is asked for the zone while none is chosen."""
    monkeypatch.setitem(app.config, "ASK_SCHOOL_TIME_ZONE", True)


def test_the_first_teacher_is_asked_for_the_zone_before_the_teacher_pages(app, asking, teacher, classroom, make_user):
    make_user("ana")
    client = app.test_client()
    signed = client.post("/auth/login?next=/teach/", data={"username": "tina", "password": "correct horse battery"})
    assert signed.headers["Location"] == "/auth/school-time-zone?next=/teach/"
    for path in ("/teach/", f"/teach/classes/{classroom.id}", "/teach/banks"):
        assert client.get(path).headers["Location"] == f"/auth/school-time-zone?next={path}", path
    assert client.get("/quizzes").status_code == 200, "the student pages need no zone"
    text = page(client.get("/auth/school-time-zone?next=/teach/"))
    assert "which time zone is the school in?" in text
    assert '<option value="Europe/Paris">' in text and 'list="zone-names"' in text and 'value="UTC"' in text
    # Students are neither asked nor allowed to choose.
    ana = signed_in(app, "ana")
    assert ana.get("/quizzes").status_code == 200
    assert ana.get("/auth/school-time-zone").status_code == 403
    assert ana.post("/auth/school-time-zone", data={"time_zone": "Asia/Tokyo"}).status_code == 403
    assert school.time_zone() is None


@pytest.mark.parametrize("typed", ["", "Mars/Olympus_Mons", "europe/paris", "posix/Europe/Paris"])
def test_an_unknown_zone_is_refused_and_nothing_stored(app, asking, teacher, typed):
    response = signed_in(app, "tina").post("/auth/school-time-zone", data={"time_zone": typed})
    text = page(response, 400)
    assert ("Choose the school's time zone." if not typed else "not a time zone this server knows") in text
    assert db.session.scalar(select(func.count()).select_from(SchoolSettings)) == 0


def test_the_chosen_zone_is_stored_and_used_for_every_time(app, asking, teacher, classroom, tiny_bank):
    tina = signed_in(app, "tina")
    saved = tina.post("/auth/school-time-zone?next=/teach/", data={"time_zone": " Europe/Paris "})
    assert saved.headers["Location"] == "/teach/"
    assert "Times are now typed and shown in Europe/Paris." in page(tina.get("/teach/"))
    assert school.time_zone() == "Europe/Paris"
    response = tina.post(f"/teach/classes/{classroom.id}/assignments/new",
                         data={"quiz_id": str(tiny_bank["everything"].id), "opens_at": "2026-07-01T09:00",
                               "closes_at": "2026-12-01T09:00", "counting": "best"})
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.opens_at == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert "2026-07-01 09:00 (Europe/Paris)" in page(tina.get(f"/teach/classes/{classroom.id}"))


def test_the_setting_stands_in_until_a_zone_is_chosen(app, monkeypatch, teacher):
    monkeypatch.setitem(app.config, "TIMEZONE", "America/New_York")
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with app.app_context():  # a request's own context, as the server gives each
        assert local_time(moment) == "2026-12-01 07:00 (America/New_York)"
    school.set_time_zone("Asia/Tokyo")
    with app.app_context():
        assert local_time(moment) == "2026-12-01 21:00 (Asia/Tokyo)"
        assert from_local(datetime(2026, 12, 1, 21, 0)) == moment
    with pytest.raises(ValueError):
        school.set_time_zone("Nowhere/Special")


def test_the_zone_is_read_once_per_request(app, asking, teacher, classroom, tiny_bank, count_queries):
    school.set_time_zone("Europe/Paris")
    for _ in range(4):
        assign(classroom, tiny_bank["everything"])
    tina = signed_in(app, "tina")
    with count_queries() as queries:
        text = page(tina.get(f"/teach/classes/{classroom.id}"))
    assert text.count("(Europe/Paris)") == 8
    assert sum("school_settings" in statement for statement in queries.statements) == 1


def test_any_teacher_changes_the_zone_from_the_account_page(app, teacher, make_user):
    from quizapp.models import Role

    school.set_time_zone("Europe/Paris")
    make_user("otto", role=Role.TEACHER)
    make_user("ana")
    otto = signed_in(app, "otto")
    account = page(otto.get("/auth/account"))
    assert "The school's time zone" in account and 'value="Europe/Paris"' in account
    changed = otto.post("/auth/school-time-zone", data={"time_zone": "America/Chicago"})
    assert changed.headers["Location"] == "/auth/account"
    assert "Times are now typed and shown in America/Chicago." in page(otto.get("/auth/account"))
    assert school.time_zone() == "America/Chicago"
    assert "The school's time zone" not in page(signed_in(app, "ana").get("/auth/account"))


def test_without_asking_the_teacher_pages_open_at_once(app, teacher):
    assert app.config["ASK_SCHOOL_TIME_ZONE"] is False
    assert signed_in(app, "tina").get("/teach/").status_code == 200


def test_bootstrap_says_the_zone_comes_next(runner):
    result = runner.invoke(args=["users", "bootstrap"])
    assert "choose the school's time zone" in result.output
    school.set_time_zone("Europe/Paris")


def test_the_assignment_forms_name_the_zone_the_school_chose(app, teacher, classroom, tiny_bank):
    """Typed times are read in the school's chosen zone, so the forms must name it, not TIMEZONE."""
    assert app.config["TIMEZONE"] != "Pacific/Auckland"
    school.set_time_zone("Pacific/Auckland")
    client = signed_in(app, "tina")
    assert "Times are in Pacific/Auckland." in page(client.get(f"/teach/classes/{classroom.id}/assignments/new"))
    assignment = assign(classroom, tiny_bank["everything"])
    assert "Times are in Pacific/Auckland." in page(client.get(f"/teach/assignments/{assignment.id}/extend"))


def test_a_stored_zone_this_machine_does_not_know_falls_back_to_the_setting(app):
    """Say after a move to a host without that zone's data: times still show, in TIMEZONE."""
    db.session.merge(SchoolSettings(id=SCHOOL_ID, time_zone="Mars/Olympus_Mons"))
    db.session.commit()
    with app.test_request_context():
        assert local_time(datetime(2026, 12, 2, 9, 30, tzinfo=UTC)).startswith("2026-12-02")
