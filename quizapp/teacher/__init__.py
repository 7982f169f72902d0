"""What teachers see: classes, rosters, assignments, gradebooks, exports, item statistics, and
question banks and their quizzes, live games, banks drafted from an article, students' accounts, and what
a class remembers from its spaced practice."""

from quizapp.teacher import assignments, banks, drafts, live, practice, quizzes, roster, views
from quizapp.teacher.blueprint import bp

__all__ = ["assignments", "banks", "bp", "drafts", "live", "practice", "quizzes", "roster", "views"]
