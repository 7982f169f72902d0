"""Correcting a question's difficulty from an assignment's item statistics.

Difficulty is set from what makes a question hard when it is written; once a class has answered it,
``domain.statistics.suggested_difficulty`` says where its facility puts it. Difficulty is the teacher's
filing, not what a student sees or is graded on (``banks.writing.GRADED_FIELDS``): it changes in place, the
question keeps its version, and its key, the answers given and their marks stay as they are. Only the owner
of the question's bank may change it: a bundled bank, or one shared with the teacher, is read-only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.domain.statistics import DIFFICULTY_LABELS
from quizapp.models import Question, User
from quizapp.services.unit_of_work import transactional


class CannotChangeDifficulty(Exception):
    """The difficulty cannot be changed; the message says why, for the teacher."""


@dataclass(frozen=True)
class Changed:
    """A question's difficulty before and after."""

    question: Question
    before: int
    after: int

    def __str__(self) -> str:
        return (f"question {self.question.key} from {DIFFICULTY_LABELS[self.before]} "
                f"to {DIFFICULTY_LABELS[self.after]}")


def why_not_changeable(question: Question, teacher_id: int) -> str | None:
    """Why the teacher may not change the question's difficulty, in plain words; None when they may."""
    bank = question.bank
    if bank.owner_id is None:
        return "Its bank ships with the app and cannot be changed here; a copy of it in your banks can."
    if bank.owner_id != teacher_id:
        return "Its bank is another teacher's, shared with you to use as it is: only its owner can change it."
    if bank.archived:
        return "Its bank is archived; restore the bank to change its questions."
    if question.archived:
        return "It has been archived from its bank; restore it there to change it."
    return None


def _change(teacher: User, question: Question, difficulty: int) -> Changed | None:
    if difficulty not in DIFFICULTY_LABELS:
        raise CannotChangeDifficulty(f"A difficulty is 1 (easy), 2 or 3 (hard), not {difficulty}.")
    why = why_not_changeable(question, teacher.id)
    if why is not None:
        raise CannotChangeDifficulty(f"The difficulty of question {question.key} cannot be changed. {why}")
    if question.difficulty == difficulty:
        return None
    before, question.difficulty = question.difficulty, difficulty
    return Changed(question, before, difficulty)


@transactional
def set_difficulty(teacher: User, question: Question, difficulty: int) -> Changed | None:
    """Set the question's difficulty (1, 2 or 3) in place: no new version, keys and answers as they are.
    None when it had that difficulty already. Raises CannotChangeDifficulty, with nothing changed, when the
    teacher may not change the question or the difficulty is not one of the scale's."""
    return _change(teacher, question, difficulty)


@transactional
def correct_difficulties(teacher: User, suggestions: Iterable[tuple[Question, int]]) -> list[Changed]:
    """Set each question's difficulty to the one suggested, all or none, and return what changed; a question
    the teacher may not change is left as it is."""
    done = []
    for question, difficulty in suggestions:
        if why_not_changeable(question, teacher.id) is not None:
            continue
        changed = _change(teacher, question, difficulty)
        if changed is not None:
            done.append(changed)
    return done


def summary(done: list[Changed]) -> str:
    """What changing the difficulty did, for the teacher."""
    if not done:
        return "No difficulty needed changing: each question already had the one its answers suggest."
    what = "; ".join(str(changed) for changed in done)
    count = "1 question" if len(done) == 1 else f"{len(done)} questions"
    return (f"Changed the difficulty of {count}: {what}. Only the filing changed: no new version, and keys, "
            "answers and marks stay as they are.")
