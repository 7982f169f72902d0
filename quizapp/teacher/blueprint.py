"""The teacher blueprint, which the route modules beside this one add to. Every route needs a
teacher; the modules check that each class, assignment or bank is the teacher's own."""

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from quizapp.services import classrooms
from quizapp.services.banks import visibility

bp = Blueprint("teacher", __name__, url_prefix="/teach")


@bp.before_request
def require_teacher():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.is_teacher:
        abort(403, description="This part of the site is for teachers.")
    return None


def visible_bank_or_404(bank_id: int):
    """A bank the teacher may read (bundled, their own, or shared with them); anyone else's is a 404."""
    bank = visibility.visible_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    return bank


def owned_bank_or_404(bank_id: int):
    """A bank the teacher may change: their own; any other is a 404."""
    bank = visibility.owned_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    return bank


def taught_classroom_or_404(classroom_id: int):
    """A class the teacher teaches; anyone else's is a 404, as if it did not exist."""
    classroom = classrooms.taught_classroom(current_user, classroom_id)
    if classroom is None:
        abort(404)
    return classroom


def taught_assignment_or_404(assignment_id: int):
    """An assignment of a class the teacher teaches; anyone else's is a 404."""
    assignment = classrooms.taught_assignment(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def csv_download(text: str, filename: str) -> Response:
    """A CSV export, as a file to save."""
    return Response(text, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
