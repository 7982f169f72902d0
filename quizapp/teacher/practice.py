"""Teacher views of a class's spaced practice: what the class remembers of each key point, FAQ and section
today and over the last weeks, the students most behind with their reviews, the questions most often
forgotten, and a practice set of the parts remembered least. Another teacher's class is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.domain.errors import Invalid
from quizapp.formatting import local_time, school_zone
from quizapp.services import classrooms, practice, reports
from quizapp.services.banks import visibility
from quizapp.teacher.blueprint import bp
from quizapp.teacher.practice_forms import PracticeSetForm

STEADY = 0.02
"""A change in recall smaller than this (two percentage points) reads as steady."""

KIND_PLURALS = {"key_point": "key points", "faq": "FAQs", "section": "sections"}


@dataclass(frozen=True)
class Trend:
    """Where a part's recall went: ``direction`` up, down or steady, by ``points`` percentage points, since
    ``since`` (the label of the earliest point with data)."""

    direction: str
    points: int
    since: str

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓"}.get(self.direction, "→")

    @property
    def words(self) -> str:
        if self.direction == "steady":
            return f"steady since {self.since}"
        return f"{self.direction} {self.points} point{'s' if self.points != 1 else ''} since {self.since}"


def point_labels(count: int, short: bool = False) -> list[str]:
    """The trend's points as read on the page, oldest first: "4 weeks ago" … "1 week ago", "Today"; short,
    for a phone's narrow columns: "4 wk ago" … "Today"."""
    weeks = range(count - 1, 0, -1)
    if short:
        return [f"{w} wk ago" for w in weeks] + ["Today"]
    return [f"{w} week{'s' if w != 1 else ''} ago" for w in weeks] + ["Today"]


def trend(values: list[float | None], labels: list[str]) -> Trend | None:
    """Today's recall against the earliest point with any; None without both."""
    earliest = next(((k, v) for k, v in enumerate(values[:-1]) if v is not None), None)
    if not values or values[-1] is None or earliest is None:
        return None
    k, value = earliest
    change = values[-1] - value
    direction = "steady" if abs(change) < STEADY else "up" if change > 0 else "down"
    return Trend(direction, round(abs(change) * 100), labels[k].lower())


def weakest_noun(parts) -> str:
    """What the weakest parts are called together: "key points" when they all are, else "parts"."""
    kinds = {p.part.kind for p in parts}
    if len(kinds) == 1:
        plural = KIND_PLURALS.get(kinds.pop(), "parts")
        return plural if len(parts) > 1 else plural.removesuffix("s")
    return "parts" if len(parts) > 1 else "part"


@bp.route("/classes/<int:classroom_id>/practice")
def class_practice(classroom_id: int):
    """What the class remembers of each part of its texts, who is behind, and what is most often forgotten."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    report = practice.class_practice(classroom, school_zone())
    labels = point_labels(len(report.points))
    visible = {bank.id for bank in visibility.visible_banks(current_user)}
    banks = [{
        "bank": bank,
        "parts": [{"progress": p, "trend": trend(p.trend, labels)} for p in parts],
        "weakest": report.weakest(bank.id, practice.PRACTICE_SET_PARTS),
        "can_assign": bank.id in visible,
    } for bank, parts in report.banks]
    for entry in banks:
        entry["noun"] = weakest_noun(entry["weakest"])
    forgotten = [{"item": f, "text": reports.shorten(reports.question_text(f.question)),
                  "visible": f.question.bank_id in visible, "own": f.question.bank.owner_id == current_user.id,
                  "assignments": f.asked_in} for f in report.forgotten]
    return render_template("teacher/practice.html", classroom=classroom, report=report, banks=banks,
                           labels=labels, short_labels=point_labels(len(report.points), short=True),
                           forgotten=forgotten, now=report.points[-1], set_days=practice.PRACTICE_SET_DAYS,
                           lapse_minimum=practice.LAPSE_MINIMUM)


@bp.post("/classes/<int:classroom_id>/practice/<int:bank_id>/assign")
def assign_practice_set(classroom_id: int, bank_id: int):
    """Set the class a practice set of the parts of a bank it remembers least."""
    classroom = classrooms.get_taught_classroom(current_user, classroom_id)
    visibility.get_visible_bank(current_user, bank_id)  # a bank the teacher may not read is a 404
    back = redirect(url_for("teacher.class_practice", classroom_id=classroom.id))
    if not PracticeSetForm().validate_on_submit():
        flash("That request could not be read; reload the page and try again.", "error")
        return back
    try:
        assignment = practice.assign_weakest(classroom, bank_id, school_zone())
    except Invalid as error:
        flash(str(error), "warning")
        return back
    flash(f"Assigned “{assignment.quiz.title}” to {classroom.name}, open until "
          f"{local_time(assignment.closes_at)}: "
          "one attempt, with feedback after each question.", "success")
    return redirect(url_for("teacher.assignment", assignment_id=assignment.id))
