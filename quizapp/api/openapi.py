"""The OpenAPI 3.1 document for ``/api/v1``. Tests check it lists exactly the routes the
blueprint serves and that every response the tests receive matches its schema."""

from typing import Any


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


ATTEMPT_ID = {"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ASSIGNMENT_ID = {"name": "assignment_id", "in": "path", "required": True, "schema": {"type": "integer"}}
CLASSROOM_ID = {"name": "classroom_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NOT_YOURS = _error("No such class or assignment among yours (someone else's is not found either).")
NULLABLE_NUMBER = {"type": ["number", "null"]}
KEY_WITHHELD = ("True while the student may still make another attempt at an open assignment: the correct answer, "
                "explanation and passage are then null, and appear once the assignment closes or no attempt is left.")
FEEDBACK_MODE = {"enum": ["after_each", "at_end"],
                 "description": "When the student learns how each answer went: `after_each`, in the reply to "
                                "each answer; `at_end`, only in the result once the attempt is finished."}
QUIZ_ID = {"name": "quiz_id", "in": "path", "required": True, "schema": {"type": "integer"}}
BEARER = [{"bearer": []}]
TOO_MANY = _error("Too many requests for this username or token in a short time; the Retry-After header "
                  "says how many seconds to wait.")
UNAUTHORIZED = _error("No valid bearer token.")
FORBIDDEN = _error("The attempt belongs to someone else.")
NOT_FOUND = _error("No such attempt or quiz.")

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}},
        }},
    },
    "Token": {
        "type": "object",
        "required": ["token", "token_type", "expires_at", "user"],
        "properties": {
            "token": {"type": "string"},
            "token_type": {"const": "Bearer"},
            "expires_at": {"type": "string", "format": "date-time"},
            "user": {"type": "object", "required": ["username", "role"], "properties": {
                "username": {"type": "string"}, "role": {"enum": ["student", "teacher"]}}},
        },
    },
    "Quiz": {
        "type": "object",
        "required": ["id", "title", "description", "bank", "questions", "covers", "tags", "feedback"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "bank": {"type": "string"},
            "questions": {"type": "integer", "description": "How many questions an attempt asks."},
            "covers": {"type": "array", "items": {"type": "string"}, "description": "Parts of the source drawn on."},
            "tags": {"type": "array", "items": {"type": "string"}},
            "feedback": FEEDBACK_MODE,
        },
    },
    "Attempt": {
        "type": "object",
        "required": ["id", "quiz_id", "assignment_id", "deadline_at", "started_at", "finished_at", "total", "answered",
                     "feedback"],
        "properties": {
            "id": {"type": "integer"},
            "quiz_id": {"type": "integer"},
            "assignment_id": {"type": ["integer", "null"]},
            "deadline_at": {"type": ["string", "null"], "format": "date-time",
                            "description": "When the server finishes the attempt by itself (time limit or closing)."},
            "started_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": ["string", "null"], "format": "date-time"},
            "total": {"type": "integer"},
            "answered": {"type": "integer"},
            "feedback": FEEDBACK_MODE,
        },
    },
    "Choice": {
        "type": "object", "required": ["id", "text"], "additionalProperties": False,
        "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
    },
    "Question": {
        "type": "object",
        "description": "A question as a student sees it: never its key or explanation. "
                       "Choice types carry `choices` (answer with their ids), ordering carries `items` "
                       "(answer with all ids in order), cloze carries `segments` (answer with one text per blank).",
        "required": ["question_id", "position", "total", "type", "type_label", "prompt", "points"],
        "additionalProperties": False,
        "properties": {
            "question_id": {"type": "integer"},
            "position": {"type": "integer"},
            "total": {"type": "integer"},
            "type": {"enum": ["single_choice", "multiple_select", "true_false", "short_answer", "ordering", "cloze"]},
            "type_label": {"type": "string"},
            "prompt": {"type": "string"},
            "points": {"type": "integer"},
            "choices": {"type": "array", "items": _ref("Choice")},
            "multiple": {"type": "boolean"},
            "scoring": {"enum": ["all_or_nothing", "partial"],
                        "description": "Multiple select: all-or-nothing, or a share per right choice "
                                       "less one per wrong choice."},
            "items": {"type": "array", "items": _ref("Choice")},
            "segments": {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {
                "text": {"type": "string"}, "blank": {"type": "integer"}}}},
            "blanks": {"type": "integer"},
        },
    },
    "AnswerRequest": {
        "type": "object",
        "required": ["question_id", "response"],
        "properties": {
            "question_id": {"type": "integer"},
            "response": {
                "description": "A choice id, true/false, typed text, or a list (several choices, "
                               "items in order, one text per blank).",
                "oneOf": [{"type": "string"}, {"type": "boolean"},
                          {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 50}],
            },
        },
    },
    "Feedback": {
        "type": "object",
        "description": "How an answer went, in a quiz that gives feedback after each question.",
        "required": ["question_id", "position", "total", "feedback", "correct", "score", "points_awarded", "points",
                     "response", "correct_answer", "explanation", "source", "passage", "key_withheld", "seconds"],
        "properties": {
            "question_id": {"type": "integer"},
            "position": {"type": "integer"},
            "total": {"type": "integer"},
            "feedback": {"const": "after_each"},
            "correct": {"type": "boolean"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "points_awarded": {"type": "number"},
            "points": {"type": "integer"},
            "response": {"type": "array", "items": {"type": "string"}},
            "correct_answer": {"type": ["array", "null"], "items": {"type": "string"}},
            "explanation": {"type": ["string", "null"]},
            "source": {"type": "object", "required": ["reference", "label", "title", "body"], "properties": {
                "reference": {"type": "string"}, "label": {"type": "string"},
                "title": {"type": "string"}, "body": {"type": "string"}}},
            "passage": {"type": ["string", "null"]},
            "key_withheld": {"type": "boolean", "description": KEY_WITHHELD},
            "seconds": {"type": "number"},
        },
    },
    "AnswerSaved": {
        "type": "object",
        "description": "The answer was recorded, in a quiz that gives feedback at the end: whether it was right, "
                       "the key, the explanation and the passage come in the result once the attempt is finished.",
        "required": ["question_id", "position", "total", "feedback", "response", "seconds"],
        "additionalProperties": False,
        "properties": {
            "question_id": {"type": "integer"},
            "position": {"type": "integer"},
            "total": {"type": "integer"},
            "feedback": {"const": "at_end"},
            "response": {"type": "array", "items": {"type": "string"}},
            "seconds": {"type": "number"},
        },
    },
    "Result": {
        "type": "object",
        "required": ["attempt_id", "quiz_id", "score", "max_score", "percentage", "started_at",
                     "finished_at", "seconds", "key_withheld", "questions"],
        "properties": {
            "attempt_id": {"type": "integer"},
            "quiz_id": {"type": "integer"},
            "score": {"type": "number"},
            "max_score": {"type": "number"},
            "percentage": {"type": "number"},
            "started_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": "string", "format": "date-time"},
            "seconds": {"type": "number"},
            "key_withheld": {"type": "boolean", "description": KEY_WITHHELD},
            "questions": {"type": "array", "items": {
                "type": "object",
                "required": ["question_id", "position", "prompt", "answered", "response", "correct",
                             "points_awarded", "points", "correct_answer", "explanation", "passage", "source"],
                "properties": {
                    "question_id": {"type": "integer"},
                    "position": {"type": "integer"},
                    "prompt": {"type": "string"},
                    "answered": {"type": "boolean"},
                    "response": {"type": ["array", "null"], "items": {"type": "string"}},
                    "correct": {"type": "boolean"},
                    "points_awarded": {"type": "number"},
                    "points": {"type": "integer"},
                    "correct_answer": {"type": ["array", "null"], "items": {"type": "string"}},
                    "explanation": {"type": ["string", "null"]},
                    "passage": {"type": ["string", "null"]},
                    "source": {"type": "string"},
                },
            }},
        },
    },
}

SCHEMAS.update({
    "AssignmentStatus": {
        "type": "object",
        "required": ["id", "quiz_id", "title", "state", "opens_at", "closes_at", "time_limit_minutes",
                     "attempts_allowed", "attempts_used", "counting", "score", "max_score"],
        "properties": {
            "id": {"type": "integer"}, "quiz_id": {"type": "integer"}, "title": {"type": "string"},
            "state": {"enum": ["open", "upcoming", "done", "closed"]},
            "opens_at": {"type": "string", "format": "date-time"},
            "closes_at": {"type": "string", "format": "date-time"},
            "time_limit_minutes": {"type": ["integer", "null"]},
            "attempts_allowed": {"type": ["integer", "null"]},
            "attempts_used": {"type": "integer"},
            "counting": {"enum": ["best", "last", "average"]},
            "score": NULLABLE_NUMBER, "max_score": NULLABLE_NUMBER,
        },
    },
    "Classroom": {
        "type": "object",
        "required": ["id", "name", "role", "assignments"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "role": {"enum": ["student", "teacher"]},
            "join_code": {"type": "string", "description": "Only for the class's teacher."},
            "assignments": {"type": "array", "items": _ref("AssignmentStatus")},
        },
    },
    "BoardRow": {
        "type": "object",
        "required": ["rank", "name", "score", "max_score", "percentage", "seconds", "finished_at", "you"],
        "properties": {
            "rank": {"type": "integer"}, "name": {"type": "string"}, "score": {"type": "number"},
            "max_score": {"type": "number"}, "percentage": {"type": "number"}, "seconds": {"type": "integer"},
            "finished_at": {"type": "string", "format": "date-time"}, "you": {"type": "boolean"},
        },
    },
    "Leaderboard": {
        "type": "object",
        "required": ["title", "tie_break", "ranked", "top", "you"],
        "properties": {
            "title": {"type": "string"}, "tie_break": {"type": "string"}, "ranked": {"type": "integer"},
            "top": {"type": "array", "items": _ref("BoardRow"), "maxItems": 10},
            "you": {"oneOf": [_ref("BoardRow"), {"type": "null"}],
                    "description": "The caller's own row, wherever it ranks; null if not ranked."},
        },
    },
    "Gradebook": {
        "type": "object",
        "required": ["classroom", "page", "pages", "students_total", "assignments", "students"],
        "properties": {
            "classroom": {"type": "object", "required": ["id", "name"]},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "students_total": {"type": "integer", "minimum": 0},
            "assignments": {"type": "array", "items": {"type": "object", "required": ["id", "title", "counting"]}},
            "students": {"type": "array", "items": {
                "type": "object", "required": ["id", "username", "name", "assignments"],
                "properties": {"assignments": {"type": "array", "items": {
                    "type": "object",
                    "required": ["score", "max_score", "percentage", "attempts_used", "completion"],
                    "properties": {"score": NULLABLE_NUMBER, "max_score": NULLABLE_NUMBER,
                                   "percentage": NULLABLE_NUMBER, "attempts_used": {"type": "integer"},
                                   "completion": {"enum": ["done", "in progress", "not started"]}},
                }}},
            }},
        },
    },
    "AnswerRow": {
        "type": "object",
        "required": ["student", "username", "attempt", "question_id", "response", "correct", "points", "seconds",
                     "answered_at"],
        "properties": {
            "student": {"type": "string"}, "username": {"type": "string"}, "attempt": {"type": ["integer", "null"]},
            "question_id": {"type": "string"}, "response": {"type": "string"}, "correct": {"type": "boolean"},
            "points": {"type": "number"}, "seconds": {"type": "number"},
            "answered_at": {"type": "string", "format": "date-time"},
        },
    },
    "Statistics": {
        "type": "object",
        "description": "Below `min_attempts` finished attempts (`enough_attempts` false) the figures say more about "
                       "chance than about the quiz, and no question is flagged.",
        "required": ["assignment_id", "attempts", "min_attempts", "enough_attempts", "summary", "histogram", "alpha",
                     "questions"],
        "properties": {
            "assignment_id": {"type": "integer"}, "attempts": {"type": "integer"},
            "min_attempts": {"type": "integer"}, "enough_attempts": {"type": "boolean"},
            "summary": {"type": "object", "required": ["mean", "median", "standard_deviation", "minimum", "maximum"],
                        "additionalProperties": NULLABLE_NUMBER},
            "histogram": {"type": "array", "items": {"type": "object", "required": ["lower", "upper", "count"]}},
            "alpha": NULLABLE_NUMBER,
            "questions": {"type": "array", "items": {
                "type": "object",
                "required": ["question_id", "prompt", "text", "type", "source", "source_title", "attempts",
                             "enough_attempts", "facility", "point_biserial", "upper_lower", "difficulty",
                             "suggested_difficulty", "choice_counts", "correct_choices", "flags", "review",
                             "typed_answers"],
                "properties": {
                    "question_id": {"type": "string"}, "prompt": {"type": "string"},
                    "text": {"type": "string", "description": "What names the question: its prompt, and a "
                                                              "fill-in-the-blanks question's text with gaps."},
                    "type": {"type": "string"}, "source": {"type": "string"}, "source_title": {"type": "string"},
                    "attempts": {"type": "integer"}, "enough_attempts": {"type": "boolean"},
                    "facility": NULLABLE_NUMBER, "point_biserial": NULLABLE_NUMBER, "upper_lower": NULLABLE_NUMBER,
                    "difficulty": {"type": "integer", "enum": [1, 2, 3],
                                   "description": "The difficulty set in the bank: 1 (easy), 2 or 3 (hard)."},
                    "suggested_difficulty": {"type": ["integer", "null"], "enum": [1, 2, 3, None], "description": (
                        "The difficulty the answers suggest from the facility: 1 from 0.75, 2 from 0.40, 3 below; "
                        "null below `min_attempts` attempts. The teacher's statistics page offers to set it.")},
                    "choice_counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "correct_choices": {"type": "array", "items": {"type": "string"}},
                    "flags": {"type": "array", "items": {"type": "string"},
                              "description": "Each flag in plain words: what was found, then what to do."},
                    "review": {"type": "array", "items": {
                        "type": "object", "required": ["code", "finding", "action"],
                        "properties": {"code": {"type": "string", "enum": [
                            "negative_discrimination", "wrong_choice_preferred", "distractor_pulls_strong_students",
                            "hard", "easy", "weak_discrimination", "unpicked_choice"]},
                            "finding": {"type": "string"}, "action": {"type": "string"}},
                    }},
                    "typed_answers": {"type": "array", "description": (
                        "What students typed, folded as grading reads it; per blank, near misses (not accepted) "
                        "first, most typed first, then the accepted ones, most typed first."), "items": {
                        "type": "object",
                        "required": ["blank", "answer", "normalised", "count", "accepted", "graded_before"],
                        "properties": {"blank": {"type": ["integer", "null"]}, "answer": {"type": "string"},
                                       "normalised": {"type": "string"}, "count": {"type": "integer"},
                                       "accepted": {"type": "boolean"}, "graded_before": {"type": "integer"}},
                    }},
                },
            }},
        },
    },
})

PATHS: dict[str, Any] = {
    "/openapi.json": {"get": {
        "summary": "This document.", "operationId": "openapi",
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }},
    "/tokens": {"post": {
        "summary": "Exchange a username and password (HTTP Basic) for a bearer token.",
        "operationId": "createToken",
        "security": [{"basic": []}],
        "responses": {"201": _json(_ref("Token"), "A new token."), "401": _error("Wrong username or password."),
                      "429": TOO_MANY},
    }},
    "/quizzes": {"get": {
        "summary": "List the quizzes the caller may practise: those of the bundled banks (a teacher's quizzes "
                   "reach students as assignments).", "operationId": "listQuizzes", "security": BEARER,
        "responses": {
            "200": _json({"type": "object", "required": ["quizzes"],
                          "properties": {"quizzes": {"type": "array", "items": _ref("Quiz")}}}, "The quizzes."),
            "401": UNAUTHORIZED,
        },
    }},
    "/quizzes/{quiz_id}/attempts": {"post": {
        "summary": "Start an attempt: questions are drawn and shuffled now, and stay fixed.",
        "operationId": "startAttempt", "security": BEARER, "parameters": [QUIZ_ID],
        "responses": {"201": _json(_ref("Attempt"), "The new attempt."), "401": UNAUTHORIZED,
                      "404": _error("No such quiz among those you may practise."),
                      "409": _error("The quiz has no questions, or it is set to one of your classes and not yet "
                                    "closed (take it as the assignment).")},
    }},
    "/attempts/{attempt_id}": {"get": {
        "summary": "An attempt's progress.", "operationId": "getAttempt", "security": BEARER,
        "parameters": [ATTEMPT_ID],
        "responses": {"200": _json(_ref("Attempt"), "The attempt."), "401": UNAUTHORIZED,
                      "403": FORBIDDEN, "404": NOT_FOUND},
    }},
    "/attempts/{attempt_id}/question": {"get": {
        "summary": "The next unanswered question, without its key (null once every question is answered).",
        "operationId": "currentQuestion", "security": BEARER, "parameters": [ATTEMPT_ID],
        "responses": {
            "200": _json({"type": "object", "required": ["question"], "properties": {
                "question": {"oneOf": [_ref("Question"), {"type": "null"}]}}}, "The current question."),
            "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND, "409": _error("The attempt is finished."),
        },
    }},
    "/attempts/{attempt_id}/answers": {"post": {
        "summary": "Answer a question; the reply is the feedback, key included, or, in a quiz that gives "
                   "feedback at the end, only that the answer was saved.",
        "operationId": "submitAnswer", "security": BEARER, "parameters": [ATTEMPT_ID],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("AnswerRequest")}}},
        "responses": {
            "201": _json({"oneOf": [_ref("Feedback"), _ref("AnswerSaved")]},
                         "The answer was recorded; `feedback` says which of the two replies this is."),
            "400": _error("The body or the response does not fit the question."),
            "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND,
            "409": _error("The question was answered already, or the attempt is finished."),
            "429": TOO_MANY,
        },
    }},
    "/attempts/{attempt_id}/finish": {"post": {
        "summary": "Finish the attempt; unanswered questions earn nothing.",
        "operationId": "finishAttempt", "security": BEARER, "parameters": [ATTEMPT_ID],
        "responses": {"200": _json(_ref("Result"), "The result."), "401": UNAUTHORIZED, "403": FORBIDDEN,
                      "404": NOT_FOUND, "409": _error("The attempt is finished already.")},
    }},
    "/attempts/{attempt_id}/result": {"get": {
        "summary": "A finished attempt's score and the review of every question.",
        "operationId": "attemptResult", "security": BEARER, "parameters": [ATTEMPT_ID],
        "responses": {"200": _json(_ref("Result"), "The result."), "401": UNAUTHORIZED, "403": FORBIDDEN,
                      "404": NOT_FOUND, "409": _error("The attempt is not finished yet.")},
    }},
}


PATHS.update({
    "/classes": {"get": {
        "summary": "The caller's classes: joined (with assignments and scores) and taught.",
        "operationId": "listClasses", "security": BEARER,
        "responses": {"200": _json({"type": "object", "required": ["classes"], "properties": {
            "classes": {"type": "array", "items": _ref("Classroom")}}}, "The classes."), "401": UNAUTHORIZED},
    }},
    "/classes/join": {"post": {
        "summary": "Join a class with the code its teacher gave.", "operationId": "joinClass", "security": BEARER,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["code"],
            "properties": {"code": {"type": "string"}, "nickname": {"type": "string", "maxLength": 40}}}}}},
        "responses": {
            "201": _json({"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}}}, "Joined."),
            "400": _error("The body is not as described."), "401": UNAUTHORIZED,
            "404": _error("No class has that code."), "409": _error("Already in the class."),
        },
    }},
    "/assignments/{assignment_id}/attempts": {"post": {
        "summary": "Start (or carry on) an attempt at an assignment of one of the caller's classes.",
        "operationId": "startAssignmentAttempt", "security": BEARER, "parameters": [ASSIGNMENT_ID],
        "responses": {"201": _json(_ref("Attempt"), "The attempt."), "401": UNAUTHORIZED, "404": NOT_YOURS,
                      "409": _error("Not open yet, closed, or no attempts left.")},
    }},
    "/classes/{classroom_id}/leaderboard": {"get": {
        "summary": "The class's overall leaderboard, for its members and teacher.",
        "operationId": "classLeaderboard", "security": BEARER, "parameters": [CLASSROOM_ID],
        "responses": {"200": _json(_ref("Leaderboard"), "The board."), "401": UNAUTHORIZED, "404": NOT_YOURS},
    }},
    "/assignments/{assignment_id}/leaderboard": {"get": {
        "summary": "One assignment's leaderboard, for the class's members and teacher.",
        "operationId": "assignmentLeaderboard", "security": BEARER, "parameters": [ASSIGNMENT_ID],
        "responses": {"200": _json(_ref("Leaderboard"), "The board."), "401": UNAUTHORIZED, "404": NOT_YOURS},
    }},
    "/classes/{classroom_id}/gradebook": {"get": {
        "summary": "Students × assignments with counted scores, for the class's teacher only; 100 students "
                   "a page, by name.",
        "operationId": "classGradebook", "security": BEARER,
        "parameters": [CLASSROOM_ID, {"name": "page", "in": "query", "required": False,
                                      "schema": {"type": "integer", "minimum": 1, "default": 1},
                                      "description": "Which page of students; past the last gives the last."}],
        "responses": {"200": _json(_ref("Gradebook"), "The gradebook."),
                      "400": _error("'page' is not a whole number of 1 or more."),
                      "401": UNAUTHORIZED, "404": NOT_YOURS},
    }},
    "/assignments/{assignment_id}/answers": {"get": {
        "summary": "Every answer given to an assignment, for the class's teacher only.",
        "operationId": "assignmentAnswers", "security": BEARER, "parameters": [ASSIGNMENT_ID],
        "responses": {
            "200": _json({"type": "object", "required": ["answers"], "properties": {
                "answers": {"type": "array", "items": _ref("AnswerRow")}}}, "The answers."),
            "401": UNAUTHORIZED, "404": NOT_YOURS},
    }},
    "/assignments/{assignment_id}/statistics": {"get": {
        "summary": "Score summary, reliability and item statistics, for the class's teacher only.",
        "operationId": "assignmentStatistics", "security": BEARER, "parameters": [ASSIGNMENT_ID],
        "responses": {"200": _json(_ref("Statistics"), "The statistics."), "401": UNAUTHORIZED, "404": NOT_YOURS},
    }},
})


# --- spaced practice -------------------------------------------------------------------------------------

RATING = {"enum": ["again", "hard", "good", "easy"],
          "description": "How well the student recalled the answer, as in Anki: `again` (forgot), `hard`, `good`, "
                         "`easy`."}
REVIEW_ID = {"name": "review_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NATURAL = {"type": "integer", "minimum": 0}

SCHEMAS.update({
    "PracticeCard": {
        "type": ["object", "null"],
        "description": "The student's memory card for the question, scheduled by FSRS; null before the question "
                       "has had a graded answer.",
        "required": ["state", "due", "reps", "lapses"],
        "additionalProperties": False,
        "properties": {
            "state": {"enum": ["learning", "review", "relearning"]},
            "due": {"type": "string", "format": "date-time"},
            "reps": {**NATURAL, "description": "Reviews since the card was made (or started again when the "
                                               "question's answer changed)."},
            "lapses": {**NATURAL, "description": "Times the question was forgotten once learnt."},
        },
    },
    "DueItem": {
        "type": "object",
        "required": ["question", "part", "card", "token"],
        "additionalProperties": False,
        "properties": {
            "question": _ref("Question"),
            "part": {"type": "string", "description": "The key point, FAQ or section it asks about, e.g. "
                                                      "`Key point 3`."},
            "card": _ref("PracticeCard"),
            "token": {"type": "string", "description": "Send it back with the answer (`POST /reviews`): it "
                                                       "names the question as shown here, choices' order "
                                                       "included. It is yours alone, and lasts 6 hours."},
        },
    },
    "ReviewQueue": {
        "type": "object",
        "required": ["mode", "items", "due_today", "due_tomorrow", "due_week", "reviewed_today", "new_today",
                     "reviews_left", "new_left", "limits", "withheld"],
        "additionalProperties": False,
        "properties": {
            "mode": {"enum": ["due", "ahead", "part"]},
            "items": {"type": "array", "items": _ref("DueItem"), "maxItems": 50},
            "due_today": {**NATURAL, "description": "Cards due before the student's midnight, school time."},
            "due_tomorrow": NATURAL,
            "due_week": {**NATURAL, "description": "Cards due after today and within the next 7 days."},
            "reviewed_today": {**NATURAL, "description": "Practice reviews today of cards already made."},
            "new_today": {**NATURAL, "description": "Questions first seen in practice today."},
            "reviews_left": NATURAL,
            "new_left": NATURAL,
            "limits": {"type": "object", "required": ["new_per_day", "reviews_per_day"],
                       "additionalProperties": False,
                       "properties": {"new_per_day": NATURAL, "reviews_per_day": NATURAL}},
            "withheld": {**NATURAL, "description": "Questions left out because their answers are still kept "
                                                   "from the student (an assignment that asks them is open)."},
        },
    },
    "ReviewRequest": {
        "type": "object",
        "required": ["token", "response"],
        "properties": {
            "token": {"type": "string", "minLength": 1},
            "response": {
                "description": "As for a quiz's answer: a choice id, true/false, typed text, or a list "
                               "(several choices, items in order, one text per blank).",
                "oneOf": [{"type": "string"}, {"type": "boolean"},
                          {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 50}],
            },
            "rating": {**RATING, "description": "The student's own rating, applied right after the answer is "
                                                "graded. A client normally leaves it out, shows the feedback, "
                                                "then lets the student rate with `PUT /reviews/{review_id}/"
                                                "rating`."},
        },
    },
    "RatingRequest": {
        "type": "object", "required": ["rating"], "properties": {"rating": RATING},
    },
    "Review": {
        "type": "object",
        "description": "A practice answer's review and its feedback, with the key: a question is offered for "
                       "practice only once its answers may be shown.",
        "required": ["id", "question_id", "correct", "score", "response", "rating", "source", "reviewed_at",
                     "rate_until", "card", "correct_answer", "explanation", "passage", "part"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer"},
            "question_id": {"type": "integer"},
            "correct": {"type": "boolean"},
            "score": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "response": {"type": ["array", "null"], "items": {"type": "string"}},
            "rating": RATING,
            "source": {"enum": ["practice", "self"],
                       "description": "`practice`: rated from the answer (wrong: again; slow: hard; right: "
                                      "good; fast on a card in review: easy); `self`: the student's own rating."},
            "reviewed_at": {"type": "string", "format": "date-time"},
            "rate_until": {"type": "string", "format": "date-time",
                           "description": "Until when the student may rate it (and only while no later review "
                                          "of the card has been made)."},
            "card": _ref("PracticeCard"),
            "correct_answer": {"type": "array", "items": {"type": "string"}},
            "explanation": {"type": "string"},
            "passage": {"type": "string"},
            "part": {"type": "object", "required": ["id", "reference", "label", "title"],
                     "additionalProperties": False,
                     "properties": {"id": {"type": "integer"}, "reference": {"type": "string"},
                                    "label": {"type": "string"},
                                    "title": {"type": ["string", "null"],
                                              "description": "Null while the part's text is held back: another "
                                                             "question drawn from it is in an assignment still "
                                                             "open for you."}}},
        },
    },
    "PartProgress": {
        "type": "object",
        "required": ["id", "kind", "number", "label", "title", "withheld", "recall", "seen", "questions"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "description": "For `GET /reviews/due?mode=part&part=`."},
            "kind": {"type": "string", "description": "`key_point`, `faq` or `section`."},
            "number": {"type": "integer"},
            "label": {"type": "string"},
            "title": {"type": ["string", "null"], "description": "Null while the text could give away an "
                                                                 "answer still kept from the student."},
            "withheld": {"type": ["string", "null"], "description": "Why the title is held back, if it is."},
            "recall": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                       "description": "Predicted recall by the end of the school day: the mean of its "
                                      "cards'; null with none."},
            "seen": {**NATURAL, "description": "Its questions the student has a card for."},
            "questions": {**NATURAL, "description": "Its questions that may be asked."},
        },
    },
    "Progress": {
        "type": "object",
        "required": ["banks", "forecast", "streak", "practised_today", "due_today", "cards"],
        "additionalProperties": False,
        "properties": {
            "banks": {"type": "array", "description": "The banks the student has cards in.", "items": {
                "type": "object", "required": ["id", "title", "source_title", "parts"],
                "additionalProperties": False,
                "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                               "source_title": {"type": "string"},
                               "parts": {"type": "array", "items": _ref("PartProgress")}}}},
            "forecast": {"type": "array", "description": "Reviews due each school day from today (today's "
                                                         "include the overdue ones).",
                         "items": {"type": "object", "required": ["date", "due"], "additionalProperties": False,
                                   "properties": {"date": {"type": "string", "format": "date"},
                                                  "due": NATURAL}}},
            "streak": {**NATURAL, "description": "School days in a row with practice, up to today (or "
                                                 "yesterday, while today's is still to do)."},
            "practised_today": {"type": "boolean"},
            "due_today": NATURAL,
            "cards": NATURAL,
        },
    },
})

PRACTICE_400 = "A query parameter is not as described."
PATHS.update({
    "/reviews/due": {"get": {
        "summary": "The caller's practice queue, without keys: in `due` mode the cards due today, most overdue "
                   "first, mixed across banks, within the daily review limit; `ahead`, cards due later, "
                   "soonest first; `part`, one key point, FAQ or section: its cards, least remembered first, "
                   "then questions never answered, within the daily limit of new ones. Questions whose answers "
                   "are still kept from the student are left out (`withheld`). Showing writes nothing: each "
                   "item's token names it as shown. Teachers practise their own cards too.",
        "operationId": "dueReviews", "security": BEARER,
        "parameters": [
            {"name": "mode", "in": "query", "required": False,
             "schema": {"enum": ["due", "ahead", "part"], "default": "due"}},
            {"name": "part", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
             "description": "With mode=part (and needed there): the id of a key point, FAQ or section "
                            "(`GET /progress` lists them)."},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20},
             "description": "The most questions to show."},
        ],
        "responses": {
            "200": _json(_ref("ReviewQueue"), "The queue and today's counts."),
            "400": _error(f"{PRACTICE_400} mode=part without `part`."),
            "401": UNAUTHORIZED,
            "404": _error("No such key point, FAQ or section (mode=part)."),
        },
    }},
    "/reviews": {"post": {
        "summary": "Answer a question of the queue: it is graded, the card is reviewed with the rating the "
                   "answer gives (or with `rating`, the student's own), and the feedback comes back with the "
                   "key. A client normally shows the feedback first, then lets the student rate their recall "
                   "with `PUT /reviews/{review_id}/rating`. Counted against the answer rate limit together with "
                   "quiz answers.",
        "operationId": "createReview", "security": BEARER,
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ReviewRequest")}}},
        "responses": {
            "201": _json(_ref("Review"), "The review and its feedback."),
            "400": _error("The body is not as described, the token is not one `GET /reviews/due` gave you or "
                          "is over 6 hours old (`bad_token`), or the response does not fit the question."),
            "401": UNAUTHORIZED,
            "403": _error("The question's answers are kept from you while an assignment that asks it is open "
                          "(`key_withheld`)."),
            "409": _error("The card was reviewed since the question was shown (`already_reviewed`: a repeat), or "
                          "the question changed or was put away (`question_changed`)."),
            "429": TOO_MANY,
        },
    }},
    "/reviews/{review_id}/rating": {"put": {
        "summary": "Rate your recall of a practice answer yourself, after its feedback: the card is scheduled "
                   "again from before that answer, with this rating. Only within an hour, and only for the "
                   "card's latest review.",
        "operationId": "rateReview", "security": BEARER, "parameters": [REVIEW_ID],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("RatingRequest")}}},
        "responses": {
            "200": _json(_ref("Review"), "The review with its new rating."),
            "400": _error("The body is not as described (a rating of again, hard, good or easy)."),
            "401": UNAUTHORIZED,
            "404": _error("No such practice answer of yours (someone else's is not found either)."),
            "409": _error("Too late: the card has been reviewed again since, or the hour is over "
                          "(`practice_error`)."),
        },
    }},
    "/progress": {"get": {
        "summary": "The caller's practice progress: per bank, each key point's, FAQ's and section's predicted "
                   "recall today and how many of its questions have been seen; the reviews due each coming "
                   "day; the streak of practice days.",
        "operationId": "practiceProgress", "security": BEARER,
        "parameters": [{"name": "days", "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 60, "default": 14},
                        "description": "How many days the forecast covers, from today."}],
        "responses": {
            "200": _json(_ref("Progress"), "The progress."),
            "400": _error(PRACTICE_400),
            "401": UNAUTHORIZED,
        },
    }},
})


UNAVAILABLE = _error("The database is not available just now; nothing was saved. The Retry-After header says "
                     "when to try again.")


INVALID_INPUT = _error("Refused before anything is read: text no field can hold (a NUL character or a lone "
                       "surrogate) anywhere in the request (`invalid_text`), or a JSON body nested more than 32 "
                       "levels deep (`nested_too_deeply`).")
TOO_LARGE = _error("The body is larger than the API takes (1 MB): `too_large`.")


def _common_responses(method: str, operation: dict[str, Any]) -> dict[str, Any]:
    """Every operation can answer 503 when the database is unavailable and 400 when the request holds what
    no field can; one that takes a body, 413 when the body is too large. An operation's own 400 says more."""
    responses = {"400": INVALID_INPUT, **operation["responses"], "503": UNAVAILABLE}
    if method in ("post", "put", "patch"):
        responses["413"] = TOO_LARGE
    if "400" in operation["responses"]:
        responses["400"] = _error(f"{operation['responses']['400']['description']} {INVALID_INPUT['description']}")
    return responses


def _with_common_responses(paths: dict[str, Any]) -> dict[str, Any]:
    return {path: {method: {**operation, "responses": _common_responses(method, operation)}
                   for method, operation in operations.items()}
            for path, operations in paths.items()}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "quizapp API",
            "version": "1",
            "description": "Take quizzes from scripts: get a token, list quizzes, start an attempt, "
                           "answer each question, finish, read the result. Practise what is due: read the "
                           "queue, answer each question with its token, rate your recall, follow progress.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _with_common_responses(PATHS),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "basic": {"type": "http", "scheme": "basic"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }
