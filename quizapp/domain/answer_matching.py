"""How a typed answer is compared with the answers a question accepts, as a fair teacher marks it.

One rule serves grading (short answers and each blank of a cloze), the tally of what students typed,
and accepting a typed answer, so a typed answer counted as accepted is exactly one grading marks right.

``fold_answer`` ignores:

* case, accents, punctuation and symbols, and extra spacing ("  Élysée Palace! " reads "elysee palace");
* spaces and commas between digits ("3 300", "3,300" and "3300" are one number);
* a hyphen between two letters or digits: "re-assurance" reads "reassurance". An accepted answer
  written with such a hyphen also accepts the two words apart ("Jong-un" and "Jong un"); a student's
  hyphen always joins, so "Jong-un" is not right for a key written "Jong un" alone;
* a leading "a", "an" or "the" followed by another word ("a backstop", "the United States"); never a
  lone "the", nor "theatre", nor an article further in.

With ``tolerance: typo`` a word of the accepted answer six letters or longer may be one edit away from
the word typed at the same place: one letter inserted, deleted or replaced, or two adjacent letters
swapped. Both answers must have the same number of words, and a word with a digit must match exactly.

An answer that folds to nothing matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from quizapp.domain.text import normalise_answer

TOLERANCES = ("typo",)
"""The values ``tolerance`` may take; without one, answers must match once folded."""

TYPO_MIN_LENGTH = 6

# Hyphens proper (not dashes): a dash between words is a pause, a hyphen joins one word's parts.
_HYPHEN_INSIDE = re.compile(r"(?<=[^\W_])[-\u2010\u2011](?=[^\W_])")
_ARTICLES = frozenset({"a", "an", "the"})


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.category(c).startswith("M"))


def _fold(text: str, hyphen: str) -> str:
    folded = normalise_answer(_HYPHEN_INSIDE.sub(hyphen, _without_accents(text)))
    words = folded.split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        return " ".join(words[1:])
    return folded


def fold_answer(text: str) -> str:
    """``text`` as grading reads a typed answer (see the module's docstring).

    >>> fold_answer("The re-assurance force!")
    'reassurance force'
    """
    return _fold(text, "")


@lru_cache(maxsize=4096)
def accepted_forms(accepted: str) -> frozenset[str]:
    """The folded answers one accepted answer stands for: with its hyphens joined, and apart. Kept for the
    questions being answered: folding the same keys again for every answer was about 6% of its CPU."""
    return frozenset(form for form in (_fold(accepted, ""), _fold(accepted, " ")) if form)


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter inserted, deleted or replaced, or two adjacent letters swapped
    (identical strings are not: they are zero edits apart)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 1:
            return True
        i = differ[0]
        return len(differ) == 2 and differ[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1:]


def _typo_match(given: str, accepted: str) -> bool:
    given_words, accepted_words = given.split(" "), accepted.split(" ")
    if len(given_words) != len(accepted_words):
        return False
    for typed, word in zip(given_words, accepted_words, strict=True):
        if typed == word:
            continue
        if len(word) < TYPO_MIN_LENGTH or any(c.isdigit() for c in typed + word) or not one_edit_apart(typed, word):
            return False
    return True


def folded_matches(folded: str, accepted: Iterable[str], tolerance: str | None = None) -> bool:
    """Whether an answer already folded by ``fold_answer`` is one of ``accepted`` under ``tolerance``."""
    if not folded:
        return False
    forms = {form for answer in accepted for form in accepted_forms(answer)}
    if folded in forms:
        return True
    return tolerance == "typo" and any(_typo_match(folded, form) for form in forms)


def answer_matches(given: str, accepted: Iterable[str], tolerance: str | None = None) -> bool:
    """Whether the typed ``given`` is right for a key accepting ``accepted`` under ``tolerance``."""
    return folded_matches(fold_answer(given), accepted, tolerance)
