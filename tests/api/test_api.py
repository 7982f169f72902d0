"""The JSON API at /api/v1, driven over HTTP the way a script would drive it.

Every response a test receives goes through ``Api``, which checks it against the
served OpenAPI document: the status code must be documented for the operation and
the body must match that status's schema (``OpenApi.check_response``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select, update

from quizapp.extensions import db
from quizapp.models import Answer, AttemptItem, Question, Role, User
from quizapp.services import users
from tests.support import PASSWORD
from tests.support.api_client import (
    CORRECT,
    DOC_URI,
    PREFIX,
    TYPES,
    WRONG,
    Student,
    assert_error,
    basic,
    bearer,
    ids_of,
)


class Key(NamedTuple):
    """What tiny.yaml says about a question, and what a correct answer above is stored as."""

    stored: list[str]
    correct_answer: list[str]
    explanation: str
    reference: str
    label: str
    points: int
    passage: str = ""


KEYS = {
    "single_choice": Key(["1901"], ["1901"], "The text says it opened in 1901.", "key_point 1", "Key point 1", 1,
                         "The harbour opened in 1901."),
    "multiple_select": Key(["Timber", "Grain"], ["Timber", "Grain"],
                           "Timber and grain are named; coal and oil are not.", "key_point 2", "Key point 2", 2),
    "true_false": Key(["True"], ["True"], "The FAQ says the council runs it.", "faq 1", "FAQ 1", 1),
    "short_answer": Key(["town COUNCIL!"], ["The town council"], "The council does.", "faq 1", "FAQ 1", 1),
    "ordering": Key(["Timber", "Grain", "Salt"], ["Timber", "Grain", "Salt"], "Timber, then grain, then salt.",
                    "key_point 2", "Key point 2", 1),
    "cloze": Key(["1901", "Wood"], ["1901", "timber"], "1901, and timber.", "section 1", "Section 1", 1),
}


def advance_to(student: Student, attempt_id: int, kind: str) -> dict[str, Any]:
    """Answer questions correctly until the current one is of this type; return it."""
    for _ in TYPES:
        question = student.current(attempt_id)
        assert question is not None, f"no {kind} question left"
        if question["type"] == kind:
            return question
        student.answer_correctly(attempt_id, question)
    raise AssertionError(f"no {kind} question in the attempt")


def question_id(key: str) -> int:
    return db.session.scalar(select(Question.id).where(Question.key == key))


# --- 1. The OpenAPI document ------------------------------------------------------------

def _served_operations(app) -> set[tuple[str, str]]:
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        assert rule.rule.startswith(PREFIX + "/"), rule.rule
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        served |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return served


def _schemas(node: Any):
    """Every schema object under a ``schema`` key, anywhere in the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema":
                yield value
            else:
                yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def test_openapi_document_is_served_as_openapi_3_1(api, spec):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"] == [{"url": PREFIX}]


def test_openapi_lists_exactly_the_routes_the_blueprint_serves(app, spec):
    served = _served_operations(app)
    documented = spec.operations()
    assert served, "the api blueprint serves no routes"
    assert documented - served == set(), "documented but not served"
    assert served - documented == set(), "served but not documented"


def test_openapi_path_parameters_match_the_templates(spec):
    for path, method in spec.operations():
        operation = spec.operation(path, method)
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"\{([^}]+)\}", path)), (path, method)
    operation_ids = [spec.operation(p, m)["operationId"] for p, m in spec.operations()]
    assert len(operation_ids) == len(set(operation_ids))


def test_openapi_schemas_are_valid_json_schemas(spec):
    components = spec.document["components"]["schemas"]
    assert {"Error", "Token", "Quiz", "Attempt", "Question", "Feedback", "Result"} <= set(components)
    for schema in components.values():
        Draft202012Validator.check_schema(schema)  # raises SchemaError, naming the problem
    inline = list(_schemas(spec.document["paths"]))
    assert inline
    for schema in inline:
        Draft202012Validator.check_schema(schema)


def test_openapi_every_ref_resolves(spec):
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(spec.document))
    assert refs
    resolver = spec.registry.resolver(base_uri=DOC_URI)
    for ref in set(refs):
        assert ref.startswith("#/components/schemas/"), ref
        resolver.lookup(ref)  # raises if the target is missing


def test_openapi_protected_operations_document_401(spec):
    for path, method in spec.operations():
        operation = spec.operation(path, method)
        if operation.get("security") == [{"bearer": []}]:
            assert "401" in operation["responses"], (path, method)


def test_check_response_rejects_bodies_and_statuses_the_document_does_not_allow(app, spec):
    """The checker itself must bite, or every other test's check would be empty."""

    def fake(body, status):
        return app.response_class(json.dumps(body), status=status, mimetype="application/json")

    question = {"question_id": 1, "position": 1, "total": 1, "type": "true_false", "type_label": "True or false",
                "prompt": "?", "points": 1, "choices": [{"id": "true", "text": "True"}]}
    spec.check_response(fake({"question": question}, 200), "/attempts/{attempt_id}/question", "GET")
    leaking = {**question, "answer": True}  # additionalProperties: false, reached through a $ref
    with pytest.raises(AssertionError, match="does not match"):
        spec.check_response(fake({"question": leaking}, 200), "/attempts/{attempt_id}/question", "GET")
    with pytest.raises(AssertionError, match="does not match"):
        spec.check_response(fake({"error": {"status": 404}}, 404), "/attempts/{attempt_id}", "GET")
    with pytest.raises(AssertionError, match="does not match"):  # date-time without a zone
        spec.check_response(fake({"id": 1, "quiz_id": 1, "started_at": "2024-01-01T10:00:00", "finished_at": None,
                                  "total": 1, "answered": 0}, 200), "/attempts/{attempt_id}", "GET")
    with pytest.raises(AssertionError, match="not documented"):
        spec.check_response(fake({"error": {"status": 418, "code": "x", "message": "x"}}, 418),
                            "/quizzes", "GET")


# --- 3. Tokens ------------------------------------------------------------------------------

def test_token_from_basic_credentials_is_usable(api, make_user):
    make_user("ana")
    before = datetime.now(UTC)
    response = api.post("/tokens", headers=basic("ana", PASSWORD))
    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["user"] == {"username": "ana", "role": "student"}
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(hours=23) < expires_at < before + timedelta(hours=25)
    assert api.get("/quizzes", headers=bearer(body["token"])).status_code == 200


def test_token_for_a_teacher_names_the_role(api, make_user):
    make_user("tom", role=Role.TEACHER)
    response = api.post("/tokens", headers=basic("tom", PASSWORD))
    assert response.status_code == 201
    assert response.get_json()["user"] == {"username": "tom", "role": "teacher"}


@pytest.mark.parametrize("headers", [
    pytest.param(basic("ana", "wrong password"), id="wrong-password"),
    pytest.param(basic("nobody", PASSWORD), id="unknown-user"),
    pytest.param({}, id="no-header"),
    pytest.param(bearer("ana"), id="bearer-instead-of-basic"),
    pytest.param({"Authorization": "Basic !!!not-base64"}, id="garbled-basic"),
])
def test_token_refused_without_the_right_basic_credentials(api, make_user, headers):
    make_user("ana")
    response = api.post("/tokens", headers=headers)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_garbage_token_is_refused(api, ana):
    assert_error(api.get("/quizzes", headers=bearer("not-a-real-token")), 401, "unauthorized")


def test_expired_token_is_refused(api, make_user):
    user = make_user("ana")
    token, _ = users.issue_token(user, timedelta(seconds=-1))
    assert_error(api.get("/quizzes", headers=bearer(token)), 401, "unauthorized")


@pytest.mark.parametrize("headers", [
    pytest.param({}, id="no-header"),
    pytest.param({"Authorization": "Bearer "}, id="empty-bearer"),
    pytest.param(basic("ana", PASSWORD), id="basic-credentials"),
])
def test_protected_route_wants_a_bearer_token(api, make_user, headers):
    make_user("ana")
    assert_error(api.get("/quizzes", headers=headers), 401, "unauthorized")


def test_every_protected_operation_refuses_a_request_without_a_token(api, spec, tiny_bank):
    protected = [(p, m) for p, m in spec.operations() if spec.operation(p, m).get("security") == [{"bearer": []}]]
    public = {("/openapi.json", "get"), ("/tokens", "post")}
    assert set(protected) == set(spec.operations()) - public
    for template, method in sorted(protected):
        path = re.sub(r"\{[^}]+\}", "1", template)
        assert_error(api.request(method.upper(), path), 401, "unauthorized")


def test_protected_route_401_carries_a_bearer_challenge(api):
    """RFC 9110 §15.5.2: a 401 must carry WWW-Authenticate, on the bearer routes as on POST /tokens."""
    response = api.get("/quizzes", headers=bearer("not-a-real-token"))
    assert_error(response, 401)
    assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


# --- 4. The whole flow -------------------------------------------------------------------

def test_quiz_list_describes_the_tiny_bank(ana, tiny_bank):
    response = ana.get("/quizzes")
    assert response.status_code == 200
    quizzes = {q["id"]: q for q in response.get_json()["quizzes"]}
    everything = quizzes[tiny_bank["everything"].id]
    assert everything["title"] == "Everything"
    assert everything["description"] == "All six questions, in order."
    assert everything["bank"] == "Tiny test bank"
    assert everything["questions"] == 6
    assert everything["covers"] == ["Key point 1", "Key point 2", "FAQ 1", "Section 1"]
    two = quizzes[tiny_bank["two-grain"].id]
    assert (two["title"], two["questions"], two["covers"]) == ("Two on cargo", 2, ["Key point 2"])


def test_full_flow_answering_every_type_correctly(ana, tiny_bank):
    quiz = tiny_bank["everything"]
    attempt = ana.start(quiz)
    assert (attempt["quiz_id"], attempt["total"], attempt["answered"], attempt["finished_at"]) == (quiz.id, 6, 0, None)
    attempt_id = attempt["id"]

    for position, kind in enumerate(TYPES, start=1):
        question = ana.current(attempt_id)
        assert (question["position"], question["total"], question["type"]) == (position, 6, kind)
        response = ana.answer(attempt_id, question["question_id"], CORRECT[kind](question))
        assert response.status_code == 201, response.get_json()
        feedback = response.get_json()
        key = KEYS[kind]
        assert feedback["question_id"] == question["question_id"]
        assert (feedback["position"], feedback["total"]) == (position, 6)
        assert feedback["correct"] is True
        assert feedback["score"] == 1
        assert feedback["points"] == key.points == question["points"]
        assert feedback["points_awarded"] == key.points
        assert feedback["response"] == key.stored
        assert feedback["correct_answer"] == key.correct_answer
        assert feedback["explanation"] == key.explanation
        assert (feedback["source"]["reference"], feedback["source"]["label"]) == (key.reference, key.label)
        assert feedback["passage"] == key.passage
        assert feedback["seconds"] >= 0

    assert ana.current(attempt_id) is None
    progress = ana.attempt(attempt_id)
    assert (progress["answered"], progress["total"], progress["finished_at"]) == (6, 6, None)

    result = ana.finish(attempt_id)
    assert (result["attempt_id"], result["quiz_id"]) == (attempt_id, quiz.id)
    assert (result["score"], result["max_score"], result["percentage"]) == (7, 7, 100)
    assert result["seconds"] >= 0
    assert [q["position"] for q in result["questions"]] == [1, 2, 3, 4, 5, 6]
    for entry, kind in zip(result["questions"], TYPES, strict=True):
        assert entry["answered"] is True and entry["correct"] is True, entry
        assert entry["response"] == KEYS[kind].stored
        assert entry["points_awarded"] == entry["points"] == KEYS[kind].points
        assert entry["correct_answer"] == KEYS[kind].correct_answer
        assert entry["explanation"] == KEYS[kind].explanation
        assert entry["source"] == KEYS[kind].label

    again = ana.get(f"/attempts/{attempt_id}/result")
    assert again.status_code == 200
    assert again.get_json() == result
    assert ana.attempt(attempt_id)["finished_at"] == result["finished_at"]


def test_two_grain_quiz_draws_both_cargo_questions(ana, tiny_bank):
    attempt = ana.start(tiny_bank["two-grain"])
    assert attempt["total"] == 2
    kinds = set()
    for _ in range(2):
        question = ana.current(attempt["id"])
        kinds.add(question["type"])
        ana.answer_correctly(attempt["id"], question)
    assert kinds == {"multiple_select", "ordering"}
    assert ana.current(attempt["id"]) is None


# --- 5. Wrong and partial answers --------------------------------------------------------

@pytest.mark.parametrize(("picked", "score", "points_awarded"), [
    (["Timber", "Coal"], 0.0, 0.0),
    (["Timber"], 0.5, 1.0),
    (["Timber", "Grain", "Coal"], 0.5, 1.0),
    (["Coal", "Oil"], 0.0, 0.0),
])
def test_multiple_select_partial_scoring(ana, tiny_bank, picked, score, points_awarded):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    question = advance_to(ana, attempt_id, "multiple_select")
    response = ana.answer(attempt_id, question["question_id"], ids_of(question, *picked))
    assert response.status_code == 201
    feedback = response.get_json()
    assert feedback["correct"] is False
    assert (feedback["score"], feedback["points_awarded"], feedback["points"]) == (score, points_awarded, 2)
    assert sorted(feedback["response"]) == sorted(picked)


def test_cloze_with_one_blank_right_earns_half(ana, tiny_bank):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    question = advance_to(ana, attempt_id, "cloze")
    feedback = ana.answer(attempt_id, question["question_id"], ["1901", "coal"]).get_json()
    assert (feedback["correct"], feedback["score"], feedback["points_awarded"]) == (False, 0.5, 0.5)


@pytest.mark.parametrize("kind", TYPES)
def test_wrong_answer_is_recorded_as_incorrect(ana, tiny_bank, kind):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    question = advance_to(ana, attempt_id, kind)
    response = ana.answer(attempt_id, question["question_id"], WRONG[kind](question))
    assert response.status_code == 201
    feedback = response.get_json()
    assert (feedback["correct"], feedback["score"], feedback["points_awarded"]) == (False, 0, 0)
    assert feedback["correct_answer"] == KEYS[kind].correct_answer
    assert feedback["explanation"] == KEYS[kind].explanation


def test_wrong_and_partial_answers_count_in_the_result(ana, tiny_bank):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    plan = {  # wrong, half right (1 of 2 points), wrong, right, wrong, right: 3 of 7
        "single_choice": WRONG["single_choice"],
        "multiple_select": lambda q: ids_of(q, "Timber"),
        "true_false": WRONG["true_false"],
        "short_answer": CORRECT["short_answer"],
        "ordering": WRONG["ordering"],
        "cloze": CORRECT["cloze"],
    }
    for kind in TYPES:
        question = ana.current(attempt_id)
        assert ana.answer(attempt_id, question["question_id"], plan[kind](question)).status_code == 201
    result = ana.finish(attempt_id)
    assert (result["score"], result["max_score"], result["percentage"]) == (3, 7, 42.9)
    entries = {kind: entry for kind, entry in zip(TYPES, result["questions"], strict=True)}
    assert all(entry["answered"] for entry in entries.values())
    assert [k for k, e in entries.items() if e["correct"]] == ["short_answer", "cloze"]
    assert entries["single_choice"]["response"] == ["1910"]
    assert entries["true_false"]["response"] == ["False"]
    assert entries["ordering"]["response"] == ["Salt", "Grain", "Timber"]
    assert (entries["multiple_select"]["points_awarded"], entries["single_choice"]["points_awarded"]) == (1, 0)


# --- 6. Refusals --------------------------------------------------------------------------

@pytest.fixture
def fresh_attempt(ana, tiny_bank) -> tuple[int, dict[str, Any]]:
    """Ana's new attempt at "everything", and its first (single choice) question."""
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    return attempt_id, ana.current(attempt_id)


@pytest.mark.parametrize("body", [
    pytest.param({"data": "question_id=1&response=1", "content_type": "application/x-www-form-urlencoded"},
                 id="form-body"),
    pytest.param({"data": '{"question_id": 1, "response": "1"}', "content_type": "text/plain"}, id="json-as-text"),
    pytest.param({"data": '{"question_id": 1,', "content_type": "application/json"}, id="malformed-json"),
    pytest.param({}, id="no-body"),
    pytest.param({"json": [1, "1"]}, id="list-body"),
    pytest.param({"json": "1"}, id="string-body"),
    pytest.param({"data": "null", "content_type": "application/json"}, id="null-body"),
])
def test_answer_body_that_is_not_a_json_object_is_400(ana, fresh_attempt, body):
    attempt_id, _ = fresh_attempt
    assert_error(ana.post(f"/attempts/{attempt_id}/answers", **body), 400, "bad_request")
    assert ana.attempt(attempt_id)["answered"] == 0


@pytest.mark.parametrize("make_body", [
    pytest.param(lambda qid: {"response": "1"}, id="missing"),
    pytest.param(lambda qid: {"question_id": None, "response": "1"}, id="null"),
    pytest.param(lambda qid: {"question_id": str(qid), "response": "1"}, id="string"),
    pytest.param(lambda qid: {"question_id": qid + 0.5, "response": "1"}, id="float"),
    pytest.param(lambda qid: {"question_id": True, "response": "1"}, id="boolean"),
    pytest.param(lambda qid: {"question_id": [qid], "response": "1"}, id="list"),
])
def test_answer_without_an_integer_question_id_is_400(ana, fresh_attempt, make_body):
    attempt_id, question = fresh_attempt
    body = make_body(question["question_id"])
    assert_error(ana.post(f"/attempts/{attempt_id}/answers", json=body), 400, "bad_request")
    assert ana.attempt(attempt_id)["answered"] == 0


@pytest.mark.parametrize("response", [
    pytest.param({"id": "1"}, id="object"),
    pytest.param([], id="empty-list"),
    pytest.param(["1"] * 51, id="list-of-51"),
    pytest.param(None, id="null"),
    pytest.param(1.5, id="float"),
    pytest.param([True], id="list-of-booleans"),
    pytest.param([["1"]], id="nested-list"),
    pytest.param([{"id": "1"}], id="list-of-objects"),
])
def test_answer_response_of_the_wrong_shape_is_400(ana, fresh_attempt, response):
    attempt_id, question = fresh_attempt
    assert_error(ana.answer(attempt_id, question["question_id"], response), 400, "bad_request")
    assert ana.attempt(attempt_id)["answered"] == 0


def test_answer_without_a_response_key_is_400(ana, fresh_attempt):
    attempt_id, question = fresh_attempt
    response = ana.post(f"/attempts/{attempt_id}/answers", json={"question_id": question["question_id"]})
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(("kind", "make_response"), [
    pytest.param("single_choice", lambda q: "9", id="single-unknown-id"),
    pytest.param("single_choice", lambda q: "0", id="single-id-zero"),
    pytest.param("single_choice", lambda q: "1901", id="single-text-instead-of-id"),
    pytest.param("single_choice", lambda q: ["1", "2"], id="single-two-ids"),
    pytest.param("multiple_select", lambda q: [ids_of(q, "Timber")[0], "9"], id="multiple-unknown-id"),
    pytest.param("multiple_select", lambda q: ids_of(q, "Timber", "Timber"), id="multiple-same-id-twice"),
    pytest.param("true_false", lambda q: "maybe", id="true-false-maybe"),
    pytest.param("short_answer", lambda q: "   ", id="short-blank"),
    pytest.param("short_answer", lambda q: "x" * 501, id="short-too-long"),
    pytest.param("ordering", lambda q: ids_of(q, "Timber", "Grain"), id="ordering-two-of-three"),
    pytest.param("ordering", lambda q: ids_of(q, "Timber", "Grain", "Salt") + ["1"], id="ordering-four"),
    pytest.param("ordering", lambda q: ids_of(q, "Timber", "Timber", "Salt"), id="ordering-repeated-item"),
    pytest.param("ordering", lambda q: ["1", "2", "9"], id="ordering-unknown-id"),
    pytest.param("cloze", lambda q: "1901", id="cloze-one-blank"),
    pytest.param("cloze", lambda q: ["1901", "timber", "x"], id="cloze-three-blanks"),
    pytest.param("cloze", lambda q: ["", " "], id="cloze-all-empty"),
])
def test_response_that_does_not_fit_the_question_is_400(ana, tiny_bank, kind, make_response):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    question = advance_to(ana, attempt_id, kind)
    answered = ana.attempt(attempt_id)["answered"]
    assert_error(ana.answer(attempt_id, question["question_id"], make_response(question)), 400, "invalid_response")
    assert ana.attempt(attempt_id)["answered"] == answered
    assert ana.current(attempt_id)["question_id"] == question["question_id"]


def test_answer_to_a_question_not_in_the_attempt_is_400(ana, tiny_bank):
    attempt_id = ana.start(tiny_bank["two-grain"])["id"]
    for other in (question_id("opened"), 999_999, 2**70):
        assert_error(ana.answer(attempt_id, other, "1"), 400, "not_in_attempt")
    assert ana.attempt(attempt_id)["answered"] == 0


def test_unknown_quiz_is_404(ana, tiny_bank):
    assert_error(ana.post("/quizzes/999999/attempts"), 404, "not_found")


def attempt_routes(attempt_id: int, question_id: int = 1) -> list[tuple[str, str, dict[str, Any]]]:
    """Every attempt route, as (method, path, request keyword arguments)."""
    return [
        ("GET", f"/attempts/{attempt_id}", {}),
        ("GET", f"/attempts/{attempt_id}/question", {}),
        ("POST", f"/attempts/{attempt_id}/answers", {"json": {"question_id": question_id, "response": "1"}}),
        ("POST", f"/attempts/{attempt_id}/finish", {}),
        ("GET", f"/attempts/{attempt_id}/result", {}),
    ]


def test_unknown_attempt_is_404_on_every_attempt_route(api, ana, tiny_bank):
    for method, path, kwargs in attempt_routes(999_999):
        assert_error(api.request(method, path, headers=ana.headers, **kwargs), 404, "not_found")


@pytest.mark.parametrize("unknown_id", [2**31, 2**63], ids=["2**31", "2**63"])
def test_ids_beyond_the_database_integer_range_are_unknown_not_500(api, ana, tiny_bank, unknown_id):
    """An id past the column's range (PostgreSQL int4 from 2**31; SQLite from 2**63) is just unknown."""
    routes = [("POST", f"/quizzes/{unknown_id}/attempts", {}), *attempt_routes(unknown_id)]
    statuses = {}
    for method, path, kwargs in routes:  # the raw client first, to list every route's status at once
        response = api.client.open(PREFIX + path, method=method, headers=ana.headers, **kwargs)
        statuses[f"{method} {path}"] = response.status_code
    assert statuses == dict.fromkeys(statuses, 404)
    for method, path, kwargs in routes:  # then through the checked client: each 404 fits the document
        assert_error(api.request(method, path, headers=ana.headers, **kwargs), 404, "not_found")


def test_another_users_attempt_is_403_on_every_attempt_route(ana, ben, tiny_bank):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    question = ana.current(attempt_id)
    for method, path, kwargs in attempt_routes(attempt_id, question["question_id"]):
        assert_error(ben.api.request(method, path, headers=ben.headers, **kwargs), 403, "forbidden")
    progress = ana.attempt(attempt_id)
    assert (progress["answered"], progress["finished_at"]) == (0, None)


def test_answering_the_same_question_twice_is_409_and_the_first_answer_stands(ana, fresh_attempt):
    attempt_id, question = fresh_attempt
    first = ana.answer(attempt_id, question["question_id"], WRONG["single_choice"](question))
    assert first.status_code == 201
    second = ana.answer(attempt_id, question["question_id"], CORRECT["single_choice"](question))
    assert_error(second, 409, "already_answered")
    assert ana.attempt(attempt_id)["answered"] == 1
    entry = ana.finish(attempt_id)["questions"][0]
    assert (entry["response"], entry["correct"], entry["points_awarded"]) == (["1910"], False, 0)


def test_finished_attempt_refuses_answers_finishing_and_the_current_question(ana, fresh_attempt):
    attempt_id, question = fresh_attempt
    ana.finish(attempt_id)
    response = ana.answer(attempt_id, question["question_id"], CORRECT["single_choice"](question))
    assert_error(response, 409, "attempt_finished")
    assert_error(ana.post(f"/attempts/{attempt_id}/finish"), 409, "attempt_finished")
    assert_error(ana.get(f"/attempts/{attempt_id}/question"), 409, "attempt_finished")
    assert ana.get(f"/attempts/{attempt_id}/result").get_json()["questions"][0]["answered"] is False


def test_result_of_an_unfinished_attempt_is_409(ana, fresh_attempt):
    attempt_id, _ = fresh_attempt
    assert_error(ana.get(f"/attempts/{attempt_id}/result"), 409, "attempt_not_finished")


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("GET", "/tokens", {"POST"}),
    ("POST", "/quizzes", {"GET"}),
    ("DELETE", "/attempts/1", {"GET"}),
    ("GET", "/attempts/1/finish", {"POST"}),
    ("PUT", "/openapi.json", {"GET"}),
])
def test_wrong_method_is_405_json(api, ana, method, path, allowed):
    response = api.request(method, path, headers=ana.headers)
    assert_error(response, 405, "method_not_allowed")
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("path", ["/nope", "/attempts/abc", "/quizzes/1", "/attempts/1/answers/1", "/"])
def test_unknown_api_path_is_404_json(api, ana, path):
    assert_error(api.get(path, headers=ana.headers), 404, "not_found")


# --- 7. No answer key before the answer is in ------------------------------------------

# How a multiple-select question is scored ("scoring") is shown on purpose: it is no part of the key.
FORBIDDEN_KEYS = {"answer", "answers", "accepted", "explanation", "correct", "correct_answer", "passage"}
HIDDEN_TEXTS = {  # accepted answers that are not in the question's own prompt
    "short_answer": ["town council"],
    "cloze": ["timber", "wood", "1901"],
}


def _keys_and_values(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _keys_and_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys_and_values(value)


def assert_no_key(payload: Any) -> None:
    for key, value in _keys_and_values(payload):
        assert key not in FORBIDDEN_KEYS, f"{key!r} reveals the key: {payload}"
        assert not (key == "blanks" and isinstance(value, list)), f"the blanks' answers are shown: {payload}"


def test_start_attempt_payload_shows_no_key(ana, tiny_bank):
    response = ana.post(f"/quizzes/{tiny_bank['everything'].id}/attempts")
    assert response.status_code == 201
    payload = response.get_json()
    assert_no_key(payload)
    serialized = json.dumps(payload).lower()
    for key in KEYS.values():
        assert key.explanation.lower() not in serialized


@pytest.mark.parametrize("kind", TYPES)
def test_current_question_shows_no_key(ana, tiny_bank, kind):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    question = advance_to(ana, attempt_id, kind)
    assert_no_key(question)
    serialized = json.dumps(question).lower()
    assert KEYS[kind].explanation.lower() not in serialized
    for text in HIDDEN_TEXTS.get(kind, []):
        assert text not in serialized, f"{text!r} gives the answer away: {question}"
    if kind in ("single_choice", "multiple_select", "true_false"):
        assert question["multiple"] is (kind == "multiple_select")
        for choice in question["choices"]:
            assert set(choice) == {"id", "text"}
    if kind == "true_false":  # always both, always in the same order, whatever the key
        assert question["choices"] == [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}]
    if kind == "ordering":
        assert all(set(item) == {"id", "text"} for item in question["items"])
        assert [i["text"] for i in question["items"]] != ["Timber", "Grain", "Salt"], "shown in the right order"
    if kind == "cloze":
        assert question["blanks"] == 2
        assert question["segments"] == [{"text": "The harbour opened in "}, {"blank": 1},
                                         {"text": " and ships unload "}, {"blank": 2}, {"text": "."}]


# --- 8. What is stored, and finishing early -------------------------------------------

def stored_answers(attempt_id: int) -> list[Answer]:
    return list(db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id).order_by(Answer.id)))


def test_each_stored_answer_has_its_seconds_and_question_version(ana, tiny_bank):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    for _ in TYPES:
        ana.answer_correctly(attempt_id, ana.current(attempt_id))
    answers = stored_answers(attempt_id)
    assert len(answers) == 6
    versions = dict(db.session.execute(select(Question.id, Question.version)).all())
    for answer in answers:
        assert answer.seconds >= 0
        assert answer.question_version == versions[answer.question_id]


def test_seconds_count_from_when_the_question_was_shown(ana, fresh_attempt):
    """No sleeping: the question is marked as shown 30 seconds ago. Its version is bumped meanwhile,
    as a bank reload would: the answer is graded against, and records, the version the attempt showed."""
    attempt_id, question = fresh_attempt
    shown = datetime.now(UTC) - timedelta(seconds=30)
    db.session.execute(update(AttemptItem).where(AttemptItem.attempt_id == attempt_id,
                                                 AttemptItem.question_id == question["question_id"])
                       .values(presented_at=shown))
    db.session.execute(update(Question).where(Question.id == question["question_id"]).values(version=4))
    db.session.commit()
    feedback = ana.answer(attempt_id, question["question_id"], CORRECT["single_choice"](question)).get_json()
    assert 30 <= feedback["seconds"] < 60
    [answer] = stored_answers(attempt_id)
    assert answer.seconds == feedback["seconds"]
    assert answer.question_version == 1


def test_finishing_early_lists_unanswered_questions_with_no_points(ana, tiny_bank):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    for _ in range(2):  # the single choice (1 point) and the multiple select (2 points)
        ana.answer_correctly(attempt_id, ana.current(attempt_id))
    result = ana.finish(attempt_id)
    assert (result["score"], result["max_score"], result["percentage"]) == (3, 7, 42.9)
    answered, unanswered = result["questions"][:2], result["questions"][2:]
    assert all(entry["answered"] and entry["correct"] for entry in answered)
    assert len(unanswered) == 4
    for entry, kind in zip(unanswered, TYPES[2:], strict=True):
        assert (entry["answered"], entry["response"], entry["correct"], entry["points_awarded"]) == (
            False, None, False, 0), entry
        assert entry["correct_answer"] == KEYS[kind].correct_answer
    progress = ana.attempt(attempt_id)
    assert progress["answered"] == 2 and progress["finished_at"] == result["finished_at"]
    assert len(stored_answers(attempt_id)) == 2


def test_stored_answer_belongs_to_the_token_holder(ana, tiny_bank):
    attempt_id = ana.start(tiny_bank["everything"])["id"]
    ana.answer_correctly(attempt_id, ana.current(attempt_id))
    [answer] = stored_answers(attempt_id)
    owner = db.session.scalar(select(User.username).where(User.id == answer.attempt.user_id))
    assert owner == "ana"
