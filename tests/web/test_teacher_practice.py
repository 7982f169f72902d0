"""A class's practice page for its teacher: recall per part today and over the last weeks, the students most
behind, the questions most often forgotten, each with the numbers the service counts; and the button that
assigns a practice set of the parts remembered least, refused when there is nothing to go on, for a bank
the teacher may not read, and for anyone but the class's teacher."""

from __future__ import annotations

import html
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.formatting import school_zone
from quizapp.models import Assignment, Question, Quiz, Role, utcnow
from quizapp.services import attempts, classrooms, practice
from quizapp.services.banks import sharing
from tests.support.builders import member, raw_for
from tests.support.pages import csrf_token, page, signed_in
from tests.web.test_reads_do_not_write import writes


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page(response))).split())


def _take(user, quiz, answers: dict[str, object], at):
    """Practise ``quiz`` at ``at``, answering the questions named in ``answers`` (by key) with those texts."""
    attempt = attempts.start_practice(user, quiz, rng=random.Random(1), now=at).attempt
    moment = at
    for item in list(attempt.items):
        if item.question.key not in answers:
            continue
        attempts.current_item(attempt, moment)
        moment += timedelta(seconds=5)
        texts = answers[item.question.key]
        raw = [texts.lower()] if item.type == "true_false" else raw_for(item, [texts] if isinstance(texts, str)
                                                                       else texts)
        attempts.record_answer(attempt, item.question_id, raw, now=moment)


def _history(classroom, quiz):
    """Five weeks of practice for two students: ana forgets "opened" every third time, ben remembers.
    The reviews fall six hours of the day away from now, so no whole day of recall turns between the
    report counted here and the page's."""
    ana, ben = member(classroom, "ana", "Ana Alvarez"), member(classroom, "ben", "Ben Baker")
    start = utcnow() - timedelta(days=40, hours=6)
    for i, day in enumerate(range(0, 30, 3)):
        _take(ana, quiz, {"opened": "1910" if i % 3 == 2 else "1901"}, start + timedelta(days=day))
        _take(ben, quiz, {"opened": "1901", "council": "True"}, start + timedelta(days=day))
    return ana, ben


@pytest.fixture
def history(classroom, tiny_bank):
    return _history(classroom, tiny_bank["everything"])


def _percent(value) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def test_the_page_shows_recall_trend_overdue_students_and_forgotten_questions_as_the_service_counts(
        tina, classroom, history):
    ana, _ben = history
    report = practice.class_practice(classroom, school_zone())
    response = tina.get(f"/teach/classes/{classroom.id}/practice")
    text = words(response)
    assert "What Year 10 History remembers" in text
    (bank, parts), = report.banks
    assert bank.source_title in text
    for part in parts:
        # the bar's tooltip and the trend table's row: the five points, oldest first, and questions seen
        assert f"{part.label}: {_percent(part.recall) if part.recall is not None else 'no data'}" in text
        row = " ".join(_percent(v) for v in part.trend)
        assert f"{part.label} {row}" in text, part.label
        assert f"{part.seen} of {part.questions}" in text
    kp1 = next(p for p in parts if p.part.label == "Key point 1")
    assert kp1.recall is not None and all(v is not None for v in kp1.trend)
    change = round(abs(kp1.trend[-1] - kp1.trend[0]) * 100)
    direction = "steady" if abs(kp1.trend[-1] - kp1.trend[0]) < 0.02 else \
        "up" if kp1.trend[-1] > kp1.trend[0] else "down"
    expected = "steady since 4 weeks ago" if direction == "steady" else f"{direction} {change} point"
    assert expected in text
    kp2 = next(p for p in parts if p.part.label == "Key point 2")
    assert kp2.recall is None and "not practised yet" in text

    # the students most behind, by name, with their count, linking to their page in the class
    assert report.overdue and report.overdue[0].user.id == ana.id
    body = page(response)
    for entry in report.overdue:
        link = f'href="/teach/classes/{classroom.id}/students/{entry.user.id}"'
        assert link in body
        assert re.search(rf'{link}>{entry.user.display_name}</a></td>\s*<td data-label="Cards overdue">'
                         rf'{entry.overdue}</td>', body)
    assert " ago" in text  # the oldest due, said relative to now

    # the question most often forgotten: its prompt, rate, lapses of reviews, and links to look at it
    top = report.forgotten[0]
    assert top.question.key == "opened" and top.lapses > 0
    assert f"When did the harbour open? Key point 1 · {bank.source_title} {_percent(top.rate)} " \
           f"{top.lapses} of {top.reviews} reviews" in text
    assert f'/teach/banks/{bank.id}/questions/{top.question.id}/preview' in body
    assert f'/teach/banks/{bank.id}/questions/{top.question.id}/edit' not in body  # a bundled bank: no editing

    # the practice set the button would assign
    weakest = report.weakest(bank.id)
    assert len(weakest) == 2
    assert f"Assign a practice set of the 2 weakest parts of {bank.source_title}" in text
    for part in weakest:
        assert f"{part.label} ({_percent(part.recall)} predicted recall" in text


def test_the_statistics_of_a_forgotten_question_are_linked_from_the_assignments_that_ask_it(
        tina, classroom, history, tiny_bank):
    asks = classrooms.create_assignment(classroom, tiny_bank["everything"], utcnow() - timedelta(days=9),
                                        utcnow() - timedelta(days=2))
    classrooms.create_assignment(classroom, tiny_bank["two-grain"], utcnow() - timedelta(days=9),
                                 utcnow() - timedelta(days=2))  # key point 2 only: not "opened"
    opened = db.session.scalar(select(Question).where(Question.key == "opened"))
    body = page(tina.get(f"/teach/classes/{classroom.id}/practice"))
    assert f'href="/teach/assignments/{asks.id}#item-{opened.id}">Statistics in Everything' in body
    assert "Statistics in Two on cargo" not in body


def test_a_forgotten_question_of_the_teachers_own_bank_links_to_its_editor(tina, teacher, classroom, tiny_bank):
    bank = sharing.copy_bank(tiny_bank["everything"].bank, teacher)
    _history(classroom, db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == "everything")))
    opened = db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == "opened"))
    body = page(tina.get(f"/teach/classes/{classroom.id}/practice"))
    assert f'href="/teach/banks/{bank.id}/questions/{opened.id}/edit">Edit' in body
    assert f'href="/teach/banks/{bank.id}/questions/{opened.id}/preview">Preview' in body


def test_the_class_page_links_to_the_practice_page(tina, classroom):
    assert f'href="/teach/classes/{classroom.id}/practice"' in page(tina.get(f"/teach/classes/{classroom.id}"))


def test_a_class_without_practice_says_where_it_comes_from(tina, classroom, tiny_bank):
    member(classroom, "ana")
    text = words(tina.get(f"/teach/classes/{classroom.id}/practice"))
    assert "No practice yet" in text
    assert "Every graded answer a student of this class gives" in text
    assert "Assign a practice set" not in text


def test_the_button_assigns_a_practice_set_of_the_weakest_parts(tina, classroom, history, tiny_bank):
    bank_id = tiny_bank["everything"].bank_id
    weakest = practice.class_practice(classroom, school_zone()).weakest(bank_id)
    response = tina.post(f"/teach/classes/{classroom.id}/practice/{bank_id}/assign")
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom.id))
    assert response.headers["Location"] == f"/teach/assignments/{assignment.id}"
    quiz = assignment.quiz
    assert quiz.title == "Practice: " + ", ".join(p.part.label for p in weakest)
    assert sorted(quiz.sources) == sorted(p.part.reference for p in weakest)
    assert assignment.attempts_allowed == 1
    text = words(tina.get(response.headers["Location"]))
    assert f"Assigned “{quiz.title}” to Year 10 History" in text


def test_the_button_is_refused_without_practice_and_says_why(tina, classroom, tiny_bank):
    member(classroom, "ana")
    bank_id = tiny_bank["everything"].bank_id
    response = tina.post(f"/teach/classes/{classroom.id}/practice/{bank_id}/assign")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teach/classes/{classroom.id}/practice"
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert "Nobody in this class has practised this text yet" in words(tina.get(response.headers["Location"]))


def test_a_bank_the_teacher_may_not_read_is_not_on_her_page_and_cannot_be_set(app, tina, classroom, tiny_bank,
                                                                               make_user):
    """Ana, in tina's class, also practised otto's own bank (through otto's class): its key points and
    questions are otto's, and tina's page shows nothing of them."""
    otto = make_user("otto", role=Role.TEACHER)
    bank = sharing.copy_bank(tiny_bank["everything"].bank, otto)
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == "everything"))
    ana = member(classroom, "ana")
    _take(ana, quiz, {"opened": "1901", "council": "True"}, utcnow() - timedelta(days=3))
    html = page(tina.get(f"/teach/classes/{classroom.id}/practice"))
    assert f'id="bank-{bank.id}"' not in html and "When did the harbour open?" not in html
    assert "Assign a practice set" not in html
    assert tina.post(f"/teach/classes/{classroom.id}/practice/{bank.id}/assign").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_only_the_classs_teacher_opens_the_page_or_assigns(app, classroom, history, tiny_bank, make_user):
    make_user("otto", role=Role.TEACHER)
    bank_id = tiny_bank["everything"].bank_id
    for username, status in (("otto", 404), ("ana", 403)):
        client = signed_in(app, username)
        assert client.get(f"/teach/classes/{classroom.id}/practice").status_code == status
        assert client.post(f"/teach/classes/{classroom.id}/practice/{bank_id}/assign").status_code == status
    visitor = app.test_client().get(f"/teach/classes/{classroom.id}/practice")
    assert visitor.status_code == 302 and visitor.headers["Location"].startswith("/auth/login")
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_the_button_carries_a_csrf_token_and_is_refused_without_one(tina, csrf, classroom, history, tiny_bank):
    client = tina  # signed in before CSRF protection is turned on
    bank_id = tiny_bank["everything"].bank_id
    body = page(client.get(f"/teach/classes/{classroom.id}/practice"))
    form = re.search(rf'<form method="post" action="/teach/classes/{classroom.id}/practice/{bank_id}/assign">'
                     r'(.*?)</form>', body, re.S)
    assert form and 'name="csrf_token"' in form.group(1)
    assert client.post(f"/teach/classes/{classroom.id}/practice/{bank_id}/assign").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    sent = client.post(f"/teach/classes/{classroom.id}/practice/{bank_id}/assign",
                       data={"csrf_token": csrf_token(body)})
    assert sent.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1


def test_reading_the_page_writes_nothing(tina, classroom, history):
    db.session.expire_all()
    with writes() as seen:
        assert tina.get(f"/teach/classes/{classroom.id}/practice").status_code == 200
    assert seen == []


def test_the_page_does_not_query_per_student(tina, classroom, history, tiny_bank, count_queries):
    def queries_run() -> int:
        db.session.expire_all()
        with count_queries() as queries:
            assert tina.get(f"/teach/classes/{classroom.id}/practice").status_code == 200
        return queries.count

    before = queries_run()
    for name in ("cy", "di", "ed"):  # three more students, practising as ben does
        student = member(classroom, name)
        for day in range(0, 30, 3):
            _take(student, tiny_bank["everything"], {"opened": "1901", "council": "True"},
                  utcnow() - timedelta(days=40 - day, hours=6))
    assert queries_run() == before
