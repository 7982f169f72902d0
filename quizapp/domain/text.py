"""Text matching for typed answers."""

import re
import unicodedata

_SPACE_BETWEEN_DIGITS = re.compile(r"(?<=\d) (?=\d)")


def normalise_answer(text: str) -> str:
    """Fold ``text`` so that case, accents, punctuation and spacing do not matter.

    >>> normalise_answer("  Élysée Palace! ")
    'elysee palace'
    >>> normalise_answer("3 300") == normalise_answer("3,300") == "3300"
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue
        if category.startswith("P") or category.startswith("S"):
            # "U.S." and "US" match; "Kim Jong-un" and "Kim Jong un" match.
            kept.append(" " if category in ("Pd",) else "")
            continue
        kept.append(char)
    folded = " ".join("".join(kept).casefold().split())
    # "3 300", "3,300" and "3300" are one number.
    return _SPACE_BETWEEN_DIGITS.sub("", folded)
