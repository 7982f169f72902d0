"""What teachers see: classes, rosters, assignments, gradebooks, exports and item statistics."""

from quizapp.teacher.views import bp

__all__ = ["bp"]
