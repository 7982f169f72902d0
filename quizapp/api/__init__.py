"""The JSON API (``/api/v1``): the student flow for scripts and live games, classes and
leaderboards, and teachers' gradebook and exports; token-authenticated."""

from quizapp.api import classes, reviews, views
from quizapp.api.blueprint import bp

__all__ = ["bp", "classes", "reviews", "views"]
