"""Teacher views for a bank's quizzes: listed for any bank the teacher may read, built, changed and
archived only in the teacher's own. Another teacher's bank is a 404."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.services import classrooms
from quizapp.services.banks import quiz_builder, visibility
from quizapp.services.banks.writing import DEFAULT_QUIZ_KEY
from quizapp.services.quizzes import bank_quiz_summaries
from quizapp.teacher.blueprint import bp
from quizapp.teacher.quiz_forms import QuizForm


@bp.route("/banks/<int:bank_id>/quizzes")
def bank_quizzes(bank_id: int):
    """The bank's quizzes, each with what it asks; in the teacher's own bank, to build and change."""
    bank = visibility.get_visible_bank(current_user, bank_id)
    summaries = bank_quiz_summaries([bank.id], include_empty=True)
    saved = request.args.get("saved", type=int)  # just saved: offer to assign it there and then
    own = bank.owner_id == current_user.id
    return render_template("teacher/quizzes.html", bank=bank, own=own, owner=None if own else visibility.owner(bank),
                           summaries=summaries, labels={part.reference: part.label for part in bank.parts},
                           classes=classrooms.taught_classrooms(current_user),
                           just_saved=next((s for s in summaries if s.quiz.id == saved), None))


def _quiz_form(bank, quiz=None):
    """Render or save the quiz form; a problem re-renders it (400) with what was chosen, and "Show matching
    questions" re-renders it with the list narrowed, saving nothing."""
    questions = quiz_builder.pickable_questions(bank)
    form = QuizForm(data=quiz_builder.form_data(quiz) if quiz is not None else None)
    form.offer(bank.parts, questions, list(quiz.tags) if quiz is not None else [])
    if form.show.data:
        return _render_form(bank, quiz, form, questions, narrowed=True), 200
    if form.is_submitted():
        valid = form.validate()
        # What needs the bank is checked too, so one submission shows every problem.
        plan = form.plan()
        problems = quiz_builder.problems(bank, plan) if plan is not None else {}
        form.add_problems(problems)
        if valid and not problems:
            try:
                saved = quiz_builder.save_quiz(bank, plan, quiz)
            except quiz_builder.QuizPlanError as error:
                form.add_problems(error.fields)
            else:
                flash(f"{'Saved' if quiz is not None else 'Added'} the quiz “{saved.title}”.", "success")
                return redirect(url_for("teacher.bank_quizzes", bank_id=bank.id, saved=saved.id,
                                        _anchor=f"quiz-{saved.id}"))
    return _render_form(bank, quiz, form, questions), 400 if form.is_submitted() else 200


def _render_form(bank, quiz, form, questions, narrowed: bool = False) -> str:
    return render_template("teacher/quiz_form.html", bank=bank, quiz=quiz, form=form, narrowed=narrowed,
                           questions={q.key: q for q in questions}, listed=form.listed(questions),
                           new_key=quiz is not None and quiz.key == DEFAULT_QUIZ_KEY)


@bp.route("/banks/<int:bank_id>/quizzes/new", methods=["GET", "POST"])
def new_quiz(bank_id: int):
    """Build a quiz in the teacher's own bank."""
    return _quiz_form(visibility.get_owned_bank(current_user, bank_id))


@bp.route("/banks/<int:bank_id>/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
def edit_quiz(bank_id: int, quiz_id: int):
    """Change a quiz of the teacher's own bank; attempts already started keep the questions they drew."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    return _quiz_form(bank, quiz_builder.get_live_quiz(bank, quiz_id))


@bp.post("/banks/<int:bank_id>/quizzes/<int:quiz_id>/archive")
def archive_quiz(bank_id: int, quiz_id: int):
    """Take a quiz out of the bank's list and out of new assignments; its attempts are kept."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    quiz = quiz_builder.get_live_quiz(bank, quiz_id)
    quiz_builder.archive_quiz(quiz)
    flash(f"Archived the quiz “{quiz.title}”: it can no longer be assigned; assignments already set keep it, "
          "and every attempt at it is kept.", "success")
    return redirect(url_for("teacher.bank_quizzes", bank_id=bank.id))
