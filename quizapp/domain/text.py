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


# Characters no text column can store: NUL (PostgreSQL refuses it in text) and lone surrogates (not
# encodable as UTF-8). Refused wherever text comes in, never stripped: the sender meant something else.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): one of them
# in a name reverses or reorders whatever is shown after it ("Trojan Source", CVE-2021-42574), so a
# name could pass for another or turn the rest of a leaderboard row around. The one-character marks
# (U+200E, U+200F, U+061C) are kept: they change the direction of nothing beyond the character next to
# them, and right-to-left names are written with them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def unstorable_character(text: str) -> str | None:
    """How to name the first character of ``text`` that no text field can hold, or None.

    >>> unstorable_character("ab\\x00c")
    'the NUL character (\\\\0)'
    >>> unstorable_character("fine") is None
    True
    """
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "the NUL character (\\0)"
    return f"the lone surrogate \\u{ord(found.group()):04x}"


def clean_name(text: str) -> str:
    """A name or title as it is kept: without bidirectional controls and surrounding spaces.

    The rule for every name people give: display names, nicknames, class names, bank, quiz and source
    titles, typed in a form, sent to the API or written in a bank file.

    >>> clean_name(" Ana\\u202egnp.exe ")
    'Anagnp.exe'
    """
    return BIDI_CONTROLS.sub("", text).strip()
