"""Text matching for typed answers."""

import unicodedata


def normalise_answer(text: str) -> str:
    """Fold ``text`` so that case, accents, punctuation and spacing do not matter.

    >>> normalise_answer("  Élysée Palace! ")
    'elysee palace'
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
    return " ".join("".join(kept).casefold().split())
