"""The host's pages of live games: set one up from any quiz the teacher can see, run it on the projector
(the page the socket drives: ``quizapp/live/events.py``), list the games, read a game's report and export
it. Another teacher's game is a 404, as if it did not exist."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from quizapp.domain.live_scoring import DOUBLE_POINTS_NOTE, Profile
from quizapp.services import classrooms
from quizapp.services import live_games as live
from quizapp.teacher.assignments import offered_quizzes, quiz_choices
from quizapp.teacher.blueprint import bp, csv_download
from quizapp.teacher.live_forms import HostForm


@bp.route("/live/new", methods=["GET", "POST"])
def new_live_game():
    """Choose a quiz, a class (or none), the scoring and the time per question; then the lobby."""
    form = HostForm()
    offered = offered_quizzes()
    form.quiz_id.choices = quiz_choices(list(offered.values()))
    taught = {c.id: c for c in classrooms.taught_classrooms(current_user)}
    form.classroom_id.choices = [SelectChoice(0, "No class: anyone with the PIN"),
                                 *(SelectChoice(c.id, c.name) for c in taught.values())]
    if not form.is_submitted():
        if request.args.get("quiz_id", type=int) in offered:
            form.quiz_id.data = request.args.get("quiz_id", type=int)
        if request.args.get("classroom_id", type=int) in taught:
            form.classroom_id.data = request.args.get("classroom_id", type=int)
    if form.validate_on_submit():
        summary = offered.get(form.quiz_id.data)
        if summary is None:
            abort(404)
        double = _positions(form.double.data or "")
        if double is None:
            form.double.errors.append("Give question numbers separated by commas, such as 3, 7.")
        else:
            game = live.create_game(current_user, summary.quiz, profile=Profile(form.profile.data),
                                    seconds=form.seconds.data, classroom=taught.get(form.classroom_id.data or 0),
                                    double_positions=double, blocked_words=(form.blocked.data or "").splitlines())
            return redirect(url_for("teacher.host_live_game", game_id=game.id))
    return render_template("teacher/live_new.html", form=form, profiles=list(Profile),
                           double_note=DOUBLE_POINTS_NOTE), 400 if form.errors else 200


def _positions(text: str) -> list[int] | None:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    return [int(p) for p in parts] if all(p.isascii() and p.isdecimal() for p in parts) else None


@bp.get("/live/<int:game_id>")
def host_live_game(game_id: int):
    """The host's screen, for the projector: lobby, questions, answers, standings and podium."""
    game = live.get_hosted_game(current_user, game_id)
    return render_template("teacher/live_host.html", game=game, join_url=_join_url(game))


@bp.get("/live/<int:game_id>/qr.svg")
def live_game_qr(game_id: int):
    """The join address as a QR code, drawn on the server."""
    game = live.get_hosted_game(current_user, game_id)
    out = io.BytesIO()
    segno.make(_join_url(game), error="m").save(out, kind="svg", scale=8, border=2, dark="#111", light="#fff",
                                                 title="QR code to join the game")
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


def _join_url(game) -> str:
    return url_for("live.join", pin=game.pin, _external=True)


@bp.get("/live")
def live_games():
    """The teacher's games, newest first; ``?classroom_id=`` narrows them to a class."""
    classroom = None
    if request.args.get("classroom_id", type=int):
        classroom = classrooms.get_taught_classroom(current_user, request.args.get("classroom_id", type=int))
    return render_template("teacher/live_games.html", games=live.hosted_games(current_user, classroom),
                           classroom=classroom)


@bp.get("/live/<int:game_id>/report")
def live_game_report(game_id: int):
    game = live.get_hosted_game(current_user, game_id)
    return render_template("teacher/live_report.html", report=live.report(game))


@bp.get("/live/<int:game_id>/report.csv")
def live_game_report_csv(game_id: int):
    game = live.get_hosted_game(current_user, game_id)
    return csv_download(live.report_csv(live.report(game)), f"live-game-{game.id}.csv")
