"""What the live games' socket sends: every message body, shaped here (as ``api/schemas.py`` shapes the
API's), from what ``services.live_games`` returns. Times are ISO 8601 in UTC; each message that shows a
countdown carries ``server_now``, so that a phone draws it from the server's clock, not its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quizapp.domain.live_scoring import DOUBLE_POINTS_NOTE
from quizapp.models import LiveGame, LivePlayer, utcnow
from quizapp.services.live_games import HostView, PlayerView, Reveal, Standing


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _clock(game: LiveGame) -> dict[str, Any]:
    return {"server_now": _time(utcnow()), "opened_at": _time(game.opened_at), "closes_at": _time(game.closes_at),
            "seconds": game.seconds_per_question}


def standing(s: Standing | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"player": s.player_id, "nickname": s.nickname, "score": s.score, "rank": s.rank, "change": s.change,
            "streak": s.streak, "points": s.points, "correct": s.correct}


def reveal(r: Reveal | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"question": r.question, "correct_answer": r.correct_answer, "distribution": r.distribution,
            "answered": r.answered, "right": r.right, "explanation": r.explanation,
            "source": {"label": r.source_label, "title": r.source_title}, "passage": r.passage}


def host_state(view: HostView) -> dict[str, Any]:
    game = view.game
    return {
        "game": game.id, "pin": game.pin, "title": game.title, "phase": view.phase.value, "position": game.position,
        "total": game.total, "locked": game.locked, "profile": game.profile.value,
        "profile_label": game.profile.label, "formula": game.profile.formula, "double_note": DOUBLE_POINTS_NOTE,
        "players": [player(p) for p in view.players], "question": view.question, "answered": view.answered,
        "reveal": reveal(view.reveal), "top": [standing(s) for s in view.top],
        "podium": [standing(s) for s in view.podium], **_clock(game),
    }


def player(p: LivePlayer) -> dict[str, Any]:
    return {"id": p.id, "nickname": p.nickname, "signed_in": p.user_id is not None}


def player_state(game: LiveGame, view: PlayerView) -> dict[str, Any]:
    return {
        "game": game.id, "title": game.title, "phase": view.phase.value, "position": game.position,
        "total": game.total, "nickname": view.nickname, "score": view.score, "question": view.question,
        "answered": view.answered, "standing": standing(view.standing), "players": view.players,
        "correct_answer": view.correct_answer, **_clock(game),
    }


def question(game: LiveGame, public: dict[str, Any]) -> dict[str, Any]:
    """The question just opened, as every phone gets it: no key, with the server's clock."""
    return {"phase": game.phase.value, "position": game.position, "total": game.total, "question": public,
            **_clock(game)}


def error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}
