"""Schemathesis against ``/api/v1/openapi.json``: no 500, and every response matches the document.

The document is loaded from the running Flask app over WSGI, and each operation is its own
test: Schemathesis generates requests from the document (valid ones, and invalid ones that
the API must turn away with a documented error), an auth provider signs each with a real
bearer token (HTTP Basic for ``POST /tokens``), and every response must be no server error,
have a documented status code and content type, and fit the documented schema.

Each test starts from a small world (the tiny bank; a student with attempts in progress and
finished; a teacher's class with the student in it and an open assignment; someone else's
attempt) and half of the generated path ids are swapped for ids that exist, so the requests
reach past "not found". Runs are derandomized and keep no example database in the checkout.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from quizapp.api.openapi import PATHS
from quizapp.extensions import db
from quizapp.models import Feedback, Quiz, Role, utcnow
from quizapp.services import attempts, classrooms, practice, users
from tests.support import PASSWORD
from tests.support.builders import any_response, assign, member

# No 500; a documented status code, content type and body; invalid requests turned away with a 4xx;
# and no operation that answers without its token (each request is sent again without it).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, ignored_auth]
OPERATIONS = [(path, method) for path, item in PATHS.items() for method in item]
TEACHER_ONLY = {"classGradebook", "assignmentAnswers", "assignmentStatistics"}
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None)


class Credentials:
    """Who the requests of the running test are made as; set by the ``world`` fixture."""

    student: str = ""
    teacher: str = ""
    others: tuple[str, ...] = ()  # the teacher, a classmate, a student in no class
    basic: tuple[str, str] = ("", "")


class BearerAuth:
    """Schemathesis auth provider: a valid token for each request (Basic for ``POST /tokens``)."""

    def get(self, case, context):
        if context.operation.path == "/tokens":
            return "basic"
        if context.operation.definition.raw.get("operationId") in TEACHER_ONLY:
            return Credentials.teacher
        return Credentials.student

    def set(self, case, data, context):
        headers = dict(case.headers or {})
        if data == "basic":
            raw = ":".join(Credentials.basic).encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        else:
            headers["Authorization"] = f"Bearer {data}"
        case.headers = headers


def in_fresh_context(app):
    """The app as a WSGI callable that serves each request in an app context of its own, as a real
    server does (the test's own context would otherwise share ``g`` and the database session)."""

    def wsgi(environ, start_response):
        with app.app_context():
            return app(environ, start_response)

    return wsgi


@pytest.fixture(scope="module")
def api_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_fresh_context(app))
    schema.auth(refresh_interval=None)(BearerAuth)  # a token per request: each test has its own users
    return schema


@pytest.fixture
def world(app, tiny_bank):
    """Users, attempts, a class and assignments; returns the ids that exist, by path parameter."""
    student = users.create_user("fuzzer", "Fuzz Student", PASSWORD)
    teacher = users.create_user("tina", "Tina Teacher", PASSWORD, Role.TEACHER)
    other = users.create_user("other", "Other Student", PASSWORD)
    lifetime = timedelta(hours=1)
    room = classrooms.create_classroom(teacher, "Fuzzing & <friends>")
    classrooms.join(student, room.join_code)
    classmate = member(room, "classmate", nickname="Mate")
    Credentials.student, _ = users.issue_token(student, lifetime)
    Credentials.teacher, _ = users.issue_token(teacher, lifetime)
    Credentials.others = tuple(users.issue_token(user, lifetime)[0] for user in (teacher, classmate, other))
    Credentials.basic = ("fuzzer", PASSWORD)
    now = utcnow()
    open_assignment = assign(room, tiny_bank["two-grain"], attempts_allowed=3)
    closed = assign(room, tiny_bank["two-grain"], opens=now - timedelta(days=9), closes=now - timedelta(days=8))
    other_room = classrooms.create_classroom(teacher, "Another class")

    everything = tiny_bank["everything"]
    at_end = Quiz(bank_id=everything.bank_id, key="at-end", title="Feedback at the end", feedback=Feedback.AT_END)
    db.session.add(at_end)
    db.session.commit()
    in_progress = attempts.start_attempt(student, everything)
    held_back = attempts.start_attempt(student, at_end)  # its answers reply "saved", not the feedback
    finished = attempts.start_attempt(student, everything)
    for item in finished.items[:3]:
        attempts.record_answer(finished, item.question_id, any_response(item))
    attempts.finish_attempt(finished)
    assigned = attempts.start_assignment_attempt(student, open_assignment)
    attempts.record_answer(assigned, assigned.items[0].question_id, any_response(assigned.items[0]))
    attempts.finish_attempt(assigned)
    someone_elses = attempts.start_attempt(other, everything)
    # Practice: the student's cards (from the answers above) shown with their tokens, one answered (a review
    # of hers to rate), and a review of someone else's.
    zone = ZoneInfo(app.config["TIMEZONE"])
    items = practice.queue(student, zone).items or practice.queue(student, zone, mode="ahead").items
    shown = [(item.question, practice.show(student, item)) for item in items]
    review_ids = [_practised(student, *shown.pop()) for _ in shown[:1]]
    question = in_progress.items[0].question
    review_ids.append(_practised(other, question, practice.show(other, practice.QueueItem(question, None))))
    tokens = [practice.seal(s, app.secret_key) for _, s in shown]

    ids = {
        "quiz_id": [*(q.id for q in tiny_bank.values()), at_end.id],
        "attempt_id": [in_progress.id, held_back.id, finished.id, assigned.id, someone_elses.id],
        "assignment_id": [open_assignment.id, closed.id],
        "classroom_id": [room.id, other_room.id],
        "question_id": sorted({item.question_id for item in in_progress.items + held_back.items}),
        # Responses that fit some question of the tiny bank (choice ids, true/false, typed text, blanks).
        "response": ["1", "2", "true", True, False, "town council", ["1", "2"], ["1", "2", "3"], ["1901", "wood"]],
        "code": [room.join_code, room.join_code.lower(), other_room.join_code],
        "review_id": review_ids,
        "token": [*tokens, "not-a-token"],
        "rating": ["again", "hard", "good", "easy"],
    }
    db.session.commit()  # end the test's transaction: the requests run in sessions of their own
    return ids


def _practised(user, question, shown) -> int:
    """Answer a shown practice question (anyhow): the review's id."""
    item = SimpleNamespace(presentation=shown.presentation, question=question)
    return practice.answer(user, shown, any_response(item)).review.id


def _label(path: str, method: str) -> str:
    return f"{method.upper()} {path}"


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[_label(p, m) for p, m in OPERATIONS])
def test_operation_matches_the_document(api_schema, world, path, method):
    operation = api_schema[path][method.upper()]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    real = st.sampled_from([True, True, True, False])

    @FUZZ
    @given(case=cases, data=st.data())
    def run(case, data):
        # Now and then ask as someone else (the teacher, a classmate, a student in no class).
        if str((case.headers or {}).get("Authorization", "")).startswith("Bearer ") and data.draw(
                st.sampled_from([False, False, True]), label="someone else"):
            case.headers = {**case.headers, "Authorization": f"Bearer {data.draw(st.sampled_from(Credentials.others))}"}
        # Mostly point at something that exists, so that the request gets past "not found".
        for name in list(case.path_parameters or {}):
            if name in world and data.draw(real, label=f"real {name}"):
                case.path_parameters = {**case.path_parameters, name: data.draw(st.sampled_from(world[name]))}
        if isinstance(case.body, dict):
            for name in ("question_id", "response", "code", "token", "rating"):
                if name in case.body and data.draw(real, label=f"real {name}"):
                    case.body = {**case.body, name: data.draw(st.sampled_from(world[name]))}
        case.call_and_validate(checks=CHECKS)

    run()


def test_every_operation_is_fuzzed(api_schema):
    """The parametrization covers every operation Schemathesis finds in the served document (it leaves
    out the one that serves the document itself, which the parametrization keeps)."""
    served = {(op.ok().path, op.ok().method.lower()) for op in api_schema.get_all_operations()}
    assert served | {("/openapi.json", "get")} == set(OPERATIONS)
