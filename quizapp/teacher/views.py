"""Teacher views for classes: rosters, assignments, gradebooks, exports and statistics. Another
teacher's class or assignment is a 404, as if it did not exist."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from quizapp.domain.statistics import MIN_ATTEMPTS_FOR_FLAGS
from quizapp.formatting import from_local
from quizapp.models import Counting, Feedback, NameDisplay
from quizapp.services import accepting, classrooms, gradebook, library, reports, standings
from quizapp.services.quizzes import QuizSummary, bank_quiz_summaries
from quizapp.teacher.blueprint import bp
from quizapp.teacher.forms import (
    AssignmentForm,
    ClassroomForm,
    NameDisplayForm,
)
from quizapp.teacher.statistics_forms import AcceptAnswerForm


def _classroom(classroom_id: int):
    classroom = classrooms.taught_classroom(current_user, classroom_id)
    if classroom is None:
        abort(404)
    return classroom


def _assignment(assignment_id: int):
    assignment = classrooms.taught_assignment(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/", methods=["GET", "POST"])
def index():
    """The teacher's classes, and a form for a new one."""
    form = ClassroomForm()
    if form.validate_on_submit():
        classroom = classrooms.create_classroom(current_user, form.name.data)
        flash(f"Created {classroom.name}. Students join with the code {classroom.join_code}.", "success")
        return redirect(url_for("teacher.classroom", classroom_id=classroom.id))
    taught = classrooms.taught_classrooms(current_user)
    return render_template("teacher/index.html", classrooms=taught, sizes=classrooms.class_sizes(taught),
                           form=form), 400 if form.errors else 200


@bp.route("/classes/<int:classroom_id>")
def classroom(classroom_id: int):
    """Join code, roster, assignments and settings of one class."""
    classroom = _classroom(classroom_id)
    return render_template("teacher/classroom.html", classroom=classroom, roster=classrooms.roster(classroom),
                           display_form=NameDisplayForm(name_display=classroom.name_display.value))


@bp.post("/classes/<int:classroom_id>/code")
def regenerate_code(classroom_id: int):
    """Give the class a new join code."""
    classroom = classrooms.regenerate_code(_classroom(classroom_id))
    flash(f"The new join code is {classroom.join_code}; the old one no longer works.", "success")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


@bp.post("/classes/<int:classroom_id>/display")
def name_display(classroom_id: int):
    """Choose how leaderboards name students."""
    classroom = _classroom(classroom_id)
    form = NameDisplayForm()
    if form.validate_on_submit():
        classrooms.set_name_display(classroom, NameDisplay(form.name_display.data))
        flash("Saved how leaderboards name students.", "success")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


@bp.post("/classes/<int:classroom_id>/members/<int:user_id>/remove")
def remove_member(classroom_id: int, user_id: int):
    """Take a student out of the class; their answers stay."""
    if not classrooms.remove_member(_classroom(classroom_id), user_id):
        abort(404)
    flash("Removed the student from the class; their past answers are kept. "
          "They could join again with the code: give the class a new code to keep them out.", "info")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


def _quiz_choice(summary: QuizSummary) -> SelectChoice:
    quiz = summary.quiz
    at_end = ", feedback at the end" if quiz.feedback is Feedback.AT_END else ""
    return SelectChoice(quiz.id, f"{quiz.title} ({summary.question_count} questions{at_end}) · {quiz.bank.title}")


@bp.route("/classes/<int:classroom_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(classroom_id: int):
    """Assign a quiz to the class."""
    classroom = _classroom(classroom_id)
    form = AssignmentForm()
    offered = {s.quiz.id: s for s in bank_quiz_summaries([bank.id for bank in library.visible_banks(current_user)])}
    form.quiz_id.choices = [_quiz_choice(s) for s in offered.values()]
    if not form.is_submitted() and request.args.get("quiz_id", type=int) in offered:  # from a quiz's card
        form.quiz_id.data = request.args.get("quiz_id", type=int)
    if form.validate_on_submit():
        # Checked here too, not left to the list of choices: only the quizzes of banks the teacher may see.
        summary = offered.get(form.quiz_id.data)
        if summary is None:
            abort(404)
        quiz = summary.quiz
        assignment = classrooms.create_assignment(
            classroom, quiz, from_local(form.opens_at.data), from_local(form.closes_at.data),
            form.time_limit_minutes.data, form.attempts_allowed.data, Counting(form.counting.data),
        )
        flash(f"Assigned {quiz.title} to {classroom.name}.", "success")
        return redirect(url_for("teacher.assignment", assignment_id=assignment.id))
    return render_template("teacher/assignment_form.html", classroom=classroom, form=form,
                           feedback_modes={s.quiz.id: s.quiz.feedback.value for s in offered.values()}), \
        400 if form.errors else 200


@bp.route("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    """Item statistics, score distribution and mastery for one assignment."""
    assignment = _assignment(assignment_id)
    return render_template("teacher/assignment.html", assignment=assignment,
                           min_attempts_for_flags=MIN_ATTEMPTS_FOR_FLAGS,
                           report=reports.assignment_report(assignment),
                           board=standings.assignment_board(assignment))


@bp.post("/assignments/<int:assignment_id>/questions/<int:question_id>/accept")
def accept_answer(assignment_id: int, question_id: int):
    """Accept an answer students typed as correct: a new version of the question, regrading on request."""
    assignment = _assignment(assignment_id)
    question = accepting.asked_in(assignment, question_id)
    if question is None:
        abort(404)
    form = AcceptAnswerForm()
    back = redirect(url_for("teacher.assignment", assignment_id=assignment_id, _anchor=f"typed-{question_id}"))
    if not form.validate_on_submit():
        flash("That answer could not be read; reload the page and try again.", "error")
        return back
    try:
        done = accepting.accept_answer(current_user, question, form.answer.data, form.blank.data, form.regrade.data)
    except accepting.CannotAccept as error:
        flash(str(error), "warning")
        return back
    flash(accepting.summary(done, form.answer.data), "success")
    return back


@bp.route("/assignments/<int:assignment_id>/answers.csv")
def answers_csv(assignment_id: int):
    """Every answer given to the assignment, one row each."""
    assignment = _assignment(assignment_id)
    return _csv(gradebook.answers_csv(assignment), f"answers-assignment-{assignment.id}.csv")


@bp.route("/classes/<int:classroom_id>/gradebook")
def gradebook_page(classroom_id: int):
    """Students × assignments: counted scores, attempts used and completion."""
    classroom = _classroom(classroom_id)
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template("teacher/gradebook.html", book=gradebook.gradebook(classroom, page))


@bp.route("/classes/<int:classroom_id>/mastery")
def class_mastery(classroom_id: int):
    """How often the class answered right on each key point, FAQ and section, over every assignment."""
    classroom = _classroom(classroom_id)
    return render_template("teacher/mastery.html", classroom=classroom, mastery=reports.class_mastery(classroom))


@bp.route("/classes/<int:classroom_id>/gradebook.csv")
def gradebook_csv(classroom_id: int):
    classroom = _classroom(classroom_id)
    return _csv(gradebook.gradebook_csv(gradebook.gradebook(classroom)), f"gradebook-class-{classroom.id}.csv")


@bp.route("/classes/<int:classroom_id>/students/<int:user_id>")
def student(classroom_id: int, user_id: int):
    """One student's attempts in this class, and their mastery of each key point and FAQ."""
    classroom = _classroom(classroom_id)
    member = classrooms.membership(classroom, user_id)
    if member is None:
        abort(404)
    return render_template("teacher/student.html", classroom=classroom, member=member,
                           attempts=gradebook.student_attempts(classroom, user_id),
                           mastery=reports.class_mastery(classroom, user_id))
