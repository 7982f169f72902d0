"""The layers and the errors at their edge: services raise domain errors with a status and a code, each
blueprint turns them into a page or the API's JSON error, and blueprints reach the database only through
services (the import contracts of pyproject.toml, which ``make test`` runs with ``lint-imports``)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.domain.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from quizapp.domain.question_types import InvalidResponse
from quizapp.services import attempts, classrooms
from quizapp.services.quizzes import QuizAssigned

PACKAGE = Path(__file__).resolve().parent.parent.parent / "quizapp"
BLUEPRINTS = ("auth", "student", "teacher", "api", "live")


@pytest.mark.parametrize(("error", "kind", "status", "code"), [
    (attempts.AttemptFinished, Conflict, 409, "attempt_finished"),
    (attempts.AlreadyAnswered, Conflict, 409, "already_answered"),
    (attempts.EmptyQuiz, Conflict, 409, "empty_quiz"),
    (attempts.QuestionsWithheld, Conflict, 409, "questions_withheld"),
    (attempts.AssignmentUnavailable, Conflict, 409, "assignment_unavailable"),
    (attempts.NotInAttempt, Invalid, 400, "not_in_attempt"),
    (InvalidResponse, Invalid, 400, "invalid_response"),
    (QuizAssigned, Conflict, 409, "quiz_assigned"),
    (classrooms.UnknownCode, NotFound, 404, "unknown_code"),
    (classrooms.AlreadyInClass, Conflict, 409, "already_member"),
    (NotFound, DomainError, 404, "not_found"),
    (Forbidden, DomainError, 403, "forbidden"),
])
def test_each_service_error_is_a_domain_error_with_its_status_and_code(error, kind, status, code):
    assert issubclass(error, kind)
    assert (error.status, error.code) == (status, code)


def test_a_domain_error_says_why_in_its_message_or_in_the_plain_words_of_its_kind():
    assert str(NotFound("No such quiz.")) == "No such quiz."
    assert str(Forbidden()) == Forbidden.message
    assert Conflict("Not now.", code="not_now").code == "not_now"


def _modules(package: str):
    return sorted((PACKAGE / package).rglob("*.py"))


@pytest.mark.parametrize("path", [p for b in BLUEPRINTS for p in _modules(b)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_blueprint_module_takes_the_database_session(path):
    """The contracts let two blueprint modules import quizapp.extensions for the CSRF guard and the login
    manager; none may take ``db`` from it, or touch a session."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "quizapp.extensions":
            assert "db" not in {alias.name for alias in node.names}, f"{path.name} imports db"
        if isinstance(node, ast.Attribute) and node.attr == "session":
            assert not (isinstance(node.value, ast.Name) and node.value.id == "db"), f"{path.name} uses db.session"


def test_the_import_contracts_hold():
    """What ``make test`` checks first, here too for a plain ``pytest`` run."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    if not lint_imports.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
