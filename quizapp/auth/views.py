"""Account views."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.auth.forms import LoginForm, LogoutForm, NameForm, PasswordForm, RegisterForm
from quizapp.extensions import db, login_manager
from quizapp.models import User
from quizapp.security import limit_password_changes, limit_registering, limit_sign_in
from quizapp.services import users

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("student.index")


@bp.route("/register", methods=["GET", "POST"])
@limit_registering
def register():
    """Create a student account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("student.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(form.username.data, form.display_name.data, form.password.data)
        except users.UsernameTaken:
            form.username.errors.append("That username is taken; choose another.")
        else:
            login_user(user)
            flash(f"Welcome, {user.display_name}! Pick a quiz to start.", "success")
            return redirect(url_for("student.index"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limit_sign_in
def login():
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("student.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Wrong username or password.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in person's account: their name (sent here) and their password (sent to change_password)."""
    name_form = NameForm(formdata=None if request.method == "GET" else request.form,
                         display_name=current_user.display_name)
    if name_form.validate_on_submit():
        users.rename(current_user, name_form.display_name.data)
        flash("Your name is saved.", "success")
        return redirect(url_for("auth.account"))
    return _account_page(name_form, PasswordForm(formdata=None), 400 if name_form.errors else 200)


@bp.post("/account/password")
@login_required
@limit_password_changes
def change_password():
    """Change the password, given the current one; the account's API tokens stop working."""
    form = PasswordForm()
    if form.validate_on_submit():
        if users.change_password(current_user, form.current.data, form.password.data):
            flash("Your password is changed. Scripts using the API need a new token.", "success")
            return redirect(url_for("auth.account"))
        form.current.errors.append("That is not your current password.")
    return _account_page(NameForm(formdata=None, display_name=current_user.display_name), form, 400)


def _account_page(name_form: NameForm, password_form: PasswordForm, status: int):
    return render_template("auth/account.html", name_form=name_form, password_form=password_form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST with a CSRF token, so no other site can sign anyone out)."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
