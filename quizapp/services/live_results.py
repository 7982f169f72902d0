"""A finished live game's answers, kept where the rest of the app reads answers.

Each signed-in student's answers become one finished attempt at the game's quiz, with the questions as
the game asked them and the answers as they were counted: the student's history, mastery per key point,
the item statistics read them as they read any attempt, and each answer reviews the student's practice
card for its question (``practice``). A game played with a class also
becomes a closed assignment of that class (open from the game's start to its end, one attempt), so the
gradebook, the class's leaderboards and its statistics count it; a student who is not in the class keeps
the attempt as practice. Guests (no account) stay in the game's own report only.

The game's own points (speed, streaks) are the game's: the attempt counts each question's points as a
quiz does (the question's points times its score), so a live game and a quiz of the same questions give
the same result.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Answer, Attempt, AttemptItem, LiveAnswer, LiveGame, LivePlayer, Membership
from quizapp.models import Feedback as FeedbackMode
from quizapp.services import practice
from quizapp.services.classrooms import create_assignment
from quizapp.services.results import refresh_result


def record(game: LiveGame) -> list[Attempt]:
    """Keep the finished game's answers (see the module's docstring), in the caller's unit of work; the
    attempts made."""
    players = list(db.session.scalars(select(LivePlayer).where(
        LivePlayer.game_id == game.id, LivePlayer.user_id.is_not(None), LivePlayer.removed.is_(False))))
    answers: dict[int, list[LiveAnswer]] = {}
    for answer in db.session.scalars(select(LiveAnswer).where(LiveAnswer.game_id == game.id)
                                     .order_by(LiveAnswer.position)):
        answers.setdefault(answer.player_id, []).append(answer)
    players = [p for p in players if p.id in answers]
    if not players or not game.position:
        return []
    played = [q for q in game.questions if q.position <= game.position]
    if game.classroom is not None and game.assignment is None:
        game.assignment = create_assignment(game.classroom, game.quiz, game.created_at,
                                            max(game.finished_at, game.created_at + timedelta(seconds=1)),
                                            attempts_allowed=1)
        db.session.flush()
    members = set() if game.assignment is None else set(db.session.scalars(
        select(Membership.user_id).where(Membership.classroom_id == game.classroom_id)))
    made = []
    for player in players:
        in_class = player.user_id in members
        attempt = Attempt(quiz_id=game.quiz_id, user_id=player.user_id, started_at=game.created_at,
                          finished_at=game.finished_at, feedback=FeedbackMode.AFTER_EACH,
                          assignment_id=game.assignment_id if in_class else None, number=1 if in_class else None,
                          max_score=float(sum(q.points for q in played)))
        points = {q.position: q.points for q in played}
        for q in played:
            attempt.items.append(AttemptItem(position=q.position, question_id=q.question_id, version=q.version,
                                             presentation=q.presentation, type=q.type, spec=q.spec, points=q.points))
        for a in answers[player.id]:
            attempt.answers.append(Answer(question_id=a.question_id, question_version=played[a.position - 1].version,
                                          response=a.response, is_correct=a.is_correct, score=a.score,
                                          points_awarded=round(a.score * points[a.position], 2), seconds=a.seconds,
                                          answered_at=a.answered_at))
        attempt.score = round(sum(a.points_awarded for a in attempt.answers), 2)
        db.session.add(attempt)
        made.append(attempt)
    db.session.flush()
    asked = {q.question_id: q for q in played}
    for attempt in made:
        for answer in sorted(attempt.answers, key=lambda a: (a.answered_at, a.id)):
            q = asked[answer.question_id]
            practice.review_answer(attempt.user_id, answer.question_id, version=q.version, question_type_name=q.type,
                                   spec=q.spec, is_correct=answer.is_correct, seconds=answer.seconds,
                                   at=answer.answered_at, source="live", answer_id=answer.id)
    if game.assignment is not None:
        for attempt in made:
            if attempt.assignment_id is not None:
                refresh_result(game.assignment, attempt.user_id)
    return made
