"""Leaderboards: ranking, ties, the top 10 and the viewer's own place, who may see them, how names
show, and the class's overall board."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.standings import TIE_BREAK
from quizapp.extensions import db
from quizapp.models import AssignmentResult, NameDisplay, Role, utcnow
from quizapp.services import attempts, classrooms, results
from tests.support.builders import assign, member
from tests.support.pages import page, signed_in

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- builders -------------------------------------------------------------------------------------


def board_rows(text: str) -> list[tuple[int, str]]:
    """(rank, name) of each row of the page's first leaderboard, in order."""
    table = re.search(r'<table class="leaderboard">(.*?)</table>', text, re.S).group(1)
    return [(int(rank), name) for rank, name in re.findall(r"<tr[^>]*>\s*<td>(\d+)</td><td>([^<]*)</td>", table)]


def result(assignment, user, score, seconds=60, finished=T0, max_score=10):
    """Write a counted result straight in, and the class standing with it, as finishing attempts would."""
    db.session.add(AssignmentResult(assignment_id=assignment.id, user_id=user.id, score=score, max_score=max_score,
                                    seconds=seconds, finished_at=finished, attempts_used=1))
    db.session.flush()
    results.refresh_standing(assignment.classroom_id, user.id)
    db.session.commit()


@pytest.fixture
def assignment(classroom, tiny_bank):
    return assign(classroom, tiny_bank["everything"])


def both_boards(assignment):
    return (f"/assignments/{assignment.id}/leaderboard", f"/classes/{assignment.classroom_id}/leaderboard")


# --- ranking --------------------------------------------------------------------------------------


def test_ranked_by_score_and_equal_students_share_a_rank(app, classroom, assignment):
    for username, score in (("dora", 5), ("ana", 9), ("bob", 7), ("cleo", 7)):
        result(assignment, member(classroom, username), score)
    client = signed_in(app, "ana")
    for path in both_boards(assignment):
        text = page(client.get(path))
        assert board_rows(text) == [(1, "Ana (you)"), (2, "Bob"), (2, "Cleo"), (4, "Dora")], path
        assert TIE_BREAK in text, path
        assert "4 students ranked." in text


def test_equal_scores_are_split_by_less_time_then_listed_earliest_finish_first(app, classroom, assignment):
    result(assignment, member(classroom, "slow"), 7, seconds=90)
    result(assignment, member(classroom, "late"), 7, seconds=40, finished=T0 + timedelta(hours=1))
    result(assignment, member(classroom, "quick"), 7, seconds=30)
    result(assignment, member(classroom, "early"), 7, seconds=40, finished=T0)
    result(assignment, member(classroom, "best"), 8, seconds=500)
    text = page(signed_in(app, "tina").get(f"/assignments/{assignment.id}/leaderboard"))
    assert board_rows(text) == [(1, "Best"), (2, "Quick"), (3, "Early"), (3, "Late"), (5, "Slow")]
    assert TIE_BREAK in text


def test_time_ties_are_in_whole_seconds(app, classroom, assignment):
    """Two real attempts, 59.6 s and 60.4 s: both count as 60 s, so the students share the rank."""
    at = utcnow() - timedelta(days=1)
    for username, seconds in (("ana", 60.4), ("bob", 59.6)):
        user = member(classroom, username)
        attempt = attempts.start_assignment_attempt(user, assignment, now=at)
        item = next(i for i in attempt.items if i.question.key == "council")
        attempts.record_answer(attempt, item.question_id, ["true"], now=at + timedelta(seconds=5))
        attempts.finish_attempt(attempt, now=at + timedelta(seconds=seconds))
    text = page(signed_in(app, "tina").get(f"/assignments/{assignment.id}/leaderboard"))
    assert board_rows(text) == [(1, "Bob"), (1, "Ana")]  # sharing the rank, Bob finished first
    assert "1 / 7" in text


def test_an_empty_board_says_so(app, classroom, assignment):
    member(classroom, "ana")
    for path in both_boards(assignment):
        text = page(signed_in(app, "ana").get(path))
        assert "No finished attempts yet." in text and board_rows(text) == []
        assert TIE_BREAK in text


# --- top 10 and the viewer ------------------------------------------------------------------------


@pytest.fixture
def twelve(classroom, assignment):
    """Twelve students, s01 (score 12, first) to s12 (score 1, last)."""
    students = [member(classroom, f"s{n:02d}") for n in range(1, 13)]
    for place, user in enumerate(students, start=1):
        result(assignment, user, 13 - place, max_score=20)
    return students


def test_the_top_ten_and_the_viewers_own_row_outside_it(app, assignment, twelve):
    client = signed_in(app, "s12")
    for path in both_boards(assignment):
        text = page(client.get(path))
        rows = board_rows(text)
        assert rows[:10] == [(n, f"S{n:02d}") for n in range(1, 11)], path
        assert rows[10:] == [(12, "S12 (you)")], path
        assert "S11" not in text
        assert '<tr class="gap">' in text
        assert "12 students ranked." in text
    assert "Top 10 and your place" in page(client.get(f"/assignments/{assignment.id}/leaderboard"))


def test_a_viewer_in_the_top_ten_is_marked_there_and_not_repeated(app, assignment, twelve):
    text = page(signed_in(app, "s03").get(f"/assignments/{assignment.id}/leaderboard"))
    rows = board_rows(text)
    assert len(rows) == 10 and rows[2] == (3, "S03 (you)")
    assert text.count("(you)") == 1 and '<tr class="gap">' not in text


def test_the_teacher_sees_the_top_ten_only(app, assignment, twelve):
    text = page(signed_in(app, "tina").get(f"/assignments/{assignment.id}/leaderboard"))
    assert [rank for rank, _ in board_rows(text)] == list(range(1, 11))
    assert "(you)" not in text


def test_a_viewer_sharing_a_rank_outside_the_top_ten_gets_the_shared_rank(app, classroom, assignment):
    for n in range(1, 11):
        result(assignment, member(classroom, f"s{n:02d}"), 20 - n)
    result(assignment, member(classroom, "ana"), 3)
    result(assignment, member(classroom, "bob"), 3, finished=T0 - timedelta(hours=1))
    rows = board_rows(page(signed_in(app, "ana").get(f"/assignments/{assignment.id}/leaderboard")))
    assert rows[-1] == (11, "Ana (you)") and len(rows) == 11


# --- the boards on the class and assignment pages -------------------------------------------------


def test_the_class_page_shows_the_overall_board(app, classroom, assignment):
    result(assignment, member(classroom, "ana"), 4)
    result(assignment, member(classroom, "bob"), 6)
    text = page(signed_in(app, "ana").get(f"/classes/{classroom.id}"))
    assert board_rows(text) == [(1, "Bob"), (2, "Ana (you)")]
    assert TIE_BREAK in text


def test_the_teachers_assignment_page_shows_its_board(app, classroom, assignment):
    result(assignment, member(classroom, "ana"), 4)
    result(assignment, member(classroom, "bob"), 6)
    text = page(signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}"))
    assert board_rows(text) == [(1, "Bob"), (2, "Ana")]
    assert TIE_BREAK in text


def test_the_class_board_adds_up_counted_scores_across_assignments(app, teacher, classroom, tiny_bank):
    first, second = assign(classroom, tiny_bank["everything"]), assign(classroom, tiny_bank["two-grain"])
    elsewhere = assign(classrooms.create_classroom(teacher, "Other class"), tiny_bank["everything"])
    ana, bob, cleo = (member(classroom, name) for name in ("ana", "bob", "cleo"))
    result(first, ana, 5, seconds=100)
    result(second, ana, 3, seconds=50)
    result(first, bob, 7, seconds=10)
    result(elsewhere, bob, 10)  # another class's quiz does not count here
    result(second, cleo, 8, seconds=200)
    text = page(signed_in(app, "ana").get(f"/classes/{classroom.id}/leaderboard"))
    assert board_rows(text) == [(1, "Ana (you)"), (2, "Cleo"), (3, "Bob")]  # 8 in 150 s before 8 in 200 s
    assert "8 / 20 (40%)" in text and "7 / 10 (70%)" in text and "8 / 10 (80%)" in text
    assert "Year 10 History: overall" in text
    assert board_rows(page(signed_in(app, "ana").get(f"/assignments/{first.id}/leaderboard"))) == [
        (1, "Bob"), (2, "Ana (you)")]


def test_the_class_board_counts_the_counted_attempt_not_every_attempt(app, classroom, tiny_bank):
    assignment = assign(classroom, tiny_bank["everything"])  # the best counts
    ana = member(classroom, "ana")
    at = utcnow() - timedelta(days=1)
    for hours, right in ((1, True), (2, False), (3, False)):
        attempt = attempts.start_assignment_attempt(ana, assignment, now=at + timedelta(hours=hours))
        item = next(i for i in attempt.items if i.question.key == "council")
        attempts.record_answer(attempt, item.question_id, ["true" if right else "false"],
                               now=at + timedelta(hours=hours, seconds=5))
        attempts.finish_attempt(attempt, now=at + timedelta(hours=hours, seconds=30))
    text = page(signed_in(app, "ana").get(f"/classes/{classroom.id}/leaderboard"))
    assert board_rows(text) == [(1, "Ana (you)")] and "1 / 7" in text


# --- who may see a board --------------------------------------------------------------------------


def test_only_members_and_the_classs_teacher_see_the_boards(app, make_user, classroom, assignment):
    result(assignment, member(classroom, "ana"), 5)
    make_user("eve")
    make_user("otto", role=Role.TEACHER)
    for path in both_boards(assignment):
        assert signed_in(app, "ana").get(path).status_code == 200, path
        assert signed_in(app, "tina").get(path).status_code == 200, path
        assert signed_in(app, "eve").get(path).status_code == 404, path
        assert signed_in(app, "otto").get(path).status_code == 404, path
        anonymous = app.test_client().get(path)
        assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/auth/login"), path


# --- names ----------------------------------------------------------------------------------------


@pytest.fixture
def named(classroom, assignment):
    result(assignment, member(classroom, "ana", "Ana María López", "Speedy"), 9)
    result(assignment, member(classroom, "zoe", "Zoë Ångström"), 5)


EXPECTED_NAMES = {
    "full": ["Ana María López (you)", "Zoë Ångström"],
    "nickname": ["Speedy (you)", "Z. Å."],
    "initials": ["A. M. L. (you)", "Z. Å."],
}


def names_on_boards(app, assignment) -> list[list[str]]:
    client = signed_in(app, "ana")
    paths = (*both_boards(assignment), f"/classes/{assignment.classroom_id}")
    return [[name for _, name in board_rows(page(client.get(path)))] for path in paths]


@pytest.mark.parametrize("mode", ["full", "nickname", "initials"])
def test_the_teacher_chooses_how_boards_name_students(app, classroom, assignment, named, mode):
    tina = signed_in(app, "tina")
    if mode != "full":  # start from a different mode, so the form has something to change
        classrooms.set_name_display(classroom, NameDisplay.FULL)
    else:
        classrooms.set_name_display(classroom, NameDisplay.INITIALS)
    response = tina.post(f"/teach/classes/{classroom.id}/display", data={"name_display": mode})
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/classes/{classroom.id}"
    db.session.refresh(classroom)
    assert classroom.name_display.value == mode
    assert names_on_boards(app, assignment) == [EXPECTED_NAMES[mode]] * 3
    teacher_view = [n for _, n in board_rows(page(tina.get(f"/teach/assignments/{assignment.id}")))]
    assert teacher_view == [n.removesuffix(" (you)") for n in EXPECTED_NAMES[mode]]


@pytest.mark.parametrize("mode", ["full", "nickname", "initials"])
def test_each_name_display_mode_changes_the_boards(app, classroom, assignment, named, mode):
    classrooms.set_name_display(classroom, NameDisplay(mode))
    assert names_on_boards(app, assignment) == [EXPECTED_NAMES[mode]] * 3


def test_an_unknown_name_display_is_ignored(app, classroom, assignment, named):
    response = signed_in(app, "tina").post(f"/teach/classes/{classroom.id}/display", data={"name_display": "emoji"})
    assert response.status_code == 302
    db.session.refresh(classroom)
    assert classroom.name_display is NameDisplay.FULL


# --- the class percentage -------------------------------------------------------------------------


def test_a_missed_closed_assignment_counts_as_nothing_of_its_points(app, classroom, tiny_bank):
    """Skipping used to pay: 6.5 of the 8 points attempted showed 81%, above 5 of 20 (25%) for a student
    who did every assignment. Each closed assignment a student missed now counts as 0 of its points."""
    from quizapp.services import standings

    short = assign(classroom, tiny_bank["two-grain"], opens=utcnow() - timedelta(days=9),
                   closes=utcnow() - timedelta(days=1))
    long = assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=9),
                  closes=utcnow() - timedelta(days=1))
    skipper, worker = member(classroom, "sam"), member(classroom, "wyn")
    result(short, skipper, 6.5, max_score=8)
    result(short, worker, 2, max_score=8)
    result(long, worker, 3, max_score=12)
    board = {row.name: row for row in standings.class_board(classroom).rows}
    assert (board["Sam"].score, board["Sam"].max_score, board["Sam"].percentage) == (6.5, 20, 32.5)
    assert (board["Wyn"].score, board["Wyn"].max_score, board["Wyn"].percentage) == (5, 20, 25.0)
    assert "6.5 / 20 (32.5%)" in page(signed_in(app, "wyn").get(f"/classes/{classroom.id}/leaderboard"))


def test_an_open_assignment_not_done_yet_is_not_missed(app, classroom, tiny_bank):
    closed = assign(classroom, tiny_bank["two-grain"], opens=utcnow() - timedelta(days=9),
                    closes=utcnow() - timedelta(days=1))
    assign(classroom, tiny_bank["everything"])  # open for another week
    ana = member(classroom, "ana")
    result(closed, ana, 4, max_score=8)
    from quizapp.services import standings

    (row,) = standings.class_board(classroom).rows
    assert row.max_score == 8 and row.percentage == 50


def test_an_assignment_nobody_did_is_worth_what_its_quiz_asks(app, classroom, tiny_bank):
    """Nobody has a result to say what it was out of: "Everything" asks all six questions, 7 points."""
    done = assign(classroom, tiny_bank["two-grain"], opens=utcnow() - timedelta(days=9),
                  closes=utcnow() - timedelta(days=1))
    assign(classroom, tiny_bank["everything"], opens=utcnow() - timedelta(days=9),
           closes=utcnow() - timedelta(days=1))
    ana = member(classroom, "ana")
    result(done, ana, 3, max_score=3)
    from quizapp.services import standings

    (row,) = standings.class_board(classroom).rows
    assert row.max_score == 3 + 7
