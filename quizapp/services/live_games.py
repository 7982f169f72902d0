"""Live games: made by a host, joined with a PIN, played one question at a time on the server's clock.

Every move is a unit of work on the game's row, so that the database is the game: a server restarted
mid-game finds the phase, the question and its deadline, the players and their answers where they were.
The rules (phases, moves, nicknames, scoring) are ``domain.live_game`` and ``domain.live_scoring``; this
module applies them and answers what the host's screen and each phone show. The push to browsers is
``quizapp.live``'s, which calls these functions and sends what they return.

Timing: a question opens with ``opened_at`` and ``closes_at`` stored. An answer is stamped on arrival and
inserted only while the game is on that question, open, and before ``closes_at`` (one guarded insert);
its seconds are counted from ``opened_at``. A question past its deadline reads as closed everywhere
(``phase_at``) before anything writes it down; ``settle`` writes it down. After a restart the question
keeps its deadline: if the server was down past it, the question is closed when the game is next read,
with the answers acknowledged before it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.domain.csv_export import to_csv
from quizapp.domain.drawing import draw
from quizapp.domain.errors import Conflict, Forbidden, Invalid, NotFound
from quizapp.domain.live_game import (
    IllegalMove,
    Move,
    Phase,
    after,
    clean_nickname,
    clean_pin,
    new_pin,
    nickname_key,
    phase_at,
)
from quizapp.domain.live_scoring import Profile, score_answer
from quizapp.domain.question_types import InvalidResponse, question_type
from quizapp.extensions import db
from quizapp.models import (
    Classroom,
    LiveAnswer,
    LiveGame,
    LivePlayer,
    LiveQuestion,
    Question,
    Quiz,
    Role,
    User,
    utcnow,
)
from quizapp.services import live_results
from quizapp.services.pools import candidates
from quizapp.services.unit_of_work import transactional, unit_of_work

MIN_SECONDS, MAX_SECONDS = 5, 240
TOP = 5
PIN_TRIES = 20
TOKEN_SALT = "live-player"


class TooLate(Conflict):
    code = "too_late"
    message = "Too late: this question has closed, and nothing was counted."


class AlreadyAnswered(Conflict):
    code = "already_answered"
    message = "You have answered this question already."


class LobbyClosed(Conflict):
    code = "lobby_locked"


class NicknameTaken(Conflict):
    code = "nickname_taken"


# --------------------------------------------------------------------------- making and finding games


@transactional
def create_game(host: User, quiz: Quiz, *, profile: Profile = Profile.SPEED, seconds: int | None = None,
                classroom: Classroom | None = None, double_positions: list[int] | None = None,
                blocked_words: list[str] | None = None, rng: random.Random | None = None,
                now: datetime | None = None) -> LiveGame:
    """A new game in its lobby: the quiz's questions drawn and fixed as an attempt's are, a PIN no game
    under way holds."""
    if host.role is not Role.TEACHER:
        raise Forbidden("Only a teacher can host a live game.")
    if classroom is not None and classroom.teacher_id != host.id:
        raise Forbidden("You can only play a game with a class you teach.")
    seconds = seconds or 20
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise Invalid(f"Give each question between {MIN_SECONDS} and {MAX_SECONDS} seconds.")
    rng = rng or random.SystemRandom()
    ids = draw(candidates(quiz.bank_id), sources=quiz.sources, tags=quiz.tags, picked=quiz.question_keys,
               count=quiz.count, shuffle=quiz.shuffle, rng=rng)
    if not ids:
        raise Conflict("This quiz has no questions yet.")
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    game = LiveGame(pin=_free_pin(), host=host, quiz=quiz, classroom=classroom, title=quiz.title, profile=profile,
                    seconds_per_question=seconds, created_at=now or utcnow(),
                    double_positions=sorted({p for p in (double_positions or []) if 1 <= p <= len(ids)}),
                    blocked_words=[w.strip() for w in (blocked_words or []) if w.strip()])
    for position, question_id in enumerate(ids, start=1):
        q = questions[question_id]
        game.questions.append(LiveQuestion(position=position, question=q, version=q.version, type=q.type, spec=q.spec,
                                           presentation=question_type(q.type).present(q.spec, rng, quiz.shuffle),
                                           points=q.points))
    db.session.add(game)
    return game


def _free_pin() -> str:
    taken = set(db.session.scalars(select(LiveGame.pin).where(LiveGame.phase != Phase.FINISHED)))
    for _ in range(PIN_TRIES):
        pin = new_pin()
        if pin not in taken:
            return pin
    raise Conflict("No free game PIN was found; try again.")


def get_hosted_game(host: User, game_id: int) -> LiveGame:
    """The game with this id, if ``host`` hosts it; NotFound otherwise (as if it did not exist)."""
    game = db.session.get(LiveGame, game_id)
    if game is None or game.host_id != host.id:
        raise NotFound("No such live game.")
    return game


def get_game(game_id: int) -> LiveGame | None:
    """The game with this id, whoever hosts it, or None: for the socket, which checks the host itself."""
    return db.session.get(LiveGame, game_id)


def get_player(player_id: int) -> LivePlayer | None:
    """The player with this id, removed or not, or None: for the socket, which checks the rest itself."""
    return db.session.get(LivePlayer, player_id)


def hosted_games(host: User, classroom: Classroom | None = None) -> list[LiveGame]:
    """The host's games, newest first; with ``classroom``, only that class's."""
    query = (select(LiveGame).where(LiveGame.host_id == host.id)
             .options(selectinload(LiveGame.classroom), selectinload(LiveGame.players)))
    if classroom is not None:
        query = query.where(LiveGame.classroom_id == classroom.id)
    return list(db.session.scalars(query.order_by(LiveGame.created_at.desc(), LiveGame.id.desc())))


# --------------------------------------------------------------------------- joining


def player_token(player: LivePlayer, secret_key: str) -> str:
    """What a phone keeps to come back as the same player: signed, so it cannot be made up."""
    return URLSafeSerializer(secret_key, salt=TOKEN_SALT).dumps({"g": player.game_id, "p": player.id})


def player_for_token(token: str, secret_key: str) -> LivePlayer:
    """The player a token was given to; Forbidden if it is forged or the player was removed."""
    try:
        data = URLSafeSerializer(secret_key, salt=TOKEN_SALT).loads(token or "")
        player = db.session.get(LivePlayer, int(data["p"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise Forbidden("That game link is not valid. Join again with the game PIN.") from None
    if player is None or player.game_id != data.get("g"):
        raise Forbidden("That game link is not valid. Join again with the game PIN.")
    if player.removed:
        raise Forbidden("The host removed you from this game.")
    return player


def open_game_for_pin(raw_pin: str) -> LiveGame:
    """The game under way with this PIN; NotFound for any other."""
    pin = clean_pin(raw_pin)
    game = db.session.scalar(select(LiveGame).where(LiveGame.pin == pin, LiveGame.phase != Phase.FINISHED)) \
        if pin else None
    if game is None:
        raise NotFound("No game has that PIN. Check the number on the screen.")
    return game


@transactional
def join(raw_pin: str, nickname: str, user: User | None = None, now: datetime | None = None) -> LivePlayer:
    """Join the game with this PIN as ``nickname``; a signed-in student who joined before comes back as the
    same player. Refused: no such game, a locked lobby, a nickname taken or removed in this game, a
    nickname the rules refuse."""
    game = open_game_for_pin(raw_pin)
    if user is not None:
        mine = db.session.scalar(select(LivePlayer).where(LivePlayer.game_id == game.id, LivePlayer.user_id == user.id))
        if mine is not None:
            if mine.removed:
                raise Forbidden("The host removed you from this game.")
            return mine
    name = clean_nickname(nickname, set(game.blocked_words))
    if game.locked:
        raise LobbyClosed("The host has locked this game: nobody else can join.")
    key = nickname_key(name)
    taken = db.session.scalar(select(LivePlayer).where(LivePlayer.game_id == game.id, LivePlayer.nickname_key == key))
    if taken is not None:
        if taken.removed:
            raise NicknameTaken("That nickname was removed from this game. Choose another.")
        raise NicknameTaken("Someone in this game has that nickname already. Choose another.")
    player = LivePlayer(game=game, nickname=name, nickname_key=key, user=user, joined_at=now or utcnow())
    db.session.add(player)
    try:
        db.session.flush()
    except IntegrityError:  # the same nickname, or the same student, joining at the same moment
        raise NicknameTaken("Someone in this game has that nickname already, or you joined already in another "
                            "tab. Choose another nickname, or go back to that tab.") from None
    return player


@transactional
def remove_player(game: LiveGame, player_id: int) -> LivePlayer:
    """Take a player out of the game; the nickname cannot join it again."""
    player = db.session.get(LivePlayer, player_id)
    if player is None or player.game_id != game.id:
        raise NotFound("No such player in this game.")
    if game.phase is Phase.FINISHED:
        raise IllegalMove("This game is over: its players stay as they played.")
    player.removed = True
    return player


@transactional
def set_locked(game: LiveGame, locked: bool) -> LiveGame:
    """Lock the lobby (nobody new may join; those in stay) or open it again."""
    if game.phase is Phase.FINISHED:
        raise IllegalMove("This game is over.")
    game.locked = locked
    return game


# --------------------------------------------------------------------------- the host's moves


def settle(game: LiveGame, now: datetime | None = None) -> bool:
    """Write down a close that the clock has already made (a question past its deadline); True if it did."""
    now = now or utcnow()
    if game.phase is Phase.QUESTION_OPEN and phase_at(game.phase, game.closes_at, now) is Phase.QUESTION_CLOSED:
        with unit_of_work():
            return _close(game, game.closes_at)
    return False


@transactional
def make_move(game: LiveGame, move: Move, now: datetime | None = None) -> LiveGame:
    """The host's move: start, close, results, next or finish. IllegalMove where the phase does not allow it;
    GameMoved if another move (a second tab, a double click) changed the game since it was read, so that two
    moves never both apply. Closing a question the clock has just closed is no error."""
    now = now or utcnow()
    if settle(game, now) and move is Move.CLOSE:
        return game
    target = after(game.phase, move, position=game.position, total=game.total)
    _claim(game)
    if target is Phase.QUESTION_OPEN:
        _open(game, game.position + 1, now)
    elif target is Phase.QUESTION_CLOSED:
        _close(game, now)
    elif target is Phase.FINISHED:
        if game.phase is Phase.QUESTION_OPEN:
            _close(game, now)
        game.phase, game.finished_at = Phase.FINISHED, now
        live_results.record(game)
    else:
        game.phase = target
    return game


class GameMoved(Conflict):
    code = "game_moved"
    message = "The game has moved on since this screen was drawn: it now shows where the game is."


def _claim(game: LiveGame) -> None:
    """Lock the game's row for this move, as it was read: a no-op update on its phase and question. A move
    made meanwhile (committed, or holding the row until it commits) leaves nothing to update: GameMoved."""
    claimed = db.session.execute(
        update(LiveGame).where(LiveGame.id == game.id, LiveGame.phase == game.phase,
                               LiveGame.position == game.position)
        .values(phase=game.phase).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise GameMoved()


def _open(game: LiveGame, position: int, now: datetime) -> None:
    game.phase, game.position = Phase.QUESTION_OPEN, position
    game.opened_at, game.closes_at = now, now + timedelta(seconds=game.seconds_per_question)


def _close(game: LiveGame, at: datetime) -> bool:
    """Close the open question (if nobody else has): players who gave no answer lose their streak."""
    closed = db.session.execute(
        update(LiveGame).where(LiveGame.id == game.id, LiveGame.phase == Phase.QUESTION_OPEN,
                               LiveGame.position == game.position)
        .values(phase=Phase.QUESTION_CLOSED, closes_at=min(game.closes_at or at, at))
        .execution_options(synchronize_session=False)
    ).rowcount > 0
    if closed:
        answered = select(LiveAnswer.player_id).where(LiveAnswer.game_id == game.id,
                                                      LiveAnswer.position == game.position)
        db.session.execute(update(LivePlayer).where(LivePlayer.game_id == game.id, LivePlayer.id.not_in(answered))
                           .values(streak=0).execution_options(synchronize_session=False))
    db.session.refresh(game)
    return closed


def close_if_due(game_id: int, position: int, now: datetime | None = None) -> LiveGame | None:
    """The timer's close: the game, if this call closed question ``position`` because its time is up."""
    game = db.session.get(LiveGame, game_id)
    if game is None or game.position != position:
        return None
    return game if settle(game, now) else None


def close_if_everyone_answered(game: LiveGame, now: datetime | None = None, *,
                               counts: tuple[int, int] | None = None) -> bool:
    """Close the open question early once every player still in the game has answered it; ``counts`` are
    ``answer_counts(game)`` when the caller has them already."""
    if game.phase is not Phase.QUESTION_OPEN:
        return False
    answered, players = counts or answer_counts(game)
    if players and answered >= players:
        with unit_of_work():
            return _close(game, now or utcnow())
    return False


# --------------------------------------------------------------------------- answering


@dataclass(frozen=True)
class Received:
    """What a phone is told when its answer is in: that it counted, not whether it was right (the key
    stays on the server until the question closes)."""

    position: int
    seconds: float


@transactional
def answer(player: LivePlayer, position: int, raw: list[str], now: datetime | None = None) -> Received:
    """Grade and store a player's answer to the open question at ``position``. TooLate after the close (or
    for any other question), AlreadyAnswered for a second answer, Invalid for a malformed one."""
    now = now or utcnow()
    # The game, the question and the player's streak as stored now, in one read: the streak changes with
    # every answer (in SQL), so an object loaded earlier may hold an old one.
    row = db.session.execute(_game_and_question(), {"player": player.id, "position": position}).one()
    game, item, streak, removed = row
    if removed:
        raise Forbidden("The host removed you from this game.")
    if (item is None or phase_at(game.phase, game.closes_at, now) is not Phase.QUESTION_OPEN
            or position != game.position):
        raise TooLate()
    kind = question_type(item.type)
    try:
        response = kind.parse(item.presentation, raw)
    except InvalidResponse as error:
        raise Invalid(f"That answer could not be read: {error}.") from None
    grade = kind.grade(item.spec, response)
    seconds = max(0.0, (now - game.opened_at).total_seconds())
    scored = score_answer(game.profile, score=grade.score, is_correct=grade.is_correct, seconds=seconds,
                          allowed=game.seconds_per_question, streak_before=streak,
                          double=position in (game.double_positions or []))
    values = {"game_id": game.id, "player_id": player.id, "position": position, "question_id": item.question_id,
              "response": response, "is_correct": grade.is_correct, "score": grade.score, "points": scored.points,
              "streak": scored.streak, "seconds": round(seconds, 3), "answered_at": now}
    try:
        inserted = db.session.execute(_guarded_insert(), values).scalar()
    except IntegrityError:
        raise AlreadyAnswered() from None
    if inserted is None:
        raise TooLate()
    db.session.execute(_score_update(), {"player": player.id, "points": scored.points, "streak": scored.streak})
    return Received(position, round(seconds, 1))


# The answer's statements are built once: building them costs more CPU than running them.
@cache
def _game_and_question():
    return (select(LiveGame, LiveQuestion, LivePlayer.streak, LivePlayer.removed)
            .join(LivePlayer, LivePlayer.game_id == LiveGame.id)
            .outerjoin(LiveQuestion, and_(LiveQuestion.game_id == LiveGame.id,
                                          LiveQuestion.position == bindparam("position")))
            .where(LivePlayer.id == bindparam("player")).execution_options(populate_existing=True))


@cache
def _score_update():
    return (update(LivePlayer).where(LivePlayer.id == bindparam("player"))
            .values(score=LivePlayer.score + bindparam("points"), streak=bindparam("streak"))
            .execution_options(synchronize_session=False))


@cache
def _guarded_insert():
    """The answer, inserted only while its game is on that question, open, and before the deadline; the
    game's row share-locked on PostgreSQL, so that a close waits for it and counts it (as an attempt's
    answer and finish: ``attempts._answer_insert_statement``)."""
    table = LiveAnswer.__table__
    names = ["game_id", "player_id", "position", "question_id", "response", "is_correct", "score", "points",
             "streak", "seconds", "answered_at"]
    values = [bindparam(n, type_=table.c[n].type) for n in names]
    game_id, position, answered_at = values[0], values[2], values[-1]
    values[0] = LiveGame.id
    still_open = (select(*values).where(LiveGame.id == game_id, LiveGame.phase == Phase.QUESTION_OPEN,
                                        LiveGame.position == position, LiveGame.closes_at > answered_at)
                  .with_for_update(read=True))
    return table.insert().from_select(names, still_open).returning(table.c.id)


def answered_count(game: LiveGame, position: int | None = None) -> int:
    """How many players still in the game have answered the question (the current one)."""
    return db.session.scalar(select(func.count(LiveAnswer.id)).join(LivePlayer, LivePlayer.id == LiveAnswer.player_id)
                             .where(LiveAnswer.game_id == game.id, LiveAnswer.position == (position or game.position),
                                    LivePlayer.removed.is_(False)))


def answer_counts(game: LiveGame) -> tuple[int, int]:
    """(answers to the current question, players still in the game), in one statement."""
    row = db.session.execute(_counts(), {"game": game.id, "position": game.position}).one()
    return row[0], row[1]


@cache
def _counts():
    game, position = bindparam("game"), bindparam("position")
    return select(
        select(func.count(LiveAnswer.id)).join(LivePlayer, LivePlayer.id == LiveAnswer.player_id)
        .where(LiveAnswer.game_id == game, LiveAnswer.position == position, LivePlayer.removed.is_(False))
        .scalar_subquery(),
        select(func.count(LivePlayer.id)).where(LivePlayer.game_id == game, LivePlayer.removed.is_(False))
        .scalar_subquery())


# --------------------------------------------------------------------------- what the screens show


SHAPES = ("triangle", "diamond", "circle", "square", "star", "hexagon", "pentagon", "heart")
COLOURS = ("red", "blue", "yellow", "green", "purple", "teal", "orange", "pink")


@dataclass
class Standing:
    player_id: int
    nickname: str
    score: int
    rank: int
    previous_rank: int | None = None
    streak: int = 0
    points: int = 0
    correct: bool | None = None

    @property
    def change(self) -> int:
        """Places gained since the question before (negative: lost)."""
        return 0 if self.previous_rank is None else self.previous_rank - self.rank


def public_question(game: LiveGame, position: int | None = None) -> dict[str, Any]:
    """The question as every screen shows it while it is open: no key, no explanation. Each choice gets
    a colour and a shape, so that colour is never the only way to tell them apart."""
    item = game.questions[(position or game.position) - 1]
    kind = question_type(item.type)
    view = kind.public(item.spec, item.presentation)
    choices = [{**c, "shape": SHAPES[i % len(SHAPES)], "colour": COLOURS[i % len(COLOURS)]}
               for i, c in enumerate(view.get("choices", []))]
    return {"position": item.position, "total": game.total, "type": item.type, "type_label": kind.label,
            "prompt": item.question.prompt, "double": item.position in (game.double_positions or []),
            **{k: v for k, v in view.items() if k != "choices"}, "choices": choices}


def standings(game: LiveGame) -> list[Standing]:
    """Every player still in the game, best first (equal scores share a rank), with the rank they had
    before the question being played and what they got for it."""
    players = players_in(game)
    this = {a.player_id: a for a in db.session.scalars(
        select(LiveAnswer).where(LiveAnswer.game_id == game.id, LiveAnswer.position == game.position))}
    before = _ranks({p.id: p.score - (this[p.id].points if p.id in this else 0) for p in players})
    now = _ranks({p.id: p.score for p in players})
    rows = [Standing(p.id, p.nickname, p.score, now[p.id], before[p.id] if game.position > 1 else None, p.streak,
                     this[p.id].points if p.id in this else 0, this[p.id].is_correct if p.id in this else None)
            for p in players]
    return sorted(rows, key=lambda s: (s.rank, s.nickname.casefold()))


def players_in(game: LiveGame) -> list[LivePlayer]:
    """The players still in the game, with their scores as stored now (answers add to them in SQL)."""
    return list(db.session.scalars(
        select(LivePlayer).where(LivePlayer.game_id == game.id, LivePlayer.removed.is_(False))
        .order_by(LivePlayer.joined_at, LivePlayer.id).execution_options(populate_existing=True)))


def _ranks(scores: dict[int, int]) -> dict[int, int]:
    """Competition ranking: equal scores share a rank, and the next rank skips as many."""
    first: dict[int, int] = {}
    for place, score in enumerate(sorted(scores.values(), reverse=True), start=1):
        first.setdefault(score, place)
    return {pid: first[score] for pid, score in scores.items()}


@dataclass
class Reveal:
    """What the host's screen shows once a question has closed."""

    question: dict[str, Any]
    correct_answer: list[str]
    distribution: list[dict[str, Any]]
    answered: int
    right: int
    explanation: str
    source_label: str
    source_title: str
    passage: str


def reveal(game: LiveGame, position: int | None = None) -> Reveal:
    """The closed question with its key, how the answers fell, and the explanation and passage."""
    position = position or game.position
    item = game.questions[position - 1]
    kind = question_type(item.type)
    answers = list(db.session.scalars(select(LiveAnswer).where(LiveAnswer.game_id == game.id,
                                                               LiveAnswer.position == position)))
    key = kind.correct_answer(item.spec)
    view = public_question(game, position)
    picked = Counter(text for a in answers for text in a.response)
    if view["choices"]:
        distribution = [{**c, "count": picked.get(c["text"], 0), "right": c["text"] in key} for c in view["choices"]]
    else:
        right = sum(a.is_correct for a in answers)
        distribution = [{"text": "Right", "count": right, "right": True, "shape": "circle", "colour": "green"},
                        {"text": "Wrong", "count": len(answers) - right, "right": False, "shape": "square",
                         "colour": "red"}]
    part = item.question.source_part
    return Reveal(view, key, distribution, len(answers), sum(a.is_correct for a in answers),
                  item.question.explanation, part.label, part.title, item.question.passage)


@dataclass
class HostView:
    """Everything the host's screen shows at this moment (no key while a question is open)."""

    game: LiveGame
    phase: Phase
    players: list[LivePlayer]
    question: dict[str, Any] | None = None
    answered: int = 0
    reveal: Reveal | None = None
    top: list[Standing] = field(default_factory=list)
    podium: list[Standing] = field(default_factory=list)


def host_view(game: LiveGame, now: datetime | None = None) -> HostView:
    """The host's screen at ``now``. A read: an open question past its deadline shows as closed, and the
    next write (the timer's, or the host's next move) writes the close down."""
    phase = phase_at(game.phase, game.closes_at, now or utcnow())
    view = HostView(game, phase, players_in(game))
    if phase is Phase.QUESTION_OPEN:
        view.question, view.answered = public_question(game), answered_count(game)
    elif phase in (Phase.QUESTION_CLOSED, Phase.RESULTS):
        view.reveal = reveal(game)
        view.answered = view.reveal.answered
        view.top = standings(game)[:TOP]
    elif phase is Phase.FINISHED:
        view.podium = [s for s in standings(game) if s.rank <= 3] if game.position else []  # ties all stand
    return view


@dataclass
class PlayerView:
    """What one phone shows at this moment."""

    phase: Phase
    nickname: str
    score: int
    question: dict[str, Any] | None = None
    answered: bool = False
    standing: Standing | None = None
    correct_answer: list[str] | None = None
    players: int = 0


def player_view(player: LivePlayer, now: datetime | None = None) -> PlayerView:
    """What ``player``'s phone shows at ``now`` (a read, as ``host_view``)."""
    game = player.game
    db.session.refresh(player)
    phase = phase_at(game.phase, game.closes_at, now or utcnow())
    table = standings(game) if phase in _AFTER_A_QUESTION and game.position else []
    return _player_view(game, phase, player, {s.player_id: s for s in table})


def player_views(game: LiveGame, now: datetime | None = None) -> list[tuple[LivePlayer, PlayerView]]:
    """Every phone's view after a change of phase, the standings counted once for all of them."""
    phase = phase_at(game.phase, game.closes_at, now or utcnow())
    table = standings(game) if phase in _AFTER_A_QUESTION and game.position else []
    by_player = {s.player_id: s for s in table}
    return [(p, _player_view(game, phase, p, by_player)) for p in players_in(game)]


_AFTER_A_QUESTION = (Phase.QUESTION_CLOSED, Phase.RESULTS, Phase.FINISHED)


def _player_view(game: LiveGame, phase: Phase, player: LivePlayer, table: dict[int, Standing]) -> PlayerView:
    """One phone's view; ``table`` is the standings by player id (a lookup, not a search per phone)."""
    view = PlayerView(phase, player.nickname, player.score)
    if phase is Phase.QUESTION_OPEN:
        view.question = public_question(game)
        points = db.session.scalar(select(LiveAnswer.points).where(
            LiveAnswer.player_id == player.id, LiveAnswer.position == game.position))
        view.answered = points is not None
        # An answer adds its points to the player's score at once; until the question closes, the phone's
        # score leaves them out, or a reload would tell whether the answer was right.
        view.score = player.score - (points or 0)
    elif table:
        view.players = len(table)
        view.standing = table.get(player.id)
        item = game.questions[game.position - 1]
        view.correct_answer = question_type(item.type).correct_answer(item.spec)
    return view


def player_count(game: LiveGame) -> int:
    """Players still in the game."""
    return db.session.scalar(select(func.count(LivePlayer.id)).where(LivePlayer.game_id == game.id,
                                                                      LivePlayer.removed.is_(False)))


# --------------------------------------------------------------------------- the report


@dataclass
class QuestionReport:
    position: int
    prompt: str
    answered: int
    right: int
    facility: float | None
    choices: list[dict[str, Any]]


@dataclass
class PlayerReport:
    nickname: str
    username: str | None
    score: int
    rank: int
    answered: int
    right: int
    seconds: float


@dataclass
class GameReport:
    game: LiveGame
    questions: list[QuestionReport]
    players: list[PlayerReport]


def report(game: LiveGame) -> GameReport:
    """Per question: how many answered, facility and choice counts; per player: score, answers, time."""
    answers = list(db.session.scalars(select(LiveAnswer).where(LiveAnswer.game_id == game.id)))
    db.session.scalars(select(LiveQuestion).where(LiveQuestion.game_id == game.id)  # the prompts, in one query
                       .options(selectinload(LiveQuestion.question))).all()
    by_position: dict[int, list[LiveAnswer]] = {}
    by_player: dict[int, list[LiveAnswer]] = {}
    for a in answers:
        by_position.setdefault(a.position, []).append(a)
        by_player.setdefault(a.player_id, []).append(a)
    questions = []
    for item in game.questions:
        given = by_position.get(item.position, [])
        picked = Counter(text for a in given for text in a.response)
        choices = [{"text": c["text"], "count": picked.get(c["text"], 0)}
                   for c in question_type(item.type).public(item.spec, item.presentation).get("choices", [])]
        right = sum(a.is_correct for a in given)
        questions.append(QuestionReport(item.position, item.question.prompt, len(given), right,
                                        round(right / len(given), 2) if given else None, choices))
    in_game = players_in(game)
    db.session.scalars(select(User).where(User.id.in_([p.user_id for p in in_game if p.user_id]))).all()
    ranks = _ranks({p.id: p.score for p in in_game})
    players = [PlayerReport(p.nickname, p.user.username if p.user else None, p.score, ranks[p.id],
                            len(by_player.get(p.id, [])), sum(a.is_correct for a in by_player.get(p.id, [])),
                            round(sum(a.seconds for a in by_player.get(p.id, [])), 1))
               for p in in_game]
    players.sort(key=lambda r: (r.rank, r.nickname.casefold()))
    return GameReport(game, questions, players)


def report_csv(game_report: GameReport) -> str:
    """The report's players, one row each, best first: what a teacher keeps of a game."""
    header = ["Rank", "Nickname", "Username", "Score", "Answered", "Right", "Seconds"]
    rows = [[r.rank, r.nickname, r.username or "", r.score, r.answered, r.right, r.seconds]
            for r in game_report.players]
    return to_csv(header, rows)
