"""What teachers see: classes, rosters, assignments, gradebooks, exports, item statistics, and
question banks."""

from quizapp.teacher import banks, views
from quizapp.teacher.blueprint import bp

__all__ = ["banks", "bp", "views"]
