"""API routes for classes: join, assignments, leaderboards; and the teacher's gradebook,
answers and statistics. Someone else's class or assignment is a 404, as in the pages."""

from flask import abort, g, jsonify, request

from quizapp.api import schemas
from quizapp.api.auth import token_required
from quizapp.api.blueprint import bp
from quizapp.api.views import attempt_dict
from quizapp.domain.text import clean_name
from quizapp.services import attempts, classrooms, gradebook, reports, standings


@bp.get("/classes")
@token_required
def list_classes():
    """The classes the user belongs to, with their assignments, and those the user teaches."""
    joined = [
        {"id": c.id, "name": c.name, "role": "student", "assignments": [schemas.assignment_status(s) for s in statuses]}
        for c, statuses in classrooms.dashboard(g.api_user)
    ]
    taught = [{"id": c.id, "name": c.name, "role": "teacher", "join_code": c.join_code, "assignments": []}
              for c in classrooms.taught_classrooms(g.api_user)]
    return jsonify(classes=joined + taught)


@bp.post("/classes/join")
@token_required
def join_class():
    """Join a class with its code."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        abort(400, description='Send a JSON object: {"code": "K7M4PQ", "nickname": "optional"}.')
    nickname = body.get("nickname", "")
    if not isinstance(nickname, str) or len(clean_name(nickname)) > 40:
        abort(400, description="'nickname' must be text of at most 40 characters.")
    classroom = classrooms.join(g.api_user, body["code"], clean_name(nickname))
    return jsonify(id=classroom.id, name=classroom.name), 201


@bp.post("/assignments/<int:assignment_id>/attempts")
@token_required
def start_assignment_attempt(assignment_id: int):
    """Start (or carry on) an attempt at an assignment, within its window and limits."""
    assignment = classrooms.get_visible_assignment(g.api_user, assignment_id)
    try:
        attempt = attempts.start_assignment_attempt(g.api_user, assignment)
    except attempts.EmptyQuiz as error:  # to the student, an assignment with nothing to ask is not open
        raise attempts.AssignmentUnavailable(str(error)) from error
    return jsonify(attempt_dict(attempt)), 201


@bp.get("/classes/<int:classroom_id>/leaderboard")
@token_required
def class_leaderboard(classroom_id: int):
    """The class's overall leaderboard: top 10 and the caller's own row."""
    classroom = classrooms.get_visible_classroom(g.api_user, classroom_id)
    return jsonify(schemas.board(standings.class_board(classroom, g.api_user.id)))


@bp.get("/assignments/<int:assignment_id>/leaderboard")
@token_required
def assignment_leaderboard(assignment_id: int):
    """One assignment's leaderboard: top 10 and the caller's own row."""
    assignment = classrooms.get_visible_assignment(g.api_user, assignment_id)
    return jsonify(schemas.board(standings.assignment_board(assignment, g.api_user.id)))


@bp.get("/classes/<int:classroom_id>/gradebook")
@token_required
def class_gradebook(classroom_id: int):
    """Students × assignments, for the class's teacher."""
    classroom = classrooms.get_taught_classroom(g.api_user, classroom_id)
    pages = request.args.getlist("page")
    if len(pages) > 1 or (pages and not (pages[0].isascii() and pages[0].isdecimal() and int(pages[0]) >= 1)):
        abort(400, description="'page' must be a whole number of 1 or more, given once.")
    page = int(pages[0]) if pages else 1
    return jsonify(schemas.gradebook(gradebook.gradebook(classroom, page)))


@bp.get("/assignments/<int:assignment_id>/answers")
@token_required
def assignment_answers(assignment_id: int):
    """Every answer given to the assignment, for the class's teacher."""
    return jsonify(answers=gradebook.answer_rows(classrooms.get_taught_assignment(g.api_user, assignment_id)))


@bp.get("/assignments/<int:assignment_id>/statistics")
@token_required
def assignment_statistics(assignment_id: int):
    """Score summary, reliability and item statistics, for the class's teacher."""
    assignment = classrooms.get_taught_assignment(g.api_user, assignment_id)
    return jsonify(schemas.assignment_report(reports.assignment_report(assignment)))
