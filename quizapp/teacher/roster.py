"""Teacher views for a class's students' accounts: a one-time password for a student who lost theirs, and
accounts for a pasted list of names. Each shows the one-time passwords once, in a page nothing keeps."""

from flask import render_template
from flask_login import current_user

from quizapp.domain.roster import RosterError
from quizapp.services import classrooms, roster
from quizapp.teacher.blueprint import bp
from quizapp.teacher.roster_forms import RosterForm


@bp.app_template_global()
def roster_add_form() -> RosterForm:
    """An empty paste-a-class-list form, for the class page's roster section."""
    return RosterForm(formdata=None)


def _shown_once(html: str, status: int = 200):
    """A page holding one-time passwords: no cache, nor the browser's back button, may show it again."""
    return html, status, {"Cache-Control": "no-store"}


@bp.post("/classes/<int:classroom_id>/members/<int:user_id>/reset-password")
def reset_password(classroom_id: int, user_id: int):
    """Replace a student's password with a one-time password, shown to the teacher once."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    handout = roster.reset_password(classroom, user_id)
    return _shown_once(render_template("teacher/password_reset.html", classroom=classroom, handout=handout))


@bp.route("/classes/<int:classroom_id>/roster/add", methods=["GET", "POST"])
def add_students(classroom_id: int):
    """Make accounts for a pasted list of names, put them in the class, and show their one-time passwords."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    form = RosterForm()
    if form.validate_on_submit():
        try:
            handouts = roster.add_students(classroom, form.names.data)
        except RosterError as error:
            form.names.errors.extend(error.problems)
        else:
            return _shown_once(render_template("teacher/roster_handout.html", classroom=classroom,
                                               handouts=handouts))
    return render_template("teacher/roster_add.html", classroom=classroom, form=form), 400 if form.errors else 200
