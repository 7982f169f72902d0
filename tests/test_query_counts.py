"""The hot pages run a fixed number of queries, however many questions an attempt has."""

from conftest import ROOT, any_response
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.services import attempts, banks


def finished_attempt(user, quiz_key):
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == quiz_key))
    attempt = attempts.start_attempt(user, quiz)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)
    return attempt


def test_results_and_history_pages_do_not_query_per_question(client, student, count_queries):
    banks.load_files([ROOT / "questions"])
    small = finished_attempt(student, "quick-ten")
    large = finished_attempt(student, "whole-article")
    assert len(large.items) > 4 * len(small.items)
    counts = []
    for attempt in (small, large):
        db.session.expire_all()
        with count_queries() as queries:
            assert client.get(f"/attempts/{attempt.id}/results").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1] and counts[1] <= 10, counts
    with count_queries() as queries:
        client.get("/history")
    assert queries.count <= 6


def test_question_page_and_quiz_list_stay_small(client, student, count_queries):
    banks.load_files([ROOT / "questions"])
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "whole-article"))
    attempt = attempts.start_attempt(student, quiz)
    db.session.expire_all()
    with count_queries() as queries:
        assert client.get(f"/attempts/{attempt.id}").status_code == 200
    assert queries.count <= 10, queries.statements
    with count_queries() as queries:
        assert client.get("/quizzes").status_code == 200
    assert queries.count <= 8, queries.statements
