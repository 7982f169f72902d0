"""Student views: thin wrappers over the quiz and attempt services."""

from contextlib import suppress

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.domain.errors import DomainError
from quizapp.errors import domain_error_page, handle_domain_errors
from quizapp.models import utcnow
from quizapp.security import limit_answers
from quizapp.services import attempts, classrooms, home, reports, standings
from quizapp.services.quizzes import (
    QuizAssigned,
    practice_quiz,
    practisable,
    quiz_summaries,
    unfinished_attempts,
)
from quizapp.services.results import running_score
from quizapp.student.forms import AnswerForm, JoinForm

bp = Blueprint("student", __name__)


def _refused(error: DomainError):
    """The services' refusals: a finished attempt's page is its results, saying why; others are an error
    page with the error's status."""
    attempt_id = (request.view_args or {}).get("attempt_id")
    if isinstance(error, attempts.AttemptFinished) and attempt_id is not None:
        flash(str(error), "warning")
        return redirect(url_for("student.results", attempt_id=attempt_id))
    return domain_error_page(error)


handle_domain_errors(bp, _refused)


@bp.route("/")
def index():
    """Where everyone starts: a student's "To do", a teacher's own home, a welcome for visitors."""
    if not current_user.is_authenticated:
        return render_template("index.html")
    if current_user.is_teacher:
        return redirect(url_for("teacher.index"))
    return render_template("student/todo.html", home=home.student_home(current_user))


@bp.route("/quizzes")
@login_required
def quizzes():
    """The quizzes set to the student's classes that are open or upcoming, then every quiz to practise."""
    return render_template("student/quizzes.html", summaries=quiz_summaries(current_user),
                           assigned=classrooms.upcoming_and_open(current_user))


@bp.route("/quizzes/<int:quiz_id>/start", methods=["POST"])
@login_required
def start(quiz_id: int):
    """Start an attempt and go to its first question; an unfinished one is carried on instead."""
    try:
        quiz = practice_quiz(quiz_id, current_user)
    except QuizAssigned as error:
        flash(str(error), "warning")
        return redirect(url_for("student.classes"))
    unfinished = unfinished_attempts(current_user, quiz)
    if unfinished:
        flash("You had this quiz in progress: carry on where you left off.", "info")
        return redirect(url_for("student.attempt", attempt_id=unfinished[0].id))
    try:
        started = attempts.start_practice(current_user, quiz)
    except attempts.EmptyQuiz as error:
        flash(str(error), "error")
        return redirect(url_for("student.quizzes"))
    if started.left_out:
        flash(f"{started.left_out} question{'s are' if started.left_out != 1 else ' is'} left out: "
              "also in an assignment still open for you.", "info")
    return redirect(url_for("student.attempt", attempt_id=started.attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    """The current question; a reload shows the same one until it is answered."""
    attempt = attempts.get_own_attempt(current_user, attempt_id)
    if attempt.is_finished:
        return redirect(url_for("student.results", attempt_id=attempt.id))
    item = attempts.current_item(attempt)
    if item is None:
        return render_template("student/complete.html", attempt=attempt)
    return _question_page(attempt, item, AnswerForm(question_id=item.question_id))


def _question_page(attempt, item, form, error: str | None = None, status: int = 200, given=()):
    view = attempts.question_view(item, len(attempt.items))
    return render_template("student/question.html", attempt=attempt, q=view, form=form,
                           error=error, given=list(given), now=utcnow()), status


@bp.route("/attempts/<int:attempt_id>/answer", methods=["POST"])
@login_required
@limit_answers
def answer(attempt_id: int):
    """Record an answer and show its feedback; when the quiz keeps feedback for the end, go on to the next
    question. ``time_up``: the page sent what was on screen as the time ran out; the attempt then ends."""
    attempt = attempts.get_own_attempt(current_user, attempt_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("time_up") == "1":
        return _time_up(attempt, form.question_id.data, request.form.getlist("response"))
    try:
        feedback = attempts.record_answer(attempt, form.question_id.data, request.form.getlist("response"))
    except attempts.AlreadyAnswered as error:  # not a failure here: the first answer's feedback again
        flash(str(error), "warning")
        feedback = error.feedback
    except attempts.InvalidResponse as error:  # the question again, with what was sent, to correct it
        item = attempts.current_item(attempt)
        return _question_page(attempt, item, form, error=f"Your answer was not recorded: {error}.", status=400,
                              given=request.form.getlist("response"))
    else:
        if feedback.held:
            flash("Answer saved.", "success")
    if feedback.held:  # the quiz gives its feedback at the end: on to the next question
        return redirect(url_for("student.attempt", attempt_id=attempt.id))
    return redirect(url_for("student.feedback", attempt_id=attempt.id, position=feedback.item.position))


def _time_up(attempt, question_id: int, raw: list[str]):
    """Keep the answer the page sent as the time ran out, if it came in time and is whole; then the
    results, which say that time is up."""
    with suppress(attempts.AttemptError):
        try:
            attempts.record_answer(attempt, question_id, raw)
        except attempts.InvalidResponse as error:
            flash(f"Time is up. Your last answer could not be saved: {error}.", "warning")
    attempts.run_out(attempt)
    return redirect(url_for("student.results", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/feedback/<int:position>")
@login_required
def feedback(attempt_id: int, position: int):
    """Right or wrong, the correct answer, why, and where the text says so."""
    attempt = attempts.get_own_attempt(current_user, attempt_id)
    feedback = attempts.feedback_for(attempt, position)
    if feedback is None or feedback.held:
        return redirect(url_for("student.attempt", attempt_id=attempt.id))
    remaining = len(attempt.items) - attempts.answered_count(attempt)
    return render_template("student/feedback.html", attempt=attempt, fb=feedback,
                           remaining=remaining, so_far=running_score(attempt))


@bp.route("/attempts/<int:attempt_id>/finish", methods=["POST"])
@login_required
def finish(attempt_id: int):
    """Finish the attempt; unanswered questions earn nothing."""
    attempt = attempts.get_own_attempt(current_user, attempt_id)
    with suppress(attempts.AttemptFinished):
        attempts.finish_attempt(attempt)
    return redirect(url_for("student.results", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/results")
@login_required
def results(attempt_id: int):
    """Score, percentage, time taken and a review of every question (for the student and their teacher)."""
    attempt = attempts.get_own_attempt(current_user, attempt_id, teacher_may_read=True)
    if not attempt.is_finished:
        return redirect(url_for("student.attempt", attempt_id=attempt.id))
    entries = attempts.review_for(attempt, current_user)
    mistakes_only = request.args.get("show") == "mistakes"
    return render_template("student/results.html", attempt=attempt, entries=entries,
                           parts=reports.revision_summary(entries), mistakes_only=mistakes_only,
                           can_practise=attempt.user_id == current_user.id
                           and any(not (e.answer and e.answer.is_correct) for e in entries)
                           and practisable(current_user, attempt.quiz),
                           ran_out=attempts.ran_out_of_time(attempt),
                           seconds=attempt.seconds,
                           correct=sum(1 for e in entries if e.answer and e.answer.is_correct))


@bp.post("/attempts/<int:attempt_id>/mistakes")
@login_required
def practise_mistakes(attempt_id: int):
    """A new practice attempt of just the questions a finished attempt got wrong or left out."""
    attempt = attempts.get_own_attempt(current_user, attempt_id)
    if not attempt.is_finished:
        abort(404)
    try:
        quiz = practice_quiz(attempt.quiz_id, current_user)
    except QuizAssigned as error:
        flash(str(error), "warning")
        return redirect(url_for("student.results", attempt_id=attempt.id))
    try:
        started = attempts.start_practice(current_user, quiz, only=attempts.mistakes(attempt))
    except attempts.EmptyQuiz as error:
        flash(str(error), "info")
        return redirect(url_for("student.results", attempt_id=attempt.id))
    return redirect(url_for("student.attempt", attempt_id=started.attempt.id))


@bp.route("/history")
@login_required
def history():
    """Past attempts, newest first."""
    return render_template("student/history.html", attempts=attempts.history(current_user))


@bp.route("/classes")
@login_required
def classes():
    """The student's classes and their assignments: open, upcoming, done."""
    return render_template("student/classes.html", dashboard=classrooms.dashboard(current_user))


@bp.route("/classes/join", methods=["GET", "POST"])
@login_required
def join():
    """Join a class with the code the teacher gave."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            classroom = classrooms.join(current_user, form.code.data, form.nickname.data or "")
        except classrooms.ClassroomError as error:
            form.code.errors.append(str(error))
        else:
            flash(f"You joined {classroom.name}.", "success")
            return redirect(url_for("student.classroom", classroom_id=classroom.id))
    return render_template("student/join.html", form=form), 400 if form.errors else 200


@bp.route("/classes/<int:classroom_id>")
@login_required
def classroom(classroom_id: int):
    """A class as its student sees it: assignments, overall standing and mastery."""
    classroom = classrooms.get_visible_classroom(current_user, classroom_id)
    if classroom.teacher_id == current_user.id:
        return redirect(url_for("teacher.classroom", classroom_id=classroom.id))
    (_, statuses), = classrooms.dashboard(current_user, only=classroom)
    return render_template("student/classroom.html", classroom=classroom, statuses=statuses,
                           board=standings.class_board(classroom, current_user.id),
                           mastery=reports.class_mastery(classroom, current_user.id, withhold_keys=True))


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int):
    """Start, or carry on, an attempt at an assignment."""
    assignment = classrooms.get_visible_assignment(current_user, assignment_id)
    try:
        attempt = attempts.start_assignment_attempt(current_user, assignment)
    except (attempts.AssignmentUnavailable, attempts.EmptyQuiz) as error:
        flash(str(error), "error")
        return redirect(url_for("student.classroom", classroom_id=assignment.classroom_id))
    return redirect(url_for("student.attempt", attempt_id=attempt.id))


@bp.route("/classes/<int:classroom_id>/leaderboard")
@login_required
def class_leaderboard(classroom_id: int):
    """The class's overall leaderboard, for its members and teacher."""
    classroom = classrooms.get_visible_classroom(current_user, classroom_id)
    return render_template("student/leaderboard.html", classroom=classroom,
                           board=standings.class_board(classroom, current_user.id))


@bp.route("/assignments/<int:assignment_id>/leaderboard")
@login_required
def assignment_leaderboard(assignment_id: int):
    """One assignment's leaderboard, for the class's members and teacher."""
    assignment = classrooms.get_visible_assignment(current_user, assignment_id)
    return render_template("student/leaderboard.html", classroom=assignment.classroom, assignment=assignment,
                           board=standings.assignment_board(assignment, current_user.id))
