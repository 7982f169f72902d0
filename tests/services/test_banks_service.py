"""Loading banks: all or nothing, reloads update by id and keep every answer as graded."""

import shutil

import pytest
from sqlalchemy import func, select

from quizapp.domain.bank_format import BankError, read_bank
from quizapp.extensions import db
from quizapp.models import Answer, Bank, Question, Quiz, Role
from quizapp.services import attempts
from quizapp.services.banks import loading, writing
from tests.support import ROOT, TINY_BANK


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def copy_bank(tmp_path, name="tiny.yaml"):
    shutil.copy(TINY_BANK, tmp_path / name)
    shutil.copy(TINY_BANK.with_suffix(".txt"), tmp_path / "tiny.txt")
    return tmp_path / name


def test_load_creates_bank_questions_and_quizzes(app):
    (report,) = loading.load_files([TINY_BANK])
    assert (report.added, report.updated, report.unchanged) == (6, 0, 0)
    assert count(Question) == 6
    assert sorted(db.session.scalars(select(Quiz.key))) == ["everything", "two-grain"]


def test_loading_again_changes_nothing(app):
    loading.load_files([TINY_BANK])
    (report,) = loading.load_files([TINY_BANK])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 6)
    assert count(Question) == 6 and count(Bank) == 1


def test_a_broken_file_loads_nothing(app, tmp_path):
    good = copy_bank(tmp_path, "a.yaml")
    broken = tmp_path / "b.yaml"
    broken.write_text(good.read_text().replace("id: tiny", "id: other").replace('answer: "1901"', "answer: 1902"))
    try:
        loading.load_files([good, broken])
    except BankError as error:
        expected = f"{broken}:34: 'answer' must be text as in the choices: write it in quotes, \"1902\""
        assert [str(p) for p in error.problems] == [expected]
    else:
        raise AssertionError("the broken file was accepted")
    assert count(Bank) == 0 and count(Question) == 0


def test_reload_updates_by_id_and_keeps_answers_graded_as_they_were(app, make_user, tmp_path):
    path = copy_bank(tmp_path)
    loading.load_files([path])
    student = make_user("ana")
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "everything"))
    attempt = attempts.start_attempt(student, quiz)
    opened = db.session.scalar(select(Question).where(Question.key == "opened"))
    choices = attempt.items[0].presentation["choices"]
    attempts.record_answer(attempt, opened.id, [str(choices.index("1901") + 1)])

    # The key changes: 1910 is now "right". The answer given stays right, at version 1.
    path.write_text(path.read_text().replace('answer: "1901"', 'answer: "1910"'))
    (report,) = loading.load_files([path])
    assert (report.updated, report.unchanged) == (1, 5)
    db.session.expire_all()
    answer = db.session.scalar(select(Answer))
    assert answer.is_correct and answer.points_awarded == 1 and answer.question_version == 1
    assert db.session.get(Question, opened.id).version == 2
    assert db.session.get(Question, opened.id).spec["answer"] == "1910"


def test_a_question_dropped_from_the_file_is_archived_not_deleted(app, tmp_path):
    path = copy_bank(tmp_path)
    loading.load_files([path])
    text = path.read_text()
    start = text.index("  - id: blanks")
    path.write_text(text[:start])
    (report,) = loading.load_files([path])
    assert report.archived == 1
    assert count(Question) == 6
    assert db.session.scalar(select(Question.archived).where(Question.key == "blanks")) is True


def test_bundled_banks_load(app):
    reports = loading.load_files([ROOT / "questions"])
    assert reports and all(r.added >= 40 for r in reports)


class TestCommands:
    def test_validate_prints_ok(self, runner):
        result = runner.invoke(args=["banks", "validate", str(ROOT / "questions")])
        assert result.exit_code == 0, result.output
        assert "coalition-of-the-willing.yaml: ok" in result.output

    def test_validate_prints_file_line_message_and_fails(self, runner, tmp_path):
        path = copy_bank(tmp_path)
        path.write_text(path.read_text().replace("type: ordering", "type: essay"))
        result = runner.invoke(args=["banks", "validate", str(path)])
        assert result.exit_code == 1
        assert f"{path}:66: unknown question type 'essay'" in result.output
        assert "unknown field" not in result.output

    def test_load_refuses_a_broken_file_and_says_nothing_was_loaded(self, runner, tmp_path):
        path = copy_bank(tmp_path)
        path.write_text(path.read_text().replace("difficulty: 3", "difficulty: 9"))
        result = runner.invoke(args=["banks", "load", str(path)])
        assert result.exit_code == 1
        assert "'difficulty' must be 1, 2 or 3" in result.output and "Nothing was loaded." in result.output
        assert count(Question) == 0

    def test_load_reports_what_changed(self, runner):
        result = runner.invoke(args=["banks", "load", str(TINY_BANK)])
        assert result.exit_code == 0, result.output
        assert "6 added, 0 updated, 0 unchanged, 0 archived" in result.output

    def test_validate_missing_path(self, runner, tmp_path):
        result = runner.invoke(args=["banks", "validate", str(tmp_path / "nope.yaml")])
        assert result.exit_code == 1 and "cannot read the file" in result.output


def test_a_reload_during_an_attempt_grades_against_what_the_student_was_shown(app, make_user, tmp_path):
    path = copy_bank(tmp_path)
    loading.load_files([path])
    student = make_user("ana")
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "everything"))
    attempt = attempts.start_attempt(student, quiz)
    item = attempt.items[0]
    shown = item.presentation["choices"]

    # The teacher renames the right answer and triples the points while the student is on the question.
    text = path.read_text().replace('choices: ["1901", "1910", "1899"]', 'choices: ["In 1901", "1910", "1899"]')
    text = text.replace('answer: "1901"', 'answer: "In 1901"')
    path.write_text(text.replace("tags: [history]", "tags: [history]\n    points: 3"))
    loading.load_files([path])

    feedback = attempts.record_answer(attempt, item.question_id, [str(shown.index("1901") + 1)])
    assert feedback.answer.is_correct and feedback.answer.points_awarded == 1
    assert feedback.correct_answer == ["1901"] and feedback.answer.question_version == 1
    fresh = attempts.start_attempt(student, quiz)
    assert fresh.items[0].spec["answer"] == "In 1901" and fresh.items[0].points == 3



def test_loading_never_takes_over_a_bank_with_another_owner(app, make_user):
    tina = make_user("tina", role=Role.TEACHER)
    otto = make_user("otto", role=Role.TEACHER)
    document = read_bank(TINY_BANK)
    writing.store(None, document, owner_id=tina.id)
    with pytest.raises(BankError, match="bank id 'tiny' is already used by a teacher's bank"):
        loading.load_files([TINY_BANK])
    with pytest.raises(BankError, match="already used"):
        writing.store(None, document, owner_id=otto.id)
    assert db.session.scalar(select(Bank.owner_id)) == tina.id


def test_a_reload_that_lists_an_archived_question_again_reports_it_restored(app, tmp_path):
    """It was reported "unchanged", as if it had never been gone."""
    shutil.copy(TINY_BANK.with_suffix(".txt"), tmp_path)
    path = tmp_path / "tiny.yaml"
    text = TINY_BANK.read_text()
    start, end = text.index("  - id: runner"), text.index("  - id: order")
    path.write_text(text[:start] + text[end:])
    assert loading.load_files([TINY_BANK])[0].archived == 0
    assert loading.load_files([path])[0].archived == 1
    report = loading.load_files([TINY_BANK])[0]
    assert (report.added, report.updated, report.unchanged, report.restored) == (0, 0, 5, 1)
    assert "1 restored, 5 unchanged" in str(report)
    runner = db.session.scalar(select(Question).where(Question.key == "runner"))
    assert not runner.archived and runner.version == 1
