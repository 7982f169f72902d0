"""The authorization matrix: every route of the app's own URL map, for five people, with the status each
gets. A route added later without its row fails ``test_every_route_has_a_row``; a row whose route is gone
fails it too.

The five: a visitor (``anon``), a student of teacher A's class (``student``, ana, who has a finished
assignment attempt and an unfinished practice one), a student of teacher B's class only (``outsider``, bob),
teacher A (``teacher``, tina: the class, the assignment, an own bank with a quiz, a question and a draft, and
a live game in its lobby with one player) and teacher B (``other``, otto, with a class of his own). Pages are
requested signed in with a session; the API with each person's bearer token (the visitor sends none). Every
POST carries a body the route would accept, so a missing check shows as a change; after every refused
request the whole database is compared with what it was before.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Question, Quiz, Role, utcnow
from quizapp.services import attempts, classrooms, practice, users
from quizapp.services import live_games as live
from quizapp.services.banks import authoring, sharing
from tests.support import DATA, PASSWORD
from tests.support.api_client import basic, bearer
from tests.support.builders import any_response
from tests.support.pages import signed_in

ROLES = ("anon", "student", "outsider", "teacher", "other")

# A status, or LOGIN: a redirect to the sign-in page and back (what a visitor gets from a page that needs an
# account).
LOGIN = "login"
# Left out of the matrix, with the reason.
EXCLUDED = {"static": "serves the app's CSS and scripts to anyone; no data, no state"}

# fmt: off
#                                                     anon student outsider teacher other
MATRIX: dict[tuple[str, str], tuple] = {
    # --- api ---
    ("api.assignment_answers", "GET"):                  (  401,   404,   404,   200,   404),
    ("api.assignment_leaderboard", "GET"):              (  401,   200,   404,   200,   404),
    ("api.assignment_statistics", "GET"):               (  401,   404,   404,   200,   404),
    # the API serves attempts to their owner only:
    ("api.attempt_result", "GET"):                      (  401,   200,   403,   403,   403),
    ("api.class_gradebook", "GET"):                     (  401,   404,   404,   200,   404),
    ("api.class_leaderboard", "GET"):                   (  401,   200,   404,   200,   404),
    ("api.create_token", "POST"):                       (  401,   201,   201,   201,   201),
    # the token is ana's (anyone else's use of it is a bad token), and the question shown is of the
    # assignment still open for her: its key is withheld:
    ("api.create_review", "POST"):                      (  401,   403,   400,   400,   400),
    ("api.current_question", "GET"):                    (  401,   200,   403,   403,   403),
    # everyone practises their own cards:
    ("api.due_reviews", "GET"):                         (  401,   200,   200,   200,   200),
    ("api.finish_attempt", "POST"):                     (  401,   200,   403,   403,   403),
    ("api.get_attempt", "GET"):                         (  401,   200,   403,   403,   403),
    # otto teaches the class he is sent the code of:
    ("api.join_class", "POST"):                         (  401,   201,   201,   201,   409),
    ("api.list_classes", "GET"):                        (  401,   200,   200,   200,   200),
    ("api.list_quizzes", "GET"):                        (  401,   200,   200,   200,   200),
    ("api.openapi", "GET"):                             (  200,   200,   200,   200,   200),
    ("api.progress", "GET"):                            (  401,   200,   200,   200,   200),
    # ana's practice review: only she rates it; anyone else's is not found:
    # ana's own review, refused while an assignment set since can ask its question (key_secrecy).
    ("api.rate_review", "PUT"):                         (  401,   403,   404,   404,   404),
    # tina is no member of her class:
    ("api.start_assignment_attempt", "POST"):           (  401,   201,   404,   409,   404),
    # the quiz is of tina's own bank: hers to practise:
    ("api.start_attempt", "POST"):                      (  401,   404,   404,   201,   404),
    ("api.submit_answer", "POST"):                      (  401,   201,   403,   403,   403),
    # --- auth ---
    ("auth.login", "GET"):                              (  200,   302,   302,   302,   302),
    ("auth.login", "POST"):                             (  302,   302,   302,   302,   302),
    # signed-in people are signed out and sent to sign in:
    ("auth.logout", "POST"):                            (LOGIN,   302,   302,   302,   302),
    ("auth.account", "GET"):                            (LOGIN,   200,   200,   200,   200),
    ("auth.account", "POST"):                           (LOGIN,   302,   302,   302,   302),
    ("auth.change_password", "POST"):                   (LOGIN,   302,   302,   302,   302),
    # only an account given a one-time password chooses one here; the others are sent to their account page:
    ("auth.choose_password", "GET"):                    (LOGIN,   302,   302,   302,   302),
    ("auth.choose_password", "POST"):                   (LOGIN,   302,   302,   302,   302),
    # any teacher chooses the school's time zone:
    ("auth.school_time_zone", "GET"):                   (LOGIN,   403,   403,   200,   200),
    ("auth.school_time_zone", "POST"):                  (LOGIN,   403,   403,   302,   302),
    ("auth.register", "GET"):                           (  200,   302,   302,   302,   302),
    ("auth.register", "POST"):                          (  302,   302,   302,   302,   302),
    # --- live games: the players' side ---
    ("live.join", "GET"):                               (  200,   200,   200,   200,   200),
    # anyone with the PIN joins (no account needed; a signed-in student plays as herself):
    ("live.join", "POST"):                              (  302,   302,   302,   302,   302),
    # nobody here holds the game's player cookie: back to joining, whoever is signed in:
    ("live.play", "GET"):                               (  302,   302,   302,   302,   302),
    # --- student ---
    ("student.answer", "POST"):                         (LOGIN,   302,   403,   403,   403),
    ("student.assignment_leaderboard", "GET"):          (LOGIN,   200,   404,   200,   404),
    ("student.attempt", "GET"):                         (LOGIN,   200,   403,   403,   403),
    ("student.class_leaderboard", "GET"):               (LOGIN,   200,   404,   200,   404),
    ("student.classes", "GET"):                         (LOGIN,   200,   200,   200,   200),
    # the class's teacher is sent to her own page of it:
    ("student.classroom", "GET"):                       (LOGIN,   200,   404,   302,   404),
    ("student.feedback", "GET"):                        (LOGIN,   200,   403,   403,   403),
    ("student.finish", "POST"):                         (LOGIN,   302,   403,   403,   403),
    # ana's finished attempt is at an assignment still open: back to her results, with why.
    ("student.practise_mistakes", "POST"):              (LOGIN,   302,   403,   403,   403),
    # spaced practice is everyone's own: the sealed question is answered as whoever sends it (ana's and bob's
    # keys are held back by their open assignments, so they are told and sent on), the teachers practise it:
    ("student.practice_answer", "POST"):                (LOGIN,   302,   302,   302,   302),
    # ana's own practice answer, whose key her open assignment holds back since (key_secrecy): refused.
    ("student.practice_feedback", "GET"):               (LOGIN,   403,   404,   404,   404),
    # nothing to practise but ana's held-back card: back to the practice page, with why:
    ("student.practice_question", "GET"):               (LOGIN,   302,   302,   302,   302),
    ("student.practice_rate", "POST"):                  (LOGIN,   403,   404,   404,   404),
    ("student.practice_settings", "GET"):               (LOGIN,   200,   200,   200,   200),
    ("student.practice_settings", "POST"):              (LOGIN,   302,   302,   302,   302),
    ("student.practice_today", "GET"):                  (LOGIN,   200,   200,   200,   200),
    ("student.progress", "GET"):                        (LOGIN,   200,   200,   200,   200),
    ("student.history", "GET"):                         (LOGIN,   200,   200,   200,   200),
    # a student's To do; a teacher is sent to the Teaching page:
    ("student.index", "GET"):                           (  200,   200,   200,   302,   302),
    ("student.join", "GET"):                            (LOGIN,   200,   200,   200,   200),
    # otto teaches the class he is sent the code of:
    ("student.join", "POST"):                           (LOGIN,   302,   302,   302,   400),
    ("student.quizzes", "GET"):                         (LOGIN,   200,   200,   200,   200),
    # the class's teacher reads her students' results:
    ("student.results", "GET"):                         (LOGIN,   200,   403,   200,   403),
    # the quiz is of tina's own bank: hers to practise:
    ("student.start", "POST"):                          (LOGIN,   404,   404,   302,   404),
    ("student.start_assignment", "POST"):               (LOGIN,   302,   404,   302,   404),
    # --- teacher ---
    # the assignment's question is of a bundled bank: tina is told why it cannot change, nothing changes:
    ("teacher.accept_answer", "POST"):                  (LOGIN,   403,   403,   302,   404),
    ("teacher.accept_all_drafts", "POST"):              (LOGIN,   403,   403,   302,   404),
    ("teacher.accept_draft", "POST"):                   (LOGIN,   403,   403,   302,   404),
    # the accounts made and their one-time passwords are shown once, in the reply:
    ("teacher.add_students", "GET"):                    (LOGIN,   403,   403,   200,   404),
    ("teacher.add_students", "POST"):                   (LOGIN,   403,   403,   200,   404),
    ("teacher.answers_csv", "GET"):                     (LOGIN,   403,   403,   200,   404),
    ("teacher.archive_question", "POST"):               (LOGIN,   403,   403,   302,   404),
    ("teacher.archive_quiz", "POST"):                   (LOGIN,   403,   403,   302,   404),
    ("teacher.assignment", "GET"):                      (LOGIN,   403,   403,   200,   404),
    ("teacher.bank", "GET"):                            (LOGIN,   403,   403,   200,   404),
    ("teacher.bank_downloads", "GET"):                  (LOGIN,   403,   403,   200,   404),
    ("teacher.bank_quizzes", "GET"):                    (LOGIN,   403,   403,   200,   404),
    ("teacher.banks", "GET"):                           (LOGIN,   403,   403,   200,   200),
    ("teacher.bulk_questions", "POST"):                 (LOGIN,   403,   403,   302,   404),
    ("teacher.classroom", "GET"):                       (LOGIN,   403,   403,   200,   404),
    ("teacher.close_assignment", "POST"):               (LOGIN,   403,   403,   302,   404),
    ("teacher.copy_bank", "POST"):                      (LOGIN,   403,   403,   302,   404),
    # the assignment's questions are of a bundled bank: tina is told none can change, nothing changes:
    ("teacher.correct_difficulties", "POST"):           (LOGIN,   403,   403,   302,   404),
    # ana has answered it: it is archived, not deleted
    ("teacher.delete_assignment", "POST"):              (LOGIN,   403,   403,   302,   404),
    ("teacher.delete_bank", "GET"):                     (LOGIN,   403,   403,   200,   404),
    ("teacher.delete_bank", "POST"):                    (LOGIN,   403,   403,   302,   404),
    ("teacher.discard_draft", "POST"):                  (LOGIN,   403,   403,   302,   404),
    ("teacher.duplicate_question", "POST"):             (LOGIN,   403,   403,   302,   404),
    ("teacher.edit_assignment", "GET"):                 (LOGIN,   403,   403,   200,   404),
    ("teacher.edit_assignment", "POST"):                (LOGIN,   403,   403,   302,   404),
    ("teacher.edit_bank", "GET"):                       (LOGIN,   403,   403,   200,   404),
    ("teacher.edit_bank", "POST"):                      (LOGIN,   403,   403,   302,   404),
    ("teacher.edit_question", "GET"):                   (LOGIN,   403,   403,   200,   404),
    ("teacher.edit_question", "POST"):                  (LOGIN,   403,   403,   302,   404),
    ("teacher.edit_quiz", "GET"):                       (LOGIN,   403,   403,   200,   404),
    ("teacher.edit_quiz", "POST"):                      (LOGIN,   403,   403,   302,   404),
    ("teacher.extend_for_class", "POST"):               (LOGIN,   403,   403,   302,   404),
    ("teacher.extend_for_student", "POST"):             (LOGIN,   403,   403,   302,   404),
    ("teacher.extensions", "GET"):                      (LOGIN,   403,   403,   200,   404),
    ("teacher.export_bank", "GET"):                     (LOGIN,   403,   403,   200,   404),
    ("teacher.gradebook_csv", "GET"):                   (LOGIN,   403,   403,   200,   404),
    ("teacher.gradebook_page", "GET"):                  (LOGIN,   403,   403,   200,   404),
    ("teacher.host_live_game", "GET"):                  (LOGIN,   403,   403,   200,   404),
    ("teacher.class_mastery", "GET"):                   (LOGIN,   403,   403,   200,   404),
    ("teacher.class_practice", "GET"):                  (LOGIN,   403,   403,   200,   404),
    # tina's own bank, which nobody has practised: she is told why no set was made, nothing changes:
    ("teacher.assign_practice_set", "POST"):            (LOGIN,   403,   403,   302,   404),
    ("teacher.import_into_bank", "GET"):                (LOGIN,   403,   403,   200,   404),
    # an upload shows what importing it would do (nothing written until it is confirmed):
    ("teacher.import_into_bank", "POST"):               (LOGIN,   403,   403,   200,   404),
    ("teacher.index", "GET"):                           (LOGIN,   403,   403,   200,   200),
    ("teacher.live_game_qr", "GET"):                    (LOGIN,   403,   403,   200,   404),
    ("teacher.live_game_report", "GET"):                (LOGIN,   403,   403,   200,   404),
    ("teacher.live_game_report_csv", "GET"):            (LOGIN,   403,   403,   200,   404),
    # each teacher lists his own games:
    ("teacher.live_games", "GET"):                      (LOGIN,   403,   403,   200,   200),
    # each teacher makes a class of his own:
    ("teacher.index", "POST"):                          (LOGIN,   403,   403,   302,   302),
    ("teacher.name_display", "POST"):                   (LOGIN,   403,   403,   302,   404),
    ("teacher.new_assignment", "GET"):                  (LOGIN,   403,   403,   200,   404),
    ("teacher.new_assignment", "POST"):                 (LOGIN,   403,   403,   302,   404),
    ("teacher.new_bank_from_article", "GET"):           (LOGIN,   403,   403,   200,   200),
    # each teacher makes a bank of his own:
    ("teacher.new_bank_from_article", "POST"):          (LOGIN,   403,   403,   302,   302),
    # any teacher hosts a game; otto is sent tina's class to play with, which is no choice of his:
    ("teacher.new_live_game", "GET"):                   (LOGIN,   403,   403,   200,   200),
    ("teacher.new_live_game", "POST"):                  (LOGIN,   403,   403,   302,   400),
    ("teacher.new_question", "GET"):                    (LOGIN,   403,   403,   200,   404),
    ("teacher.new_question", "POST"):                   (LOGIN,   403,   403,   302,   404),
    ("teacher.new_quiz", "GET"):                        (LOGIN,   403,   403,   200,   404),
    ("teacher.new_quiz", "POST"):                       (LOGIN,   403,   403,   302,   404),
    ("teacher.preview_question", "GET"):                (LOGIN,   403,   403,   200,   404),
    ("teacher.regenerate_code", "POST"):                (LOGIN,   403,   403,   302,   404),
    # ana's extension, given earlier in the sweep:
    ("teacher.remove_extension", "POST"):               (LOGIN,   403,   403,   302,   404),
    ("teacher.remove_member", "POST"):                  (LOGIN,   403,   403,   302,   404),
    # restoring what is not archived changes nothing, and goes back to the class:
    ("teacher.restore_assignment", "POST"):             (LOGIN,   403,   403,   302,   404),
    # the one-time password is shown once, in the reply:
    ("teacher.reset_password", "POST"):                 (LOGIN,   403,   403,   200,   404),
    ("teacher.review_drafts", "GET"):                   (LOGIN,   403,   403,   200,   404),
    # the question is of a bundled bank: tina is told why its difficulty cannot change, nothing changes:
    ("teacher.set_difficulty", "POST"):                 (LOGIN,   403,   403,   302,   404),
    ("teacher.share_bank", "GET"):                      (LOGIN,   403,   403,   200,   404),
    ("teacher.share_bank", "POST"):                     (LOGIN,   403,   403,   302,   404),
    ("teacher.student", "GET"):                         (LOGIN,   403,   403,   200,   404),
    ("teacher.unshare_bank", "POST"):                   (LOGIN,   403,   403,   302,   404),
    ("teacher.update_from_article", "GET"):             (LOGIN,   403,   403,   200,   404),
    ("teacher.update_from_article", "POST"):            (LOGIN,   403,   403,   200,   404),
}
# fmt: on

# Routes that take away what the others need: each person's sweep runs them after every other, in this order.
# Signing out (and in) comes very last, since it ends the session the sweep runs in.
LAST = ["student.answer", "api.submit_answer", "api.finish_attempt", "student.finish",
        "teacher.archive_question", "teacher.discard_draft", "teacher.archive_quiz", "teacher.close_assignment",
        "teacher.delete_assignment", "teacher.remove_member",
        "teacher.accept_all_drafts", "teacher.update_from_article", "teacher.delete_bank",
        "student.join", "api.join_class", "auth.change_password", "auth.register", "auth.login", "auth.logout"]


class World:
    def __init__(self, make_user, tiny_bank):
        self.tina = make_user("tina", role=Role.TEACHER)
        self.otto = make_user("otto", role=Role.TEACHER)
        self.ana = make_user("ana")
        self.bob = make_user("bob")
        self.classroom = classrooms.create_classroom(self.tina, "Tina's class")
        self.other_classroom = classrooms.create_classroom(self.otto, "Otto's class")
        # A class anyone may join with its code: what the join routes are sent.
        self.open_classroom = classrooms.create_classroom(self.otto, "Open class")
        self.api_open_classroom = classrooms.create_classroom(self.otto, "Open class, for the API")
        # Ana practised a question before she joined the class: her practice answer, which only she may read
        # or rate, and which her open assignment holds back once it is set. The token is a question shown to
        # her on the practice page, for the sweeps (page and API) to answer: held back too.
        opened = db.session.scalar(select(Question).where(Question.key == "opened"))
        shown = practice.show(self.ana, practice.QueueItem(opened, None))
        self.review_id = practice.answer(self.ana, shown, ["1"]).review.id
        council = db.session.scalar(select(Question).where(Question.key == "council"))
        self.practice_token = practice.seal(practice.show(self.ana, practice.QueueItem(council, None)),
                                            current_app.secret_key)
        self.review_question_id = opened.id
        classrooms.join(self.ana, self.classroom.join_code, "Speedy")
        classrooms.join(self.bob, self.other_classroom.join_code, "Bobby")
        practised = db.session.get(Question, self.review_question_id)
        now = utcnow()
        self.assignment = classrooms.create_assignment(self.classroom, tiny_bank["everything"],
                                                       now - timedelta(days=1), now + timedelta(days=1))
        self.other_assignment = classrooms.create_assignment(self.other_classroom, tiny_bank["everything"],
                                                             now - timedelta(days=1), now + timedelta(days=1))
        finished = attempts.start_assignment_attempt(self.ana, self.assignment)
        first = next(item for item in finished.items if item.question_id != practised.id)  # not its card
        self.position = first.position
        attempts.record_answer(finished, first.question_id, any_response(first))
        self.finished = attempts.finish_attempt(finished)
        self.asked_id = first.question_id  # asked by the assignment: to accept a typed answer to, to refile
        self.open_attempt = attempts.start_attempt(self.ana, tiny_bank["two-grain"])
        self.bank = sharing.copy_bank(tiny_bank["everything"].bank, self.tina)
        questions = db.session.scalars(select(Question).where(Question.bank_id == self.bank.id)
                                       .order_by(Question.id)).all()
        # Three drafts: one to accept, one to discard, one left for "accept all".
        self.question, self.draft, self.discarded = questions[0], questions[-1], questions[-2]
        for draft in questions[-3:]:
            draft.draft = True
        db.session.commit()
        self.quiz = db.session.scalars(select(Quiz).where(Quiz.bank_id == self.bank.id).order_by(Quiz.id)).first()
        # Kept as plain values: the sweeps delete some of these rows. The page and the API answer one each.
        self.answer, self.api_answer = ({"question_id": item.question_id, "response": any_response(item)}
                                        for item in self.open_attempt.items[:2])
        self.question_id, self.question_key, self.draft_id, self.discarded_id = (
            self.question.id, self.question.key, self.draft.id, self.discarded.id)
        self.question_form = authoring.form_data(self.question)
        # Tina's live game with her class, in its lobby, with a player: of a bundled quiz, which otto may host
        # too, and not the assigned one (whose page is headed by the quiz's title too).
        self.live_quiz_id = tiny_bank["two-grain"].id
        self.game = live.create_game(self.tina, tiny_bank["two-grain"], classroom=self.classroom)
        live.join(self.game.pin, "Early bird")
        self.game_id, self.pin = self.game.id, self.game.pin
        self.tokens = {role: users.issue_token(user, timedelta(hours=1))[0] for role, user in self.people().items()}

    def people(self):
        return {"student": self.ana, "outsider": self.bob, "teacher": self.tina, "other": self.otto}

    def ids(self, endpoint: str) -> dict:
        """What fills each URL parameter: teacher A's class and things, and ana's attempts."""
        open_attempt = endpoint in {"student.attempt", "student.answer", "student.finish", "api.current_question",
                                    "api.submit_answer", "api.finish_attempt"}
        question_id = {"teacher.accept_draft": self.draft_id,
                       "teacher.discard_draft": self.discarded_id,
                       "teacher.accept_answer": self.asked_id,
                       "teacher.set_difficulty": self.asked_id}.get(endpoint, self.question_id)
        return {"classroom_id": self.classroom.id, "assignment_id": self.assignment.id, "user_id": self.ana.id,
                "attempt_id": (self.open_attempt if open_attempt else self.finished).id, "position": self.position,
                "bank_id": self.bank.id, "fmt": "yaml", "question_id": question_id,
                "quiz_id": self.quiz.id, "game_id": self.game_id, "review_id": self.review_id}

    def form(self, endpoint: str) -> dict:
        """A body the route would accept from the right person."""
        common = {"name": "Taken over", "name_display": "initials", "quiz_id": str(self.quiz.id),
                  "opens_at": "2026-12-01T09:00", "closes_at": "2026-12-08T09:00", "counting": "average",
                  "time_limit_minutes": "5", "attempts_allowed": "1", "title": "Taken over",
                  "description": "Taken over", "username": "otto", "teacher_id": str(self.otto.id),
                  "questions": str(self.question_id), "action": "add_tag", "tag": "taken",
                  "code": self.open_classroom.join_code, "nickname": "Sneaky", "answer": "Taken over",
                  "names": "Newcomer One\nNewcomer Two", "time_zone": "Europe/Paris", "pin": self.pin,
                  **self.answer}
        special = {
            "teacher.edit_question": lambda: {**self.question_form, "prompt": "Taken over?"},
            "teacher.new_question": lambda: {**self.question_form, "id": "taken-over"},
            "teacher.new_quiz": lambda: {"mode": "pick", "questions": self.question_key, "feedback": "after_each"},
            "teacher.edit_quiz": lambda: {"mode": "pick", "questions": self.question_key, "feedback": "after_each"},
            # the quiz ana has started stays; a later close and one more attempt for her:
            "teacher.edit_assignment": lambda: {"opens_at": "2026-12-01T09:00", "closes_at": "2030-12-08T09:00",
                                                "counting": "average", "attempts_allowed": "1"},
            "teacher.extend_for_class": lambda: {"closes_at": "2031-12-08T09:00"},
            "teacher.set_difficulty": lambda: {"difficulty": "3"},
            "teacher.extend_for_student": lambda: {"user_id": str(self.ana.id), "closes_at": "", "extra_attempts": "1"},
            "teacher.import_into_bank": lambda: {
                "file": (io.BytesIO(b"::taken:: Taken over? {T}\n"), "taken.gift"), "format": "gift",
                "source": "section 1"},
            "teacher.new_bank_from_article": lambda: {"text": (DATA / "articles" / "harbour.txt").read_text(),
                                                      "confirm": "Create"},
            "teacher.update_from_article": lambda: {"text": (DATA / "articles" / "harbour.txt").read_text(),
                                                    "confirm": "Update"},
            "teacher.new_live_game": lambda: {"quiz_id": str(self.live_quiz_id), "classroom_id": str(self.classroom.id),
                                              "profile": "speed", "seconds": "20", "double": "1, 2",
                                              "blocked": "sneaky"},
            "student.practice_answer": lambda: {"token": self.practice_token, "mode": "due", "response": "true"},
            "student.practice_rate": lambda: {"rating": "hard", "mode": "due"},
            "student.practice_settings": lambda: {"new_per_day": "5", "reviews_per_day": "50"},
            "auth.login": lambda: {"username": "otto", "password": PASSWORD},
            "auth.account": lambda: {"display_name": "Renamed"},
            # The same password again: the sweep goes on signing in with it.
            "auth.change_password": lambda: {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD},
            "auth.choose_password": lambda: {"password": PASSWORD, "confirm": PASSWORD},
            "auth.register": lambda: {"username": "newcomer", "display_name": "New", "password": PASSWORD,
                                      "confirm": PASSWORD},
        }
        return {**common, **special.get(endpoint, dict)()}

    def api_body(self, endpoint: str) -> dict | None:
        return {"api.submit_answer": self.api_answer,
                "api.create_review": {"token": self.practice_token, "response": ["true"]},
                "api.rate_review": {"rating": "easy"},
                "api.join_class": {"code": self.api_open_classroom.join_code, "nickname": "Sneaky"}}.get(endpoint)


def snapshot() -> dict:
    """Every row of every table."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {table.name: sorted(map(tuple, connection.execute(table.select()).all()), key=repr)
                for table in db.metadata.sorted_tables}


def rows(app):
    """(endpoint, method) for every rule of the URL map, HEAD and OPTIONS aside."""
    return sorted((rule.endpoint, method) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def rules_by_endpoint(app):
    return {rule.endpoint: rule for rule in app.url_map.iter_rules()}


def test_every_route_has_a_row(app):
    found = {(endpoint, method) for endpoint, method in rows(app) if endpoint not in EXCLUDED}
    missing = sorted(found - MATRIX.keys())
    gone = sorted(MATRIX.keys() - found)
    assert not missing, "routes without a row in MATRIX (add what each person should get):\n" + "\n".join(
        f'    ("{m}", "{e}"): (...),' for e, m in missing)
    assert not gone, f"rows in MATRIX for routes that no longer exist: {gone}"
    assert all(len(statuses) == len(ROLES) for statuses in MATRIX.values())


def sweep_order(app):
    last = {endpoint: i for i, endpoint in enumerate(LAST, start=1)}
    return sorted(((e, m) for e, m in rows(app) if e not in EXCLUDED),
                  key=lambda em: (last.get(em[0], 0), em[1] == "POST", em))


def request(app, client, world, role, endpoint, method):
    rule = rules_by_endpoint(app)[endpoint]
    ids = world.ids(endpoint)
    path = app.url_map.bind("localhost").build(endpoint, {a: ids[a] for a in rule.arguments})
    if rule.rule.startswith("/api/"):
        if endpoint == "api.create_token":
            headers = basic(world.people()[role].username, PASSWORD) if role != "anon" else {}
        else:
            headers = bearer(world.tokens[role]) if role != "anon" else {}
        return app.test_client().open(path, method=method, headers=headers,
                                      json=world.api_body(endpoint) if method in ("POST", "PUT") else None)
    if role == "anon":  # a visitor keeps no session: signing up or in must not change the next request
        client = app.test_client()
    return client.open(path, method=method, data=world.form(endpoint) if method == "POST" else None)


def outcome(response):
    if response.status_code == 302 and response.headers["Location"].startswith("/auth/login?next="):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_person_gets_what_the_matrix_says(app, make_user, tiny_bank, role):
    world = World(make_user, tiny_bank)
    client = app.test_client() if role == "anon" else signed_in(app, world.people()[role].username)
    column = ROLES.index(role)
    wrong, changed = [], []
    for endpoint, method in sweep_order(app):
        expected = MATRIX[endpoint, method][column] if (endpoint, method) in MATRIX else "?"
        refused = expected == LOGIN or (isinstance(expected, int) and expected >= 400)
        before = snapshot() if refused else None
        got = outcome(request(app, client, world, role, endpoint, method))
        if got != expected:
            wrong.append(f"{method} {endpoint}: expected {expected}, got {got}")
        if refused and snapshot() != before:
            changed.append(f"{method} {endpoint}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    assert not changed, f"{role}: refused requests changed the database: {changed}"
