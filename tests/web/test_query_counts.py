"""The hot pages run a fixed number of queries, however many questions an attempt has."""

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.services import attempts
from quizapp.services.banks import loading
from tests.support import ROOT
from tests.support.builders import any_response


def finished_attempt(user, quiz_key):
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == quiz_key))
    attempt = attempts.start_attempt(user, quiz)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, any_response(item))
    attempts.finish_attempt(attempt)
    return attempt


def test_results_and_history_pages_do_not_query_per_question(client, student, count_queries):
    loading.load_files([ROOT / "questions"])
    small = finished_attempt(student, "quick-ten")
    large = finished_attempt(student, "whole-article")
    assert len(large.items) > 4 * len(small.items)
    counts = []
    for attempt in (small, large):
        db.session.expire_all()
        with count_queries() as queries:
            assert client.get(f"/attempts/{attempt.id}/results").status_code == 200
        counts.append(queries.count)
    # Two of them say whether the mistakes may be practised (the quiz's bank, the student's open assignments).
    assert counts[0] == counts[1] and counts[1] <= 12, counts
    with count_queries() as queries:
        client.get("/history")
    assert queries.count <= 6


def test_question_page_and_quiz_list_stay_small(client, student, count_queries):
    loading.load_files([ROOT / "questions"])
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "whole-article"))
    attempt = attempts.start_attempt(student, quiz)
    db.session.expire_all()
    with count_queries() as queries:
        assert client.get(f"/attempts/{attempt.id}").status_code == 200
    assert queries.count <= 10, queries.statements
    with count_queries() as queries:
        assert client.get("/quizzes").status_code == 200
    # One of them reads the school's time zone, for the time the attempt in progress began.
    assert queries.count <= 9, queries.statements


def _class_with_results(make_user, tiny_bank, students: int, prefix: str):
    """A class whose every student has a finished attempt at one assignment."""
    from datetime import timedelta

    from quizapp.models import Role, utcnow
    from quizapp.services import classrooms

    teacher = make_user(f"{prefix}-teacher", role=Role.TEACHER)
    room = classrooms.create_classroom(teacher, f"{prefix} class")
    now = utcnow()
    assignment = classrooms.create_assignment(room, tiny_bank["everything"], now - timedelta(hours=1),
                                              now + timedelta(hours=1))
    members = []
    for n in range(students):
        user = make_user(f"{prefix}-{n}")
        classrooms.join(user, room.join_code)
        attempt = attempts.start_assignment_attempt(user, assignment)
        for item in attempt.items[: n % 7]:
            attempts.record_answer(attempt, item.question_id, any_response(item))
        attempts.finish_attempt(attempt)
        members.append(user)
    return teacher, room, assignment, members


def test_leaderboards_and_gradebook_do_not_query_per_student(app, make_user, tiny_bank, count_queries):
    counts = {}
    for size, prefix in ((3, "small"), (15, "large")):
        teacher, room, assignment, members = _class_with_results(make_user, tiny_bank, size, prefix)
        student_client, teacher_client = app.test_client(), app.test_client()
        student_client.post("/auth/login", data={"username": members[-1].username, "password": "correct horse battery"})
        teacher_client.post("/auth/login", data={"username": teacher.username, "password": "correct horse battery"})
        for name, client, path in (
            ("assignment board", student_client, f"/assignments/{assignment.id}/leaderboard"),
            ("class board", student_client, f"/classes/{room.id}/leaderboard"),
            ("gradebook", teacher_client, f"/teach/classes/{room.id}/gradebook"),
            ("statistics", teacher_client, f"/teach/assignments/{assignment.id}"),
        ):
            db.session.expire_all()
            with count_queries() as queries:
                response = client.get(path)
                assert response.status_code == 200, (name, path, response.text[-800:])
            counts.setdefault(name, []).append(queries.count)
    for name, (small, large) in counts.items():
        assert small == large, (name, small, large)
    assert counts["assignment board"][0] <= 8 and counts["class board"][0] <= 8, counts


def test_the_teachers_class_list_does_not_query_per_class(app, make_user, count_queries):
    from quizapp.models import Role
    from quizapp.services import classrooms
    from tests.support.pages import signed_in

    teacher = make_user("tess", role=Role.TEACHER)
    client = signed_in(app, "tess")
    counts = []
    for total in (2, 6):
        while len(classrooms.taught_classrooms(teacher)) < total:
            classrooms.create_classroom(teacher, f"Class {len(classrooms.taught_classrooms(teacher))}")
        with count_queries() as queries:
            assert client.get("/teach/").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts


def test_the_assignment_form_does_not_query_per_bank(app, make_user, tiny_bank, count_queries):
    from quizapp.models import Bank, Role
    from quizapp.services import classrooms
    from quizapp.services.banks import sharing, visibility
    from tests.support.pages import signed_in

    teacher = make_user("tess", role=Role.TEACHER)
    classroom = classrooms.create_classroom(teacher, "Class")
    bundled = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    client = signed_in(app, "tess")
    counts = []
    for copies in (1, 5):
        while len(visibility.own_banks(teacher)) < copies:
            sharing.copy_bank(bundled, teacher)
        with count_queries() as queries:
            assert client.get(f"/teach/classes/{classroom.id}/assignments/new").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts


def _answer_queries(client, headers, attempt_id, items, count_queries) -> list[int]:
    """The statements each POST /api/v1/attempts/{id}/answers runs, one answer per item."""
    counts = []
    for item in items:
        body = {"question_id": item.question_id, "response": any_response(item)}
        with count_queries() as queries:
            response = client.post(f"/api/v1/attempts/{attempt_id}/answers", json=body, headers=headers)
            assert response.status_code == 201, response.get_json()
        counts.append(queries.count)
    return counts


def test_an_api_answer_runs_four_statements_however_long_the_attempt(client, make_user, count_queries):
    """One read of the token with its user, the attempt and the item with any answer already given, the
    student's practice card for the question and the answer times its rating compares with; the insert
    that only lands while the attempt is open and before its deadline; the card's upsert and its review's
    insert; then the commit: five round trips (bench/answers.py times this path, bench/practice.py what the
    card adds). Before practice it was two statements; before that, five: the token, the attempt, the
    item, the insert, and the check that the attempt was still open."""
    from quizapp.models import Attempt
    from tests.support import PASSWORD

    loading.load_files([ROOT / "questions"])
    make_user("ana")
    token = client.post("/api/v1/tokens", auth=("ana", PASSWORD)).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    counts = {}
    for key in ("quick-ten", "whole-article"):
        quiz = db.session.scalar(select(Quiz).where(Quiz.key == key))
        attempt_id = client.post(f"/api/v1/quizzes/{quiz.id}/attempts", headers=headers).get_json()["id"]
        items = db.session.get(Attempt, attempt_id).items
        counts[key] = _answer_queries(client, headers, attempt_id, items[:2] + items[-2:], count_queries)
    assert counts == {"quick-ten": [4] * 4, "whole-article": [4] * 4}, counts


def test_an_api_answer_to_an_assignment_stays_small(app, make_user, tiny_bank, count_queries):
    """An assignment's attempt adds only the assignment and the student's limits, which say whether the key
    may be shown (the class membership is in the one read), beside the card's two writes. It was eight
    statements before practice."""
    from datetime import timedelta

    from quizapp.models import Attempt, Role, utcnow
    from quizapp.services import classrooms
    from tests.support import PASSWORD

    teacher = make_user("tess", role=Role.TEACHER)
    room = classrooms.create_classroom(teacher, "Class")
    now = utcnow()
    assignment = classrooms.create_assignment(room, tiny_bank["everything"], now - timedelta(hours=1),
                                              now + timedelta(hours=1), attempts_allowed=2)
    student = make_user("ana")
    classrooms.join(student, room.join_code)
    client = app.test_client()
    token = client.post("/api/v1/tokens", auth=("ana", PASSWORD)).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    attempt_id = client.post(f"/api/v1/assignments/{assignment.id}/attempts", headers=headers).get_json()["id"]
    items = db.session.get(Attempt, attempt_id).items
    counts = _answer_queries(client, headers, attempt_id, items, count_queries)
    assert counts == [6] * len(items), counts


def _classes_with_work(make_user, tiny_bank, student, classes: int, prefix: str):
    """``classes`` more classes for ``student``, each of a teacher of its own (one teacher for all when
    ``prefix`` names one), with an open assignment they finished, one in progress, an upcoming and a missed
    one."""
    from datetime import timedelta

    from quizapp.models import Role, utcnow
    from quizapp.services import classrooms

    now = utcnow()
    teacher = make_user(f"{prefix}-teacher", role=Role.TEACHER)
    for n in range(classes):
        room = classrooms.create_classroom(teacher, f"{prefix} class {n}")
        classrooms.join(student, room.join_code)
        other = make_user(f"{prefix}-{n}")
        classrooms.join(other, room.join_code)
        quiz = tiny_bank["everything"]
        done = classrooms.create_assignment(room, quiz, now - timedelta(days=1), now + timedelta(days=1))
        going = classrooms.create_assignment(room, quiz, now - timedelta(days=1), now + timedelta(days=2))
        classrooms.create_assignment(room, quiz, now + timedelta(days=1), now + timedelta(days=2))
        classrooms.create_assignment(room, quiz, now - timedelta(days=3), now - timedelta(days=1))
        for user in (student, other):
            attempts.finish_attempt(attempts.start_assignment_attempt(user, done))
        attempts.start_assignment_attempt(student, going)
    return teacher


def test_the_home_pages_do_not_query_per_class_assignment_or_attempt(app, make_user, tiny_bank, count_queries):
    from tests.support.pages import signed_in

    student = make_user("ana")
    client = signed_in(app, "ana")
    student_counts, teacher_counts = [], []
    for classes, prefix in ((1, "small"), (4, "large")):
        teacher = _classes_with_work(make_user, tiny_bank, student, classes, prefix)
        teacher_client = signed_in(app, teacher.username)
        db.session.expire_all()
        with count_queries() as queries:
            assert client.get("/").status_code == 200
        student_counts.append(queries.count)
        db.session.expire_all()
        with count_queries() as queries:
            assert teacher_client.get("/teach/").status_code == 200
        teacher_counts.append(queries.count)
    assert student_counts[0] == student_counts[1], student_counts
    assert teacher_counts[0] == teacher_counts[1], teacher_counts
    # Each page reads the school's time zone once; the student's also reads her extensions, once for all.
    assert student_counts[0] <= 22 and teacher_counts[0] <= 13, (student_counts, teacher_counts)
