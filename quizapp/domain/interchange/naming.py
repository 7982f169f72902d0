"""What every importer gives a question the file did not: an id and, if need be, an explanation."""

import string
import unicodedata

from quizapp.domain.bank_format import ID_LENGTH

NO_EXPLANATION = "No explanation was given in the imported file."


def slugify(text: str, limit: int = ID_LENGTH) -> str:
    """Lower-case ASCII letters and digits, other runs as one hyphen, at most ``limit`` long."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            continue
        if char in string.ascii_lowercase or char in string.digits:
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out)[:limit].strip("-")


def unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not in ``used`` yet; records it there."""
    candidate, n = base, 1
    while candidate in used:
        n += 1
        suffix = f"-{n}"
        candidate = base[: ID_LENGTH - len(suffix)].rstrip("-") + suffix
    used.add(candidate)
    return candidate
