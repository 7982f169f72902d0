"""What teachers see: classes, rosters, assignments, gradebooks, exports, item statistics, and
question banks and their quizzes, and banks drafted from an article."""

from quizapp.teacher import assignments, banks, drafts, quizzes, views
from quizapp.teacher.blueprint import bp

__all__ = ["assignments", "banks", "bp", "drafts", "quizzes", "views"]
