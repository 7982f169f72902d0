"""Teacher views for assignments: set a quiz to a class, look it over, change it, extend it for the class
or one student, close it early, delete or archive it and restore it. Another teacher's class or assignment
is a 404, as if it did not exist."""

from collections import Counter

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from quizapp.domain.statistics import EASY_DIFFICULTY_FACILITY, MEDIUM_DIFFICULTY_FACILITY, MIN_ATTEMPTS_FOR_FLAGS
from quizapp.formatting import from_local, to_local
from quizapp.models import Counting, Feedback, utcnow
from quizapp.services import accepting, assignments, classrooms, difficulty, gradebook, reports, standings
from quizapp.services.banks import visibility
from quizapp.services.quizzes import QuizSummary, bank_quiz_summaries
from quizapp.teacher.blueprint import bp, csv_download
from quizapp.teacher.forms import AssignmentForm, ClassExtensionForm, StudentExtensionForm
from quizapp.teacher.statistics_forms import AcceptAnswerForm, CorrectDifficultiesForm, DifficultyForm


def _bank_label(bank) -> str:
    if bank.owner_id is None:
        return f"{bank.title} (built in)"
    return f"{bank.title} (yours)" if bank.owner_id == current_user.id else f"{bank.title} (shared with you)"


def _unique(labels: list[str], fuller: list[str]) -> list[str]:
    """``labels``, each one that is not unique replaced by its ``fuller`` form, and any still alike numbered."""
    counts = Counter(labels)
    labels = [full if counts[label] > 1 else label for label, full in zip(labels, fuller, strict=True)]
    counts, seen = Counter(labels), Counter()
    unique = []
    for label in labels:
        seen[label] += 1
        unique.append(f"{label} ({seen[label]})" if counts[label] > 1 else label)
    return unique


def quiz_choices(summaries: list[QuizSummary]) -> dict[str, list[SelectChoice]]:
    """The quizzes grouped by bank, for the assign form: no two groups and no two options read the same."""
    banks = list({s.quiz.bank_id: s.quiz.bank for s in summaries}.values())
    groups = dict(zip((b.id for b in banks), _unique([b.title for b in banks], [_bank_label(b) for b in banks]),
                      strict=True))
    labels = []
    for s in summaries:
        at_end = ", feedback at the end" if s.quiz.feedback is Feedback.AT_END else ""
        labels.append(f"{s.quiz.title} ({s.question_count} questions{at_end})")
    labels = _unique(labels, [f"{label} · {groups[s.quiz.bank_id]}" for label, s in zip(labels, summaries,
                                                                                          strict=True)])
    choices: dict[str, list[SelectChoice]] = {}
    for s, label in zip(summaries, labels, strict=True):
        choices.setdefault(groups[s.quiz.bank_id], []).append(SelectChoice(s.quiz.id, label))
    return choices


def offered_quizzes(current=None) -> dict[int, QuizSummary]:
    """The quizzes of the banks the teacher may see, and ``current``, the quiz an assignment has already."""
    offered = {s.quiz.id: s for s in bank_quiz_summaries([bank.id for bank in visibility.visible_banks(current_user)])}
    if current is not None and current.id not in offered:
        offered.update({s.quiz.id: s for s in bank_quiz_summaries([current.bank_id]) if s.quiz.id == current.id})
    return offered


def _render_form(classroom, form, feedback_modes: dict[int, str], assignment=None):
    return render_template("teacher/assignment_form.html", classroom=classroom, form=form, assignment=assignment,
                           feedback_modes=feedback_modes), 400 if form.errors else 200


@bp.route("/classes/<int:classroom_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(classroom_id: int):
    """Assign a quiz to the class."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    form = AssignmentForm()
    offered = offered_quizzes()
    form.quiz_id.choices = quiz_choices(list(offered.values()))
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
    return _render_form(classroom, form, {s.quiz.id: s.quiz.feedback.value for s in offered.values()})


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int):
    """Change an assignment's times, limits and counting; its quiz too while nobody has started it."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    locked = assignments.has_attempts(assignment)
    form = AssignmentForm(data=None if request.method == "POST" else {
        "quiz_id": assignment.quiz_id, "opens_at": to_local(assignment.opens_at),
        "closes_at": to_local(assignment.closes_at), "time_limit_minutes": assignment.time_limit_minutes,
        "attempts_allowed": assignment.attempts_allowed, "counting": assignment.counting.value})
    form.submit.label.text = "Save changes"
    offered = {} if locked else offered_quizzes(assignment.quiz)
    if locked:
        del form.quiz_id  # students have started it: the quiz stays
    else:
        form.quiz_id.choices = quiz_choices(list(offered.values()))
    if form.validate_on_submit():
        quiz = assignment.quiz if locked else offered[form.quiz_id.data].quiz
        try:
            assignments.update_assignment(assignment, quiz, from_local(form.opens_at.data),
                                          from_local(form.closes_at.data), form.time_limit_minutes.data,
                                          form.attempts_allowed.data, Counting(form.counting.data))
        except classrooms.ClassroomError as error:
            form.closes_at.errors.append(str(error))
        else:
            flash("Saved the changes to the assignment.", "success")
            return redirect(url_for("teacher.assignment", assignment_id=assignment.id))
    modes = {i: s.quiz.feedback.value for i, s in offered.items()}
    modes.setdefault(assignment.quiz_id, assignment.quiz.feedback.value)
    return _render_form(assignment.classroom, form, modes, assignment)


@bp.route("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    """Item statistics, score distribution and mastery for one assignment."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    now = utcnow()
    return render_template("teacher/assignment.html", assignment=assignment,
                           min_attempts_for_flags=MIN_ATTEMPTS_FOR_FLAGS,
                           easy_facility=EASY_DIFFICULTY_FACILITY, medium_facility=MEDIUM_DIFFICULTY_FACILITY,
                           report=reports.assignment_report(assignment),
                           board=standings.assignment_board(assignment),
                           can_close_early=assignment.opens_at <= now
                           and assignments.is_open_for_anyone(assignment, now))


@bp.post("/assignments/<int:assignment_id>/questions/<int:question_id>/accept")
def accept_answer(assignment_id: int, question_id: int):
    """Accept an answer students typed as correct: a new version of the question, regrading on request."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    question = accepting.get_asked_in(assignment, question_id)
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


@bp.post("/assignments/<int:assignment_id>/questions/<int:question_id>/difficulty")
def set_difficulty(assignment_id: int, question_id: int):
    """Set a question's difficulty, as its answers suggest: filing only, no new version of the question."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    question = accepting.get_asked_in(assignment, question_id)
    form = DifficultyForm()
    back = redirect(url_for("teacher.assignment", assignment_id=assignment_id, _anchor=f"item-{question_id}"))
    if not form.validate_on_submit():
        flash("That difficulty could not be read; reload the page and try again.", "error")
        return back
    try:
        changed = difficulty.set_difficulty(current_user, question, form.difficulty.data)
    except difficulty.CannotChangeDifficulty as error:
        flash(str(error), "warning")
        return back
    flash(difficulty.summary([changed] if changed else []), "success")
    return back


@bp.post("/assignments/<int:assignment_id>/difficulty")
def correct_difficulties(assignment_id: int):
    """Set every difficulty the assignment's answers suggest, in the banks the teacher may change."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    back = redirect(url_for("teacher.assignment", assignment_id=assignment_id, _anchor="questions"))
    if not CorrectDifficultiesForm().validate_on_submit():
        flash("That request could not be read; reload the page and try again.", "error")
        return back
    report = reports.assignment_report(assignment)
    done = difficulty.correct_difficulties(current_user, [(item.question, item.suggested_difficulty)
                                                          for item in report.correctable])
    flash(difficulty.summary(done), "success")
    return back


@bp.route("/assignments/<int:assignment_id>/answers.csv")
def answers_csv(assignment_id: int):
    """Every answer given to the assignment, one row each."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    return csv_download(gradebook.answers_csv(assignment), f"answers-assignment-{assignment.id}.csv")


def _extension_forms(assignment, sent: str = ""):
    """The two extension forms; only the one ``sent`` ("class" or "student") reads the request."""
    class_form = ClassExtensionForm() if sent == "class" else ClassExtensionForm(formdata=None)
    student_form = StudentExtensionForm() if sent == "student" else StudentExtensionForm(formdata=None)
    student_form.user_id.choices = [SelectChoice(m.user_id, m.user.display_name)
                                    for m in classrooms.roster(assignment.classroom)]
    return class_form, student_form


def _render_extensions(assignment, class_form, student_form):
    return render_template("teacher/extensions.html", assignment=assignment, class_form=class_form,
                           student_form=student_form, extensions=assignments.extensions(assignment)), \
        400 if class_form.errors or student_form.errors else 200


@bp.get("/assignments/<int:assignment_id>/extend")
def extensions(assignment_id: int):
    """More time for the class, or more time or attempts for one student."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    return _render_extensions(assignment, *_extension_forms(assignment))


@bp.post("/assignments/<int:assignment_id>/extend/class")
def extend_for_class(assignment_id: int):
    """Close the assignment later for the whole class."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    class_form, student_form = _extension_forms(assignment, "class")
    if class_form.validate_on_submit():
        try:
            assignments.extend_for_class(assignment, from_local(class_form.closes_at.data))
        except classrooms.ClassroomError as error:
            class_form.closes_at.errors.append(str(error))
        else:
            flash("Extended the assignment for the class.", "success")
            return redirect(url_for("teacher.assignment", assignment_id=assignment.id))
    return _render_extensions(assignment, class_form, student_form)


@bp.post("/assignments/<int:assignment_id>/extend/student")
def extend_for_student(assignment_id: int):
    """A later close, extra attempts, or both, for one student."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    class_form, student_form = _extension_forms(assignment, "student")
    if student_form.validate_on_submit():
        closes_at = student_form.closes_at.data
        try:
            extension = assignments.extend_for_student(
                assignment, student_form.user_id.data, from_local(closes_at) if closes_at else None,
                student_form.extra_attempts.data)
        except classrooms.ClassroomError as error:
            student_form.closes_at.errors.append(str(error))
        else:
            flash(f"Extended the assignment for {extension.user.display_name}.", "success")
            return redirect(url_for("teacher.extensions", assignment_id=assignment.id))
    return _render_extensions(assignment, class_form, student_form)


@bp.post("/assignments/<int:assignment_id>/extend/<int:user_id>/remove")
def remove_extension(assignment_id: int, user_id: int):
    """Take back a student's extension."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    assignments.remove_extension(assignment, user_id)
    flash("Took the extension back: the class's close and attempts apply to the student again.", "success")
    return redirect(url_for("teacher.extensions", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/close")
def close_assignment(assignment_id: int):
    """Close the assignment now, for every student."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    try:
        assignments.close_early(assignment)
    except classrooms.ClassroomError as error:
        flash(str(error), "error")
    else:
        flash("Closed the assignment; attempts still running were finished with the answers given.", "success")
    return redirect(url_for("teacher.assignment", assignment_id=assignment.id))


@bp.post("/assignments/<int:assignment_id>/delete")
def delete_assignment(assignment_id: int):
    """Delete the assignment, or archive it if students have started it."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    classroom_id, title = assignment.classroom_id, assignment.quiz.title
    if assignments.delete_assignment(assignment):
        flash(f"Deleted the assignment of {title}.", "success")
    else:
        flash(f"Archived the assignment of {title}: students had answered it, so their answers are kept. "
              "Restore it from the class page under Archived.", "success")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


@bp.post("/assignments/<int:assignment_id>/restore")
def restore_assignment(assignment_id: int):
    """Bring an archived assignment back to the class."""
    assignment = classrooms.get_taught_assignment(current_user, assignment_id)
    if assignment.archived:
        assignments.restore_assignment(assignment)
        flash(f"Restored the assignment of {assignment.quiz.title}. It stays closed until you extend it.",
              "success")
    return redirect(url_for("teacher.classroom", classroom_id=assignment.classroom_id))
