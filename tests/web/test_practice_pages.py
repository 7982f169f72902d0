"""The student's spaced practice pages through the test client, on a real database: today's practice (due,
done, nothing due, no cards at all), a question from the queue with its sealed token, answering it and its
feedback (key, explanation, passage, when it comes back), rating one's own recall, each refusal (answered
twice, a forged token, another student's answer, the key held back by an open assignment), the daily
limits form, and progress per key point. Reading any of them writes nothing."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Bank, PracticeCard, PracticeReview, PracticeSettings, Question, Role, SourcePart, utcnow
from quizapp.services import attempts, classrooms, practice
from quizapp.services.banks import sharing
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in
from tests.web.test_reads_do_not_write import writes

RIGHT = {"opened": "1901", "council": "True", "runner": "The town council"}
WRONG = {"opened": "1910", "council": "False", "runner": "the mayor"}


def _take(user, quiz, answers: dict[str, str], days_ago: float = 1.0):
    """``user`` answers these questions of ``quiz`` (by key) ``days_ago`` days ago: their cards fall due today."""
    at = utcnow() - timedelta(days=days_ago)
    attempt = attempts.start_practice(user, quiz, rng=random.Random(1), now=at).attempt
    for item in list(attempt.items):
        if item.question.key not in answers:
            continue
        attempts.current_item(attempt, at)
        text = answers[item.question.key]
        raw = [text.lower()] if item.type == "true_false" else raw_for(item, [text])
        attempts.record_answer(attempt, item.question_id, raw, now=at + timedelta(seconds=5))
    db.session.remove()
    return attempt


def _words(html: str) -> str:
    """A page's text as it reads: tags out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _question(key: str) -> Question:
    return db.session.scalar(select(Question).where(Question.key == key))


def _card(user, key: str) -> PracticeCard:
    db.session.expire_all()
    return db.session.scalar(select(PracticeCard).where(PracticeCard.user_id == user.id,
                                                        PracticeCard.question_id == _question(key).id))


def _form(html: str) -> dict:
    """The practice question's hidden fields, and the choices' texts by the value that picks them."""
    fields = dict(re.findall(r'<input id="(token|mode|part)" name="\1" type="hidden" value="([^"]*)"', html))
    choices = {text.strip(): value for value, text in
               re.findall(r'name="response" value="([^"]+)"[^>]*>\s*([^<]+)</label>', html)}
    return {"fields": fields, "choices": choices}


def _shown_key(html: str) -> str:
    prompt = re.search(r'<span class="prompt">([^<]+)</span>', html).group(1)
    return db.session.scalar(select(Question.key).where(Question.prompt == prompt))


def _answer(client, html: str, answers: dict[str, str], **extra):
    """Answer the question on ``html`` from ``answers`` (by key); the response."""
    form = _form(html)
    key = _shown_key(html)
    text = answers[key]
    response = [form["choices"].get(text) or text.lower()] if form["choices"] else [text]
    return client.post("/practice/answer", data={**form["fields"], "response": response, **extra})


@pytest.fixture
def ana(make_user):
    return make_user("ana")


@pytest.fixture
def practised(ana, tiny_bank):
    """Ana answered three questions yesterday, two of them wrongly: all three are due today."""
    _take(ana, tiny_bank["everything"], {"opened": "1910", "council": "True", "runner": "the mayor"})
    return ana


def test_a_student_with_no_cards_is_told_to_answer_a_quiz(app, ana):
    client = signed_in(app, "ana")
    text = page(client.get("/practice"))
    assert "<h1>Practice today</h1>" in text and "Answer a quiz to start" in text
    assert 'href="/quizzes"' in text
    assert "Answer a quiz to start" in page(client.get("/progress"))
    response = client.get("/practice/question")
    assert response.status_code == 302 and response.headers["Location"] == "/practice"


def test_practice_today_counts_what_is_due_and_starts_with_the_most_overdue(app, practised):
    client = signed_in(app, "ana")
    text = page(client.get("/practice"))
    assert "3 questions due today, and 3 new" in _words(text)  # the text's three never answered
    assert "Done today: 0 of 100 reviews" in _words(text)
    assert 'href="/practice/question?mode=due"' in text and "Start practice" in text
    assert 'href="/progress"' in text and 'href="/practice/settings"' in text
    question = page(client.get("/practice/question?mode=due"))
    assert "<title>Practice: question 1 of 6 · quizapp</title>" in question
    assert "Due since" in question and "answered 1 time" in question
    form = _form(question)
    assert form["fields"]["mode"] == "due" and form["fields"]["token"]
    shown = practice.unseal(form["fields"]["token"], app.secret_key)
    assert shown.question_id == _question(_shown_key(question)).id
    # The navigation marks Practice on each of its pages.
    assert re.search(r'<a href="/practice" aria-current="(page|true)">Practice</a>', question)


def test_an_answer_shows_its_feedback_and_when_the_question_comes_back(app, practised):
    client = signed_in(app, "ana")
    html = page(client.get("/practice/question"))
    key = _shown_key(html)
    response = _answer(client, html, RIGHT)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert re.fullmatch(r"/practice/reviews/\d+", location.path)
    assert parse_qs(location.query)["mode"] == ["due"] and parse_qs(location.query)["t"]
    text = page(client.get(response.headers["Location"]))
    question = _question(key)
    assert '<span class="verdict right">Right</span>' in text
    assert question.explanation in text and "From the text: " + question.source_part.label in text
    if question.passage:
        assert question.passage in text
    assert "Correct answer" in text and "Comes back" in text
    assert re.search(r'value="good" class="button rating good chosen"', text)  # the rating the answer gave
    for name in ("again", "hard", "easy"):
        assert f'value="{name}" class="button rating {name}"' in text
    assert 'href="/practice/question?mode=due"' in text and "Next question" in text
    review = db.session.scalar(select(PracticeReview).where(PracticeReview.source == "practice"))
    assert review.score == 1 and review.user_id == practised.id


def test_the_feedback_lists_the_choices_as_they_were_shown(app, practised):
    client = signed_in(app, "ana")
    for _ in range(3):
        html = page(client.get("/practice/question"))
        if _shown_key(html) == "opened":
            break
        _answer(client, html, RIGHT)
    shown_order = list(_form(html)["choices"])
    location = _answer(client, html, WRONG).headers["Location"]
    text = page(client.get(location))
    listed = re.findall(r'<span class="text">([^<]+)</span>', text)
    assert listed == shown_order
    assert "your answer" in text and "right answer" in text and "Wrong" in text
    # Without the token (a shared link, a bookmark): the order the question keeps, and said so.
    bare = page(client.get(urlsplit(location).path))
    assert re.findall(r'<span class="text">([^<]+)</span>', bare) == ["1901", "1910", "1899"]
    assert "may not be the order you saw" in bare


def test_a_rating_of_ones_own_reschedules_the_card_and_goes_on(app, practised):
    client = signed_in(app, "ana")
    html = page(client.get("/practice/question"))
    key = _shown_key(html)
    location = _answer(client, html, RIGHT).headers["Location"]
    review_id = int(urlsplit(location).path.rsplit("/", 1)[1])
    due_after_answer = _card(practised, key).due
    response = client.post(f"/practice/reviews/{review_id}/rating", data={"rating": "easy", "mode": "due"})
    assert response.status_code == 302 and response.headers["Location"] == "/practice/question?mode=due"
    card = _card(practised, key)
    assert card.due > due_after_answer
    assert db.session.get(PracticeReview, review_id).source == "self"
    assert "Rated Easy: this question comes back" in page(client.get(response.headers["Location"]))
    text = page(client.get(location))
    assert 'value="easy" class="button rating easy chosen"' in text and "(your own rating)" in text
    # A name that is no rating is refused; so is rating a question answered again since.
    assert client.post(f"/practice/reviews/{review_id}/rating", data={"rating": "perfect"}).status_code == 400


def test_refusals_say_why_and_go_on(app, practised, make_user):
    client = signed_in(app, "ana")
    html = page(client.get("/practice/question"))
    location = _answer(client, html, RIGHT).headers["Location"]
    review_id = int(urlsplit(location).path.rsplit("/", 1)[1])
    # The same question sent twice (a double click, another tab): the first answer stands.
    again = _answer(client, html, RIGHT)
    assert again.status_code == 302 and again.headers["Location"] == "/practice/question?mode=due"
    assert "You have answered this question since it was shown" in page(client.get("/practice"))
    assert db.session.scalar(select(PracticeReview.id).where(PracticeReview.id != review_id,
                                                             PracticeReview.source == "practice")) is None
    # A token that is not ours.
    forged = client.post("/practice/answer", data={"token": "not-a-token", "mode": "due", "response": "1"})
    assert forged.status_code == 302
    assert "does not belong to a question shown to you" in page(client.get("/practice"))
    # No token at all is not a practice form.
    assert client.post("/practice/answer", data={"mode": "due", "response": "1"}).status_code == 400
    # Another student's answer is nobody's to read or rate.
    make_user("bob")
    bob = signed_in(app, "bob")
    assert bob.get(f"/practice/reviews/{review_id}").status_code == 404
    assert bob.post(f"/practice/reviews/{review_id}/rating", data={"rating": "easy"}).status_code == 404
    assert client.get("/practice/reviews/999999").status_code == 404
    # Too late to rate: the card has been reviewed since.
    html = page(client.get("/practice/question"))
    _answer(client, html, RIGHT)
    review = db.session.get(PracticeReview, review_id)
    review.reviewed_at -= timedelta(hours=2)
    db.session.commit()
    late = client.post(f"/practice/reviews/{review_id}/rating", data={"rating": "hard", "mode": "due"})
    assert late.status_code == 302 and urlsplit(late.headers["Location"]).path == f"/practice/reviews/{review_id}"
    assert "can no longer be rated" in page(client.get(late.headers["Location"]))


def test_an_empty_answer_shows_the_same_question_again(app, practised):
    client = signed_in(app, "ana")
    html = page(client.get("/practice/question"))
    fields = _form(html)["fields"]
    response = client.post("/practice/answer", data=fields)
    text = page(response, 400)
    assert "Your answer was not recorded" in text
    assert _form(text)["fields"]["token"] == fields["token"] and _shown_key(text) == _shown_key(html)
    assert db.session.scalar(select(PracticeReview.id).where(PracticeReview.source == "practice")) is None


def test_a_question_whose_key_is_held_back_is_not_offered(app, classroom, tiny_bank):
    ana = member(classroom, "ana")
    _take(ana, tiny_bank["everything"], {"opened": "1910", "council": "True"})
    client = signed_in(app, "ana")
    html = page(client.get("/practice/question"))  # before the assignment: a token for one of them
    assign(classroom, tiny_bank["everything"])
    text = page(client.get("/practice"))
    assert "2 questions are held back" in text and "Start practice" not in text
    assert client.get("/practice/question").headers["Location"] == "/practice"
    refused = _answer(client, html, RIGHT)
    assert refused.status_code == 302
    assert "in an assignment still open for you" in page(client.get("/practice"))
    assert db.session.scalar(select(PracticeReview.id).where(PracticeReview.source == "practice")) is None


def test_feedback_read_later_holds_the_key_back_while_an_assignment_asks_it(app, classroom, tiny_bank):
    ana = member(classroom, "ana")
    _take(ana, tiny_bank["everything"], {"opened": "1910"})
    client = signed_in(app, "ana")
    location = _answer(client, page(client.get("/practice/question")), RIGHT).headers["Location"]
    assert "The text says it opened in 1901." in page(client.get(location))
    assign(classroom, tiny_bank["everything"])
    text = page(client.get(location), 403)
    assert "The text says it opened in 1901." not in text and "Correct answer" not in text
    assert "The harbour opened in 1901." not in text
    assert "in an assignment still open for you" in text


def test_nothing_due_offers_tomorrow_the_week_studying_ahead_and_each_part(app, ana, tiny_bank, make_user):
    _take(ana, tiny_bank["everything"], {"opened": "1901", "council": "True"}, days_ago=0.01)
    cards = [_card(ana, key) for key in ("opened", "council")]
    for card in cards:  # as if well known: due in some days
        card.due = utcnow() + timedelta(days=3)
    db.session.commit()
    practice.set_limits(ana, 0, 100)  # no new questions today either
    client = signed_in(app, "ana")
    text = page(client.get("/practice"))
    assert "Nothing is due today" in text, _words(text)
    assert re.search(r"<dt>Due this week</dt><dd>2</dd>", text)
    assert 'href="/practice/question?mode=ahead"' in text
    parts = db.session.scalars(select(SourcePart).order_by(SourcePart.id)).all()
    assert len(parts) == 4
    for part in parts:
        assert f'href="/practice/question?mode=part&part={part.id}"' in text
    ahead = page(client.get("/practice/question?mode=ahead"))
    assert "studying ahead" in ahead and "Ahead" in ahead
    key_point_2 = next(p for p in parts if p.reference == "key_point 2")
    practice.set_limits(ana, 10, 100)
    new = page(client.get(f"/practice/question?mode=part&part={key_point_2.id}"))
    assert "You have not answered this question before." in new and key_point_2.label in new
    assert _form(new)["fields"]["part"] == str(key_point_2.id)
    assert client.get("/practice/question?mode=part&part=999999").status_code == 404
    # A part of a text she has answered nothing on (here a teacher's own copy) is none of hers to practise.
    tiny = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    own = sharing.copy_bank(tiny, make_user("tina", role=Role.TEACHER))
    elsewhere = db.session.scalar(select(SourcePart.id).where(SourcePart.bank_id == own.id))
    assert client.get(f"/practice/question?mode=part&part={elsewhere}").status_code == 404
    assert client.get("/practice/question?mode=part&part=x").status_code == 404


def test_the_daily_limit_reached_says_so(app, practised):
    practice.set_limits(practised, 0, 1)
    client = signed_in(app, "ana")
    _answer(client, page(client.get("/practice/question")), RIGHT)
    text = page(client.get("/practice"))
    assert "Today's limit is reached" in text and "3 questions still due" in _words(text), _words(text)


def test_the_limits_form_saves_and_says_what_is_wrong_beside_each_field(app, ana):
    client = signed_in(app, "ana")
    text = page(client.get("/practice/settings"))
    assert 'name="reviews_per_day"' in text and 'value="100"' in text and 'value="10"' in text
    for new, reviews in (("-1", "10000"), ("", "many")):
        text = page(client.post("/practice/settings", data={"new_per_day": new, "reviews_per_day": reviews}), 400)
        assert text.count("Give a whole number from 0 to 9999.") == 2
        assert 'aria-invalid="true"' in text
    assert db.session.get(PracticeSettings, ana.id) is None
    response = client.post("/practice/settings", data={"new_per_day": "0", "reviews_per_day": "25"})
    assert response.status_code == 302 and response.headers["Location"] == "/practice"
    assert practice.limits(ana) == practice.rules.Limits(0, 25)
    assert "Your daily limits are saved." in page(client.get("/practice"))


def test_progress_shows_recall_per_part_the_forecast_and_the_streak(app, practised, classroom, tiny_bank):
    client = signed_in(app, "ana")
    _answer(client, page(client.get("/practice/question")), RIGHT)
    text = page(client.get("/progress"))
    assert "<h1>Progress</h1>" in text
    assert "Predicted recall by the end of today per part of A short made-up text" in text
    assert "Key point 1: The harbour opened in 1901." in text and "1 of 1 questions seen" in text
    assert "Questions due each day over the next 14 days" in text
    assert re.search(r"<dt>Streak</dt><dd>2 days</dd>", text), _words(text)
    # A part whose text could give a held-back key away shows its label alone, and why.
    classrooms.join(practised, classroom.join_code, "")
    assign(classroom, tiny_bank["two-grain"])
    text = page(client.get("/progress"))
    assert "Ships unload timber and grain." not in text
    assert "its text is held back while a quiz on it is still open for you" in _words(text)


def test_teachers_may_practise_their_own_answers_too(app, tina):
    for path in ("/practice", "/progress", "/practice/settings"):
        assert tina.get(path).status_code == 200, path
    assert tina.get("/practice/question").status_code == 302


def test_the_to_do_page_and_the_menu_lead_to_practice(app, ana):
    text = page(signed_in(app, "ana").get("/"))
    assert 'href="/practice"' in text and 'href="/progress"' in text
    assert re.search(r'<a href="/practice">Practice</a>', text) and re.search(r'<a href="/progress">Progress</a>', text)


def test_reading_the_practice_pages_writes_nothing(app, practised):
    client = signed_in(app, "ana")
    html = page(client.get("/practice/question"))
    location = _answer(client, html, RIGHT).headers["Location"]
    part = db.session.scalar(select(SourcePart.id).where(SourcePart.kind == "key_point", SourcePart.number == 2))
    db.session.remove()
    for path in ("/practice", "/practice/question", f"/practice/question?mode=part&part={part}", location, "/progress",
                 "/practice/settings", "/"):
        db.session.expire_all()
        with writes() as seen:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert seen == [], (path, seen)


def test_a_question_still_being_learnt_is_due_a_few_minutes_early_not_ahead(app, ana, tiny_bank):
    _take(ana, tiny_bank["everything"], {"opened": "1910"}, days_ago=0)  # wrong just now: again in a minute
    practice.set_limits(ana, 0, 100)
    client = signed_in(app, "ana")
    status = re.search(r'<p class="practice-status">(.*?)</p>', page(client.get("/practice/question?mode=due")),
                       re.S).group(1)
    assert "Ahead" not in status and "today; answered 1 time" in _words(status), _words(status)
