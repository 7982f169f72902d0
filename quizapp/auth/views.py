"""Account views."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.auth.forms import LoginForm, LogoutForm, RegisterForm
from quizapp.extensions import db, login_manager
from quizapp.models import User
from quizapp.security import limit_registering, limit_sign_in
from quizapp.services import users

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("student.quizzes")


@bp.route("/register", methods=["GET", "POST"])
@limit_registering
def register():
    """Create a student account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("student.quizzes"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(form.username.data, form.display_name.data, form.password.data)
        except users.UsernameTaken:
            form.username.errors.append("That username is taken; choose another.")
        else:
            login_user(user)
            flash(f"Welcome, {user.display_name}! Pick a quiz to start.", "success")
            return redirect(url_for("student.quizzes"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limit_sign_in
def login():
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("student.quizzes"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Wrong username or password.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST with a CSRF token, so no other site can sign anyone out)."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
