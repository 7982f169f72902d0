"""The teacher blueprint, which the route modules beside this one add to. Every route needs a
teacher; the modules check that each class, assignment or bank is the teacher's own."""

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from quizapp.services import library

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
    bank = library.visible_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    return bank


def owned_bank_or_404(bank_id: int):
    """A bank the teacher may change: their own; any other is a 404."""
    bank = library.owned_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    return bank
