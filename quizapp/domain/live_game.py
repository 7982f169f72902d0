"""A live game's life: its phases, the moves a host makes between them, and the rules for a nickname
and a PIN. Plain Python: ``services.live_games`` keeps the state in the database and applies these rules.

    lobby ──start──▶ question open ──close──▶ question closed ──results──▶ results ──next──▶ question open …
                                                 any phase ──finish──▶ finished

A question also closes by itself when its time runs out: the server reads an open question past its
deadline as closed (``phase_at``), whether or not anything has written that down yet. The host may end
the game from any phase but finished (from the lobby, a game nobody played: its PIN is free again).
"""

from __future__ import annotations

import enum
import secrets
import unicodedata
from datetime import datetime

from quizapp.domain.errors import Conflict, Invalid

PIN_DIGITS = 6
NICKNAME_MAX = 20
NICKNAME_MIN = 1
SUBSTRING_MIN = 5  # a blocked word this long is refused inside another word too
BLOCKED_WORDS = frozenset({
    "arse", "ass", "asshole", "bastard", "bitch", "bollocks", "cock", "crap", "cunt", "dick", "fuck", "fucker",
    "fucking", "nazi", "nigger", "penis", "piss", "porn", "pussy", "shit", "slut", "twat", "wank", "wanker",
    "whore",
})


class Phase(enum.StrEnum):
    LOBBY = "lobby"
    QUESTION_OPEN = "question_open"
    QUESTION_CLOSED = "question_closed"
    RESULTS = "results"
    FINISHED = "finished"


class Move(enum.StrEnum):
    START = "start"
    CLOSE = "close"
    RESULTS = "results"
    NEXT = "next"
    FINISH = "finish"


class IllegalMove(Conflict):
    code = "illegal_move"


class BadNickname(Invalid):
    code = "bad_nickname"


_MOVES = {
    (Phase.LOBBY, Move.START): Phase.QUESTION_OPEN,
    (Phase.QUESTION_OPEN, Move.CLOSE): Phase.QUESTION_CLOSED,
    (Phase.QUESTION_CLOSED, Move.RESULTS): Phase.RESULTS,
    (Phase.RESULTS, Move.NEXT): Phase.QUESTION_OPEN,
    (Phase.LOBBY, Move.FINISH): Phase.FINISHED,
    (Phase.QUESTION_OPEN, Move.FINISH): Phase.FINISHED,
    (Phase.QUESTION_CLOSED, Move.FINISH): Phase.FINISHED,
    (Phase.RESULTS, Move.FINISH): Phase.FINISHED,
}


def phase_at(phase: Phase, closes_at: datetime | None, now: datetime) -> Phase:
    """The phase as it stands at ``now``: an open question past its deadline is closed."""
    if phase is Phase.QUESTION_OPEN and closes_at is not None and now >= closes_at:
        return Phase.QUESTION_CLOSED
    return phase


def after(phase: Phase, move: Move, *, position: int, total: int) -> Phase:
    """The phase ``move`` leads to from ``phase``; IllegalMove if it may not be made there. ``position`` is
    the question just played (0 in the lobby) of ``total``: "next" after the last question is refused."""
    target = _MOVES.get((phase, move))
    if target is None:
        raise IllegalMove(f"A game in {phase.value.replace('_', ' ')} cannot {move.value}.")
    if move in (Move.START, Move.NEXT) and position >= total:
        raise IllegalMove("That was the last question: finish the game.")
    return target


def new_pin() -> str:
    """Six random digits, never starting with 0 (a PIN read aloud keeps its length)."""
    return str(secrets.randbelow(9 * 10 ** (PIN_DIGITS - 1)) + 10 ** (PIN_DIGITS - 1))


def clean_pin(raw: str) -> str | None:
    """The PIN typed, without spaces; None unless it is six digits."""
    pin = "".join((raw or "").split())
    return pin if len(pin) == PIN_DIGITS and pin.isascii() and pin.isdigit() else None


def nickname_key(nickname: str) -> str:
    """What two nicknames must not share in one game: case, accents and spacing aside."""
    folded = unicodedata.normalize("NFKD", nickname).casefold()
    return "".join(c for c in folded if c.isalnum())


def clean_nickname(raw: str, blocked: frozenset[str] | set[str] = frozenset()) -> str:
    """The nickname as shown: trimmed, inner spaces collapsed. BadNickname, with the reason, if it is empty,
    too long, not printable, or holds a blocked word (the built-in list and the host's ``blocked``)."""
    nickname = " ".join((raw or "").split())
    if len(nickname) < NICKNAME_MIN or not nickname_key(nickname):
        raise BadNickname("Choose a nickname with at least one letter or digit.")
    if len(nickname) > NICKNAME_MAX:
        raise BadNickname(f"Keep your nickname to {NICKNAME_MAX} characters.")
    if any(unicodedata.category(c)[0] == "C" for c in nickname):
        raise BadNickname("Use letters, digits and spaces in your nickname.")
    key = nickname_key(nickname)
    words = {nickname_key(w) for w in nickname.split()}
    for word in BLOCKED_WORDS | {nickname_key(b) for b in blocked if nickname_key(b)}:
        # A short word only as a word of its own: "Hancock", "Scunthorpe" and "Dickinson" are names.
        if word in words or (len(word) >= SUBSTRING_MIN and word in key):
            raise BadNickname("That nickname is not allowed here. Choose another.")
    return nickname
