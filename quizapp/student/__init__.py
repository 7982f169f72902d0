"""What students (and teachers taking a quiz) see: quizzes, questions, feedback, results, history."""

from quizapp.student import practice_views
from quizapp.student.views import bp

__all__ = ["bp", "practice_views"]
