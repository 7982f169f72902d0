"""The players' pages: join a game with its PIN and a nickname (no account needed; a signed-in student
plays as herself), then the game's page on the phone, which the socket (``events``) drives."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from quizapp.domain.errors import DomainError, NotFound
from quizapp.errors import handle_domain_errors
from quizapp.live.events import PLAYER_COOKIE
from quizapp.live.forms import PlayForm
from quizapp.models import Role
from quizapp.security import count_wrong_pin, wrong_pin_wait
from quizapp.services import live_games as live

bp = Blueprint("live", __name__)
handle_domain_errors(bp)
COOKIE_SECONDS = 12 * 3600


@bp.route("/play", methods=["GET", "POST"])
def join():
    """Join a game. ``?pin=`` (the QR code on the host's screen) fills the PIN in."""
    form = PlayForm()
    if request.method == "GET":
        form.pin.data = request.args.get("pin", "")[:12]
        if current_user.is_authenticated and not form.nickname.data:
            form.nickname.data = current_user.display_name[:20]
    if form.validate_on_submit():
        wait = wrong_pin_wait()
        if wait is not None:
            raise TooManyRequests(retry_after=wait)
        student = current_user if current_user.is_authenticated and current_user.role is Role.STUDENT else None
        try:
            player = live.join(form.pin.data, form.nickname.data, user=student)
        except NotFound as error:
            count_wrong_pin()
            form.pin.errors.append(str(error))
        except live.NicknameTaken as error:
            form.nickname.errors.append(str(error))
        except DomainError as error:
            (form.pin if isinstance(error, live.LobbyClosed) else form.nickname).errors.append(str(error))
        else:
            response = redirect(url_for("live.play", game_id=player.game_id))
            response.set_cookie(PLAYER_COOKIE, live.player_token(player, current_app.config["SECRET_KEY"]),
                                max_age=COOKIE_SECONDS, httponly=True, samesite="Lax",
                                secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    status = 400 if form.errors else 200
    return render_template("live/join.html", form=form), status


@bp.get("/play/<int:game_id>")
def play(game_id: int):
    """The game on a phone. Without this game's player cookie, back to joining."""
    try:
        player = live.player_for_token(request.cookies.get(PLAYER_COOKIE, ""), current_app.config["SECRET_KEY"])
    except DomainError:
        player = None
    if player is None or player.game_id != game_id:
        return redirect(url_for("live.join"))
    return render_template("live/play.html", player=player, game=player.game)
