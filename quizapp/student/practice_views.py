"""Spaced practice for a student: today's practice, a question from the queue and its feedback with a rating
of one's own, the daily limits, and progress per key point, FAQ and section (``services.practice``).

Showing a question writes nothing: the question as shown (its version, the order of its choices, when) is
sealed into the page (``practice.seal``) and comes back with the answer. The feedback page's address carries
the same token, so the choices are listed in the order the student saw them; without it (or with one too old)
they are listed in the order the question stores them. A refusal (the question changed, the card was
answered meanwhile, the token is no good, the key is held back now) is part of practising, not an error: it
is said in a message, and the next question follows."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.domain.practice import RATINGS_BY_NAME
from quizapp.domain.question_types import InvalidResponse, question_type
from quizapp.formatting import relative, school_zone
from quizapp.models import utcnow
from quizapp.security import limit_answers
from quizapp.services import practice
from quizapp.student.forms import PracticeAnswerForm, PracticeSettingsForm
from quizapp.student.views import bp

REFUSALS = (practice.BadToken, practice.PracticeError, practice.KeyWithheld)


def _where(mode: str | None, part: str | int | None) -> dict:
    """The queue a request practises from, as URL arguments: ``mode`` (due, ahead, part) and the part's id."""
    mode = mode if mode in practice.MODES else "due"
    if mode != "part":
        return {"mode": mode}
    try:
        return {"mode": mode, "part": int(part)}
    except (TypeError, ValueError):
        abort(404)


def _view(question, presentation: dict) -> dict:
    """The question as the answer form shows it (``_question_fieldset.html``), without its key."""
    kind = question_type(question.type)
    return {"question_id": question.id, "type": question.type, "type_label": kind.label, "prompt": question.prompt,
            "points": question.points, **kind.public(question.spec, presentation)}


def _unsealed(token: str | None):
    """The shown question a token names, or None for no token, or one not ours or too old."""
    if not token:
        return None
    try:
        return practice.unseal(token, current_app.secret_key)
    except practice.BadToken:
        return None


@bp.route("/practice")
@login_required
def practice_today():
    """What is due today and what has been done; when nothing is left, what comes next and what to
    practise instead."""
    zone = school_zone()
    queue = practice.queue(current_user, zone)
    progress = None if queue.items else practice.progress(current_user, zone)
    return render_template("student/practice.html", queue=queue, progress=progress)


@bp.route("/practice/question")
@login_required
def practice_question():
    """The next question of the queue chosen (``mode``, ``part``), sealed into the page."""
    where = _where(request.args.get("mode"), request.args.get("part"))
    zone = school_zone()
    if where["mode"] == "part":
        practice.practice_part(current_user, where["part"])  # NotFound for a part not theirs to practise
    queue = practice.queue(current_user, zone, mode=where["mode"], part_id=where.get("part"))
    if not queue.items:
        if where["mode"] != "due":  # the practice page says what is due, and what comes next
            flash("Nothing more to practise here for now.", "info")
        return redirect(url_for("student.practice_today"))
    item = queue.items[0]
    shown = practice.show(current_user, item)
    return _question_page(queue, item, shown, practice.seal(shown, current_app.secret_key), where)


def _question_page(queue, item, shown, token: str, where: dict, error: str | None = None, given=(),
                   status: int = 200):
    part = practice.practice_part(current_user, where["part"]) if where["mode"] == "part" else None
    form = PracticeAnswerForm(formdata=None, token=token, mode=where["mode"], part=where.get("part", ""))
    done = queue.reviewed_today + queue.new_today
    return render_template("student/practice_question.html", queue=queue, item=item, q=_view(item.question,
                           shown.presentation), form=form, where=where, part=part, done=done,
                           total=done + len(queue.items), error=error, given=list(given), now=utcnow()), status


@bp.post("/practice/answer")
@login_required
@limit_answers
def practice_answer():
    """Grade the answer, review the card, and show the feedback (at its own address, so a reload does not
    answer again)."""
    form = PracticeAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    where = _where(form.mode.data, form.part.data)
    raw = request.form.getlist("response")
    try:
        shown = practice.unseal(form.token.data, current_app.secret_key)
        feedback = practice.answer(current_user, shown, raw)
    except REFUSALS as error:
        flash(str(error), "warning")
        return redirect(url_for("student.practice_question", **where))
    except InvalidResponse as error:  # the same question again, as it was shown, with what was sent
        queue = practice.queue(current_user, school_zone(), mode=where["mode"], part_id=where.get("part"))
        item = next((i for i in queue.items if i.question.id == shown.question_id), None)
        if item is None:
            flash(f"Your answer was not recorded: {error}.", "warning")
            return redirect(url_for("student.practice_question", **where))
        return _question_page(queue, item, shown, form.token.data, where,
                              error=f"Your answer was not recorded: {error}.", given=raw, status=400)
    return redirect(url_for("student.practice_feedback", review_id=feedback.review.id, t=form.token.data,
                            **where))


@bp.route("/practice/reviews/<int:review_id>")
@login_required
def practice_feedback(review_id: int):
    """Right or wrong, the correct answer, why and where the text says so; when the card is due next, and the
    student's own rating of their recall."""
    where = _where(request.args.get("mode"), request.args.get("part"))
    token = request.args.get("t")
    shown = _unsealed(token)
    # Without the token, the choices in the order the question stores them: said so on the page. Refused
    # (403) while an assignment set since can ask the question: its key is held back.
    feedback = practice.feedback(current_user, review_id, shown.presentation if shown else None)
    if shown is not None and shown.question_id != feedback.question.id:
        shown, feedback = None, practice.feedback(current_user, review_id)
    return render_template("student/practice_feedback.html", fb=feedback, where=where,
                           token=token if shown else None, now=utcnow(), reveal=True,
                           part_withheld=feedback.part_withheld, ratings=list(RATINGS_BY_NAME))


@bp.post("/practice/reviews/<int:review_id>/rating")
@login_required
def practice_rate(review_id: int):
    """The student's own rating of their recall replaces the one the answer gave; then the next question."""
    where = _where(request.form.get("mode"), request.form.get("part"))
    try:
        rated = practice.rate(current_user, review_id, request.form.get("rating", ""))
    except practice.PracticeError as error:
        flash(str(error), "warning")
        return redirect(url_for("student.practice_feedback", review_id=review_id, t=request.form.get("t") or None,
                                **where))
    flash(f"Rated {rated.rating_name.title()}: this question comes back {relative(rated.card.due, utcnow())}.",
          "success")
    return redirect(url_for("student.practice_question", **where))


@bp.route("/practice/settings", methods=["GET", "POST"])
@login_required
def practice_settings():
    """The daily limits on new questions and on reviews."""
    limits = practice.limits(current_user)
    form = PracticeSettingsForm(new_per_day=limits.new_per_day, reviews_per_day=limits.reviews_per_day)
    if form.validate_on_submit():
        practice.set_limits(current_user, form.new_per_day.data, form.reviews_per_day.data)
        flash("Your daily limits are saved.", "success")
        return redirect(url_for("student.practice_today"))
    return render_template("student/practice_settings.html", form=form), 400 if form.errors else 200


@bp.route("/progress")
@login_required
def progress():
    """Predicted recall per key point, FAQ and section of each text, what is coming, and the streak."""
    return render_template("student/progress.html", progress=practice.progress(current_user, school_zone()))
