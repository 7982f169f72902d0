"""Builders shared by the class, assignment, leaderboard and gradebook tests, and a few helpers that
make answers and bank files."""

from __future__ import annotations

from datetime import timedelta

import yaml

from quizapp.models import utcnow
from quizapp.services import classrooms, users
from tests.support import PASSWORD


def any_response(item) -> list[str]:
    """A well-formed (not necessarily right) raw response to an attempt item."""
    presentation = item.presentation
    if "items" in presentation:
        return [str(i) for i in range(1, len(presentation["items"]) + 1)]
    if "blanks" in presentation:
        return ["something"] * presentation["blanks"]
    if item.question.type == "true_false":
        return ["true"]
    return ["1"]


def raw_for(item, texts):
    """Answer texts as the ids the attempt's presentation gives them."""
    if isinstance(texts, str):
        return [texts]
    shown = item.presentation.get("choices") or item.presentation.get("items")
    return [str(shown.index(t) + 1) for t in texts] if shown else list(texts)


def member(classroom, username: str, name: str | None = None, nickname: str = ""):
    """A new student who has joined ``classroom``."""
    user = users.create_user(username, name or username.title(), PASSWORD)
    classrooms.join(user, classroom.join_code, nickname)
    return user


def assign(classroom, quiz, opens=None, closes=None, **options):
    """Set ``quiz`` to the class, open from a week ago to a week ahead unless told otherwise."""
    now = utcnow()
    return classrooms.create_assignment(classroom, quiz, opens or now - timedelta(days=7),
                                        closes or now + timedelta(days=7), **options)


def bank_around(questions: list[dict], source: dict | None = None) -> str:
    """A bank file holding ``questions``, to run imported or drafted questions through the validator."""
    return yaml.safe_dump({
        "version": 1,
        "id": "imported",
        "title": "Imported questions",
        "source": source or {"title": "Imported", "sections": [{"number": 1, "title": "Section 1"}]},
        "questions": questions,
    }, allow_unicode=True, sort_keys=False)
