"""The JSON API (``/api/v1``): the student flow for scripts and live games, token-authenticated."""

from quizapp.api.views import bp

__all__ = ["bp"]
