"""Taking a quiz in the pages: start, answer with feedback, refusals, results, history."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, Question, utcnow
from quizapp.services import attempts

# Correct answers for the tiny bank, by question key, as choice texts or typed words.
RIGHT = {
    "opened": ["1901"],
    "cargo": ["Timber", "Grain"],
    "council": "true",
    "runner": [" Town COUNCIL. "],
    "order": ["Timber", "Grain", "Salt"],
    "blanks": ["1901", "wood"],
}


def start(client, quiz) -> int:
    response = client.post(f"/quizzes/{quiz.id}/start")
    assert response.status_code == 302
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def current(client, attempt_id):
    """The question page, and the attempt item it shows."""
    page = client.get(f"/attempts/{attempt_id}")
    question_id = int(re.search(r'name="question_id" type="hidden" value="(\d+)"', page.text).group(1))
    item = next(i for i in db.session.get(Attempt, attempt_id).items if i.question_id == question_id)
    return page, item


def raw_for(item, texts):
    """Turn answer texts into the ids the page offers for them."""
    if isinstance(texts, str):
        return [texts]
    shown = item.presentation.get("choices") or item.presentation.get("items")
    return [str(shown.index(t) + 1) for t in texts] if shown else texts


def answer(client, attempt_id, item, texts):
    return client.post(f"/attempts/{attempt_id}/answer",
                       data={"question_id": item.question_id, "response": raw_for(item, texts)})


def test_quiz_list_shows_what_each_quiz_covers(client, student, tiny_bank):
    page = client.get("/quizzes").text
    assert "Everything" in page and "6 questions" in page
    assert "Two on cargo" in page and "2 questions" in page
    assert "Key point 1:" in page and "FAQ 1:" in page and "Section 1:" in page


def test_whole_quiz_right_answers_feedback_and_results(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    for position in range(1, 7):
        page, item = current(client, attempt_id)
        assert f"Question {position} of 6" in page.text
        assert f'<progress value="{position - 1}" max="6"' in page.text
        response = answer(client, attempt_id, item, RIGHT[item.question.key])
        assert response.headers["Location"] == f"/attempts/{attempt_id}/feedback/{position}"
        feedback = client.get(response.headers["Location"]).text
        assert "Right" in feedback and "Correct answer" in feedback
        assert item.question.explanation in feedback
        assert item.question.source_part.label in feedback
    assert "All questions answered" in client.get(f"/attempts/{attempt_id}").text
    assert "Finish and see results" in feedback

    response = client.post(f"/attempts/{attempt_id}/finish")
    assert response.headers["Location"] == f"/attempts/{attempt_id}/results"
    results = client.get(response.headers["Location"]).text
    assert "7 of 7 points" in results and "100%" in results and "6 of 6 questions" in results
    assert "Time taken" in results
    assert results.count('class="verdict right"') == 6


def test_feedback_on_a_wrong_answer_shows_the_key_explanation_and_passage(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    assert item.question.key == "opened"
    feedback = client.get(answer(client, attempt_id, item, ["1899"]).headers["Location"]).text
    assert "Wrong" in feedback and "0 of 1 point" in feedback
    assert re.search(r"Correct answer</dt><dd><span class=\"answer\">1901</span>", feedback)
    assert "From the text: Key point 1" in feedback and "The harbour opened in 1901." in feedback


def test_partial_credit_is_shown_as_partly_right(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    answer(client, attempt_id, item, ["1901"])
    _, item = current(client, attempt_id)
    assert item.question.key == "cargo"
    feedback = client.get(answer(client, attempt_id, item, ["Timber"]).headers["Location"]).text
    assert "Partly right" in feedback and "1 of 2 points" in feedback


def test_a_reload_shows_the_same_question_in_the_same_order(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    first, item = current(client, attempt_id)
    again, same = current(client, attempt_id)
    # The same page, but for its CSRF tokens: signed with the time, they differ across a second's boundary.
    tokens = re.compile(r'(<input[^>]*name="csrf_token"[^>]*value=)"[^"]*"')
    assert item.id == same.id and tokens.sub(r'\1""', first.text) == tokens.sub(r'\1""', again.text)


def test_shuffled_order_is_fixed_per_attempt(client, student, tiny_bank, app):
    quiz = tiny_bank["everything"]
    quiz.shuffle = True
    db.session.commit()
    orders = set()
    for _ in range(8):
        attempt = attempts.start_attempt(student, quiz)
        orders.add(tuple(i.question_id for i in attempt.items))
        assert [i.position for i in attempt.items] == list(range(1, 7))
    assert len(orders) > 1


def test_random_n_draws_only_from_the_quiz_sources(client, student, tiny_bank):
    attempt = db.session.get(Attempt, start(client, tiny_bank["two-grain"]))
    assert sorted(i.question.key for i in attempt.items) == ["cargo", "order"]
    assert attempt.max_score == 3


def test_a_second_answer_changes_nothing_and_says_so(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    answer(client, attempt_id, item, ["1899"])
    response = answer(client, attempt_id, item, ["1901"])
    assert response.headers["Location"] == f"/attempts/{attempt_id}/feedback/1"
    assert "already answered; your first answer stands" in client.get(response.headers["Location"]).text
    (stored,) = db.session.scalars(select(Answer)).all()
    assert stored.response == ["1899"] and not stored.is_correct


def test_the_database_refuses_a_second_answer_row(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    answer(client, attempt_id, item, ["1901"])
    first = db.session.scalar(select(Answer))
    db.session.add(Answer(attempt_id=attempt_id, question_id=first.question_id, question_version=1,
                          response=["1899"], is_correct=False, score=0, points_awarded=0, seconds=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_finished_attempt_takes_no_more_answers(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    client.post(f"/attempts/{attempt_id}/finish")
    response = answer(client, attempt_id, item, ["1901"])
    assert response.headers["Location"] == f"/attempts/{attempt_id}/results"
    assert "finished and takes no more answers" in client.get(response.headers["Location"]).text
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert client.get(f"/attempts/{attempt_id}").headers["Location"] == f"/attempts/{attempt_id}/results"


def test_finishing_early_scores_unanswered_questions_as_nothing(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    answer(client, attempt_id, item, ["1901"])
    results = client.get(client.post(f"/attempts/{attempt_id}/finish").headers["Location"]).text
    assert "1 of 7 points" in results and results.count("Not answered") == 5


def test_an_invalid_response_is_refused_with_a_message_and_not_stored(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    _, item = current(client, attempt_id)
    response = client.post(f"/attempts/{attempt_id}/answer", data={"question_id": item.question_id})
    assert response.status_code == 400
    assert "Your answer was not recorded: choose exactly one answer." in response.text
    assert "Question 1 of 6" in response.text
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_question_from_elsewhere_is_refused(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["two-grain"])
    other = db.session.scalar(select(Question).where(Question.key == "opened"))
    response = client.post(f"/attempts/{attempt_id}/answer", data={"question_id": other.id, "response": "1"})
    assert response.status_code == 400


def test_someone_elses_attempt_is_forbidden(client, student, tiny_bank, make_user, auth):
    attempt_id = start(client, tiny_bank["everything"])
    auth.logout()
    make_user("bob")
    auth.login("bob")
    for path in (f"/attempts/{attempt_id}", f"/attempts/{attempt_id}/results", f"/attempts/{attempt_id}/feedback/1"):
        assert client.get(path).status_code == 403, path
    for path in (f"/attempts/{attempt_id}/answer", f"/attempts/{attempt_id}/finish"):
        assert client.post(path, data={"question_id": 1, "response": "1"}).status_code == 403, path
    assert client.get("/attempts/99999").status_code == 404


def test_history_lists_attempts_newest_first(client, student, tiny_bank):
    first = start(client, tiny_bank["everything"])
    client.post(f"/attempts/{first}/finish")
    second = start(client, tiny_bank["two-grain"])
    page = client.get("/history").text
    assert page.index(f"/attempts/{second}\"") < page.index(f"/attempts/{first}/results")
    assert "In progress" in page and "0 / 7 (0%)" in page


def test_every_answer_is_stored_with_its_time(app, make_user, tiny_bank):
    user = make_user("ana")
    attempt = attempts.start_attempt(user, tiny_bank["everything"])
    shown = utcnow()
    item = attempts.current_item(attempt, now=shown)
    feedback = attempts.record_answer(attempt, item.question_id, ["3"], now=shown + timedelta(seconds=12.5))
    assert feedback.answer.seconds == 12.5
    stored = db.session.scalar(select(Answer))
    assert stored.answered_at.tzinfo is not None and stored.question_version == 1


def test_an_empty_quiz_cannot_be_started(client, student, tiny_bank):
    quiz = tiny_bank["two-grain"]
    quiz.tags = ["no-such-tag"]
    db.session.commit()
    response = client.post(f"/quizzes/{quiz.id}/start")
    assert response.headers["Location"] == "/quizzes"
    assert "no questions" in client.get("/quizzes").text


class TestNoKeyInQuestionPages:
    """Before its answer is in, a question page holds nothing that gives the key away."""

    def test_for_every_type(self, client, student, tiny_bank):
        attempt_id = start(client, tiny_bank["everything"])
        seen = set()
        for _ in range(6):
            page, item = current(client, attempt_id)
            question = item.question
            seen.add(question.type)
            html = page.text
            assert question.explanation not in html
            assert "correct" not in html.lower()
            for secret in self.secrets(question):
                assert secret not in html.lower(), (question.key, secret)
            if "choices" in question.spec:
                markup = re.findall(r'<input type="(?:radio|checkbox)" name="response" value="\d+"\s*(\w*)>', html)
                assert len(set(markup)) == 1, "choices must all look alike"
            answer(client, attempt_id, item, RIGHT[question.key])
        assert len(seen) == 6

    @staticmethod
    def secrets(question):
        spec = question.spec
        if question.type == "short_answer":
            return [a.lower() for a in spec["accepted"]]
        if question.type == "cloze":
            return [a.lower() for blank in spec["blanks"] for a in blank if a.lower() not in spec["text"].lower()]
        return []


def test_start_carries_on_an_unfinished_attempt(client, student, tiny_bank):
    quiz = tiny_bank["everything"]
    first = start(client, quiz)
    assert f'href="/attempts/{first}">Continue' in client.get("/quizzes").text
    assert start(client, quiz) == first
    client.post(f"/attempts/{first}/finish")
    assert start(client, quiz) != first


def test_a_refused_answer_keeps_what_was_typed(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    for _ in range(5):
        _, item = current(client, attempt_id)
        answer(client, attempt_id, item, RIGHT[item.question.key])
    _, item = current(client, attempt_id)
    assert item.question.key == "blanks"
    page = client.post(f"/attempts/{attempt_id}/answer",
                       data={"question_id": item.question_id, "response": ["1901", " "]})
    assert page.status_code == 400 and "fill in every blank" in page.text
    assert 'value="1901"' in page.text


def test_a_refused_ordering_keeps_the_choices_made(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    for _ in range(4):
        _, item = current(client, attempt_id)
        answer(client, attempt_id, item, RIGHT[item.question.key])
    _, item = current(client, attempt_id)
    assert item.question.key == "order"
    page = client.post(f"/attempts/{attempt_id}/answer",
                       data={"question_id": item.question_id, "response": ["2", "2", "1"]})
    assert page.status_code == 400 and "each item goes in exactly one place" in page.text
    assert page.text.count('value="2" selected') == 2 and page.text.count('value="1" selected') == 1


def test_a_blank_place_in_an_ordering_is_named_in_plain_words(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    for _ in range(4):
        _, item = current(client, attempt_id)
        answer(client, attempt_id, item, RIGHT[item.question.key])
    _, item = current(client, attempt_id)
    page = client.post(f"/attempts/{attempt_id}/answer",
                       data={"question_id": item.question_id, "response": ["2", "", "1"]})
    assert page.status_code == 400 and "Your answer was not recorded: choose an item for place 2." in page.text
    assert "unknown choice" not in page.text and page.text.count('value="2" selected') == 1


def test_every_page_has_unique_element_ids(client, student, tiny_bank):
    attempt_id = start(client, tiny_bank["everything"])
    for path in ("/quizzes", f"/attempts/{attempt_id}", "/history"):
        ids = re.findall(r'\sid="([^"]+)"', client.get(path).text)
        assert len(ids) == len(set(ids)), (path, ids)


def test_every_page_names_an_icon_that_is_served(client, student):
    html = client.get("/quizzes").text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon, "no favicon: the browser asks for /favicon.ico and gets a 404"
    with client.get(icon.group(1)) as served:
        assert served.status_code == 200 and served.mimetype == "image/svg+xml" and b"<svg" in served.data


def test_a_missing_page_says_so_in_plain_words_with_a_way_on(client, student):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text and "The requested URL was not found on the server" not in response.text
    assert 'href="/quizzes"' in response.text and "Go to your quizzes" in response.text


def test_a_view_that_says_what_is_wrong_keeps_its_words(app, client, student, tiny_bank, make_user):
    other = attempts.start_attempt(make_user("otto"), tiny_bank["everything"])
    response = client.get(f"/attempts/{other.id}")
    assert response.status_code == 403
    assert "Not yours to open" in response.text and "This attempt belongs to someone else." in response.text
    signed_out = app.test_client().get("/no-such-page")
    assert "Sign in" in signed_out.text and "Go to your quizzes" not in signed_out.text


def test_feedback_marks_the_choices_and_keeps_a_running_score_and_streak(client, student, tiny_bank):
    """After each answer: the choices again, the student's and the right ones marked in words, then the
    score so far and, from two right answers on, the streak."""
    attempt_id = start(client, tiny_bank["everything"])  # in file order: opened, cargo, council, ...
    _, item = current(client, attempt_id)
    text = html.unescape(client.get(answer(client, attempt_id, item, ["1910"]).headers["Location"]).text)
    marked = text[text.index('<ul class="choices marked">'):text.index("</ul>", text.index("choices marked"))]
    assert re.search(r'<li class="picked">.*?1910.*?your answer', marked, re.S)
    assert re.search(r'<li class="right">.*?1901.*?right answer', marked, re.S)
    assert "Score so far: <strong>0 of 1</strong>" in text and "in a row" not in text
    for key in ("cargo", "council"):
        _, item = current(client, attempt_id)
        text = html.unescape(client.get(answer(client, attempt_id, item, RIGHT[key]).headers["Location"]).text)
    assert "Score so far: <strong>3 of 4</strong>" in text and "2 right in a row" in text
