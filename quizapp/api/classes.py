"""API routes for classes: join, assignments, leaderboards; and the teacher's gradebook,
answers and statistics. Someone else's class or assignment is a 404, as in the pages."""

from flask import abort, g, jsonify, request

from quizapp.api.auth import token_required
from quizapp.api.blueprint import bp
from quizapp.api.views import attempt_dict
from quizapp.domain.text import clean_name
from quizapp.errors import json_error
from quizapp.services import attempts, classrooms, gradebook, reports, standings


def _visible_classroom(classroom_id: int):
    classroom = classrooms.visible_classroom(g.api_user, classroom_id)
    if classroom is None:
        abort(404, description="No such class among yours.")
    return classroom


def _visible_assignment(assignment_id: int):
    assignment = classrooms.visible_assignment(g.api_user, assignment_id)
    if assignment is None:
        abort(404, description="No such assignment in your classes.")
    return assignment


def _taught_assignment(assignment_id: int):
    assignment = classrooms.taught_assignment(g.api_user, assignment_id)
    if assignment is None:
        abort(404, description="No such assignment in the classes you teach.")
    return assignment


def _status_dict(status) -> dict:
    a = status.assignment
    return {
        "id": a.id, "quiz_id": a.quiz_id, "title": a.quiz.title, "state": status.state,
        "opens_at": a.opens_at.isoformat(), "closes_at": status.closes_at.isoformat(),
        "time_limit_minutes": a.time_limit_minutes, "attempts_allowed": status.attempts_allowed,
        "attempts_used": status.attempts_used, "counting": a.counting.value,
        "score": status.result.score if status.result else None,
        "max_score": status.result.max_score if status.result else None,
    }


@bp.get("/classes")
@token_required
def list_classes():
    """The classes the user belongs to, with their assignments, and those the user teaches."""
    joined = [
        {"id": c.id, "name": c.name, "role": "student", "assignments": [_status_dict(s) for s in statuses]}
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
    try:
        classroom = classrooms.join(g.api_user, body["code"], clean_name(nickname))
    except classrooms.UnknownCode as error:
        return json_error(404, "unknown_code", str(error))
    except classrooms.AlreadyInClass as error:
        return json_error(409, "already_member", str(error))
    return jsonify(id=classroom.id, name=classroom.name), 201


@bp.post("/assignments/<int:assignment_id>/attempts")
@token_required
def start_assignment_attempt(assignment_id: int):
    """Start (or carry on) an attempt at an assignment, within its window and limits."""
    assignment = _visible_assignment(assignment_id)
    try:
        attempt = attempts.start_assignment_attempt(g.api_user, assignment)
    except (attempts.AssignmentUnavailable, attempts.EmptyQuiz) as error:
        return json_error(409, "assignment_unavailable", str(error))
    return jsonify(attempt_dict(attempt)), 201


@bp.get("/classes/<int:classroom_id>/leaderboard")
@token_required
def class_leaderboard(classroom_id: int):
    """The class's overall leaderboard: top 10 and the caller's own row."""
    return jsonify(standings.class_board(_visible_classroom(classroom_id), g.api_user.id).to_dict())


@bp.get("/assignments/<int:assignment_id>/leaderboard")
@token_required
def assignment_leaderboard(assignment_id: int):
    """One assignment's leaderboard: top 10 and the caller's own row."""
    return jsonify(standings.assignment_board(_visible_assignment(assignment_id), g.api_user.id).to_dict())


@bp.get("/classes/<int:classroom_id>/gradebook")
@token_required
def class_gradebook(classroom_id: int):
    """Students × assignments, for the class's teacher."""
    classroom = classrooms.taught_classroom(g.api_user, classroom_id)
    if classroom is None:
        abort(404, description="No such class among those you teach.")
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(400, description="'page' must be a whole number of 1 or more.")
    return jsonify(gradebook.gradebook(classroom, page).to_dict())


@bp.get("/assignments/<int:assignment_id>/answers")
@token_required
def assignment_answers(assignment_id: int):
    """Every answer given to the assignment, for the class's teacher."""
    return jsonify(answers=gradebook.answer_rows(_taught_assignment(assignment_id)))


@bp.get("/assignments/<int:assignment_id>/statistics")
@token_required
def assignment_statistics(assignment_id: int):
    """Score summary, reliability and item statistics, for the class's teacher."""
    return jsonify(reports.assignment_report(_taught_assignment(assignment_id)).to_dict())
