"""A question read from another format, with what the reading could not keep or had to change.

Every importer (GIFT, Aiken, Moodle XML) gives an :class:`Imported` for each question: the native
question, and beside it what a teacher must be told before it is stored. ``named`` says whether the
id is the file's own (a GIFT title, a Moodle name or id number): only such an id may update a question
already in a bank. A made-up id (``aiken-3``, an untitled GIFT question's ``gift-2``) names nothing
and is renumbered to be new in the bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TOLERANCE = 0.5  # percentage points: Moodle writes 33.33333, people write 33.33


@dataclass
class Imported:
    """One question read from a file, and what its reading changed or left out."""

    question: dict[str, Any]
    line: int
    named: bool = False
    converted: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    # Among what was not carried, something the question shows (an image, a sound, a video): it may not make
    # sense without it.
    lost_media: bool = False
    # The fields the file does not give, filled in with defaults: an update keeps the bank's own.
    defaults: frozenset[str] = frozenset({"source", "difficulty", "passage"})

    @property
    def id_prefix(self) -> str:
        """For a made-up id, what the importer numbers (``aiken`` of ``aiken-3``)."""
        return str(self.question["id"]).rsplit("-", 1)[0]


def note(notes: list[str], message: str) -> None:
    """Add ``message`` to ``notes`` once."""
    if message not in notes:
        notes.append(message)


def _percent(value: float) -> str:
    return f"{value:.5g}%"


def multiple_answer_notes(right: list[float], wrong: list[float], scoring: str) -> list[str]:
    """How the file's weights of a multiple-answer question grade differently as ``scoring`` here.

    Moodle adds up the weights of the answers picked (between 0 and 100%); quizapp's partial scoring
    gives each right pick one share and takes one share for each wrong pick, and all-or-nothing gives
    everything or nothing."""
    count = len(right)
    share = 100 / count
    weights = ", ".join(_percent(w) for w in [*right, *wrong])
    notes = []
    if scoring == "all_or_nothing":
        if count > 1:
            notes.append(f"the weights {weights} became all-or-nothing scoring: picking only some of the right "
                         f"answers scores 0 here, where Moodle gives each right pick its {_percent(share)}")
        soft = sorted({w for w in wrong if w > -100 + TOLERANCE})
        if soft:
            notes.append(f"the weights {weights} became all-or-nothing scoring: any wrong pick scores 0 here, "
                         f"where Moodle takes away only {', '.join(_percent(-w) for w in soft)} for it")
        return notes
    off = sorted({w for w in wrong if abs(w + share) > TOLERANCE})
    if off:
        notes.append(f"the weights {weights} became partial credit: each right pick earns {_percent(share)} and "
                     f"each wrong pick takes away {_percent(share)} here (never below 0), where Moodle's wrong "
                     f"answers weigh {', '.join(_percent(w) for w in off)}")
    return notes


def points_note(grade: float, points: int) -> str | None:
    """What rounding a Moodle mark to whole points changed, if anything."""
    if grade == points:
        return None
    return f"its mark of {grade:g} became {points} point{'s' if points != 1 else ''} (quizapp counts whole points, " \
           "at least 1)"
