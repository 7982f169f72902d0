"""Sentences of running text: splitting a paragraph, and trimming a line to a title's length."""

from __future__ import annotations

import re

TITLE_LIMIT = 120


def trim(text: str, limit: int = TITLE_LIMIT) -> str:
    """``text`` cut at a word to at most ``limit`` characters, an ellipsis marking the cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


_BREAK = re.compile(r"[.!?]+[\"”’')\]]*\s+")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "gen", "sen", "rep", "gov", "lt", "col", "jr", "sr",
                  "vs", "etc", "no", "e.g", "i.e"}


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences; "U.S.", initials and titles like "Dr." end none."""
    sentences, start = [], 0
    for match in _BREAK.finditer(paragraph):
        following = paragraph[match.end(): match.end() + 1]
        if not (following.isupper() or following.isdigit() or following in "\"“‘'("):
            continue
        before = re.search(r"(\S+)$", paragraph[: match.start()])
        word = before.group(1).lstrip("(\"“‘'") if before else ""
        if paragraph[match.start()] == "." and (
            re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word) and (len(word) == 1 or "." in word)
            or word.casefold() in _ABBREVIATIONS
        ):
            continue
        sentences.append(paragraph[start: match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
