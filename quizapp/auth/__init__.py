"""Registration, sign-in and sign-out."""

from quizapp.auth.views import bp

__all__ = ["bp"]
