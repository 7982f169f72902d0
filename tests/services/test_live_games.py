"""Live games in the services: making one, joining with a PIN and a nickname, the host's moves, answers
stamped and refused on the server's clock, standings, the report, and a game that resumes from the
database."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.domain.errors import Forbidden, Invalid, NotFound
from quizapp.domain.live_game import BadNickname, IllegalMove, Move, Phase
from quizapp.domain.live_scoring import Profile
from quizapp.extensions import db
from quizapp.models import LiveAnswer, LiveGame, LivePlayer, Role, utcnow
from quizapp.services import live_games as live

SECRET = "test secret"


@pytest.fixture
def game(teacher, tiny_bank):
    return live.create_game(teacher, tiny_bank["everything"], profile=Profile.SPEED, seconds=20,
                            rng=random.Random(1))


def _choice_id(game, position, text):
    view = live.public_question(game, position)
    return next(c["id"] for c in view["choices"] if c["text"] == text)


def test_a_game_is_made_in_its_lobby_with_a_pin_and_the_quiz_questions_fixed(game):
    assert game.phase is Phase.LOBBY and len(game.pin) == 6 and game.total == 6
    assert [q.position for q in game.questions] == [1, 2, 3, 4, 5, 6]
    assert game.questions[0].spec["answer"] == "1901"


def test_only_a_teacher_hosts_and_only_with_her_own_class(make_user, tiny_bank, classroom):
    with pytest.raises(Forbidden):
        live.create_game(make_user("ana"), tiny_bank["everything"])
    other = make_user("olga", role=Role.TEACHER)
    with pytest.raises(Forbidden):
        live.create_game(other, tiny_bank["everything"], classroom=classroom)
    with pytest.raises(Invalid):
        live.create_game(other, tiny_bank["everything"], seconds=2)


def test_players_join_with_the_pin_and_a_unique_nickname(game, make_user):
    ada = live.join(f" {game.pin[:3]} {game.pin[3:]} ", "  Ada ")
    assert ada.nickname == "Ada" and ada.user_id is None
    with pytest.raises(live.NicknameTaken):
        live.join(game.pin, "ADA")
    with pytest.raises(NotFound):
        live.join("000000", "Ben")
    with pytest.raises(BadNickname):
        live.join(game.pin, "x" * 30)
    ana = make_user("ana")
    first = live.join(game.pin, "Ana", user=ana)
    assert live.join(game.pin, "Whatever", user=ana).id == first.id  # a student comes back as herself


def test_a_removed_nickname_cannot_rejoin_and_its_token_stops_working(game):
    ben = live.join(game.pin, "Ben")
    token = live.player_token(ben, SECRET)
    assert live.player_for_token(token, SECRET).id == ben.id
    live.remove_player(game, ben.id)
    with pytest.raises(live.NicknameTaken, match="removed"):
        live.join(game.pin, "ben")
    with pytest.raises(Forbidden, match="removed"):
        live.player_for_token(token, SECRET)
    with pytest.raises(Forbidden):
        live.player_for_token(token[:-2] + "xx", SECRET)


def test_a_locked_lobby_takes_nobody_new(game, make_user):
    live.set_locked(game, True)
    with pytest.raises(live.LobbyClosed):
        live.join(game.pin, "Cleo")
    live.set_locked(game, False)
    assert live.join(game.pin, "Cleo").nickname == "Cleo"


def test_a_question_counts_one_answer_per_player_stamped_by_the_server(game):
    ada, ben = live.join(game.pin, "Ada"), live.join(game.pin, "Ben")
    start = utcnow()
    live.make_move(game, Move.START, now=start)
    assert game.phase is Phase.QUESTION_OPEN and game.closes_at == start + timedelta(seconds=20)
    right, wrong = _choice_id(game, 1, "1901"), _choice_id(game, 1, "1910")
    received = live.answer(ada, 1, [right], now=start + timedelta(seconds=10))
    assert received.seconds == 10
    with pytest.raises(live.AlreadyAnswered):
        live.answer(ada, 1, [wrong], now=start + timedelta(seconds=11))
    live.answer(ben, 1, [wrong], now=start + timedelta(seconds=2))
    db.session.expire_all()
    assert db.session.get(LivePlayer, ada.id).score == 750 and db.session.get(LivePlayer, ben.id).score == 0
    assert db.session.query(LiveAnswer).count() == 2


def test_an_answer_after_the_close_or_to_another_question_counts_nothing(game):
    ada = live.join(game.pin, "Ada")
    start = utcnow()
    live.make_move(game, Move.START, now=start)
    right = _choice_id(game, 1, "1901")
    with pytest.raises(live.TooLate):
        live.answer(ada, 1, [right], now=start + timedelta(seconds=20))  # at the deadline: closed
    with pytest.raises(live.TooLate):
        live.answer(ada, 2, ["true"], now=start + timedelta(seconds=1))
    live.make_move(game, Move.CLOSE, now=start + timedelta(seconds=5))
    with pytest.raises(live.TooLate):
        live.answer(ada, 1, [right], now=start + timedelta(seconds=6))
    assert db.session.query(LiveAnswer).count() == 0


def test_an_open_question_past_its_deadline_reads_as_closed_and_its_close_silent_players_lose_their_streak(game):
    ada, ben = live.join(game.pin, "Ada"), live.join(game.pin, "Ben")
    ada.streak = ben.streak = 2
    db.session.commit()
    start = utcnow() - timedelta(seconds=60)
    live.make_move(game, Move.START, now=start)
    live.answer(ada, 1, [_choice_id(game, 1, "1901")], now=start + timedelta(seconds=1))
    view = live.host_view(game)  # a read long after the deadline shows it closed, and writes nothing
    assert view.phase is Phase.QUESTION_CLOSED and view.reveal.answered == 1
    db.session.expire_all()
    assert db.session.get(LiveGame, game.id).phase is Phase.QUESTION_OPEN
    assert db.session.get(LivePlayer, ben.id).streak == 2
    assert live.settle(db.session.get(LiveGame, game.id))  # the timer's write, or the host's next move's
    db.session.expire_all()
    assert db.session.get(LiveGame, game.id).closes_at == start + timedelta(seconds=20)
    assert db.session.get(LivePlayer, ada.id).streak == 3 and db.session.get(LivePlayer, ben.id).streak == 0


def test_the_host_cannot_skip_a_phase(game):
    for move in (Move.CLOSE, Move.RESULTS, Move.NEXT):
        with pytest.raises(IllegalMove):
            live.make_move(game, move)
    live.make_move(game, Move.START)
    with pytest.raises(IllegalMove):
        live.make_move(game, Move.NEXT)


def test_everyone_answering_closes_the_question_early(game):
    ada, ben = live.join(game.pin, "Ada"), live.join(game.pin, "Ben")
    live.make_move(game, Move.START)
    live.answer(ada, 1, [_choice_id(game, 1, "1901")])
    assert not live.close_if_everyone_answered(game)
    live.answer(ben, 1, [_choice_id(game, 1, "1899")])
    assert live.close_if_everyone_answered(game)
    db.session.refresh(game)
    assert game.phase is Phase.QUESTION_CLOSED


def test_a_whole_game_reveals_ranks_and_ends_on_a_podium(game):
    players = [live.join(game.pin, name) for name in ("Ada", "Ben", "Cleo", "Dan")]
    now = utcnow()
    live.make_move(game, Move.START, now=now)
    for seconds, player in enumerate(players):
        text = "1901" if player.nickname != "Dan" else "1899"
        live.answer(player, 1, [_choice_id(game, 1, text)], now=now + timedelta(seconds=2 * seconds))
    live.make_move(game, Move.CLOSE, now=now + timedelta(seconds=8))
    shown = live.reveal(game)
    assert shown.correct_answer == ["1901"] and shown.answered == 4 and shown.right == 3
    assert {d["text"]: d["count"] for d in shown.distribution} == {"1901": 3, "1910": 0, "1899": 1}
    assert shown.explanation and shown.passage and shown.source_label == "Key point 1"
    live.make_move(game, Move.RESULTS)
    top = live.standings(game)
    assert [s.nickname for s in top] == ["Ada", "Ben", "Cleo", "Dan"] and [s.rank for s in top] == [1, 2, 3, 4]
    live.make_move(game, Move.NEXT, now=now + timedelta(seconds=30))
    second = now + timedelta(seconds=30)
    live.answer(players[3], 2, [_choice_id(game, 2, "Timber"), _choice_id(game, 2, "Grain")],
                now=second + timedelta(seconds=1))
    live.make_move(game, Move.CLOSE, now=second + timedelta(seconds=3))
    by_name = {s.nickname: s for s in live.standings(game)}
    assert by_name["Dan"].previous_rank == 4 and by_name["Dan"].rank < 4 and by_name["Dan"].change > 0
    live.make_move(game, Move.FINISH)
    view = live.host_view(game)
    assert view.phase is Phase.FINISHED and [s.nickname for s in view.podium][:1] == ["Ada"]
    result = live.report(game)
    assert result.questions[0].facility == 0.75 and result.questions[0].answered == 4
    assert result.players[0].nickname == "Ada" and result.players[0].right == 1
    assert live.report_csv(result).lstrip("\ufeff").splitlines()[0].startswith("Rank,Nickname")


def test_a_phone_sees_the_question_without_its_key(game):
    ada = live.join(game.pin, "Ada")
    live.make_move(game, Move.START)
    view = live.player_view(ada)
    assert view.question["prompt"] == "When did the harbour open?" and view.correct_answer is None
    assert "answer" not in view.question
    assert all({"shape", "colour", "text"} <= set(c) for c in view.question["choices"])
    live.make_move(game, Move.CLOSE)
    assert live.player_view(ada).correct_answer == ["1901"]


def test_the_game_lives_in_the_database(game, app):
    ada = live.join(game.pin, "Ada")
    live.make_move(game, Move.START)
    game_id, token = game.id, live.player_token(ada, SECRET)
    db.session.remove()  # as a restarted server: nothing but the database
    again = db.session.get(LiveGame, game_id)
    assert again.phase is Phase.QUESTION_OPEN and again.closes_at > utcnow()
    player = live.player_for_token(token, SECRET)
    live.answer(player, 1, [_choice_id(again, 1, "1901")])
    db.session.remove()
    stored = db.session.get(LiveGame, game_id)
    assert (stored.phase, stored.position, stored.closes_at) == (Phase.QUESTION_OPEN, 1, again.closes_at)
    assert db.session.query(LiveAnswer).count() == 1


def test_a_class_game_becomes_a_closed_assignment_and_each_students_answers_an_attempt(teacher, tiny_bank,
                                                                                      classroom, make_user):
    from quizapp.models import AssignmentResult, Attempt
    from tests.support.builders import member

    ana = member(classroom, "ana")
    outsider = make_user("olly")
    game = live.create_game(teacher, tiny_bank["everything"], classroom=classroom, rng=random.Random(1))
    players = [live.join(game.pin, "Ana", user=ana), live.join(game.pin, "Olly", user=outsider),
               live.join(game.pin, "Guest")]
    now = utcnow()
    live.make_move(game, Move.START, now=now)
    for player in players:
        live.answer(player, 1, [_choice_id(game, 1, "1901")], now=now + timedelta(seconds=3))
    live.make_move(game, Move.CLOSE, now=now + timedelta(seconds=4))
    live.make_move(game, Move.RESULTS)
    live.make_move(game, Move.NEXT, now=now + timedelta(seconds=10))
    live.answer(players[0], 2, [_choice_id(game, 2, "Coal")], now=now + timedelta(seconds=12))
    live.make_move(game, Move.FINISH, now=now + timedelta(seconds=15))
    assignment = game.assignment
    assert assignment is not None and assignment.classroom_id == classroom.id
    assert assignment.closes_at == game.finished_at and assignment.attempts_allowed == 1
    attempts = {a.user_id: a for a in db.session.scalars(select(Attempt))}
    assert set(attempts) == {ana.id, outsider.id}  # the guest is in the game's report only
    mine = attempts[ana.id]
    assert mine.assignment_id == assignment.id and mine.finished_at is not None and len(mine.items) == 2
    assert mine.score == 1 and mine.max_score == sum(q.points for q in game.questions[:2])
    assert attempts[outsider.id].assignment_id is None  # not in the class: practice
    result = db.session.scalar(select(AssignmentResult).where(AssignmentResult.user_id == ana.id))
    assert result is not None and result.score == 1
    # Each signed-in student's answers review their practice cards, as any graded answer does.
    from quizapp.models import PracticeReview
    reviews = db.session.scalars(select(PracticeReview).order_by(PracticeReview.id)).all()
    assert [(r.user_id, r.source, r.rating, r.reviewed_at) for r in reviews] == [
        (ana.id, "live", 3, now + timedelta(seconds=3)), (ana.id, "live", 1, now + timedelta(seconds=12)),
        (outsider.id, "live", 3, now + timedelta(seconds=3))]


def test_a_game_without_signed_in_players_writes_no_attempt(game):
    from quizapp.models import Attempt

    ada = live.join(game.pin, "Ada")
    live.make_move(game, Move.START)
    live.answer(ada, 1, [_choice_id(game, 1, "1901")])
    live.make_move(game, Move.FINISH)
    assert db.session.query(Attempt).count() == 0 and game.assignment is None


RIGHT_ANSWERS = {  # position in the tiny bank's "everything" quiz (not shuffled): the right answer's texts
    1: ["1901"], 2: ["Timber", "Grain"], 3: "true", 4: "the Town Council!", 5: ["Timber", "Grain", "Salt"],
    6: ["1901", "wood"],
}


def test_every_question_type_is_played_and_graded_as_in_a_quiz(game):
    from tests.support.builders import raw_for

    ada = live.join(game.pin, "Ada")
    start = utcnow()
    for position in range(1, game.total + 1):
        opened = start + timedelta(minutes=position)
        live.make_move(game, Move.START if position == 1 else Move.NEXT, now=opened)
        item = game.questions[position - 1]
        live.answer(ada, position, raw_for(item, RIGHT_ANSWERS[position]), now=opened)
        live.make_move(game, Move.CLOSE, now=opened + timedelta(seconds=1))
        live.make_move(game, Move.RESULTS)
    answers = db.session.scalars(select(LiveAnswer).order_by(LiveAnswer.position)).all()
    assert [a.is_correct for a in answers] == [True] * 6
    assert all(a.points == 1000 for a in answers)  # answered at once: the full base, none double
    db.session.expire_all()
    assert db.session.get(LivePlayer, ada.id).score == 6000 and db.session.get(LivePlayer, ada.id).streak == 6


def test_a_player_joining_late_plays_from_the_current_question(game):
    live.join(game.pin, "Ada")
    live.make_move(game, Move.START)
    late = live.join(game.pin, "Zed")
    view = live.player_view(late)
    assert view.phase is Phase.QUESTION_OPEN and view.question["position"] == 1 and not view.answered


def test_a_finished_game_takes_nobody_and_its_pin_is_free_again(game, teacher, tiny_bank):
    live.make_move(game, Move.START)
    live.make_move(game, Move.FINISH)
    with pytest.raises(NotFound):
        live.join(game.pin, "Ada")
    again = live.create_game(teacher, tiny_bank["everything"])
    assert again.pin != "" and db.session.query(LiveGame).count() == 2


def test_a_game_ended_in_its_lobby_frees_its_pin(game):
    live.make_move(game, Move.FINISH)
    assert game.phase is Phase.FINISHED
    with pytest.raises(NotFound):
        live.join(game.pin, "Ada")


def test_a_move_made_from_a_stale_screen_is_refused_and_changes_nothing(game):
    """Two tabs, or a double click: the second move was read before the first changed the game."""
    from sqlalchemy import update

    live.join(game.pin, "Ada")
    db.session.execute(update(LiveGame).where(LiveGame.id == game.id)  # another tab started the game
                       .values(phase=Phase.QUESTION_OPEN, position=1, opened_at=utcnow(),
                               closes_at=utcnow() + timedelta(seconds=20))
                       .execution_options(synchronize_session=False))
    db.session.commit()
    assert game.phase is Phase.LOBBY  # this screen's copy
    with pytest.raises(live.GameMoved):
        live.make_move(game, Move.START)
    db.session.expire_all()
    stored = db.session.get(LiveGame, game.id)
    assert stored.phase is Phase.QUESTION_OPEN and stored.position == 1


def test_closing_a_question_the_clock_has_closed_is_no_error(game):
    live.join(game.pin, "Ada")
    start = utcnow() - timedelta(seconds=30)
    live.make_move(game, Move.START, now=start)
    live.make_move(game, Move.CLOSE)
    assert game.phase is Phase.QUESTION_CLOSED and game.closes_at == start + timedelta(seconds=20)


def test_players_tied_for_a_podium_place_all_stand_on_it(game):
    players = [live.join(game.pin, name) for name in ("Ada", "Ben", "Cleo", "Dan")]
    now = utcnow()
    live.make_move(game, Move.START, now=now)
    for player in players:
        live.answer(player, 1, [_choice_id(game, 1, "1901")], now=now)
    live.make_move(game, Move.FINISH, now=now + timedelta(seconds=1))
    assert [(s.nickname, s.rank) for s in live.host_view(game).podium] == [
        ("Ada", 1), ("Ben", 1), ("Cleo", 1), ("Dan", 1)]


def test_nobody_is_removed_from_a_finished_game(game):
    ada = live.join(game.pin, "Ada")
    live.make_move(game, Move.FINISH)
    with pytest.raises(IllegalMove):
        live.remove_player(game, ada.id)


def test_a_student_plays_a_game_once_whatever_the_tabs(game, make_user):
    from sqlalchemy.exc import IntegrityError

    ana = make_user("ana")
    first = live.join(game.pin, "Ana", user=ana)
    assert live.join(game.pin, "Ana again", user=ana).id == first.id
    db.session.add(LivePlayer(game_id=game.id, nickname="Ana 2", nickname_key="ana2", user_id=ana.id))
    with pytest.raises(IntegrityError):  # two joins racing past that check: the index takes one
        db.session.flush()
    db.session.rollback()


def test_a_bank_played_live_is_archived_rather_than_deleted(teacher, own_bank):
    from quizapp.models import Bank, Quiz
    from quizapp.services.banks import managing

    quiz = db.session.scalars(select(Quiz).where(Quiz.bank_id == own_bank.id)).first()
    live.create_game(teacher, quiz)
    assert managing.delete_bank(own_bank) is False
    assert db.session.get(Bank, own_bank.id).archived and db.session.query(LiveGame).count() == 1


def test_a_finish_that_fails_leaves_the_game_as_it_was(game, teacher, classroom, make_user, monkeypatch):
    from quizapp.models import Assignment, Attempt
    from quizapp.services import live_results
    from tests.support.builders import member

    game.classroom_id = classroom.id
    db.session.commit()
    ana = live.join(game.pin, "Ana", user=member(classroom, "ana"))
    live.make_move(game, Move.START)
    live.answer(ana, 1, [_choice_id(game, 1, "1901")])

    def broken(finished):
        live_results.create_assignment(finished.classroom, finished.quiz, finished.created_at, finished.finished_at)
        db.session.flush()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(live_results, "record", broken)
    with pytest.raises(RuntimeError):
        live.make_move(game, Move.FINISH)
    db.session.expire_all()
    assert db.session.get(LiveGame, game.id).phase is Phase.QUESTION_OPEN
    assert db.session.query(Assignment).count() == 0 and db.session.query(Attempt).count() == 0


def test_a_removed_players_answer_does_not_count_towards_everyone_having_answered(game):
    ada, ben, cleo = (live.join(game.pin, name) for name in ("Ada", "Ben", "Cleo"))
    live.make_move(game, Move.START)
    live.answer(ada, 1, [_choice_id(game, 1, "1901")])
    live.remove_player(game, ada.id)
    live.answer(ben, 1, [_choice_id(game, 1, "1901")])
    assert live.answer_counts(game) == (1, 2) and live.answered_count(game) == 1
    assert not live.close_if_everyone_answered(game)  # Cleo has not answered
