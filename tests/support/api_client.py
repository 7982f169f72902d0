"""A test client for /api/v1 that checks every response against the served OpenAPI document,
and the helpers and fixtures the API tests share (tokens, a student driving the flow)."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from quizapp.models import Role
from tests.support import PASSWORD

PREFIX = "/api/v1"
DOC_URI = "urn:quizapp:openapi"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
ERROR_SCHEMA = "/components/schemas/Error"


# --- The OpenAPI document and response checking --------------------------------------

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    """RFC 3339-ish: an ISO timestamp with a date, a time and a zone."""
    if not isinstance(value, str):
        return True
    return "T" in value and datetime.fromisoformat(value).tzinfo is not None


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class OpenApi:
    """The served document, with ``$ref``s resolved through a referencing registry."""

    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.registry = Registry().with_resource(DOC_URI, DRAFT202012.create_resource(document))

    def operations(self) -> set[tuple[str, str]]:
        return {(path, method) for path, item in self.document["paths"].items()
                for method in item if method in HTTP_METHODS}

    def operation(self, template: str, method: str) -> dict[str, Any] | None:
        return self.document["paths"].get(template, {}).get(method.lower())

    def template_for(self, path: str) -> str | None:
        """The documented path template matching a concrete path, e.g. /attempts/{attempt_id}."""
        matches = [t for t in self.document["paths"]
                   if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(t)), path)]
        return min(matches, key=lambda t: t.count("{"), default=None)

    def validator(self, pointer: str) -> Draft202012Validator:
        schema = {"$ref": DOC_URI + "#" + quote(pointer, safe="/~")}
        return Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)

    def validate(self, body: Any, pointer: str, what: str) -> None:
        errors = sorted(self.validator(pointer).iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, f"{what} does not match its schema:\n" + "\n".join(
            f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors
        ) + f"\nbody: {json.dumps(body)[:2000]}"

    def check_response(self, response, path_template: str, method: str) -> None:
        """Fail unless the status is documented for the operation and the body fits its schema."""
        method = method.lower()
        operation = self.operation(path_template, method)
        assert operation is not None, f"{method.upper()} {path_template} is not in the document"
        status = str(response.status_code)
        what = f"{method.upper()} {path_template} -> {status}"
        assert status in operation["responses"], (
            f"{what} is not documented (documented: {sorted(operation['responses'])}); "
            f"body: {response.get_data(as_text=True)[:500]}"
        )
        content = operation["responses"][status].get("content", {})
        assert response.mimetype in content, f"{what}: {response.mimetype} is not a documented content type"
        pointer = _pointer("paths", path_template, method, "responses", status, "content",
                           response.mimetype, "schema")
        self.validate(response.get_json(), pointer, what)

    def check_undocumented(self, response, path: str, method: str) -> None:
        """A request outside the document gets a JSON 404 or 405 in the API's error shape."""
        assert response.status_code in (404, 405), (
            f"{method} {path} is not documented yet answered {response.status_code}")
        assert response.is_json, f"{method} {path}: the {response.status_code} is not JSON"
        self.validate(response.get_json(), ERROR_SCHEMA, f"{method} {path} -> {response.status_code}")


class Api:
    """The test client for /api/v1: paths without the prefix; every response is checked."""

    def __init__(self, client, spec: OpenApi):
        self.client, self.spec = client, spec

    def request(self, method: str, path: str, **kwargs):
        response = self.client.open(PREFIX + path, method=method, **kwargs)
        template = self.spec.template_for(path)
        if template and self.spec.operation(template, method):
            self.spec.check_response(response, template, method)
        else:
            self.spec.check_undocumented(response, path, method)
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)


@pytest.fixture(scope="module")
def spec(app) -> OpenApi:
    response = app.test_client().get(PREFIX + "/openapi.json")
    assert response.status_code == 200
    return OpenApi(response.get_json())


@pytest.fixture
def api(client, spec) -> Api:
    return Api(client, spec)


# --- Authentication helpers -----------------------------------------------------------

def basic(username: str, password: str) -> dict[str, str]:
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int, code: str | None = None) -> dict[str, Any]:
    """The API's one error shape: {"error": {"status", "code", "message"}}."""
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message"}
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


class Student:
    """A user holding a token, with one method per step of the flow."""

    def __init__(self, api: Api, headers: dict[str, str]):
        self.api, self.headers = api, headers

    def get(self, path: str, **kwargs):
        return self.api.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, **kwargs):
        return self.api.post(path, headers=self.headers, **kwargs)

    def start(self, quiz) -> dict[str, Any]:
        response = self.post(f"/quizzes/{quiz.id}/attempts")
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def current(self, attempt_id: int) -> dict[str, Any] | None:
        response = self.get(f"/attempts/{attempt_id}/question")
        assert response.status_code == 200, response.get_json()
        return response.get_json()["question"]

    def answer(self, attempt_id: int, question_id: int, response: Any):
        return self.post(f"/attempts/{attempt_id}/answers", json={"question_id": question_id, "response": response})

    def answer_correctly(self, attempt_id: int, question: dict[str, Any]) -> dict[str, Any]:
        response = self.answer(attempt_id, question["question_id"], CORRECT[question["type"]](question))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def attempt(self, attempt_id: int) -> dict[str, Any]:
        response = self.get(f"/attempts/{attempt_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def finish(self, attempt_id: int) -> dict[str, Any]:
        response = self.post(f"/attempts/{attempt_id}/finish")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def log_in(api, make_user):
    """Make a user and get a token through POST /tokens with HTTP Basic."""

    def log_in(username: str, role: Role = Role.STUDENT) -> Student:
        make_user(username, role=role)
        response = api.post("/tokens", headers=basic(username, PASSWORD))
        assert response.status_code == 201, response.get_json()
        return Student(api, bearer(response.get_json()["token"]))

    return log_in


@pytest.fixture
def ana(log_in) -> Student:
    return log_in("ana")


@pytest.fixture
def ben(log_in) -> Student:
    return log_in("ben")


# --- The tiny bank: what each question expects ----------------------------------------

TYPES = ["single_choice", "multiple_select", "true_false", "short_answer", "ordering", "cloze"]


def ids_of(question: dict[str, Any], *texts: str) -> list[str]:
    """The ids of the shown choices (or ordering items) with these texts, in this order."""
    shown = question.get("choices") or question["items"]
    by_text = {option["text"]: option["id"] for option in shown}
    return [by_text[text] for text in texts]


CORRECT = {
    "single_choice": lambda q: ids_of(q, "1901")[0],
    "multiple_select": lambda q: ids_of(q, "Timber", "Grain"),
    "true_false": lambda q: True,
    "short_answer": lambda q: " town COUNCIL! ",
    "ordering": lambda q: ids_of(q, "Timber", "Grain", "Salt"),
    "cloze": lambda q: ["1901", "Wood"],
}

WRONG = {
    "single_choice": lambda q: ids_of(q, "1910")[0],
    "multiple_select": lambda q: ids_of(q, "Coal"),
    "true_false": lambda q: False,
    "short_answer": lambda q: "the mayor",
    "ordering": lambda q: ids_of(q, "Salt", "Grain", "Timber"),
    "cloze": lambda q: ["1910", "coal"],
}
