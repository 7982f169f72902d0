"""Typed tables. Import models from here."""

from quizapp.models.bank import KIND_LABELS, SOURCE_KINDS, Bank, BankShare, Question, SourcePart
from quizapp.models.base import UTCDateTime, utcnow
from quizapp.models.classroom import (
    Assignment,
    AssignmentExtension,
    AssignmentResult,
    Classroom,
    ClassStanding,
    Counting,
    Membership,
    NameDisplay,
)
from quizapp.models.live import LiveAnswer, LiveGame, LivePlayer, LiveQuestion
from quizapp.models.practice import PracticeCard, PracticeDay, PracticeReview, PracticeSettings
from quizapp.models.quiz import Answer, Attempt, AttemptItem, Feedback, Quiz
from quizapp.models.school import SCHOOL_ID, SchoolSettings
from quizapp.models.user import ApiToken, Role, User

__all__ = [
    "KIND_LABELS",
    "SOURCE_KINDS",
    "Answer",
    "ApiToken",
    "Assignment",
    "AssignmentExtension",
    "AssignmentResult",
    "Attempt",
    "AttemptItem",
    "Bank",
    "BankShare",
    "Classroom",
    "ClassStanding",
    "Counting",
    "Feedback",
    "LiveAnswer",
    "LiveGame",
    "LivePlayer",
    "LiveQuestion",
    "Membership",
    "PracticeCard",
    "PracticeDay",
    "PracticeReview",
    "PracticeSettings",
    "NameDisplay",
    "Question",
    "Quiz",
    "Role",
    "SCHOOL_ID",
    "SchoolSettings",
    "SourcePart",
    "User",
    "UTCDateTime",
    "utcnow",
]
