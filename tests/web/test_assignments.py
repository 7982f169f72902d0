"""Assignments: the teacher's form, and every rule the server enforces on students' attempts:
the window, the time limit (also for a student who walks away), the attempts limit (also when
two starts race), which attempt counts, and the student's dashboard."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Answer, Assignment, AssignmentResult, Attempt, Counting, Quiz, User, utcnow
from quizapp.services import attempts, classrooms, closing
from tests.support.builders import assign, raw_for
from tests.support.pages import page, signed_in

# Right answers in the tiny bank, by question key (points: cargo 2, every other question 1; 7 in all).
RIGHT = {
    "opened": ["1901"],
    "cargo": ["Timber", "Grain"],
    "council": "true",
    "runner": "town council",
    "order": ["Timber", "Grain", "Salt"],
    "blanks": ["1901", "wood"],
}
SCORE_KEYS = {0: (), 1: ("council",), 3: ("opened", "cargo"), 5: ("opened", "cargo", "council", "runner"), 7: RIGHT}


# --- builders -------------------------------------------------------------------------------------


def flashed(client, response) -> str:
    """The page a redirect leads to (where the flash message shows)."""
    assert response.status_code == 302
    return page(client.get(response.headers["Location"]))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def take(user, assignment, score=0, at=None, seconds=60) -> Attempt:
    """A finished attempt scoring ``score`` of 7, started at ``at`` and lasting ``seconds``."""
    at = at or utcnow() - timedelta(days=1)
    attempt = attempts.start_assignment_attempt(user, assignment, now=at)
    for item in attempt.items:
        if item.question.key in SCORE_KEYS[score]:
            attempts.record_answer(attempt, item.question_id, raw_for(item, RIGHT[item.question.key]),
                                   now=at + timedelta(seconds=1))
    attempts.finish_attempt(attempt, now=at + timedelta(seconds=seconds))
    assert attempt.score == score
    return attempt


def extra_quiz(tiny_bank, key, title) -> Quiz:
    """Another quiz on the tiny bank (all six questions, in order), to tell assignments apart."""
    quiz = Quiz(bank_id=tiny_bank["everything"].bank_id, key=key, title=title, sources=[], tags=[], shuffle=False)
    db.session.add(quiz)
    db.session.commit()
    return quiz


@pytest.fixture
def ana(make_user, classroom):
    """A student in the class."""
    user = make_user("ana")
    classrooms.join(user, classroom.join_code)
    return user


@pytest.fixture
def quiz(tiny_bank):
    return tiny_bank["everything"]


# --- the teacher's form ---------------------------------------------------------------------------


def form_data(quiz, **changes):
    data = {"quiz_id": str(quiz.id), "opens_at": "2026-12-01T09:00", "closes_at": "2026-12-08T17:30",
            "time_limit_minutes": "20", "attempts_allowed": "2", "counting": "last"}
    data.update(changes)
    return data


def test_the_form_offers_the_quizzes_and_says_the_time_zone(app, teacher, classroom, quiz):
    text = page(signed_in(app, "tina").get(f"/teach/classes/{classroom.id}/assignments/new"))
    assert "Times are in UTC." in text
    assert "Everything (6 questions)" in text and "Two on cargo (2 questions)" in text
    for value in ("best", "last", "average"):
        assert f'value="{value}"' in text


def test_a_teacher_assigns_a_quiz(app, teacher, classroom, quiz):
    tina = signed_in(app, "tina")
    response = tina.post(f"/teach/classes/{classroom.id}/assignments/new", data=form_data(quiz))
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert response.headers["Location"] == f"/teach/assignments/{assignment.id}"
    assert assignment.classroom_id == classroom.id and assignment.quiz_id == quiz.id
    assert assignment.opens_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert assignment.closes_at == datetime(2026, 12, 8, 17, 30, tzinfo=UTC)
    assert (assignment.time_limit_minutes, assignment.attempts_allowed) == (20, 2)
    assert assignment.counting is Counting.LAST
    text = page(tina.get(response.headers["Location"]))
    assert "Assigned Everything to Year 10 History." in text
    assert "2026-12-01 09:00 (UTC)" in text and "20 min limit" in text and "the last counts" in text


def test_empty_limits_mean_no_limit(app, teacher, classroom, quiz):
    response = signed_in(app, "tina").post(f"/teach/classes/{classroom.id}/assignments/new",
                                           data=form_data(quiz, time_limit_minutes="", attempts_allowed=""))
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.time_limit_minutes is None and assignment.attempts_allowed is None


def test_times_are_read_in_the_configured_time_zone(app, monkeypatch, teacher, classroom, quiz):
    monkeypatch.setitem(app.config, "TIMEZONE", "Europe/Paris")
    tina = signed_in(app, "tina")
    assert "Times are in Europe/Paris." in page(tina.get(f"/teach/classes/{classroom.id}/assignments/new"))
    response = tina.post(f"/teach/classes/{classroom.id}/assignments/new",
                         data=form_data(quiz, opens_at="2026-07-01T09:00", closes_at="2026-12-01T09:00"))
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert assignment.opens_at == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)  # summer time, UTC+2
    assert assignment.closes_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # winter time, UTC+1
    assert "2026-07-01 09:00 (Europe/Paris)" in page(tina.get(f"/teach/classes/{classroom.id}"))


@pytest.mark.parametrize(("changes", "message"), [
    ({"closes_at": "2026-11-30T09:00"}, "The quiz must close after it opens."),
    ({"closes_at": "2026-12-01T09:00"}, "The quiz must close after it opens."),
    ({"opens_at": ""}, "Give the opening date and time."),
    ({"closes_at": ""}, "Give the closing date and time."),
    ({"opens_at": "next tuesday"}, "Not a valid datetime value."),
    ({"time_limit_minutes": "0"}, "Number must be between 1 and 600."),
    ({"time_limit_minutes": "601"}, "Number must be between 1 and 600."),
    ({"time_limit_minutes": "ten"}, "Not a valid integer value."),
    ({"attempts_allowed": "0"}, "Number must be between 1 and 100."),
    ({"attempts_allowed": "-1"}, "Number must be between 1 and 100."),
    ({"attempts_allowed": "1.5"}, "Not a valid integer value."),
    ({"counting": "worst"}, "Not a valid choice."),
    ({"quiz_id": "999999"}, "Not a valid choice."),
], ids=["closes before opening", "closes as it opens", "no opening", "no closing", "bad date", "limit 0",
        "limit 601", "limit not a number", "attempts 0", "attempts negative", "attempts not whole",
        "unknown counting", "unknown quiz"])
def test_form_errors_re_render_the_form_with_a_message(app, teacher, classroom, quiz, changes, message):
    response = signed_in(app, "tina").post(f"/teach/classes/{classroom.id}/assignments/new",
                                           data=form_data(quiz, **changes))
    text = page(response, 400)
    assert "Assign a quiz to Year 10 History" in text
    assert f"<li>{message}</li>" in text
    assert 'class="errors"' in text
    assert count(Assignment) == 0


def test_the_service_refuses_a_quiz_that_closes_before_it_opens(classroom, quiz):
    now = utcnow()
    with pytest.raises(classrooms.ClassroomError, match="must close after it opens"):
        classrooms.create_assignment(classroom, quiz, now, now - timedelta(minutes=1))
    assert count(Assignment) == 0


# --- the window -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("opens", "closes", "message"), [
    (timedelta(hours=1), timedelta(days=1), "This quiz is not open yet."),
    (-timedelta(days=2), -timedelta(seconds=1), "This quiz is closed."),
], ids=["not yet open", "closed"])
def test_a_quiz_outside_its_window_cannot_be_started(app, classroom, ana, quiz, opens, closes, message):
    now = utcnow()
    assignment = assign(classroom, quiz, opens=now + opens, closes=now + closes)
    client = signed_in(app, "ana")
    response = client.post(f"/assignments/{assignment.id}/start")
    assert response.headers["Location"] == f"/classes/{classroom.id}"
    assert message in flashed(client, response)
    assert count(Attempt) == 0


def test_the_service_checks_the_window_with_the_time_given(classroom, ana, quiz):
    opens = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    assignment = assign(classroom, quiz, opens=opens, closes=opens + timedelta(hours=2))
    with pytest.raises(attempts.AssignmentUnavailable, match="not open yet"):
        attempts.start_assignment_attempt(ana, assignment, now=opens - timedelta(seconds=1))
    with pytest.raises(attempts.AssignmentUnavailable, match="closed"):
        attempts.start_assignment_attempt(ana, assignment, now=opens + timedelta(hours=2))
    assert count(Attempt) == 0
    assert attempts.start_assignment_attempt(ana, assignment, now=opens).number == 1


def test_an_open_quiz_starts_a_numbered_attempt_and_a_reload_carries_it_on(app, classroom, ana, quiz):
    assignment = assign(classroom, quiz)
    client = signed_in(app, "ana")
    first = client.post(f"/assignments/{assignment.id}/start")
    attempt = db.session.scalar(select(Attempt))
    assert first.headers["Location"] == f"/attempts/{attempt.id}"
    assert (attempt.assignment_id, attempt.user_id, attempt.number) == (assignment.id, ana.id, 1)
    assert attempt.deadline_at == assignment.closes_at  # no time limit: the quiz's closing ends it
    again = client.post(f"/assignments/{assignment.id}/start")
    assert again.headers["Location"] == f"/attempts/{attempt.id}"
    assert count(Attempt) == 1
    assert "Question 1 of 6" in page(client.get(first.headers["Location"]))


def test_the_deadline_is_the_time_limit_or_the_closing_whichever_comes_first(classroom, ana, quiz):
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    roomy = assign(classroom, quiz, opens=start, closes=start + timedelta(hours=5), time_limit_minutes=30)
    assert attempts.start_assignment_attempt(ana, roomy, now=start).deadline_at == start + timedelta(minutes=30)
    tight = assign(classroom, quiz, opens=start, closes=start + timedelta(minutes=10), time_limit_minutes=30)
    assert attempts.start_assignment_attempt(ana, tight, now=start).deadline_at == start + timedelta(minutes=10)


# --- the time limit -------------------------------------------------------------------------------


def started_in_the_past(ana, assignment, minutes_ago, answered=("council",)):
    """An attempt begun ``minutes_ago`` with the given questions answered right a minute in."""
    at = utcnow() - timedelta(minutes=minutes_ago)
    attempt = attempts.start_assignment_attempt(ana, assignment, now=at)
    for item in attempt.items:
        if item.question.key in answered:
            attempts.record_answer(attempt, item.question_id, raw_for(item, RIGHT[item.question.key]),
                                   now=at + timedelta(minutes=1))
    return attempt


def test_an_attempt_left_past_its_limit_is_finished_at_its_deadline_by_the_next_visit(app, classroom, ana, quiz):
    """The visit shows it finished at its deadline without writing; closing it (cron, the app's start, or
    the next write that touches it) stores just that."""
    assignment = assign(classroom, quiz, time_limit_minutes=10)
    attempt = started_in_the_past(ana, assignment, minutes_ago=60)
    deadline = attempt.started_at + timedelta(minutes=10)
    assert attempt.deadline_at == deadline and attempt.finished_at is None

    client = signed_in(app, "ana")
    response = client.get(f"/attempts/{attempt.id}")
    assert response.headers["Location"] == f"/attempts/{attempt.id}/results"
    assert "1 of 7 points" in page(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).finished_at is None  # reads do not write
    assert closing.close_all_overdue() == 1
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.finished_at == deadline  # the deadline, not the time of the visit
    assert attempt.score == 1
    assert "1 of 7 points" in page(client.get(response.headers["Location"]))
    result = db.session.scalar(select(AssignmentResult))
    assert (result.user_id, result.score, result.finished_at, result.seconds) == (ana.id, 1, deadline, 600)


def test_an_answer_after_the_limit_is_refused_and_the_attempt_finished(app, classroom, ana, quiz):
    assignment = assign(classroom, quiz, time_limit_minutes=10)
    attempt = started_in_the_past(ana, assignment, minutes_ago=30)
    item = next(i for i in attempt.items if i.question.key == "opened")
    client = signed_in(app, "ana")
    response = client.post(f"/attempts/{attempt.id}/answer",
                           data={"question_id": item.question_id, "response": raw_for(item, RIGHT["opened"])})
    assert response.headers["Location"] == f"/attempts/{attempt.id}/results"
    assert "Time is up" in flashed(client, response)
    assert count(Answer) == 1
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.finished_at == attempt.deadline_at and attempt.score == 1


def test_the_service_refuses_answers_and_finishes_with_an_explicit_now(classroom, ana, quiz):
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    assignment = assign(classroom, quiz, opens=start, closes=start + timedelta(days=1), time_limit_minutes=10)
    attempt = attempts.start_assignment_attempt(ana, assignment, now=start)
    items = {i.question.key: i for i in attempt.items}
    attempts.record_answer(attempt, items["cargo"].question_id, raw_for(items["cargo"], RIGHT["cargo"]),
                           now=start + timedelta(minutes=9, seconds=59))
    with pytest.raises(attempts.AttemptFinished, match="Time is up"):
        attempts.record_answer(attempt, items["opened"].question_id, raw_for(items["opened"], RIGHT["opened"]),
                               now=start + timedelta(minutes=10))
    assert attempt.finished_at == start + timedelta(minutes=10) and attempt.score == 2
    with pytest.raises(attempts.AttemptFinished):
        attempts.finish_attempt(attempt, now=start + timedelta(hours=3))
    assert attempt.finished_at == start + timedelta(minutes=10)
    assert count(Answer) == 1


def test_find_attempt_finishes_an_overdue_attempt_at_its_deadline(classroom, ana, quiz):
    start = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    assignment = assign(classroom, quiz, opens=start, closes=start + timedelta(days=1), time_limit_minutes=15)
    attempt = attempts.start_assignment_attempt(ana, assignment, now=start)
    assert attempts.find_attempt(attempt.id, now=start + timedelta(minutes=14)).finished_at is None
    found = attempts.find_attempt(attempt.id, now=start + timedelta(days=3))
    assert found.finished_at == start + timedelta(minutes=15) and found.score == 0


def test_an_attempt_without_a_time_limit_ends_when_the_quiz_closes(app, classroom, ana, quiz):
    now = utcnow()
    assignment = assign(classroom, quiz, opens=now - timedelta(days=2), closes=now - timedelta(hours=1))
    attempt = attempts.start_assignment_attempt(ana, assignment, now=now - timedelta(days=1))
    assert attempt.deadline_at == assignment.closes_at
    response = signed_in(app, "ana").get(f"/attempts/{attempt.id}")
    assert response.headers["Location"] == f"/attempts/{attempt.id}/results"
    closing.close_all_overdue()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).finished_at == assignment.closes_at


def test_starting_again_finishes_the_overdue_attempt_first(classroom, ana, quiz):
    assignment = assign(classroom, quiz, time_limit_minutes=10, attempts_allowed=3)
    overdue = started_in_the_past(ana, assignment, minutes_ago=60)
    fresh = attempts.start_assignment_attempt(ana, assignment)
    assert fresh.id != overdue.id and fresh.number == 2
    db.session.refresh(overdue)
    assert overdue.finished_at == overdue.deadline_at and overdue.score == 1


def test_an_attempt_abandoned_past_its_limit_counts_in_the_gradebook_and_leaderboard(app, classroom, ana, quiz):
    """The student walks away and never comes back: once the deadline has passed, what the teacher
    sees must be the attempt finished with what it had, not an attempt "in progress" forever."""
    assignment = assign(classroom, quiz, time_limit_minutes=10)
    attempt = started_in_the_past(ana, assignment, minutes_ago=60)
    tina = signed_in(app, "tina")
    book = page(tina.get(f"/teach/classes/{classroom.id}/gradebook"))
    assert "in progress" not in book
    assert "1 / 7" in book and "1 attempt, done" in book
    board = page(tina.get(f"/assignments/{assignment.id}/leaderboard"))
    assert "Ana" in board and "No finished attempts yet." not in board
    closing.close_all_overdue()  # what the pages showed is what closing it stores
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).finished_at == attempt.deadline_at
    book = page(tina.get(f"/teach/classes/{classroom.id}/gradebook"))
    assert "in progress" not in book and "1 / 7" in book and "1 attempt, done" in book
    assert "Ana" in page(tina.get(f"/assignments/{assignment.id}/leaderboard"))


# --- the attempts limit ---------------------------------------------------------------------------


def test_the_attempts_limit_holds(app, classroom, ana, quiz):
    assignment = assign(classroom, quiz, attempts_allowed=2)
    client = signed_in(app, "ana")
    for number in (1, 2):
        response = client.post(f"/assignments/{assignment.id}/start")
        attempt_id = int(re.fullmatch(r"/attempts/(\d+)", response.headers["Location"]).group(1))
        assert db.session.get(Attempt, attempt_id).number == number
        client.post(f"/attempts/{attempt_id}/finish")
    refused = client.post(f"/assignments/{assignment.id}/start")
    assert refused.headers["Location"] == f"/classes/{classroom.id}"
    assert "You have used all your attempts at this quiz." in flashed(client, refused)
    assert count(Attempt) == 2
    with pytest.raises(attempts.AssignmentUnavailable, match="used all your attempts"):
        attempts.start_assignment_attempt(ana, assignment)


def _race(app, work, n=2):
    """Run ``work`` in ``n`` threads at once, each in its own app context (own session, own connection)."""

    def run():
        with app.app_context():
            return work()

    db.session.commit()  # the test's own session holds no transaction while the threads write
    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(run) for _ in range(n)]
        return [f.result(timeout=60) for f in futures]


@pytest.fixture
def starts_together(monkeypatch):
    """Make every start wait, after counting the attempts used, until two starts have counted: the race
    a unique constraint has to settle, every time rather than by luck."""
    barrier = threading.Barrier(2, timeout=20)
    real = attempts.start_attempt

    def start_attempt(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(attempts, "start_attempt", start_attempt)


def test_two_starts_racing_for_the_last_attempt_make_only_one(app, classroom, ana, quiz, starts_together):
    assignment = assign(classroom, quiz, attempts_allowed=1)
    user_id, assignment_id = ana.id, assignment.id

    def start():
        user, assignment = db.session.get(User, user_id), db.session.get(Assignment, assignment_id)
        try:
            return attempts.start_assignment_attempt(user, assignment).id
        except attempts.AssignmentUnavailable as error:
            return str(error)

    outcomes = _race(app, start)
    started = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, str)]
    assert len(started) == 1, outcomes
    assert refused == ["Another attempt was started at the same moment; reload the page."]
    db.session.expire_all()
    assert db.session.scalars(select(Attempt.number)).all() == [1]


def test_two_browser_tabs_racing_to_start_make_only_one_attempt(app, classroom, ana, quiz, starts_together):
    assignment = assign(classroom, quiz, attempts_allowed=1)
    tabs = [signed_in(app, "ana"), signed_in(app, "ana")]
    turn = iter(tabs)
    lock = threading.Lock()

    def start():
        with lock:
            client = next(turn)
        response = client.post(f"/assignments/{assignment.id}/start")
        return response.status_code, response.headers.get("Location")

    outcomes = _race(app, start)
    db.session.expire_all()
    (attempt,) = db.session.scalars(select(Attempt)).all()
    assert sorted(outcomes) == sorted([(302, f"/attempts/{attempt.id}"), (302, f"/classes/{classroom.id}")])


def test_the_database_refuses_a_second_attempt_with_the_same_number(classroom, ana, quiz):
    assignment = assign(classroom, quiz)
    first = attempts.start_assignment_attempt(ana, assignment)
    db.session.add(Attempt(quiz_id=quiz.id, user_id=ana.id, assignment_id=assignment.id, number=first.number))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Attempt(quiz_id=quiz.id, user_id=ana.id, assignment_id=assignment.id, number=first.number + 1))
    db.session.commit()
    assert count(Attempt) == 2


# --- which attempt counts -------------------------------------------------------------------------


@pytest.mark.parametrize(("counting", "expected"), [
    (Counting.BEST, "5"),
    (Counting.LAST, "1"),
    (Counting.AVERAGE, "3"),
])
def test_the_counted_attempt_shows_in_the_dashboard_and_the_gradebook(
        app, classroom, ana, quiz, counting, expected):
    assignment = assign(classroom, quiz, attempts_allowed=3, counting=counting)
    at = utcnow() - timedelta(days=3)
    for hours, score in ((0, 3), (1, 5), (2, 1)):
        take(ana, assignment, score, at=at + timedelta(hours=hours))
    result = db.session.scalar(select(AssignmentResult))
    assert (result.score, result.max_score, result.attempts_used) == (float(expected), 7, 3)

    dashboard = page(signed_in(app, "ana").get("/classes"))
    assert f"Your score: <strong>{expected} / 7</strong>" in dashboard
    assert "3 of 3 attempts used" in dashboard and f"the {counting.value} counts" in dashboard

    book = page(signed_in(app, "tina").get(f"/teach/classes/{classroom.id}/gradebook"))
    assert re.search(rf"<td>{expected} / 7\s*<small>3 attempts, done</small></td>", book), book


def test_a_better_attempt_later_raises_the_best_count(classroom, ana, quiz):
    assignment = assign(classroom, quiz, counting=Counting.BEST)
    take(ana, assignment, 3, at=utcnow() - timedelta(days=2))
    assert db.session.scalar(select(AssignmentResult.score)) == 3
    take(ana, assignment, 7, at=utcnow() - timedelta(days=1))
    take(ana, assignment, 1, at=utcnow() - timedelta(hours=1))
    assert db.session.scalar(select(AssignmentResult.score)) == 7
    assert count(AssignmentResult) == 1


# --- the student's dashboard ----------------------------------------------------------------------


def cards(text: str) -> dict[str, tuple[str, str | None]]:
    """Each assignment card on a dashboard: title → (state, score shown or None)."""
    found = {}
    for state, body in re.findall(r'<li class="card assignment (\w+)">(.*?)</li>', text, re.S):
        title = re.search(r"<h3>(.*?) <span", body).group(1)
        score = re.search(r"Your score: <strong>(.*?)</strong>", body)
        found[title] = (state, score.group(1) if score else None)
    return found


def test_the_dashboard_lists_classes_and_assignments_open_upcoming_done_with_scores(
        app, teacher, classroom, ana, tiny_bank):
    now = utcnow()
    quiz = {t: extra_quiz(tiny_bank, t.lower().replace(" ", "-"), t)
            for t in ("Open one", "Upcoming one", "Done one", "Missed one", "Used up", "Other class")}
    assign(classroom, quiz["Open one"])
    assign(classroom, quiz["Upcoming one"], opens=now + timedelta(days=1), closes=now + timedelta(days=2))
    done = assign(classroom, quiz["Done one"], opens=now - timedelta(days=3), closes=now - timedelta(days=1))
    take(ana, done, 5, at=now - timedelta(days=2))
    assign(classroom, quiz["Missed one"], opens=now - timedelta(days=3), closes=now - timedelta(days=1))
    used_up = assign(classroom, quiz["Used up"], attempts_allowed=1)
    take(ana, used_up, 7, at=now - timedelta(hours=1))
    other = classrooms.create_classroom(teacher, "Another class")
    assign(other, quiz["Other class"])

    text = page(signed_in(app, "ana").get("/classes"))
    assert "Year 10 History" in text and "Another class" not in text
    assert cards(text) == {
        "Open one": ("open", None),
        "Upcoming one": ("upcoming", None),
        "Done one": ("done", "5 / 7"),
        "Missed one": ("closed", None),
        "Used up": ("done", "7 / 7"),
    }
    assert text.count('class="button">Start: Open one</button>') == 1
    assert "Start: Upcoming one" not in text and "Try again: Used up" not in text


def test_the_dashboard_shows_a_score_while_more_attempts_are_allowed(app, classroom, ana, quiz):
    assignment = assign(classroom, quiz, attempts_allowed=3)
    take(ana, assignment, 3)
    text = page(signed_in(app, "ana").get("/classes"))
    assert cards(text) == {"Everything": ("open", "3 / 7")}
    assert "Try again: Everything" in text and "1 of 3 attempts used" in text


def test_the_last_attempt_under_way_stays_open_with_a_continue_button(app, classroom, ana, quiz):
    assignment = assign(classroom, quiz, attempts_allowed=2)
    take(ana, assignment, 3)
    attempts.start_assignment_attempt(ana, assignment)  # the second and last, not finished
    text = page(signed_in(app, "ana").get("/classes"))
    assert cards(text)["Everything"][0] == "open"
    assert "Continue: Everything" in text and "2 of 2 attempts used" in text and "Try again" not in text


def test_a_student_in_no_class_is_told_how_to_join(app, make_user):
    make_user("ana")
    assert "You are not in a class yet." in page(signed_in(app, "ana").get("/classes"))
