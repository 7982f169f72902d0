"""Scope: every teacher route, found in the URL map (so a route added later is checked too), is the
class's own teacher's alone: another teacher gets 404, a student 403, and a visitor the sign-in page.
Every student route about a class or assignment is for its members (and teacher): others get 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Bank,
    BankShare,
    Classroom,
    LiveGame,
    LivePlayer,
    Membership,
    Question,
    Quiz,
    Role,
    utcnow,
)
from quizapp.services import assignments, attempts, classrooms
from quizapp.services import live_games as live
from quizapp.services.banks import sharing
from tests.support.pages import signed_in

# The class routes the student side must keep to members; the test also finds any others in the URL map.
STUDENT_CLASS_ENDPOINTS = {"student.classroom", "student.class_leaderboard", "student.assignment_leaderboard",
                           "student.start_assignment"}
# Teacher endpoints known today; the test checks every rule in the map, these only guard against finding none.
KNOWN_TEACHER_ENDPOINTS = {"teacher.index", "teacher.classroom", "teacher.regenerate_code", "teacher.name_display",
                           "teacher.remove_member", "teacher.new_assignment", "teacher.assignment",
                           "teacher.answers_csv", "teacher.gradebook_page", "teacher.class_mastery",
                           "teacher.gradebook_csv", "teacher.student", "teacher.class_practice",
                           "teacher.assign_practice_set",
                           "teacher.banks", "teacher.bank", "teacher.copy_bank", "teacher.export_bank",
                           "teacher.import_into_bank", "teacher.new_question", "teacher.edit_question",
                           "teacher.preview_question", "teacher.archive_question",
                           "teacher.edit_bank", "teacher.delete_bank", "teacher.share_bank", "teacher.unshare_bank",
                           "teacher.bulk_questions", "teacher.duplicate_question",
                           "teacher.new_bank_from_article", "teacher.update_from_article", "teacher.review_drafts",
                           "teacher.accept_draft", "teacher.discard_draft", "teacher.accept_all_drafts",
                           "teacher.bank_quizzes", "teacher.new_quiz", "teacher.edit_quiz", "teacher.archive_quiz",
                           "teacher.set_difficulty", "teacher.correct_difficulties",
                           "teacher.new_live_game", "teacher.host_live_game", "teacher.live_game_qr",
                           "teacher.live_games", "teacher.live_game_report", "teacher.live_game_report_csv"}

# Routes that take away what the others need: the own teacher's sweep runs them after every other, in this order.
LAST_ENDPOINTS = ["teacher.archive_question", "teacher.remove_member", "teacher.delete_bank"]


class World:
    """Teacher A (tina) with a class, an assignment, and a student (ana) who has finished an attempt;
    teacher B (otto) with a class of his own; a student in no class (eve); teacher C (sam), with whom
    Tina has shared her bank. Tina hosts a live game with her class, in its lobby, with one player."""

    def __init__(self, make_user, quiz):
        self.tina = make_user("tina", role=Role.TEACHER)
        self.otto = make_user("otto", role=Role.TEACHER)
        self.ana = make_user("ana")
        self.eve = make_user("eve")
        self.classroom = classrooms.create_classroom(self.tina, "Tina's class")
        self.other_classroom = classrooms.create_classroom(self.otto, "Otto's class")
        now = utcnow()
        self.assignment = classrooms.create_assignment(self.classroom, quiz, now - timedelta(days=1),
                                                       now + timedelta(days=1))
        classrooms.join(self.ana, self.classroom.join_code, "Speedy")
        attempt = attempts.start_assignment_attempt(self.ana, self.assignment)
        self.attempt = attempts.finish_attempt(attempt)
        # A later close for ana: an extension her teacher can take back.
        assignments.extend_for_student(self.assignment, self.ana.id, now + timedelta(days=2), None)
        self.quiz = quiz
        self.bank = sharing.copy_bank(quiz.bank, self.tina)
        self.question = db.session.scalars(select(Question).where(Question.bank_id == self.bank.id)).first()
        self.own_quiz = db.session.scalars(select(Quiz).where(Quiz.bank_id == self.bank.id)).first()
        # Teacher C (sam) may read Tina's bank, shared with him, and change nothing of it.
        self.sam = make_user("sam", role=Role.TEACHER)
        sharing.share_bank(self.bank, "sam")
        self.game = live.create_game(self.tina, quiz, classroom=self.classroom)
        live.join(self.game.pin, "Early bird")

    def ids(self) -> dict:
        """What fills each URL parameter: teacher A's class, assignment, student and attempt; under an
        endpoint's name, what that route fills differently."""
        return {"classroom_id": self.classroom.id, "assignment_id": self.assignment.id, "user_id": self.ana.id,
                "attempt_id": self.attempt.id, "bank_id": self.bank.id, "fmt": "yaml",
                "question_id": self.question.id, "quiz_id": self.own_quiz.id, "game_id": self.game.id,
                # accepting a typed answer takes a question the assignment asked
                "teacher.accept_answer": {"question_id": self.attempt.items[0].question_id},
                # so does setting a question's difficulty from the assignment's statistics
                "teacher.set_difficulty": {"question_id": self.attempt.items[0].question_id}}

    def form(self) -> dict[str, str]:
        """A body every teacher form would accept, so a missing scope check shows as a change."""
        return {"name": "Taken over", "name_display": "initials", "quiz_id": str(self.quiz.id),
                "opens_at": "2026-12-01T09:00", "closes_at": "2026-12-08T09:00", "counting": "average",
                "time_limit_minutes": "5", "attempts_allowed": "1",
                "title": "Taken over", "description": "Taken over", "username": "otto",
                "teacher_id": str(self.sam.id), "questions": str(self.question.id), "action": "add_tag",
                "tag": "taken", "profile": "speed", "seconds": "20"}

    def state(self):
        """Everything a teacher route could change about teacher A's class."""
        db.session.expire_all()
        classroom = db.session.get(Classroom, self.classroom.id)
        members = select(Membership.user_id).where(Membership.classroom_id == classroom.id)
        classes = select(func.count()).select_from(Classroom).where(Classroom.teacher_id == self.tina.id)
        return (classroom.name, classroom.join_code, classroom.name_display, db.session.scalars(members).all(),
                db.session.scalar(select(func.count()).select_from(Assignment)), db.session.scalar(classes),
                db.session.scalar(select(func.count()).select_from(Bank)),
                db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == self.bank.id)),
                db.session.execute(select(Question.key, Question.version, Question.archived, Question.prompt)
                                   .where(Question.bank_id == self.bank.id).order_by(Question.id)).all(),
                self.bank_state(), self.quiz_state(), self.live_state())

    def live_state(self):
        """Teacher A's live games and their players, as a host's route could change them."""
        games = db.session.execute(select(LiveGame.id, LiveGame.phase, LiveGame.locked, LiveGame.classroom_id,
                                          LiveGame.position).where(LiveGame.host_id == self.tina.id)
                                   .order_by(LiveGame.id)).all()
        players = db.session.execute(select(LivePlayer.id, LivePlayer.nickname, LivePlayer.removed)
                                     .where(LivePlayer.game_id == self.game.id).order_by(LivePlayer.id)).all()
        return games, players

    def quiz_state(self):
        """The quizzes of teacher A's bank, as the quiz builder could change them."""
        return db.session.execute(select(Quiz.key, Quiz.title, Quiz.archived, Quiz.question_keys, Quiz.count)
                                  .where(Quiz.bank_id == self.bank.id).order_by(Quiz.id)).all()

    def bank_state(self):
        """What a bank route could change about teacher A's bank besides its questions' text."""
        bank = db.session.get(Bank, self.bank.id)
        return (bank.title, bank.description, bank.archived,
                db.session.scalars(select(BankShare.teacher_id).where(BankShare.bank_id == bank.id)).all(),
                db.session.scalars(select(Question.tags).where(Question.bank_id == bank.id)
                                   .order_by(Question.id)).all())


@pytest.fixture
def world(make_user, tiny_bank):
    return World(make_user, tiny_bank["everything"])


def routes(app, prefix: str):
    """(rule, method) for every rule whose endpoint starts with ``prefix``, HEAD and OPTIONS aside."""
    return [(rule, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith(prefix)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def path_for(app, rule, ids: dict) -> str:
    ids = {**ids, **ids.get(rule.endpoint, {})}
    unknown = set(rule.arguments) - set(ids)
    if unknown:
        pytest.fail(f"{rule.rule} takes {sorted(unknown)}: teach this test what to fill them with")
    return app.url_map.bind("localhost").build(rule.endpoint, {a: ids[a] for a in rule.arguments})


def call(client, method, path, world):
    return client.open(path, method=method, data=world.form() if method == "POST" else None)


def teacher_routes(app):
    found = routes(app, "teacher.")
    assert {rule.endpoint for rule, _ in found} >= KNOWN_TEACHER_ENDPOINTS
    # The routes that change things go last, archiving the question, removing the student and deleting the bank
    # very last.
    last = {endpoint: i for i, endpoint in enumerate(LAST_ENDPOINTS, start=1)}
    return sorted(found, key=lambda rm: (rm[1] == "POST", last.get(rm[0].endpoint, 0)))


# --- teacher routes -------------------------------------------------------------------------------


def test_the_classs_own_teacher_reaches_every_teacher_route(app, world):
    """The ids are right: so the 404s below come from the scope checks, not from bad ids."""
    tina = signed_in(app, "tina")
    for rule, method in teacher_routes(app):
        path = path_for(app, rule, world.ids())
        response = call(tina, method, path, world)
        # A form sent without its file is refused as a form error (400), not as someone else's.
        assert response.status_code < 400 or (response.status_code == 400 and method == "POST"), (
            method, path, response.status_code)


def test_another_teacher_gets_404_on_every_teacher_route(app, world):
    before = world.state()
    otto = signed_in(app, "otto")
    for rule, method in teacher_routes(app):
        path = path_for(app, rule, world.ids())
        response = call(otto, method, path, world)
        if rule.arguments:
            assert response.status_code == 404, (method, path, response.status_code)
        else:  # a route about no class in particular shows only the teacher's own
            assert response.status_code < 400, (method, path, response.status_code)
            text = response.get_data(as_text=True)
            assert world.classroom.name not in text.replace("&#39;", "'") and world.classroom.join_code not in text
            assert world.bank.key not in text
    assert world.state() == before


def test_another_teacher_cannot_mix_his_class_with_someone_elses_ids(app, world):
    """Otto's own class, with Tina's student or assignment in the same URL, is still a 404."""
    otto = signed_in(app, "otto")
    ids = {**world.ids(), "classroom_id": world.other_classroom.id}
    checked = 0
    for rule, method in teacher_routes(app):
        if "classroom_id" in rule.arguments and len(rule.arguments) > 1:
            path = path_for(app, rule, ids)
            assert call(otto, method, path, world).status_code == 404, (method, path)
            checked += 1
    assert checked >= 2
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


@pytest.mark.parametrize("username", ["ana", "eve"])
def test_a_student_gets_403_on_every_teacher_route(app, world, username):
    before = world.state()
    client = signed_in(app, username)
    for rule, method in teacher_routes(app):
        path = path_for(app, rule, world.ids())
        assert call(client, method, path, world).status_code == 403, (method, path)
    assert world.state() == before


def test_a_visitor_is_sent_to_sign_in_from_every_teacher_route(app, world):
    before = world.state()
    client = app.test_client()
    for rule, method in teacher_routes(app):
        path = path_for(app, rule, world.ids())
        response = call(client, method, path, world)
        assert response.status_code == 302, (method, path, response.status_code)
        assert response.headers["Location"].startswith("/auth/login"), (method, path)
    assert world.state() == before


# The bank routes a teacher the bank is shared with may use: the pages that read it, and copying it.
SHARED_BANK_READS = {"teacher.bank", "teacher.export_bank", "teacher.preview_question", "teacher.bank_quizzes",
                     "teacher.bank_downloads"}
SHARED_BANK_COPIES = {"teacher.copy_bank"}


def test_a_teacher_a_bank_is_shared_with_reads_it_and_gets_404_on_every_change(app, world):
    before = world.state()
    sam = signed_in(app, "sam")
    checked = 0
    for rule, method in teacher_routes(app):
        if "bank_id" not in rule.arguments or rule.endpoint in SHARED_BANK_COPIES:
            continue  # copying makes a bank of his own: see test_sharing.py
        path = path_for(app, rule, world.ids())
        status = call(sam, method, path, world).status_code
        expected = 200 if rule.endpoint in SHARED_BANK_READS and method == "GET" else 404
        assert status == expected, (method, path, status)
        checked += 1
    assert checked >= 10
    assert world.state() == before


# --- student routes about a class -----------------------------------------------------------------


def class_routes(app):
    """Every student route about a class or an assignment, with the routes that start attempts last."""
    found = [(rule, method) for rule, method in routes(app, "student.")
             if {"classroom_id", "assignment_id"} & set(rule.arguments)]
    assert {rule.endpoint for rule, _ in found} >= STUDENT_CLASS_ENDPOINTS
    return sorted(found, key=lambda rm: rm[1] == "POST")


@pytest.mark.parametrize("username", ["eve", "otto"])
def test_someone_outside_the_class_gets_404_on_its_student_routes(app, world, username):
    client = signed_in(app, username)
    for rule, method in class_routes(app):
        path = path_for(app, rule, world.ids())
        assert call(client, method, path, world).status_code == 404, (method, path)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_a_removed_student_gets_404_on_the_class_routes(app, world):
    classrooms.remove_member(world.classroom, world.ana.id)
    client = signed_in(app, "ana")
    for rule, method in class_routes(app):
        path = path_for(app, rule, world.ids())
        assert call(client, method, path, world).status_code == 404, (method, path)


def test_members_and_the_teacher_reach_the_class_routes(app, world):
    for username in ("ana", "tina"):
        client = signed_in(app, username)
        for rule, method in class_routes(app):
            path = path_for(app, rule, world.ids())
            assert call(client, method, path, world).status_code < 400, (username, method, path)


def test_a_visitor_is_sent_to_sign_in_from_the_class_routes(app, world):
    client = app.test_client()
    for rule, method in class_routes(app):
        response = call(client, method, path_for(app, rule, world.ids()), world)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
