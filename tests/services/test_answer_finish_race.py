"""An answer and a finish racing on one attempt: the answer is either counted in the score or
refused, never stored beside a total that leaves it out."""

import threading

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, User
from quizapp.services import attempts
from tests.support.builders import any_response


def _run(app, target, *args):
    outcome = {}

    def work():
        with app.app_context():
            try:
                outcome["value"] = target(*args)
            except attempts.AttemptError as error:
                outcome["value"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def _ids(make_user, tiny_bank):
    user = make_user("ana")
    attempt = attempts.start_attempt(user, tiny_bank["everything"])
    item = attempt.items[0]
    return attempt.id, item.question_id, any_response(item)


def _answer(attempt_id, question_id, raw):
    return attempts.record_answer(db.session.get(Attempt, attempt_id), question_id, raw)


def _finish(attempt_id):
    return attempts.finish_attempt(db.session.get(Attempt, attempt_id))


def test_a_finish_that_starts_while_an_answer_is_being_stored_counts_it(app, make_user, tiny_bank, monkeypatch):
    attempt_id, question_id, raw = _ids(make_user, tiny_bank)
    stored, go_on = threading.Event(), threading.Event()
    real_insert = attempts.insert_if_open
    calls = []

    def insert_then_wait(values):
        inserted = real_insert(values)
        calls.append(inserted)
        # The answer's one check of the attempt is its insert, its transaction still open: on SQLite
        # holding the write lock, on PostgreSQL the attempt's row lock (shared).
        if len(calls) == 1:
            stored.set()
            go_on.wait(timeout=1)  # the finish runs meanwhile and must wait for this transaction
        return inserted

    monkeypatch.setattr(attempts, "insert_if_open", insert_then_wait)
    answering, answered = _run(app, _answer, attempt_id, question_id, raw)
    assert stored.wait(timeout=10)
    finishing, finished = _run(app, _finish, attempt_id)
    finishing.join(timeout=0.3)
    go_on.set()
    answering.join(timeout=20)
    finishing.join(timeout=20)

    assert not isinstance(answered["value"], Exception), answered
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    total = db.session.scalar(select(func.sum(Answer.points_awarded)).where(Answer.attempt_id == attempt_id))
    assert attempt.finished_at is not None
    assert attempt.score == total == answered["value"].answer.points_awarded


def test_an_answer_arriving_after_the_finish_is_refused(app, make_user, tiny_bank):
    attempt_id, question_id, raw = _ids(make_user, tiny_bank)
    stale = db.session.get(Attempt, attempt_id)  # loaded before the finish, as a racing request has it
    finishing, _ = _run(app, _finish, attempt_id)
    finishing.join(timeout=20)
    try:
        attempts.record_answer(stale, question_id, raw)
    except attempts.AttemptFinished:
        pass
    else:
        raise AssertionError("an answer was stored in a finished attempt")
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert db.session.scalar(select(User.username)) == "ana"
