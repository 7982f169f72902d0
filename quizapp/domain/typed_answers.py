"""What students typed for short-answer and cloze questions, counted the way grading compares answers
(``normalise_answer``), and a key widened to accept one more typed answer."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.domain.text import normalise_answer

TYPED_TYPES = ("short_answer", "cloze")


@dataclass(frozen=True)
class TypedAnswer:
    """One answer as grading sees it (``normalised``) and as students typed it most often (``shown``).

    ``blank`` is the blank of a cloze question (from 1), None for a short answer. ``accepted`` says
    whether the key as it stands accepts it; ``graded_before`` counts the answers holding it that were
    graded wrong against an older key, before it was accepted: a regrade would count them right.
    """

    blank: int | None
    normalised: str
    shown: str
    count: int
    accepted: bool
    graded_before: int = 0


def _accepted(kind: str, spec: dict[str, Any], blank: int | None) -> list[str]:
    if kind == "short_answer":
        return list(spec["accepted"])
    blanks = spec["blanks"]
    return list(blanks[blank - 1]) if blank is not None and 0 < blank <= len(blanks) else []


def _pieces(kind: str, response: Sequence[str]) -> list[tuple[int | None, str]]:
    if kind == "short_answer":
        return [(None, response[0])] if response else []
    return list(enumerate(response, start=1))


def typed_answers(kind: str, spec: dict[str, Any],
                  answers: Iterable[tuple[Sequence[str], dict[str, Any]]]) -> list[TypedAnswer]:
    """The answers given, as (response, the key it was graded against), tallied per blank and normalised
    text: each blank's most typed first. Empty for a question whose answers are not typed."""
    if kind not in TYPED_TYPES:
        return []
    counts: Counter[tuple[int | None, str]] = Counter()
    spellings: dict[tuple[int | None, str], Counter[str]] = defaultdict(Counter)
    graded_wrong: Counter[tuple[int | None, str]] = Counter()
    for response, graded_against in answers:
        for blank, text in _pieces(kind, response):
            key = (blank, normalise_answer(text))
            if not key[1]:
                continue
            counts[key] += 1
            spellings[key][text.strip()] += 1
            if graded_against.get("blanks" if kind == "cloze" else "accepted") is None \
                    or key[1] not in {normalise_answer(a) for a in _accepted(kind, graded_against, blank)}:
                graded_wrong[key] += 1
    keys = {blank: {normalise_answer(a) for a in _accepted(kind, spec, blank)} for blank, _ in counts}
    tallied = []
    for (blank, normalised), count in counts.items():
        accepted = normalised in keys[blank]
        # The spelling typed most often; of those typed equally often, the first in alphabetical order.
        shown = min(spellings[blank, normalised].items(), key=lambda item: (-item[1], item[0]))[0]
        tallied.append(TypedAnswer(blank, normalised, shown, count, accepted,
                                   graded_wrong[blank, normalised] if accepted else 0))
    return sorted(tallied, key=lambda t: (t.blank or 0, -t.count, t.normalised))


def accepting(kind: str, spec: dict[str, Any], text: str, blank: int | None = None) -> dict[str, Any] | None:
    """``spec`` with ``text`` added to the answers its key accepts (for a cloze question, those of ``blank``),
    or None when the key accepts it already. ValueError for a question whose answers are not typed, a blank
    it does not have, or text that grading would read as empty."""
    if kind not in TYPED_TYPES:
        raise ValueError("only short-answer and cloze questions take typed answers")
    text = text.strip()
    if not normalise_answer(text):
        raise ValueError("an accepted answer needs letters or digits, not only punctuation or spaces")
    if kind == "cloze" and (blank is None or not 0 < blank <= len(spec["blanks"])):
        raise ValueError("the question has no such blank")
    if normalise_answer(text) in {normalise_answer(a) for a in _accepted(kind, spec, blank)}:
        return None
    widened = copy.deepcopy(spec)
    if kind == "short_answer":
        widened["accepted"].append(text)
    else:
        widened["blanks"][blank - 1].append(text)
    return widened
