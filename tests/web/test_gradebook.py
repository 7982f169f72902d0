"""The teacher's gradebook, the drill-down to each student's attempts, and the CSV exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, Counting, Question, Role, User, utcnow
from quizapp.services import attempts, classrooms, users
from tests.support import PASSWORD
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in

RIGHT = {
    "opened": ["1901"],
    "cargo": ["Timber", "Grain"],
    "council": "true",
    "runner": "town council",
    "order": ["Timber", "Grain", "Salt"],
    "blanks": ["1901", "wood"],
}
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(1)"]


# --- builders -------------------------------------------------------------------------------------


def take(user, assignment, answers: dict, at=None, finish=True) -> Attempt:
    """An attempt giving ``answers`` (question key → raw texts or the right answer for True)."""
    at = at or utcnow() - timedelta(days=1)
    attempt = attempts.start_assignment_attempt(user, assignment, now=at)
    for n, item in enumerate(attempt.items, start=1):
        key = item.question.key
        if key in answers:
            given = RIGHT[key] if answers[key] is True else answers[key]
            attempts.record_answer(attempt, item.question_id, raw_for(item, given), now=at + timedelta(seconds=7 * n))
    if finish:
        attempts.finish_attempt(attempt, now=at + timedelta(minutes=2))
    return attempt


def gradebook_rows(text: str) -> dict[str, list[str]]:
    """Student name → the text of each of their cells."""
    table = re.search(r'<table class="gradebook">(.*?)</table>', text, re.S).group(1)
    rows = {}
    for name, cells in re.findall(r'<tr><th scope="row"><a [^>]*>([^<]*)</a></th>(.*?)</tr>', table, re.S):
        rows[name] = [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
                      for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)]
    return rows


def parse_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:], newline="")))


# --- the gradebook page ---------------------------------------------------------------------------


@pytest.fixture
def graded(classroom, tiny_bank):
    """Two assignments; Ana did both (twice on the first), Bob is part-way through the first, Cleo did nothing."""
    first = assign(classroom, tiny_bank["everything"], counting=Counting.BEST)
    second = assign(classroom, tiny_bank["everything"], counting=Counting.LAST)
    ana, bob, cleo = member(classroom, "ana"), member(classroom, "bob"), member(classroom, "cleo")
    take(ana, first, {"opened": True, "cargo": True}, at=utcnow() - timedelta(days=2))  # 3
    take(ana, first, {"council": True}, at=utcnow() - timedelta(days=1))  # 1
    take(ana, second, dict.fromkeys(RIGHT, True))  # 7
    take(bob, first, {"opened": True}, at=utcnow() - timedelta(minutes=5), finish=False)
    return first, second, {"ana": ana, "bob": bob, "cleo": cleo}


def test_the_gradebook_shows_counted_scores_attempts_and_completion(tina, classroom, graded, make_user):
    make_user("eve")  # not in the class
    text = page(tina.get(f"/teach/classes/{classroom.id}/gradebook"))
    assert gradebook_rows(text) == {
        "Ana": ["3 / 7 2 attempts, done", "7 / 7 1 attempt, done"],
        "Bob": ["– 1 attempt, in progress", "– 0 attempts, not started"],
        "Cleo": ["– 0 attempts, not started", "– 0 attempts, not started"],
    }
    assert "(best)" in text and "(last)" in text
    first, second, people = graded
    for user in people.values():
        assert f'href="/teach/classes/{classroom.id}/students/{user.id}"' in text
    assert f'href="/teach/assignments/{first.id}"' in text and f'href="/teach/assignments/{second.id}"' in text


def test_a_gradebook_with_no_students_says_so(tina, classroom):
    assert "No students yet." in page(tina.get(f"/teach/classes/{classroom.id}/gradebook"))


def test_the_gradebook_csv_has_the_same_grades(tina, classroom, graded):
    rows = parse_csv(tina.get(f"/teach/classes/{classroom.id}/gradebook.csv"))
    per_quiz = ["score", "out of", "attempts", "completion"]
    assert rows[0] == ["Student", "Username", *[f"Everything: {c}" for c in per_quiz * 2]]
    assert rows[1:] == [
        ["Ana", "ana", "3", "7", "2", "done", "7", "7", "1", "done"],
        ["Bob", "bob", "", "", "1", "in progress", "", "", "0", "not started"],
        ["Cleo", "cleo", "", "", "0", "not started", "", "", "0", "not started"],
    ]


def test_the_gradebook_csv_quotes_awkward_names_and_neutralises_formulas(tina, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"])
    awkward = ['Smith, "Jo"\nJunior', "Zoë Ångström-Ñúñez", "李小龍", *FORMULAS]
    for n, name in enumerate(awkward):
        take(member(classroom, f"user{n}", name), assignment, {"council": True})
    response = tina.get(f"/teach/classes/{classroom.id}/gradebook.csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="gradebook-class-{classroom.id}.csv"'
    rows = parse_csv(response)
    by_username = {row[1]: row for row in rows[1:]}
    expected = {f"user{n}": ("'" + name if name in FORMULAS else name) for n, name in enumerate(awkward)}
    assert {u: row[0] for u, row in by_username.items()} == expected
    assert all(row[2:] == ["1", "7", "1", "done"] for row in by_username.values())
    text = response.get_data(as_text=True)
    assert '"Smith, ""Jo""\nJunior"' in text  # quoted, quotes doubled, newline kept inside the cell
    for formula in FORMULAS:
        assert f"\r\n{formula}," not in text and f'\r\n"{formula}' not in text


# --- the answers export ---------------------------------------------------------------------------


def test_the_answers_csv_has_one_row_per_answer(tina, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"])
    ana = member(classroom, "ana", "Ana María López")
    bob = member(classroom, "bob", "=HYPERLINK(\"http://evil.example\")")
    take(ana, assignment, {"opened": ["1899"], "cargo": True, "runner": 'town, "council"\nhall'})
    take(ana, assignment, {"council": True})
    take(bob, assignment, {"runner": "=1+1", "order": True, "blanks": ["1901", "stone"]})
    other = assign(classroom, tiny_bank["two-grain"])
    take(ana, other, {"cargo": True})  # another assignment's answers stay out

    response = tina.get(f"/teach/assignments/{assignment.id}/answers.csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="answers-assignment-{assignment.id}.csv"'
    rows = parse_csv(response)
    header = rows[0]
    for column in ("student", "question_id", "response", "correct", "points", "seconds", "answered_at"):
        assert column in header
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]

    stored = db.session.execute(
        select(Answer, User, Attempt.number, Question.key)
        .join(Attempt, Attempt.id == Answer.attempt_id).join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Attempt.assignment_id == assignment.id).order_by(Answer.answered_at, Answer.id)
    ).all()
    assert len(records) == len(stored) == 7

    def neutral(text):
        return "'" + text if text[:1] in "=+-@" else text

    for record, (answer, user, number, key) in zip(records, stored, strict=True):
        assert record["student"] == neutral(user.display_name)
        assert record["username"] == user.username
        assert record["attempt"] == str(number)
        assert record["question_id"] == key
        assert record["response"] == neutral(" | ".join(answer.response))
        assert record["correct"] == ("yes" if answer.is_correct else "no")
        assert float(record["points"]) == answer.points_awarded
        assert float(record["seconds"]) == round(answer.seconds, 1)
        assert record["answered_at"] == answer.answered_at.isoformat()

    by_key = {(r["username"], r["question_id"]): r for r in records}
    assert by_key[("ana", "runner")]["response"] == 'town, "council"\nhall'
    assert by_key[("ana", "opened")]["correct"] == "no" and by_key[("ana", "opened")]["points"] == "0"
    assert by_key[("ana", "cargo")]["response"] == "Timber | Grain" and by_key[("ana", "cargo")]["points"] == "2"
    assert by_key[("bob", "runner")]["response"] == "'=1+1"
    assert by_key[("bob", "runner")]["student"] == "'=HYPERLINK(\"http://evil.example\")"
    assert by_key[("bob", "blanks")]["points"] == "0.5"
    assert by_key[("ana", "council")]["attempt"] == "2"
    assert by_key[("ana", "opened")]["student"] == "Ana María López"


def test_the_answers_csv_of_an_assignment_with_no_answers_is_just_the_header(tina, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"])
    rows = parse_csv(tina.get(f"/teach/assignments/{assignment.id}/answers.csv"))
    assert len(rows) == 1 and "student" in rows[0]


# --- one student's attempts -----------------------------------------------------------------------


def test_the_drill_down_links_each_finished_attempt_to_its_review(app, tina, classroom, graded, make_user):
    first, second, people = graded
    ana, bob = people["ana"], people["bob"]
    text = page(tina.get(f"/teach/classes/{classroom.id}/students/{ana.id}"))
    ana_attempts = db.session.scalars(select(Attempt).where(Attempt.user_id == ana.id)).all()
    assert len(ana_attempts) == 3
    for attempt in ana_attempts:
        assert f'href="/attempts/{attempt.id}/results"' in text
        review = page(tina.get(f"/attempts/{attempt.id}/results"))
        assert "Results: Everything" in review
        assert f"{attempt.score:g} of 7 points" in review

    bob_text = page(tina.get(f"/teach/classes/{classroom.id}/students/{bob.id}"))
    assert "In progress" in bob_text and "/results" not in bob_text

    make_user("otto", role=Role.TEACHER)
    make_user("eve")
    for attempt in ana_attempts:
        assert signed_in(app, "otto").get(f"/attempts/{attempt.id}/results").status_code == 403
        assert signed_in(app, "eve").get(f"/attempts/{attempt.id}/results").status_code == 403
        assert signed_in(app, "ana").get(f"/attempts/{attempt.id}/results").status_code == 200


def test_the_teacher_may_not_open_attempts_outside_their_classes(app, tina, teacher, classroom, tiny_bank):
    ana = member(classroom, "ana")
    practice = attempts.start_attempt(ana, tiny_bank["everything"])  # not an assignment
    attempts.finish_attempt(practice)
    elsewhere = assign(classrooms.create_classroom(users.create_user("otto", "Otto", PASSWORD, Role.TEACHER), "B"),
                       tiny_bank["everything"])
    classrooms.join(ana, elsewhere.classroom.join_code)
    other = take(ana, elsewhere, {"council": True})
    for attempt in (practice, other):
        assert tina.get(f"/attempts/{attempt.id}/results").status_code == 403


def test_the_drill_down_of_someone_not_in_the_class_is_not_found(tina, classroom, make_user):
    eve = make_user("eve")
    assert tina.get(f"/teach/classes/{classroom.id}/students/{eve.id}").status_code == 404


def test_a_large_class_is_shown_a_page_of_students_at_a_time(app, teacher, classroom, tiny_bank, monkeypatch, api):
    from quizapp.services import gradebook
    from tests.support.api_client import basic, bearer

    monkeypatch.setattr(gradebook, "PAGE_SIZE", 2)
    assign(classroom, tiny_bank["everything"])
    for name in ("eve", "ada", "dan", "bea", "cy"):
        member(classroom, name)
    tina = signed_in(app, "tina")
    second = page(tina.get(f"/teach/classes/{classroom.id}/gradebook?page=2"))
    shown = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', second)
    assert len(shown) == 2 and "students 3–4 of 5, by name" in second and "Page 2 of 3" in second
    assert 'rel="prev"' in second and 'rel="next"' in second
    assert "Page 3 of 3" in page(tina.get(f"/teach/classes/{classroom.id}/gradebook?page=99"))
    everyone = tina.get(f"/teach/classes/{classroom.id}/gradebook.csv").get_data(as_text=True)
    assert len(everyone.strip().splitlines()) == 1 + 5  # the CSV has every student

    token = api.post("/tokens", headers=basic("tina", PASSWORD)).get_json()["token"]
    body = api.get(f"/classes/{classroom.id}/gradebook", query_string={"page": 3}, headers=bearer(token)).get_json()
    assert (body["page"], body["pages"], body["students_total"]) == (3, 3, 5)
    assert [s["username"] for s in body["students"]] == ["eve"]  # the last, by name
    assert api.get(f"/classes/{classroom.id}/gradebook", query_string={"page": 0},
                   headers=bearer(token)).status_code == 400
