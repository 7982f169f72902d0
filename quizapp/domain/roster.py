"""A class list pasted by a teacher: the names it holds, and the usernames made from them.

Pure: nothing here reads the database; the roster service says which usernames are taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from quizapp.domain.text import clean_name

# A class, or two: more at once is more likely a wrong paste than a roster.
MAX_NAMES = 100
# As long as a display name may be.
NAME_MAX = 80
USERNAME_MIN, USERNAME_MAX = 3, 40
# Room left after a base for the number that tells two of the same name apart.
_BASE_MAX = USERNAME_MAX - 4
# Letters that NFKD leaves whole but that have a usual spelling in ASCII.
_ASCII = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
                        "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# What a name with no letter ASCII can spell becomes.
FALLBACK = "student"


class RosterError(ValueError):
    """The paste cannot be added as it is; ``problems`` says why, line by line, in plain words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_names(text: str) -> list[str]:
    """The names of a paste, one per line, as ``clean_name`` keeps them; blank lines are skipped.

    Raises RosterError naming every line that cannot be a name: one that holds only invisible
    characters, one too long, one that repeats an earlier line (case aside), or too many names in all.

    >>> parse_names("Ana Lima\\n\\n  Bo Chen ")
    ['Ana Lima', 'Bo Chen']
    """
    names: list[str] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name = clean_name(line)
        if not name:
            problems.append(f"Line {number} holds no name once invisible characters are taken out.")
            continue
        if len(name) > NAME_MAX:
            problems.append(f"Line {number} is {len(name)} characters long; a name can have at most {NAME_MAX}.")
            continue
        key = name.casefold()
        if key in first_line:
            problems.append(f"Line {number} repeats line {first_line[key]} ({name}). If two students share "
                            "a name, tell them apart, with an initial for instance.")
            continue
        first_line[key] = number
        names.append(name)
    if not names and not problems:
        problems.append("Paste at least one name, one per line.")
    if len(names) > MAX_NAMES:
        problems.append(f"That is {len(names)} names; add at most {MAX_NAMES} at a time.")
    if problems:
        raise RosterError(problems)
    return names


def username_base(name: str) -> str:
    """The username a name suggests: ASCII, lower case, its words joined by dots.

    >>> username_base("Zoë Müller-Øberg")
    'zoe.muller.oberg'
    >>> username_base("李雷")
    'student'
    """
    ascii_text = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore").decode()
    base = ".".join(_NOT_ALNUM.split(ascii_text.lower())).strip(".")
    base = re.sub(r"\.{2,}", ".", base)[:_BASE_MAX].strip(".")
    return base or FALLBACK


def unique_usernames(names: Iterable[str], taken: set[str]) -> list[str]:
    """A username for each name, none of them in ``taken`` nor given twice: the name's base, else the base
    followed by 2, 3, …

    >>> unique_usernames(["Ana Lima", "Ana  Lima!", "Al"], {"ana.lima"})
    ['ana.lima2', 'ana.lima3', 'al2']
    """
    used = set(taken)
    result = []
    for name in names:
        base = username_base(name)
        candidate, number = base, 1
        while candidate in used or len(candidate) < USERNAME_MIN:
            number += 1
            candidate = f"{base}{number}"
        used.add(candidate)
        result.append(candidate)
    return result
