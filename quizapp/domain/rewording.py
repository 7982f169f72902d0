"""Other words for the same idea, and words for its opposite, for drafting questions from an article.

A drafted true statement in the article's own words tests whether a student recognises a sentence,
not whether they understood it; a distractor that differs from the key by one word of the opposite
sense ("weaken" for "strengthen") is wrong in a way a reader has to think about. The tables are small
on purpose: each pair keeps (or plainly reverses) its meaning in the plain prose of news reports, and
a teacher reviews every draft. Add a pair here to reword more.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

# Phrases first (they are looked for before single words), then words, each in the forms news prose uses.
SAME_MEANING: dict[str, str] = {
    "provided that": "as long as", "strategize on": "plan", "strategise on": "plan", "engaged in": "taking part in",
    "future actions": "next steps", "armed forces": "military", "aims to": "intends to", "aim to": "intend to",
    "aiming to": "intending to", "lion’s share": "greater part", "lion's share": "greater part",
    "security guarantees": "guarantees of security", "has been made": "has been achieved",
    "significant": "considerable", "substantial": "considerable", "progress": "headway", "pending": "awaiting",
    "confirmation": "approval", "consolidate": "strengthen", "consolidating": "strengthening",
    "bolster": "strengthen", "bolstering": "strengthening", "deploy": "send", "deploying": "sending",
    "critical": "vital", "crucial": "vital", "essential": "vital", "countries": "nations", "nations": "countries",
    "finalize": "complete", "finalise": "complete", "commitments": "pledges", "include": "involve",
    "includes": "involves", "including": "among them", "key": "main", "implications": "consequences",
    "redefine": "reshape", "solidify": "firm up", "may": "could", "might": "could", "support": "backing",
    "supports": "backs", "supported": "backed", "enhance": "improve", "enhances": "improves",
    "enhanced": "improved", "enhancing": "improving", "capabilities": "capacities", "potential": "possible",
    "upcoming": "coming", "announced": "said", "stated": "said", "previously": "earlier",
    "responsibilities": "duties", "regarding": "about", "concerning": "about", "approximately": "about",
    "participation": "attendance", "predominantly": "mostly", "primarily": "mainly",
    "largely": "mostly", "currently": "now", "ongoing": "continuing", "emphasize": "stress",
    "emphasise": "stress", "emphasized": "stressed", "emphasised": "stressed", "initiated": "started",
    "objectives": "goals", "objective": "goal", "primary": "main", "assistance": "help", "numerous": "many",
    "additionally": "also", "demonstrate": "show", "demonstrates": "shows", "demonstrated": "showed",
    "indicate": "suggest", "indicates": "suggests", "commence": "begin", "obtain": "get", "purchase": "buy",
    "require": "need", "requires": "needs", "required": "needed", "sufficient": "enough",
    "individuals": "people", "constructed": "built", "construct": "build", "establish": "set up",
    "established": "set up", "rapidly": "quickly", "rapid": "fast", "began": "started", "begin": "start",
    "begins": "starts", "assist": "help", "assists": "helps", "provide": "give", "provides": "gives",
    "providing": "giving", "discussions": "talks", "negotiations": "talks", "signaled": "indicated",
    "signalled": "indicated", "alongside": "together with", "readiness": "willingness", "confront": "face",
    "renewed": "fresh", "articulates": "states", "clearly": "plainly", "encourages": "prompts",
    "encourage": "prompt", "assurance": "confidence", "backing": "support", "organized": "arranged",
    "organised": "arranged", "participants": "attendees", "ensure": "make sure", "ensuring": "making sure",
    "purpose": "aim", "advocate": "argue",
    "advocated": "argued", "decline": "fall", "declined": "fell", "inhabitants": "people",
}

OPPOSITE_MEANING: dict[str, str] = {
    "enhance": "reduce", "enhances": "reduces", "enhancing": "reducing", "strengthen": "weaken",
    "strengthens": "weakens", "strengthening": "weakening", "bolster": "weaken", "consolidate": "scale back",
    "consolidating": "scaling back", "increase": "reduce", "increases": "reduces", "increased": "reduced",
    "include": "exclude", "includes": "excludes", "including": "excluding", "essential": "unnecessary",
    "critical": "unnecessary", "crucial": "unnecessary", "vital": "unnecessary", "encourages": "discourages",
    "encourage": "discourage", "encouraged": "discouraged", "long-term": "short-term",
    "short-term": "long-term", "more": "less", "less": "more", "before": "after", "after": "before",
    "first": "last", "last": "first", "largest": "smallest", "smallest": "largest", "early": "late",
    "earlier": "later", "later": "earlier", "higher": "lower", "lower": "higher", "rise": "fall",
    "rose": "fell", "fell": "rose", "accept": "reject", "accepted": "rejected", "approve": "reject",
    "approved": "rejected", "provides": "withholds", "provide": "withhold", "deploy": "withdraw",
    "military": "economic", "economic": "military", "won": "lost", "lost": "won", "north": "south",
    "south": "north", "east": "west", "west": "east", "allies": "rivals", "ally": "rival",
    "success": "failure", "successful": "unsuccessful", "expand": "shrink", "expanded": "shrank",
    "opened": "closed", "closed": "opened", "public": "private", "private": "public",
}

_PHRASES = re.compile(
    r"(?<![\w’'-])(" + "|".join(sorted((re.escape(p) for p in SAME_MEANING), key=len, reverse=True)) + r")(?![\w’'-])",
    re.IGNORECASE)
_OPPOSITES = re.compile(
    r"(?<![\w’'-])(" + "|".join(sorted((re.escape(p) for p in OPPOSITE_MEANING), key=len, reverse=True))
    + r")(?![\w’'-])", re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    """One word or phrase of a text given in other words: where it was, what it was, and what it became."""

    start: int
    end: int
    was: str
    became: str


def _cased(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _inside(start: int, end: int, spans: Collection[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def same_meaning(text: str, keep: Collection[tuple[int, int]] = ()) -> tuple[str, list[Change]]:
    """``text`` with every word or phrase the table knows given in other words (a capital kept), each
    changed once, and none inside the spans of ``keep`` (a name, a term another question asks for)."""
    changes = [Change(m.start(), m.end(), m.group(), _cased(m.group(), SAME_MEANING[m.group().casefold()]))
               for m in _PHRASES.finditer(text) if not _inside(m.start(), m.end(), keep)
               and not (m.group()[:1].isupper() and m.start() > 0)]  # "May", "Key West": a name, not a word
    for change in reversed(changes):
        text = text[: change.start] + change.became + text[change.end:]
    return text, changes


def opposites(text: str, keep: Collection[tuple[int, int]] = ()) -> list[Change]:
    """The words of ``text`` that a word of the opposite sense could replace, in order."""
    return [Change(m.start(), m.end(), m.group(), _cased(m.group(), OPPOSITE_MEANING[m.group().casefold()]))
            for m in _OPPOSITES.finditer(text) if not _inside(m.start(), m.end(), keep)
            and not (m.group()[:1].isupper() and m.start() > 0)]


def apply(text: str, change: Change) -> str:
    """``text`` with one change made."""
    return text[: change.start] + change.became + text[change.end:]
