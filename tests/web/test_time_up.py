"""When the time of an attempt runs out, the answer on screen is kept if it arrives in time, the attempt
ends at its deadline, and the results say "Time is up". The page (countdown.js) sends what is there a
second or so before the end with ``time_up``; the server still refuses anything after its own deadline.
Before this, the page only reloaded at 0:00: the answer chosen but not submitted was lost, and the
results said nothing of why the attempt had ended.
"""

from __future__ import annotations

from datetime import timedelta

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, utcnow
from quizapp.services import attempts
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in


def _timed(classroom, tiny_bank, seconds_left: float):
    """Ana's attempt at a ten-minute assignment, with ``seconds_left`` of it to go."""
    tiny_bank["everything"].shuffle = False
    assignment = assign(classroom, tiny_bank["everything"], time_limit_minutes=10)
    ana = member(classroom, "ana")
    attempt = attempts.start_assignment_attempt(ana, assignment)
    attempt.deadline_at = utcnow() + timedelta(seconds=seconds_left)
    db.session.commit()
    return attempt


def _send(client, attempt, texts, **extra):
    item = attempt.items[0]
    return client.post(f"/attempts/{attempt.id}/answer",
                       data={"question_id": item.question_id, "response": raw_for(item, texts), **extra})


def test_the_answer_on_screen_as_time_runs_out_is_kept_and_the_attempt_ends(app, classroom, tiny_bank):
    attempt = _timed(classroom, tiny_bank, seconds_left=2)
    client = signed_in(app, "ana")
    response = _send(client, attempt, ["1901"], time_up="1")
    assert response.headers["Location"] == f"/attempts/{attempt.id}/results"
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.finished_at == attempt.deadline_at and attempt.score == 1
    results = page(client.get(f"/attempts/{attempt.id}/results"))
    assert "Time is up." in results and "ended at its time limit" in results


def test_an_answer_after_the_deadline_is_refused_even_marked_time_up(app, classroom, tiny_bank):
    attempt = _timed(classroom, tiny_bank, seconds_left=-1)
    client = signed_in(app, "ana")
    response = _send(client, attempt, ["1901"], time_up="1")
    assert response.headers["Location"] == f"/attempts/{attempt.id}/results"
    assert db.session.query(Answer).count() == 0
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 0
    assert "Time is up." in page(client.get(f"/attempts/{attempt.id}/results"))


def test_time_up_far_from_the_deadline_records_the_answer_and_goes_on(app, classroom, tiny_bank):
    """A page cannot end an attempt early by saying time is up: it gets the next question."""
    attempt = _timed(classroom, tiny_bank, seconds_left=300)
    client = signed_in(app, "ana")
    response = _send(client, attempt, ["1901"], time_up="1")
    assert client.get(response.headers["Location"]).headers["Location"] == f"/attempts/{attempt.id}"
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).finished_at is None
    assert db.session.query(Answer).count() == 1


def test_an_incomplete_answer_at_time_up_is_named_and_the_attempt_ends(app, classroom, tiny_bank):
    attempt = _timed(classroom, tiny_bank, seconds_left=2)
    blanks = next(i for i in attempt.items if i.type == "cloze")
    client = signed_in(app, "ana")
    client.post(f"/attempts/{attempt.id}/answer",
                data={"question_id": blanks.question_id, "response": ["1901", ""], "time_up": "1"})
    results = page(client.get(f"/attempts/{attempt.id}/results"))
    assert "Time is up. Your last answer could not be saved: fill in every blank." in results
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).is_finished and db.session.query(Answer).count() == 0


def test_an_attempt_closed_while_the_student_was_away_says_time_is_up(app, classroom, tiny_bank):
    attempt = _timed(classroom, tiny_bank, seconds_left=-60)
    results = signed_in(app, "ana").get(f"/attempts/{attempt.id}/results")
    assert "Time is up." in page(results)


def test_a_finished_attempt_says_nothing_of_time(app, classroom, tiny_bank):
    attempt = _timed(classroom, tiny_bank, seconds_left=300)
    attempts.finish_attempt(attempt)
    assert "Time is up" not in page(signed_in(app, "ana").get(f"/attempts/{attempt.id}/results"))


def test_the_question_page_gives_the_servers_time_for_the_countdown(app, classroom, tiny_bank):
    attempt = _timed(classroom, tiny_bank, seconds_left=300)
    html = page(signed_in(app, "ana").get(f"/attempts/{attempt.id}"))
    assert f'data-deadline="{attempt.deadline_at.isoformat()}"' in html and 'data-now="' in html

