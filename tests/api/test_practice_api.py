"""Spaced practice through /api/v1: the due queue (no keys, nothing written), answering a question of it,
the student's own rating, progress, and each refusal. Every response is checked against the OpenAPI
document by the ``api`` client."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import PracticeCard, PracticeReview, Question, Role, utcnow
from quizapp.services import attempts, practice
from quizapp.services.banks import sharing
from tests.support import PASSWORD
from tests.support.api_client import CORRECT, WRONG, Student, assert_error, basic, bearer
from tests.support.builders import any_response, assign, member

KEYS = {"answer", "answers", "accepted", "explanation", "correct", "correct_answer", "key", "passage"}


class Practiser(Student):
    """A student with a token and the user behind it, who can also PUT."""

    def __init__(self, api, headers, user):
        super().__init__(api, headers)
        self.user = user

    def put(self, path: str, **kwargs):
        return self.api.request("PUT", path, headers=self.headers, **kwargs)

    def due(self, **params) -> dict[str, Any]:
        response = self.get("/reviews/due", query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def review(self, item: dict[str, Any], right: bool = True, **extra):
        question = item["question"]
        answer = (CORRECT if right else WRONG)[question["type"]](question)
        return self.post("/reviews", json={"token": item["token"], "response": answer, **extra})


@pytest.fixture
def practiser(api, make_user):
    def practiser(username: str, role: Role = Role.STUDENT, user=None) -> Practiser:
        user = user or make_user(username, role=role)
        response = api.post("/tokens", headers=basic(username, PASSWORD))
        assert response.status_code == 201, response.get_json()
        return Practiser(api, bearer(response.get_json()["token"]), user)

    return practiser


def answered(user, quiz, days_ago: float = 2, count: int | None = None):
    """Answer the quiz's questions (some right, some wrong) ``days_ago``: their cards are due now."""
    at = utcnow() - timedelta(days=days_ago)
    attempt = attempts.start_practice(user, quiz, rng=random.Random(1), now=at).attempt
    for item in list(attempt.items)[:count]:
        attempts.current_item(attempt, at)
        at += timedelta(seconds=5)
        attempts.record_answer(attempt, item.question_id, any_response(item), now=at)
    return attempt


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(PracticeCard)),
            db.session.scalar(select(func.count()).select_from(PracticeReview)))


@pytest.fixture
def ana(practiser, tiny_bank) -> Practiser:
    ana = practiser("ana")
    answered(ana.user, tiny_bank["everything"])
    return ana


# --- the queue ----------------------------------------------------------------------------------------------

def test_the_due_queue_shows_each_question_without_its_key_and_writes_nothing(ana):
    before = counts()
    queue = ana.due()
    assert counts() == before
    items = queue["items"]
    assert len(items) == 6 and queue["due_today"] == 6 and queue["mode"] == "due"
    assert [i["question"]["position"] for i in items] == list(range(1, 7))
    assert all(i["card"]["reps"] == 1 and i["card"]["state"] in {"learning", "review", "relearning"} for i in items)
    assert all(i["token"] for i in items)
    for item in items:
        assert not all_keys(item["question"]) & KEYS, item["question"]
        assert not all_keys(item) & KEYS
    assert queue["limits"] == {"new_per_day": 10, "reviews_per_day": 100}
    assert queue["reviewed_today"] == 0 and queue["withheld"] == 0


def test_the_queue_keeps_to_the_limit_asked_and_the_daily_limit(ana):
    assert len(ana.due(limit=2)["items"]) == 2
    practice.set_limits(ana.user, new_per_day=0, reviews_per_day=3)
    queue = ana.due()
    assert len(queue["items"]) == 3 and queue["limits"] == {"new_per_day": 0, "reviews_per_day": 3}
    assert queue["reviews_left"] == 3


def test_studying_ahead_and_one_key_point(practiser, tiny_bank):
    ben = practiser("ben")
    answered(ben.user, tiny_bank["everything"], days_ago=0, count=1)
    ahead = ben.due(mode="ahead")
    assert ahead["mode"] == "ahead"
    question = db.session.get(Question, (ahead["items"] or ben.due()["items"])[0]["question"]["question_id"])
    part = ben.due(mode="part", part=question.source_part_id)
    assert part["mode"] == "part"
    assert question.id in {i["question"]["question_id"] for i in part["items"]}
    never = [i for i in part["items"] if i["card"] is None]
    assert all(db.session.get(Question, i["question"]["question_id"]).source_part_id == question.source_part_id
               for i in part["items"])
    assert all(not all_keys(i) & KEYS for i in never)


@pytest.mark.parametrize("query", [
    {"mode": "soon"}, {"mode": "part"}, {"limit": "0"}, {"limit": "51"}, {"limit": "two"}, {"part": "-1"},
    {"mode": ["due", "ahead"]},
])
def test_a_queue_asked_for_wrongly_is_a_400(ana, query):
    assert_error(ana.get("/reviews/due", query_string=query), 400)


def test_practising_a_key_point_that_does_not_exist_is_a_404(ana):
    assert_error(ana.get("/reviews/due", query_string={"mode": "part", "part": "999999"}), 404)


def test_a_key_point_of_another_teachers_bank_is_not_found(ana, practiser, tiny_bank):
    tina = practiser("tina", role=Role.TEACHER)
    own = sharing.copy_bank(tiny_bank["everything"].bank, tina.user)
    part = db.session.scalar(select(Question.source_part_id).where(Question.bank_id == own.id))
    assert_error(ana.get("/reviews/due", query_string={"mode": "part", "part": str(part)}), 404)
    assert tina.due(mode="part", part=part)["items"]


# --- answering ----------------------------------------------------------------------------------------------

def test_an_answer_reviews_the_card_and_brings_the_feedback_with_the_key(ana):
    item = ana.due()["items"][0]
    response = ana.review(item)
    assert response.status_code == 201
    review = response.get_json()
    assert review["question_id"] == item["question"]["question_id"]
    assert review["correct"] is True and review["score"] == 1 and review["source"] == "practice"
    assert review["rating"] in {"hard", "good", "easy"}
    assert review["correct_answer"] and review["explanation"]
    assert review["card"]["reps"] == 2
    assert ana.due()["reviewed_today"] == 1
    again = ana.review(item)  # the same token again: a double submit
    assert_error(again, 409, "already_reviewed")
    assert counts()[1] == 7  # six quiz answers, one practice review


def test_a_wrong_answer_is_rated_again(ana):
    review = ana.review(ana.due()["items"][0], right=False).get_json()
    assert review["correct"] is False and review["rating"] == "again"


def test_a_rating_sent_with_the_answer_is_the_students_own(ana):
    review = ana.review(ana.due()["items"][0], rating="hard").get_json()
    assert review["rating"] == "hard" and review["source"] == "self"


@pytest.mark.parametrize("body", [
    None, [], {"response": ["1"]}, {"token": "", "response": ["1"]}, {"token": 5, "response": ["1"]},
    {"token": "x", "response": []}, {"token": "x", "response": {"a": 1}},
    {"token": "x", "response": "1", "rating": "ok"}, {"token": "x", "response": "1", "rating": None},
])
def test_a_body_not_as_described_is_a_400_and_writes_nothing(ana, body):
    before = counts()
    assert_error(ana.post("/reviews", json=body), 400)
    assert counts() == before


def test_a_bad_rating_with_a_good_answer_writes_nothing(ana):
    before = counts()
    assert_error(ana.review(ana.due()["items"][0], rating="perfect"), 400)
    assert counts() == before


def test_a_forged_token_is_a_400_bad_token(ana):
    token = ana.due()["items"][0]["token"]
    assert_error(ana.post("/reviews", json={"token": token[:-2] + "xx", "response": "1"}), 400, "bad_token")
    assert_error(ana.post("/reviews", json={"token": "not-a-token", "response": "1"}), 400, "bad_token")


def test_a_token_shown_to_someone_else_is_a_bad_token(ana, practiser):
    item = ana.due()["items"][0]
    ben = practiser("ben")
    before = counts()
    assert_error(ben.review(item), 400, "bad_token")
    assert counts() == before
    assert ana.review(item).status_code == 201


def test_a_response_that_does_not_fit_the_question_is_a_400(ana):
    item = next(i for i in ana.due()["items"] if i["question"]["type"] == "single_choice")
    assert_error(ana.post("/reviews", json={"token": item["token"], "response": "99"}), 400, "invalid_response")


def test_a_question_changed_since_it_was_shown_is_a_409(ana):
    item = ana.due()["items"][0]
    question = db.session.get(Question, item["question"]["question_id"])
    question.version += 1
    db.session.commit()
    assert_error(ana.review(item), 409, "question_changed")


def test_a_question_whose_key_is_withheld_is_not_offered_nor_taken(practiser, classroom, tiny_bank):
    user = member(classroom, "cleo")
    cleo = practiser("cleo", user=user)
    attempt = attempts.start_assignment_attempt(user, assign(classroom, tiny_bank["everything"]))
    item = attempt.items[0]
    attempts.record_answer(attempt, item.question_id, any_response(item))
    due, ahead = cleo.due(), cleo.due(mode="ahead")  # due in minutes: today, unless that is past midnight
    assert due["items"] == ahead["items"] == [] and due["withheld"] + ahead["withheld"] == 1
    card = db.session.scalar(select(PracticeCard).where(PracticeCard.user_id == user.id))
    shown = practice.show(user, practice.QueueItem(card.question, card))
    token = practice.seal(shown, current_app.secret_key)
    before = counts()
    assert_error(cleo.post("/reviews", json={"token": token, "response": any_response(item)}), 403, "key_withheld")
    assert counts() == before
    progress = cleo.get("/progress").get_json()
    parts = [p for bank in progress["banks"] for p in bank["parts"]]
    assert any(p["title"] is None and p["withheld"] for p in parts)


def test_answers_and_reviews_share_the_answer_rate_limit(ana, tiny_bank, rate_limits):
    rate_limits["ANSWER_RATE_LIMIT"] = "2 per minute"
    items = ana.due()["items"]
    attempt = ana.start(tiny_bank["everything"])
    question = ana.current(attempt["id"])
    assert ana.answer(attempt["id"], question["question_id"], CORRECT[question["type"]](question)).status_code == 201
    assert ana.review(items[0]).status_code == 201
    refused = ana.review(items[1])
    assert_error(refused, 429, "too_many_requests")
    assert int(refused.headers["Retry-After"]) > 0


# --- rating -------------------------------------------------------------------------------------------------

def test_the_student_rates_a_review_after_its_feedback(ana):
    review = ana.review(ana.due()["items"][0]).get_json()
    rated = ana.put(f"/reviews/{review['id']}/rating", json={"rating": "easy"})
    assert rated.status_code == 200
    body = rated.get_json()
    assert body["id"] == review["id"] and body["rating"] == "easy" and body["source"] == "self"
    assert body["card"]["due"] >= review["card"]["due"]


@pytest.mark.parametrize("body", [None, {}, {"rating": "perfect"}, {"rating": 3}, ["good"]])
def test_a_rating_not_as_described_is_a_400(ana, body):
    review = ana.review(ana.due()["items"][0]).get_json()
    assert_error(ana.put(f"/reviews/{review['id']}/rating", json=body), 400)


def test_someone_elses_review_is_not_found(ana, practiser):
    review = ana.review(ana.due()["items"][0]).get_json()
    ben = practiser("ben")
    assert_error(ben.put(f"/reviews/{review['id']}/rating", json={"rating": "good"}), 404)
    assert_error(ben.put("/reviews/2147483647/rating", json={"rating": "good"}), 404)


def test_a_quiz_answers_review_cannot_be_rated(ana):
    quiz_review = db.session.scalar(select(PracticeReview.id).where(PracticeReview.user_id == ana.user.id))
    assert_error(ana.put(f"/reviews/{quiz_review}/rating", json={"rating": "good"}), 404)


def test_a_review_reviewed_again_since_can_no_longer_be_rated(ana, tiny_bank):
    items = ana.due()["items"]
    review = ana.review(items[0]).get_json()
    later = attempts.start_practice(ana.user, tiny_bank["everything"]).attempt
    item = next(i for i in later.items if i.question_id == review["question_id"])
    attempts.current_item(later)
    attempts.record_answer(later, item.question_id, any_response(item))
    assert_error(ana.put(f"/reviews/{review['id']}/rating", json={"rating": "good"}), 409, "practice_error")


# --- progress -----------------------------------------------------------------------------------------------

def test_progress_gives_recall_per_part_the_forecast_and_the_streak(ana):
    ana.review(ana.due()["items"][0])
    progress = ana.get("/progress").get_json()
    assert progress["cards"] == 6 and progress["streak"] == 1 and progress["practised_today"] is True
    assert len(progress["forecast"]) == 14
    (bank,) = progress["banks"]
    parts = bank["parts"]
    assert sum(p["seen"] for p in parts) == 6
    assert all(p["title"] for p in parts) and all(p["withheld"] is None for p in parts)
    assert all(0 <= p["recall"] <= 1 for p in parts if p["seen"])
    assert len(ana.get("/progress", query_string={"days": "3"}).get_json()["forecast"]) == 3


@pytest.mark.parametrize("days", ["0", "61", "x", ""])
def test_progress_for_a_span_out_of_range_is_a_400(ana, days):
    assert_error(ana.get("/progress", query_string={"days": days}), 400)


def test_progress_for_someone_who_never_practised_is_empty(practiser):
    progress = practiser("dora").get("/progress").get_json()
    assert progress["banks"] == [] and progress["cards"] == 0 and progress["streak"] == 0
    assert [d["due"] for d in progress["forecast"]] == [0] * 14


# --- who may ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/reviews/due"), ("POST", "/reviews"), ("PUT", "/reviews/1/rating"), ("GET", "/progress"),
])
def test_every_practice_route_needs_a_token(api, method, path):
    response = api.request(method, path, json={"token": "x", "response": "1", "rating": "good"})
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_teacher_practises_her_own_cards(practiser, tiny_bank):
    tina = practiser("tina", role=Role.TEACHER)
    answered(tina.user, tiny_bank["everything"], count=2)
    queue = tina.due()
    # Her two cards, then the text's questions she has never answered.
    assert [item["card"] is not None for item in queue["items"]] == [True, True, False, False, False, False]
    assert tina.review(queue["items"][0]).status_code == 201
    assert tina.get("/progress").get_json()["cards"] == 2
