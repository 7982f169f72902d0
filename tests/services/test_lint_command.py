"""`flask banks lint` prints file:line: id: code message for each warning of the bank linter, and sets its
status; one small bank per check (tests/data/lint). The checks themselves are tested in
tests/domain/test_lint.py."""

import pytest

from quizapp.domain.lint import CODES
from tests.support import DATA as TEST_DATA
from tests.support import ROOT

DATA = TEST_DATA / "lint"


# --- the command, one small bank per check -------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_check_has_a_bank_that_trips_it_and_nothing_else(runner, code):
    result = runner.invoke(args=["banks", "lint", str(DATA / f"{code}.yaml")])
    assert result.exit_code == 1, result.output
    warnings = [line for line in result.output.splitlines() if ": " in line and not line.endswith(")")]
    assert warnings, result.output
    for line in warnings:
        file, line_number, subject, rest = line.split(":", 3)
        assert file == str(DATA / f"{code}.yaml") and int(line_number) > 1 and subject
        assert rest.split()[0] == code, line


def test_a_clean_bank_has_no_warning_and_exit_status_0(runner):
    result = runner.invoke(args=["banks", "lint", str(DATA / "clean.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{DATA / 'clean.yaml'}: no warnings (10 questions)"


def test_a_warning_names_its_question_and_the_line_it_starts_on(runner):
    path = DATA / "negative-stem.yaml"
    result = runner.invoke(args=["banks", "lint", "--quiet", str(path)])
    line = path.read_text().splitlines().index("  - id: keeper-did-not") + 1
    assert result.output.splitlines() == [
        f"{path}:{line}: keeper-did-not: negative-stem The question turns on the word “not”, which is easy to miss: "
        "ask it positively if you can, or write it in capitals (NOT)."]


def test_a_bank_wide_warning_names_the_bank_at_its_questions_line(runner):
    path = DATA / "key-position.yaml"
    result = runner.invoke(args=["banks", "lint", str(path)])
    line = path.read_text().splitlines().index("questions:") + 1
    assert result.output.startswith(f"{path}:{line}: lint-key-position: key-position In 5 of the 5 single-choice "
                                    "questions the correct answer is choice 1")


def test_a_folder_is_linted_file_by_file_and_an_invalid_bank_is_refused(runner, tmp_path):
    (tmp_path / "article.txt").write_text((DATA / "article.txt").read_text())
    (tmp_path / "a.yaml").write_text((DATA / "clean.yaml").read_text())
    result = runner.invoke(args=["banks", "lint", str(tmp_path)])
    assert result.exit_code == 0 and "a.yaml: no warnings" in result.output
    (tmp_path / "b.yaml").write_text("version: 1\nid: broken\n")
    result = runner.invoke(args=["banks", "lint", str(tmp_path)])
    assert result.exit_code == 2
    assert "b.yaml:1: missing field 'title'" in result.output and "before linting" in result.output


def test_the_bundled_bank_has_no_warning(runner):
    result = runner.invoke(args=["banks", "lint", str(ROOT / "questions")])
    assert result.exit_code == 0, result.output
