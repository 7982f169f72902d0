"""The API's JSON bodies, built from what the services return; next to ``openapi.py``, whose schemas they
must match (the tests check every response against it). Services return objects; only this module
decides their JSON shape."""

from __future__ import annotations

from typing import Any

from quizapp.domain.practice import STATE_NAMES
from quizapp.domain.question_types import question_type
from quizapp.models import Feedback as FeedbackMode
from quizapp.services.practice import SELF_RATING_WINDOW

# --- quizzes and attempts ---------------------------------------------------------------------------


def quiz_summary(summary) -> dict[str, Any]:
    """A ``quizzes.QuizSummary``: the quiz, its bank, its size and what it covers."""
    quiz = summary.quiz
    return {
        "id": quiz.id,
        "title": quiz.title,
        "description": quiz.description,
        "bank": quiz.bank.title,
        "questions": summary.question_count,
        "covers": [part.label for part in summary.covers],
        "tags": list(quiz.tags),
        "feedback": quiz.feedback.value,
    }


def attempt(attempt, answered: int) -> dict[str, Any]:
    """An attempt's progress; ``answered``: how many of its questions have an answer."""
    return {
        "id": attempt.id,
        "quiz_id": attempt.quiz_id,
        "assignment_id": attempt.assignment_id,
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "started_at": attempt.started_at.isoformat(),
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "total": len(attempt.items),
        "answered": answered,
        "feedback": attempt.feedback.value,
    }


def feedback(feedback) -> dict[str, Any]:
    """An ``attempts.Feedback``: what was saved, and, unless the quiz keeps it for the end, how it went;
    the key only where it may be shown."""
    answer, item, question = feedback.answer, feedback.item, feedback.question
    saved = {
        "question_id": question.id,
        "position": item.position,
        "total": feedback.total,
        "response": answer.response,
        "seconds": answer.seconds,
    }
    if feedback.held:
        return {**saved, "feedback": FeedbackMode.AT_END.value}
    part = question.source_part
    reveal, shows_part = feedback.reveal, feedback.shows_part
    return {
        **saved,
        "feedback": FeedbackMode.AFTER_EACH.value,
        "correct": answer.is_correct,
        "score": answer.score,
        "points_awarded": answer.points_awarded,
        "points": item.points,
        "correct_answer": feedback.correct_answer if reveal else None,
        "explanation": question.explanation if reveal else None,
        "source": {"reference": part.reference, "label": part.label,
                   "title": part.title if shows_part else "", "body": part.body if shows_part else ""},
        "passage": question.passage if reveal else None,
        "key_withheld": not reveal,
    }


def result(attempt, entries) -> dict[str, Any]:
    """A finished attempt's result and review (``attempts.ReviewEntry``s); without the key of the entries
    that may not show it."""
    return {
        "attempt_id": attempt.id,
        "quiz_id": attempt.quiz_id,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percentage": attempt.percentage,
        "started_at": attempt.started_at.isoformat(),
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "seconds": attempt.seconds,
        "key_withheld": not all(e.reveal for e in entries),
        "questions": [
            {
                "question_id": e.question.id,
                "position": e.item.position,
                "prompt": e.question.prompt,
                "answered": e.answer is not None,
                "response": e.answer.response if e.answer else None,
                "correct": e.answer.is_correct if e.answer else False,
                "points_awarded": e.answer.points_awarded if e.answer else 0.0,
                "points": e.item.points,
                "correct_answer": e.correct_answer if e.reveal else None,
                "explanation": e.question.explanation if e.reveal else None,
                "passage": e.question.passage if e.reveal else None,
                "source": e.question.source_part.label,
            }
            for e in entries
        ],
    }


# --- classes ------------------------------------------------------------------------------------------


def assignment_status(status) -> dict[str, Any]:
    """One assignment as a student of its class stands with it (``classrooms`` dashboard status)."""
    a = status.assignment
    return {
        "id": a.id, "quiz_id": a.quiz_id, "title": a.quiz.title, "state": status.state,
        "opens_at": a.opens_at.isoformat(), "closes_at": status.closes_at.isoformat(),
        "time_limit_minutes": a.time_limit_minutes, "attempts_allowed": status.attempts_allowed,
        "attempts_used": status.attempts_used, "counting": a.counting.value,
        "score": status.result.score if status.result else None,
        "max_score": status.result.max_score if status.result else None,
    }


def board_row(row) -> dict[str, Any]:
    """A ``standings.BoardRow``."""
    return {
        "rank": row.rank, "name": row.name, "score": row.score, "max_score": row.max_score,
        "percentage": row.percentage, "seconds": row.seconds, "finished_at": row.finished_at.isoformat(),
        "you": row.is_viewer,
    }


def board(board) -> dict[str, Any]:
    """A ``standings.Board``: the top rows and the viewer's own."""
    return {
        "title": board.title, "tie_break": board.tie_break, "ranked": board.ranked,
        "top": [board_row(r) for r in board.rows],
        "you": board_row(board.viewer_row) if board.viewer_row else None,
    }


def gradebook_cell(cell) -> dict[str, Any]:
    """A ``gradebook.Cell``: one student on one assignment."""
    r = cell.result
    return {
        "score": r.score if r else None, "max_score": r.max_score if r else None,
        "percentage": round(100 * r.score / r.max_score, 1) if r and r.max_score else None,
        "attempts_used": cell.attempts_used, "completion": cell.completion,
    }


def gradebook(book) -> dict[str, Any]:
    """A ``gradebook.Gradebook``: one page of students × assignments."""
    return {
        "classroom": {"id": book.classroom.id, "name": book.classroom.name},
        "page": book.page, "pages": book.pages, "students_total": book.total,
        "assignments": [
            {"id": a.id, "title": a.quiz.title, "counting": a.counting.value} for a in book.assignments
        ],
        "students": [
            {"id": m.user.id, "username": m.user.username, "name": m.user.display_name,
             "assignments": [gradebook_cell(c) for c in cells]}
            for m, cells in book.rows
        ],
    }


def item_report(item) -> dict[str, Any]:
    """A ``reports.ItemReport``: one question's statistics and review."""
    s = item.stats
    question = item.question
    part = question.source_part
    return {
        "question_id": question.key, "prompt": question.prompt, "text": item.text,
        "type": question.type, "source": part.label, "source_title": part.title,
        "attempts": s.attempts, "enough_attempts": s.enough, "facility": s.facility,
        "difficulty": question.difficulty, "suggested_difficulty": s.suggested_difficulty,
        "point_biserial": s.point_biserial, "upper_lower": s.upper_lower,
        "choice_counts": s.choice_counts, "correct_choices": list(s.correct),
        "flags": [str(flag) for flag in s.flags],
        "review": [{"code": f.code, "finding": f.finding, "action": f.action} for f in s.flags],
        "typed_answers": [{"blank": t.blank, "answer": t.shown, "normalised": t.normalised, "count": t.count,
                           "accepted": t.accepted, "graded_before": t.graded_before} for t in item.typed],
    }


def assignment_report(report) -> dict[str, Any]:
    """A ``reports.AssignmentReport``: score summary, reliability and every question's statistics."""
    s = report.stats
    return {
        "assignment_id": report.assignment.id,
        "attempts": s.attempts,
        "min_attempts": report.min_attempts,
        "enough_attempts": s.enough,
        "summary": {"mean": s.summary.mean, "median": s.summary.median,
                    "standard_deviation": s.summary.standard_deviation,
                    "minimum": s.summary.minimum, "maximum": s.summary.maximum},
        "histogram": [{"lower": b.lower, "upper": b.upper, "count": b.count} for b in s.histogram],
        "alpha": s.alpha,
        "questions": [item_report(item) for item in report.items],
    }


# --- spaced practice ----------------------------------------------------------------------------------


def practice_card(card) -> dict[str, Any] | None:
    """A ``PracticeCard``'s schedule: its state, when it is due, its reviews and lapses; None for none."""
    if card is None:
        return None
    return {"state": STATE_NAMES.get(card.state, "learning"), "due": card.due.isoformat(), "reps": card.reps,
            "lapses": card.lapses}


def practice_question(question, presentation: dict[str, Any], position: int, total: int) -> dict[str, Any]:
    """A practice question as a student sees it before answering, in the attempts' shape
    (``attempts.question_view``): no key, no explanation; ``position`` of ``total`` in the queue."""
    kind = question_type(question.type)
    return {
        "question_id": question.id,
        "position": position,
        "total": total,
        "type": question.type,
        "type_label": kind.label,
        "prompt": question.prompt,
        "points": question.points,
        **kind.public(question.spec, presentation),
    }


def due_item(item, shown, position: int, total: int, token: str) -> dict[str, Any]:
    """A ``practice.QueueItem`` as shown (``practice.Shown``), with the token its answer brings back."""
    return {
        "question": practice_question(item.question, shown.presentation, position, total),
        "part": item.question.source_part.label,
        "card": practice_card(item.card),
        "token": token,
    }


def practice_queue(queue, mode: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``practice.Queue``: its items (``due_item``) and what is due and done today."""
    return {
        "mode": mode,
        "items": items,
        "due_today": queue.due_today,
        "due_tomorrow": queue.due_tomorrow,
        "due_week": queue.due_week,
        "reviewed_today": queue.reviewed_today,
        "new_today": queue.new_today,
        "reviews_left": queue.reviews_left,
        "new_left": queue.new_left,
        "limits": {"new_per_day": queue.limits.new_per_day, "reviews_per_day": queue.limits.reviews_per_day},
        "withheld": queue.withheld,
    }


def practice_review(feedback) -> dict[str, Any]:
    """A ``practice.PracticeFeedback``: the review, the card's new schedule, and the feedback with the key
    (a question is offered for practice only while its key may be shown)."""
    review, question, part = feedback.review, feedback.question, feedback.question.source_part
    return {
        "id": review.id,
        "question_id": question.id,
        "correct": feedback.is_correct,
        "score": review.score,
        "response": review.response,
        "rating": feedback.rating_name,
        "source": review.source,
        "reviewed_at": review.reviewed_at.isoformat(),
        "rate_until": (review.reviewed_at + SELF_RATING_WINDOW).isoformat(),
        "card": practice_card(feedback.card),
        "correct_answer": feedback.correct_answer,
        "explanation": question.explanation,
        "passage": question.passage,
        # The part's text is held back while another question drawn from it is withheld (key_secrecy).
        "part": {"id": part.id, "reference": part.reference, "label": part.label,
                 "title": None if feedback.part_withheld else part.title},
    }


def part_progress(progress) -> dict[str, Any]:
    """A ``practice.PartProgress``: its title only while its text gives nothing away (null, with why)."""
    part = progress.part
    return {
        "id": part.id, "kind": part.kind, "number": part.number, "label": part.label,
        "title": part.title if progress.titled else None, "withheld": progress.withheld,
        "recall": progress.recall, "seen": progress.seen, "questions": progress.questions,
    }


def practice_progress(progress) -> dict[str, Any]:
    """A ``practice.Progress``: per bank its parts, the forecast of reviews due each day, the streak."""
    return {
        "banks": [{"id": bank.id, "title": bank.title, "source_title": bank.source_title,
                   "parts": [part_progress(p) for p in parts]} for bank, parts in progress.banks],
        "forecast": [{"date": day.isoformat(), "due": count} for day, count in progress.forecast],
        "streak": progress.streak,
        "practised_today": progress.practised_today,
        "due_today": progress.due_today,
        "cards": progress.cards,
    }
