"""Teacher views for classes: rosters, gradebooks, exports and statistics (assignments are in
``assignments``). Another teacher's class is a 404, as if it did not exist."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.models import NameDisplay
from quizapp.services import classrooms, gradebook, home, reports
from quizapp.teacher.blueprint import bp, csv_download
from quizapp.teacher.forms import (
    ClassroomForm,
    NameDisplayForm,
)


@bp.route("/", methods=["GET", "POST"])
def index():
    """The teacher's home: their classes, what is due, the latest finished attempts, and a new class."""
    form = ClassroomForm()
    if form.validate_on_submit():
        classroom = classrooms.create_classroom(current_user, form.name.data)
        flash(f"Created {classroom.name}. Students join with the code {classroom.join_code}.", "success")
        return redirect(url_for("teacher.classroom", classroom_id=classroom.id))
    return render_template("teacher/index.html", home=home.teacher_home(current_user), form=form), \
        400 if form.errors else 200


@bp.route("/classes/<int:classroom_id>")
def classroom(classroom_id: int):
    """Join code, roster, assignments and settings of one class."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    return render_template("teacher/classroom.html", classroom=classroom, roster=classrooms.roster(classroom),
                           display_form=NameDisplayForm(name_display=classroom.name_display.value))


@bp.post("/classes/<int:classroom_id>/code")
def regenerate_code(classroom_id: int):
    """Give the class a new join code."""
    classroom = classrooms.regenerate_code(classrooms.get_taught_classroom(current_user, classroom_id))
    flash(f"The new join code is {classroom.join_code}; the old one no longer works.", "success")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


@bp.post("/classes/<int:classroom_id>/display")
def name_display(classroom_id: int):
    """Choose how leaderboards name students."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    form = NameDisplayForm()
    if form.validate_on_submit():
        classrooms.set_name_display(classroom, NameDisplay(form.name_display.data))
        flash("Saved how leaderboards name students.", "success")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


@bp.post("/classes/<int:classroom_id>/members/<int:user_id>/remove")
def remove_member(classroom_id: int, user_id: int):
    """Take a student out of the class; their answers stay."""
    classrooms.remove_member(classrooms.get_taught_classroom(current_user, classroom_id), user_id)
    flash("Removed the student from the class; their past answers are kept. "
          "They could join again with the code: give the class a new code to keep them out.", "info")
    return redirect(url_for("teacher.classroom", classroom_id=classroom_id))


@bp.route("/classes/<int:classroom_id>/gradebook")
def gradebook_page(classroom_id: int):
    """Students × assignments: counted scores, attempts used and completion."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template("teacher/gradebook.html", book=gradebook.gradebook(classroom, page))


@bp.route("/classes/<int:classroom_id>/mastery")
def class_mastery(classroom_id: int):
    """How often the class answered right on each key point, FAQ and section, over every assignment."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    return render_template("teacher/mastery.html", classroom=classroom, mastery=reports.class_mastery(classroom))


@bp.route("/classes/<int:classroom_id>/gradebook.csv")
def gradebook_csv(classroom_id: int):
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    return csv_download(gradebook.gradebook_csv(gradebook.gradebook(classroom)),
                        f"gradebook-class-{classroom.id}.csv")


@bp.route("/classes/<int:classroom_id>/students/<int:user_id>")
def student(classroom_id: int, user_id: int):
    """One student's attempts in this class, and their mastery of each key point and FAQ."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    member = classrooms.get_membership(classroom, user_id)
    return render_template("teacher/student.html", classroom=classroom, member=member,
                           attempts=gradebook.student_attempts(classroom, user_id),
                           mastery=reports.class_mastery(classroom, user_id))
