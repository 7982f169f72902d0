"""What teachers see: classes, rosters, assignments, gradebooks, exports, item statistics, and
question banks and their quizzes, banks drafted from an article, and students' accounts."""

from quizapp.teacher import assignments, banks, drafts, quizzes, roster, views
from quizapp.teacher.blueprint import bp

__all__ = ["assignments", "banks", "bp", "drafts", "quizzes", "roster", "views"]
