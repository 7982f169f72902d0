"""What changed between the parts a bank holds and the parts of its article, re-imported.

Parts are compared by kind and number: key point 2 of the bank with key point 2 of the article.
A part is changed when its text (title and body, spacing aside) differs; a section whose body the
bank never held is compared by its title only, since there is nothing to compare its text with.
Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from quizapp.domain.article import Article

LABELS = {"key_point": "Key point", "faq": "FAQ", "section": "Section"}
KIND_ORDER = {"key_point": 0, "faq": 1, "section": 2}
CHANGED, ADDED, REMOVED, UNCHANGED = "changed", "added", "removed", "unchanged"
NOTE_TEXT_LIMIT = 300


@dataclass(frozen=True)
class Part:
    """A key point (its text as title), FAQ (question and answer) or section (heading and text)."""

    kind: str
    number: int
    title: str
    body: str = ""

    @property
    def reference(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def label(self) -> str:
        return f"{LABELS[self.kind]} {self.number}"

    @property
    def text(self) -> str:
        """The part as one line of text, as a review note quotes it."""
        if not self.body:
            return self.title
        return f"{self.title} {self.body}" if self.kind == "faq" else f"{self.title}: {self.body}"


@dataclass(frozen=True)
class PartChange:
    """One part, as the bank holds it (``old``) and as the article has it (``new``)."""

    status: str
    old: Part | None
    new: Part | None

    @property
    def part(self) -> Part:
        return self.new or self.old

    @property
    def reference(self) -> str:
        return self.part.reference

    @property
    def label(self) -> str:
        return self.part.label


def article_parts(article: Article) -> list[Part]:
    """The key points, FAQs and sections of an article, as a bank stores them."""
    return [
        *(Part("key_point", number, text) for number, text in article.key_points),
        *(Part("faq", number, question, answer) for number, question, answer in article.faqs),
        *(Part("section", number, title, text) for number, title, text in article.sections),
    ]


def _same(text: str, other: str) -> bool:
    return text.split() == other.split()


def _unchanged(old: Part, new: Part) -> bool:
    if not _same(old.title, new.title):
        return False
    return not old.body or _same(old.body, new.body)


def compare_parts(stored: Iterable[Part], found: Iterable[Part]) -> list[PartChange]:
    """Every part of either side, key points first, then FAQs, then sections, each by number."""
    old = {(p.kind, p.number): p for p in stored}
    new = {(p.kind, p.number): p for p in found}
    changes = []
    for kind, number in sorted(old.keys() | new.keys(), key=lambda k: (KIND_ORDER[k[0]], k[1])):
        before, after = old.get((kind, number)), new.get((kind, number))
        if before is None:
            status = ADDED
        elif after is None:
            status = REMOVED
        else:
            status = UNCHANGED if _unchanged(before, after) else CHANGED
        changes.append(PartChange(status, before, after))
    return changes


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > NOTE_TEXT_LIMIT:
        text = text[: NOTE_TEXT_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def review_note(change: PartChange, day: date) -> str:
    """Why a question drawn from a changed or removed part needs its teacher's eye."""
    when = f"{day.day} {day:%b %Y}"
    if change.status == REMOVED:
        return (f"{change.label} is no longer in the article re-imported on {when} "
                f"(it read {_quoted(change.old.text)}): keep, change or archive this question.")
    return (f"{change.label} changed when the article was re-imported on {when}: "
            f"it now reads {_quoted(change.new.text)} (before: {_quoted(change.old.text)}).")
