"""The teacher blueprint, which the route modules beside this one add to. Every route needs a
teacher; the modules look each class, assignment or bank up with the services' ``get_`` lookups, which raise
``NotFound`` for anyone else's (a 404 page, from the handler below)."""

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from quizapp.errors import handle_domain_errors

bp = Blueprint("teacher", __name__, url_prefix="/teach")
handle_domain_errors(bp)


@bp.before_request
def require_teacher():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.is_teacher:
        abort(403, description="This part of the site is for teachers.")
    return None


def csv_download(text: str, filename: str) -> Response:
    """A CSV export, as a file to save."""
    return Response(text, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
