"""Account views."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.auth.forms import (
    ChoosePasswordForm,
    LoginForm,
    LogoutForm,
    NameForm,
    PasswordForm,
    RegisterForm,
    SchoolZoneForm,
)
from quizapp.errors import handle_domain_errors
from quizapp.extensions import login_manager
from quizapp.formatting import chosen_school_zone, forget_school_zone, school_zone
from quizapp.models import User
from quizapp.security import limit_password_changes, limit_registering, limit_sign_in
from quizapp.services import school, users

bp = Blueprint("auth", __name__, url_prefix="/auth")
handle_domain_errors(bp)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in user, unless the password changed since the session began (see ``User.get_id``)."""
    return users.user_for_session(session_id)


def _safe_next(target: str | None, default: str = "student.index") -> str:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for(default)


def _sign_in_again() -> None:
    """After a password change: this session goes on (every other one ends), and a browser the person asked
    to remember stays remembered, its cookie now carrying the new password's mark."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(current_user._get_current_object(), remember=remembered)


# What a person who must choose a password may still reach.
_BEFORE_CHOOSING = frozenset({"auth.choose_password", "auth.logout", "static"})


def _zone_unasked() -> bool:
    """True while the school's time zone is to be asked of the next teacher."""
    return current_app.config["ASK_SCHOOL_TIME_ZONE"] and chosen_school_zone() is None


@bp.before_app_request
def first_things_first():
    """A password handed out by a teacher is replaced before anything else; the school's time zone is
    chosen before the teacher pages."""
    if request.path.startswith("/api/") or request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if current_user.must_choose_password:
        return None if request.endpoint in _BEFORE_CHOOSING else redirect(url_for("auth.choose_password"))
    if request.blueprint == "teacher" and current_user.is_teacher and _zone_unasked():
        return redirect(url_for("auth.school_time_zone", next=request.full_path.rstrip("?")))
    return None


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
        try:
            user = users.authenticate(form.username.data, form.password.data, one_time=True)
        except users.OneTimePasswordExpired:
            days = users.ONE_TIME_PASSWORD_LIFETIME.days
            form.password.errors.append(f"That one-time password is more than {days} days old and no longer "
                                        "works. Ask your teacher for a new one.")
        else:
            if user is not None:
                return _signed_in(user, form.remember.data and not user.must_choose_password)
            form.password.errors.append("Wrong username or password.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


def _signed_in(user: User, remember: bool):
    login_user(user, remember=remember)
    if user.must_choose_password:
        return redirect(url_for("auth.choose_password"))
    following = _safe_next(request.args.get("next"))
    if user.is_teacher and _zone_unasked():
        return redirect(url_for("auth.school_time_zone", next=following))
    return redirect(following)


@bp.route("/choose-password", methods=["GET", "POST"])
@login_required
def choose_password():
    """Replace a one-time password a teacher handed out with one of the person's own."""
    if not current_user.must_choose_password:
        return redirect(url_for("auth.account"))
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        users.choose_password(current_user, form.password.data)
        _sign_in_again()
        flash("Your password is saved. Use it from now on.", "success")
        return redirect(url_for("student.index"))
    return render_template("auth/choose_password.html", form=form), 400 if form.errors else 200


@bp.route("/school-time-zone", methods=["GET", "POST"])
@login_required
def school_time_zone():
    """Choose the time zone the whole school's times are typed and shown in (teachers only)."""
    if not current_user.is_teacher:
        abort(403, description="A teacher chooses the school's time zone.")
    form = SchoolZoneForm(formdata=None if request.method == "GET" else request.form, time_zone=school_zone().key)
    if form.validate_on_submit():
        school.set_time_zone(form.time_zone.data)
        forget_school_zone()
        flash(f"Times are now typed and shown in {form.time_zone.data}.", "success")
        return redirect(_safe_next(request.args.get("next"), "auth.account"))
    return render_template("auth/school_time_zone.html", form=form, zone_names=school.zone_names(),
                           first_time=chosen_school_zone() is None), 400 if form.errors else 200


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
            _sign_in_again()
            flash("Your password is changed. Scripts using the API need a new token.", "success")
            return redirect(url_for("auth.account"))
        form.current.errors.append("That is not your current password.")
    return _account_page(NameForm(formdata=None, display_name=current_user.display_name), form, 400)


def _account_page(name_form: NameForm, password_form: PasswordForm, status: int):
    zone_form = SchoolZoneForm(formdata=None, time_zone=school_zone().key) if current_user.is_teacher else None
    return render_template("auth/account.html", name_form=name_form, password_form=password_form,
                           zone_form=zone_form, zone_names=school.zone_names()), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (a POST with a CSRF token, so no other site can sign anyone out)."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
