"""The key of an assigned question stays withheld per question, whichever door the student tries: a
practice quiz over the same questions, a practice attempt begun before the assignment was set, the review
of an older attempt (practice or another assignment), a teacher's copy of the bank, the mastery bars, and
the teacher-only pages (bank, preview, export). Each test is an attack that worked before the rule was
held per question rather than per quiz; ``quizapp/services/key_secrecy.py`` lists the doors.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Question, Quiz, User, utcnow
from quizapp.services import attempts, classrooms
from quizapp.services.banks import loading, managing, sharing
from quizapp.services.key_secrecy import withheld_keys
from tests.support.api_client import assert_error
from tests.support.builders import any_response, assign, member
from tests.support.pages import page, signed_in

ROOT = Path(__file__).resolve().parents[2]
CARGO_EXPLANATION = "Timber and grain are named; coal and oil are not."


def _join(username: str, classroom) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    classrooms.join(user, classroom.join_code)
    return user


def _questions(quiz_or_bank_id: int, keys: set[str]) -> dict[str, Question]:
    return {q.key: q for q in db.session.scalars(
        select(Question).where(Question.bank_id == quiz_or_bank_id, Question.key.in_(keys)))}


@pytest.fixture
def bundled(app):
    loading.load_files([ROOT / "questions"])
    return {q.key: q for q in db.session.scalars(select(Quiz).join(Bank).where(Bank.key == "coalition-of-the-willing"))}


def test_the_whole_article_cannot_be_practised_for_the_keys_of_an_open_quick_ten(app, classroom, bundled, log_in):
    """The attack the issue names: "Quick ten" is assigned, and "The whole article" asks every question it
    can draw, with feedback after each. Practice now leaves out every question the assignment can ask."""
    assign(classroom, bundled["quick-ten"], attempts_allowed=2)
    student = log_in("ana")
    _join("ana", classroom)
    response = student.post(f"/quizzes/{bundled['whole-article'].id}/attempts")
    assert_error(response, 409, "questions_withheld")
    assert db.session.query(Attempt).count() == 0

    client = signed_in(app, "ana")
    refused = client.post(f"/quizzes/{bundled['whole-article'].id}/start")
    assert "in an assignment still open for you" in page(client.get(refused.headers["Location"]))
    assert db.session.query(Attempt).count() == 0


def test_practice_leaves_out_only_the_questions_an_open_assignment_can_ask(app, classroom, tiny_bank, log_in):
    assign(classroom, tiny_bank["two-grain"])  # two drawn from key point 2: "cargo" and "order"
    student = log_in("ana")
    _join("ana", classroom)
    attempt = student.start(tiny_bank["everything"])
    assert attempt["total"] == 4
    asked = {db.session.get(Question, i.question_id).key for i in db.session.get(Attempt, attempt["id"]).items}
    assert asked == {"opened", "council", "runner", "blanks"}
    student.finish(attempt["id"])

    client = signed_in(app, "ana")
    started = client.post(f"/quizzes/{tiny_bank['everything'].id}/start")
    assert "2 questions are left out: also in an assignment still open for you." in page(
        client.get(started.headers["Location"]))


def test_a_practice_attempt_begun_before_the_assignment_shows_no_key_for_its_questions(
        app, classroom, tiny_bank, log_in):
    student = log_in("ana")
    ana = _join("ana", classroom)
    practice = attempts.start_attempt(ana, tiny_bank["everything"])
    assign(classroom, tiny_bank["two-grain"])
    items = {i.question.key: i for i in practice.items}

    feedback = student.answer(practice.id, items["cargo"].question_id, ["1"]).get_json()
    assert feedback["key_withheld"] and feedback["correct_answer"] is None and feedback["explanation"] is None
    assert feedback["passage"] is None and feedback["source"]["title"] == "" and feedback["source"]["body"] == ""
    shown = student.answer(practice.id, items["opened"].question_id, ["1"]).get_json()
    assert not shown["key_withheld"] and shown["correct_answer"] == ["1901"]

    client = signed_in(app, "ana")
    cargo_page = page(client.get(f"/attempts/{practice.id}/feedback/{items['cargo'].position}"))
    assert CARGO_EXPLANATION not in cargo_page and "Correct answer" not in cargo_page
    assert "also in an assignment still open for you" in cargo_page

    result = student.finish(practice.id)
    by_id = {q["question_id"]: q for q in result["questions"]}
    assert result["key_withheld"]
    assert by_id[items["cargo"].question_id]["correct_answer"] is None
    assert by_id[items["order"].question_id]["explanation"] is None
    assert by_id[items["opened"].question_id]["correct_answer"] == ["1901"]
    results = page(client.get(f"/attempts/{practice.id}/results"))
    assert CARGO_EXPLANATION not in results and "The text says it opened in 1901." in results
    assert results.count("also in an assignment still open for you") == 2


def test_the_review_of_a_closed_assignment_hides_the_questions_of_an_open_one(app, teacher, classroom, tiny_bank):
    earlier = assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=9),
                     closes=utcnow() + timedelta(days=1))
    ana = member(classroom, "ana")
    done = attempts.start_assignment_attempt(ana, earlier)
    attempts.finish_attempt(done)
    earlier.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = signed_in(app, "ana")
    assert CARGO_EXPLANATION in page(client.get(f"/attempts/{done.id}/results"))

    later = classrooms.create_classroom(teacher, "Year 11")
    classrooms.join(ana, later.join_code)
    assign(later, tiny_bank["two-grain"])
    results = page(client.get(f"/attempts/{done.id}/results"))
    assert CARGO_EXPLANATION not in results and "The text says it opened in 1901." in results
    # Its teacher still sees every key.
    assert CARGO_EXPLANATION in page(signed_in(app, "tina").get(f"/attempts/{done.id}/results"))


def test_a_teachers_copy_of_the_bank_keeps_the_questions_identity(app, teacher, classroom, tiny_bank, log_in):
    """The assignment asks the teacher's copy; the student practises the bundled original."""
    original = tiny_bank["everything"].bank
    copy = sharing.copy_bank(original, teacher)
    copied_quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == copy.id, Quiz.key == "two-grain"))
    assign(classroom, copied_quiz)
    student = log_in("ana")
    _join("ana", classroom)
    attempt = student.start(tiny_bank["everything"])
    asked = {db.session.get(Question, i.question_id).key for i in db.session.get(Attempt, attempt["id"]).items}
    assert asked == {"opened", "council", "runner", "blanks"}

    # A copy of a copy, and a question duplicated in the teacher's bank, share the identity too.
    cargo_copy = _questions(copy.id, {"cargo"})["cargo"]
    duplicate = managing.duplicate_question(cargo_copy, copy)
    second = sharing.copy_bank(copy, teacher)
    originals = _questions(original.id, {"cargo"})
    assert duplicate.identity == cargo_copy.identity == originals["cargo"].id
    assert _questions(second.id, {"cargo"})["cargo"].identity == originals["cargo"].id


def test_keys_come_back_once_the_student_is_done_with_the_assignment(app, classroom, tiny_bank, log_in):
    assignment = assign(classroom, tiny_bank["two-grain"], attempts_allowed=1)
    student = log_in("ana")
    ana = _join("ana", classroom)
    assert student.start(tiny_bank["everything"])["total"] == 4

    # While the one allowed attempt runs, practice would give its keys away: still left out.
    running = attempts.start_assignment_attempt(ana, assignment)
    assert withheld_keys(ana.id)
    attempts.finish_attempt(running)
    assert not withheld_keys(ana.id)
    for attempt in attempts.history(ana):
        if not attempt.is_finished:
            attempts.finish_attempt(attempt)
    assert student.start(tiny_bank["everything"])["total"] == 6


def test_a_closed_or_upcoming_assignment(app, classroom, tiny_bank):
    ana = member(classroom, "ana")
    upcoming = assign(classroom, tiny_bank["two-grain"], opens=utcnow() + timedelta(days=1),
                      closes=utcnow() + timedelta(days=2))
    assert withheld_keys(ana.id), "the evening before it opens is no time to practise its keys"
    upcoming.opens_at, upcoming.closes_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    db.session.commit()
    assert not withheld_keys(ana.id)


def test_the_mastery_bars_name_a_withheld_questions_key_point_by_its_label_alone(app, teacher, classroom, tiny_bank):
    """A closed assignment's answers fill the bars; the key point's text is the answer of a question that an
    open assignment in another class asks."""
    earlier = assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=9),
                     closes=utcnow() + timedelta(days=1))
    ana = member(classroom, "ana")
    attempt = attempts.start_assignment_attempt(ana, earlier)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)
    earlier.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client = signed_in(app, "ana")
    key_point_2 = db.session.scalar(select(Bank).where(Bank.id == tiny_bank["everything"].bank_id)).parts
    title = next(p.title for p in key_point_2 if p.reference == "key_point 2")
    assert title in page(client.get(f"/classes/{classroom.id}"))

    other = classrooms.create_classroom(teacher, "Year 11")
    classrooms.join(ana, other.join_code)
    assign(other, tiny_bank["two-grain"])
    assert title not in page(client.get(f"/classes/{classroom.id}"))


def test_the_teacher_only_doors_stay_shut_to_a_student(app, teacher, classroom, tiny_bank):
    """Bank pages, question previews and exports show every key: a student gets none of them."""
    bank_id = tiny_bank["everything"].bank_id
    cargo = _questions(bank_id, {"cargo"})["cargo"]
    member(classroom, "ana")
    client = signed_in(app, "ana")
    for path in (f"/teach/banks/{bank_id}", f"/teach/banks/{bank_id}/questions/{cargo.id}/preview",
                 *(f"/teach/banks/{bank_id}/export/{fmt}" for fmt in ("yaml", "gift", "aiken", "moodle-xml", "csv"))):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert CARGO_EXPLANATION not in response.get_data(as_text=True), path


def test_the_quiz_list_says_what_is_left_out_and_hides_its_key_point_text(app, classroom, tiny_bank, bundled):
    assign(classroom, bundled["quick-ten"])
    assign(classroom, tiny_bank["two-grain"])
    member(classroom, "ana")
    listed = page(signed_in(app, "ana").get("/quizzes"))
    assert "Waiting for your assignments" in listed
    whole = db.session.scalar(select(func.count()).select_from(Question).where(
        Question.bank_id == bundled["whole-article"].bank_id, Question.archived.is_(False)))
    assert f"The whole article <span class=\"meta\">· {whole} questions" in listed
    assert "Start “The whole article”" not in listed
    assert "2 of its questions are left out" in listed and "Start “Everything”" in listed
    bank = db.session.get(Bank, tiny_bank["everything"].bank_id)
    titles = {p.reference: p.title for p in bank.parts}
    assert titles["key_point 1"] in listed and titles["key_point 2"] not in listed


def test_a_sibling_questions_feedback_keeps_the_key_points_text_back(app, teacher, classroom, tiny_bank, log_in):
    """"Cargo" is assigned; "order", drawn from the same key point 2, is practised. The key point's text
    ("Ships unload timber and grain.") is cargo's answer: its feedback and results must not show it."""
    copy = sharing.copy_bank(tiny_bank["everything"].bank, teacher)
    picked = Quiz(bank_id=copy.id, key="cargo-only", title="Cargo only", question_keys=["cargo"], sources=[],
                  tags=[], shuffle=False)
    db.session.add(picked)
    db.session.commit()
    assign(classroom, picked)
    student = log_in("ana")
    ana = _join("ana", classroom)
    bank = db.session.get(Bank, tiny_bank["everything"].bank_id)
    secret = next(p.title for p in bank.parts if p.reference == "key_point 2")
    practice = attempts.start_practice(ana, tiny_bank["everything"]).attempt
    order = next(i for i in practice.items if i.question.key == "order")

    feedback = student.answer(practice.id, order.question_id, ["1", "2", "3"]).get_json()
    assert "error" not in feedback, feedback
    assert not feedback["key_withheld"] and feedback["correct_answer"]  # its own key is shown
    assert feedback["source"]["title"] == "" and secret not in str(feedback)
    client = signed_in(app, "ana")
    assert secret not in page(client.get(f"/attempts/{practice.id}/feedback/{order.position}"))
    attempts.finish_attempt(practice)
    assert secret not in page(client.get(f"/attempts/{practice.id}/results"))
    assert secret not in str(student.get(f"/attempts/{practice.id}/result").get_json())


def test_the_migration_links_copies_made_before_it_to_their_own_originals(app):
    """Two bundled banks both have a "q1"; a teacher's copy of beta must point at beta's, not the first
    "q1" found; a teacher's own "q1" is no copy; a "-copy" duplicate follows its original."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    db.session.remove()
    downgrade(revision="0008")
    rows = [  # (question id, bank id, bank key, owner, question key)
        (10, 1, "alpha", None, "q1"), (20, 2, "beta", None, "q1"), (30, 3, "beta-tina", 1, "q1"),
        (31, 3, "beta-tina", 1, "q1-copy"), (40, 4, "tina-own", 1, "q1"),
    ]
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO \"user\" (id, username, display_name, password_hash, role, created_at) "
            "VALUES (1, 'tina', 'Tina', 'x', 'teacher', '2026-01-01 00:00:00+00:00')"))
        for bank_id, key, owner in {(b, k, o) for _, b, k, o, _ in rows}:
            connection.execute(text(
                "INSERT INTO bank (id, key, owner_id, title, description, source_title, loaded_at, archived, "
                "source_text) VALUES (:id, :key, :owner, 'B', '', 'S', '2026-01-01 00:00:00+00:00', false, '')"),
                {"id": bank_id, "key": key, "owner": owner})
            connection.execute(text(
                "INSERT INTO source_part (id, bank_id, kind, number, title, body) "
                "VALUES (:id, :id, 'section', 1, 'S', '')"), {"id": bank_id})
        for question_id, bank_id, _, _, key in rows:
            connection.execute(text(
                "INSERT INTO question (id, bank_id, key, type, prompt, explanation, passage, source_part_id, "
                "difficulty, points, tags, spec, version, archived, draft, review_note) VALUES (:id, :bank, :key, "
                "'true_false', 'P', 'E', '', :bank, 1, 1, '[]', '{\"answer\": true}', 1, false, false, '')"),
                {"id": question_id, "bank": bank_id, "key": key})
    upgrade()
    with db.engine.connect() as connection:
        lineage = dict(connection.execute(text("SELECT id, lineage FROM question")).all())
    assert lineage == {10: None, 20: None, 30: 20, 31: 20, 40: None}
