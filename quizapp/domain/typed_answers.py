"""What students typed for short-answer and cloze questions, counted the way grading compares answers
(``quizapp.domain.answer_matching``), and a key widened to accept one more typed answer."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.domain.answer_matching import fold_answer, folded_matches

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


def _key_accepts(kind: str, spec: dict[str, Any], blank: int | None, folded: str) -> bool:
    return folded_matches(folded, _accepted(kind, spec, blank), spec.get("tolerance"))


def typed_answers(kind: str, spec: dict[str, Any],
                  answers: Iterable[tuple[Sequence[str], dict[str, Any]]]) -> list[TypedAnswer]:
    """The answers given, as (response, the key it was graded against), tallied per blank and folded
    text. Near misses first: per blank, those the key does not accept, most typed first, then those it
    accepts, most typed first. Empty for a question whose answers are not typed."""
    if kind not in TYPED_TYPES:
        return []
    counts: Counter[tuple[int | None, str]] = Counter()
    spellings: dict[tuple[int | None, str], Counter[str]] = defaultdict(Counter)
    graded_wrong: Counter[tuple[int | None, str]] = Counter()
    for response, graded_against in answers:
        for blank, text in _pieces(kind, response):
            key = (blank, fold_answer(text))
            if not key[1]:
                continue
            counts[key] += 1
            spellings[key][text.strip()] += 1
            if graded_against.get("blanks" if kind == "cloze" else "accepted") is None \
                    or not _key_accepts(kind, graded_against, blank, key[1]):
                graded_wrong[key] += 1
    tallied = []
    for (blank, folded), count in counts.items():
        accepted = _key_accepts(kind, spec, blank, folded)
        # The spelling typed most often; of those typed equally often, the first in alphabetical order.
        shown = min(spellings[blank, folded].items(), key=lambda item: (-item[1], item[0]))[0]
        tallied.append(TypedAnswer(blank, folded, shown, count, accepted,
                                   graded_wrong[blank, folded] if accepted else 0))
    return sorted(tallied, key=lambda t: (t.blank or 0, t.accepted, -t.count, t.normalised))


def accepting(kind: str, spec: dict[str, Any], text: str, blank: int | None = None) -> dict[str, Any] | None:
    """``spec`` with ``text`` added to the answers its key accepts (for a cloze question, those of ``blank``),
    or None when the key accepts it already. ValueError for a question whose answers are not typed, a blank
    it does not have, or text that grading would read as empty."""
    if kind not in TYPED_TYPES:
        raise ValueError("only short-answer and cloze questions take typed answers")
    text = text.strip()
    if not fold_answer(text):
        raise ValueError("an accepted answer needs letters or digits, not only punctuation or spaces")
    if kind == "cloze" and (blank is None or not 0 < blank <= len(spec["blanks"])):
        raise ValueError("the question has no such blank")
    if _key_accepts(kind, spec, blank, fold_answer(text)):
        return None
    widened = copy.deepcopy(spec)
    if kind == "short_answer":
        widened["accepted"].append(text)
    else:
        widened["blanks"][blank - 1].append(text)
    return widened
