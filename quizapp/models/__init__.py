"""Typed tables. Import models from here."""

from quizapp.models.bank import KIND_LABELS, SOURCE_KINDS, Bank, Question, SourcePart
from quizapp.models.base import UTCDateTime, utcnow
from quizapp.models.quiz import Answer, Attempt, AttemptItem, Quiz
from quizapp.models.user import ApiToken, Role, User

__all__ = [
    "KIND_LABELS",
    "SOURCE_KINDS",
    "Answer",
    "ApiToken",
    "Attempt",
    "AttemptItem",
    "Bank",
    "Question",
    "Quiz",
    "Role",
    "SourcePart",
    "User",
    "UTCDateTime",
    "utcnow",
]
