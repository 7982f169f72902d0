"""What importing a file into a bank would do, worked out before anything is written.

The rules, so that an import never replaces a question the teacher did not name:

* A question the file names itself (a GIFT ``::title::``, a Moodle ``<idnumber>`` or ``<name>``)
  whose id is already in the bank **updates** that question (or **restores** it, if it was
  archived), unless the teacher asks for every question as a new one. Importing the same file
  twice therefore changes nothing the second time (**unchanged**).
* A question with a made-up id (every Aiken question, an untitled GIFT one, a nameless Moodle one)
  never updates anything: it is **added** under the next id free in the whole bank (``aiken-7``
  after ``aiken-1`` … ``aiken-6``), archived questions included. If the bank already holds a
  question with the same type, text and answers, it is that question (unchanged, or restored if
  archived), so an Aiken file imported twice is not doubled.
* An update changes what the file holds and keeps what it does not: the part of the text, the
  difficulty, the passage, the draft mark, and the explanation, points and tags when the file has
  none (tags the file gives are added).
* A question the file gives without something it shows (an image, a sound, a video:
  ``lost_media``) is added as a draft, never asked until the teacher accepts it, with a note
  saying what is missing; an updated or restored one gets the note and is marked for review.
  What else could not be carried (per-answer feedback, hints) is reported only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.bank_format import ID_LENGTH
from quizapp.domain.interchange.imported import Imported
from quizapp.domain.interchange.naming import unique_id
from quizapp.domain.question_types import QUESTION_TYPES

ADD, UPDATE, RESTORE, UNCHANGED = "add", "update", "restore", "unchanged"
ACTIONS = (ADD, UPDATE, RESTORE, UNCHANGED)
COMMON_FIELDS = frozenset({"id", "type", "prompt", "explanation", "source", "passage", "difficulty", "tags",
                           "points", "draft", "review"})
# What an update takes from the file when the file gives it; the rest stays as the bank has it.
FILE_FIELDS = ("explanation", "points", "source", "difficulty", "passage")


@dataclass(frozen=True)
class Existing:
    """A question already in the bank, as a bank file holds it."""

    entry: dict[str, Any]
    archived: bool = False


@dataclass
class Planned:
    """What the import does with one question of the file."""

    action: str
    key: str
    prompt: str
    line: int
    entry: dict[str, Any]
    old_prompt: str | None = None
    why: str = ""  # how the question was matched or named, when that is not plain
    lost_media: bool = False  # added as a draft, or marked for review, for it
    # The file names it by an id the bank has: updated by that name, or added anew if the teacher asked.
    by_name: bool = False
    converted: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """Every question of a file and what importing it does; nothing written yet."""

    file: str
    bank: str
    questions: list[Planned] = field(default_factory=list)

    def of(self, action: str) -> list[Planned]:
        return [q for q in self.questions if q.action == action]

    @property
    def added(self) -> int:
        return len(self.of(ADD))

    @property
    def updated(self) -> int:
        return len(self.of(UPDATE))

    @property
    def restored(self) -> int:
        return len(self.of(RESTORE))

    @property
    def unchanged(self) -> int:
        return len(self.of(UNCHANGED))

    @property
    def changes(self) -> bool:
        return any(q.action != UNCHANGED for q in self.questions)

    @property
    def by_name(self) -> bool:
        """Whether the file names any question by an id the bank has."""
        return any(q.by_name for q in self.questions)

    @property
    def converted(self) -> list[Planned]:
        return [q for q in self.questions if q.converted]

    @property
    def not_carried(self) -> list[Planned]:
        return [q for q in self.questions if q.not_carried]

    def summary(self) -> str:
        return (f"{self.file}: bank '{self.bank}': {self.added} added, {self.updated} updated, "
                f"{self.restored} restored, {self.unchanged} unchanged")

    def lines(self) -> list[str]:
        """The report, one line per thing to say: what happens to each question, then what was
        converted and what could not be carried, question by question."""
        verbs = {ADD: "add", UPDATE: "update", RESTORE: "restore", UNCHANGED: "unchanged"}
        out = []
        for q in self.questions:
            line = f"{verbs[q.action]:9} {q.key}: {_short(q.prompt)}"
            if q.action == UPDATE and q.old_prompt is not None and q.old_prompt != q.prompt:
                line += f" (was: {_short(q.old_prompt)})"
            if q.why:
                line += f" [{q.why}]"
            if q.lost_media and q.action != UNCHANGED:
                line += " (a draft until accepted)" if q.action == ADD else " (marked for review)"
            out.append(line)
        for q in self.questions:
            out.extend(f"converted {q.key}: {message}" for message in q.converted)
        for q in self.questions:
            out.extend(f"not carried {q.key}: {message}" for message in q.not_carried)
        return out

    def entries(self) -> list[dict[str, Any]]:
        """The questions to write: added, updated and restored, as a bank file holds them."""
        return [q.entry for q in self.questions if q.action != UNCHANGED]

    def digest(self) -> str:
        """A fingerprint of what the import would write, to tell whether the bank changed since a preview."""
        data = [(q.action, q.key, q.entry) for q in self.questions]
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _short(text: str, limit: int = 70) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def comparable(entry: dict[str, Any]) -> dict[str, Any]:
    """A question entry with defaults filled in and its answers as the bank stores them, to compare."""
    kind = QUESTION_TYPES.get(entry.get("type", ""))
    return {
        "type": entry.get("type"),
        "prompt": str(entry.get("prompt", "")).strip(),
        "spec": kind.spec(entry) if kind else {},
        "explanation": str(entry.get("explanation", "")).strip(),
        "source": entry.get("source"),
        "passage": str(entry.get("passage") or "").strip(),
        "difficulty": entry.get("difficulty", 1),
        "points": entry.get("points", 1),
        "tags": [str(t).strip() for t in entry.get("tags") or []],
        "draft": entry.get("draft") is True,
        "review": str(entry.get("review") or "").strip(),
    }


def _content(entry: dict[str, Any]) -> str:
    """What makes two questions the same question: type, text and answers."""
    shown = comparable(entry)
    return json.dumps([shown["type"], shown["prompt"], shown["spec"]], sort_keys=True, default=str)


def merge(old: dict[str, Any], new: dict[str, Any], defaults: frozenset[str]) -> dict[str, Any]:
    """``old`` updated by ``new``: the new type, text and answers; the file's other fields where it gives
    them; the bank's own where the file only has defaults; tags from both."""
    merged = {name: value for name, value in old.items() if name in COMMON_FIELDS}
    merged.update({name: value for name, value in new.items() if name not in COMMON_FIELDS})
    merged["type"], merged["prompt"] = new["type"], new["prompt"]
    for name in FILE_FIELDS:
        if name not in defaults and name in new:
            merged[name] = new[name]
    if "tags" not in defaults:
        merged["tags"] = list(dict.fromkeys([*(old.get("tags") or []), *(new.get("tags") or [])]))
    return merged


def _lost_note(file: str, not_carried: list[str]) -> str:
    what = "; ".join(message.split(": ")[0] for message in not_carried if "plain text cannot hold" in message)
    return f"Imported from {file} without what plain text cannot hold ({what}): check it can still be answered."


def _fresh_id(prefix: str, used: set[str]) -> str:
    """The first ``prefix-n`` not in ``used``; records it there."""
    prefix = prefix[: ID_LENGTH - 8].rstrip("-") or "imported"
    n = 1
    while f"{prefix}-{n}" in used:
        n += 1
    used.add(f"{prefix}-{n}")
    return f"{prefix}-{n}"


def plan_import(file: str, bank: str, existing: dict[str, Existing], imported: list[Imported],
                update_named: bool = True) -> ImportPlan:
    """What importing ``imported`` into a bank holding ``existing`` (by id, archived questions too) does.

    With ``update_named`` false, a named question whose id the bank has is added under a new id instead."""
    plan = ImportPlan(file, bank)
    # Every id the bank has, and the file's own ids that will be added as they are, are taken.
    used = set(existing) | {i.question["id"] for i in imported if i.named and i.question["id"] not in existing}
    by_content: dict[str, str] = {}
    for key, question in sorted(existing.items(), key=lambda item: item[1].archived):
        by_content.setdefault(_content(question.entry), key)
    claimed: set[str] = set()

    for item in imported:
        new = dict(item.question)
        key = str(new["id"])
        match, why = None, ""
        if item.named and key in existing and update_named and key not in claimed:
            match = key
        elif not item.named:
            found = by_content.get(_content(new))
            if found is not None and found not in claimed:
                match, why = found, "the bank has it word for word"
        if match is not None:
            claimed.add(match)
            old = existing[match]
            entry = {**merge(old.entry, new, item.defaults), "id": match}
            same = comparable(entry) == comparable(old.entry)
            action = RESTORE if old.archived else UNCHANGED if same else UPDATE
            if item.lost_media and action != UNCHANGED:
                entry["review"] = _lost_note(file, item.not_carried)
            plan.questions.append(Planned(action, match, new["prompt"], item.line, entry,
                                          old_prompt=old.entry.get("prompt"), why=why, by_name=not why,
                                          converted=item.converted, not_carried=item.not_carried,
                                          lost_media=item.lost_media))
            continue
        if item.named and key not in existing:
            pass  # the file's own id, new to the bank (reserved in ``used`` above)
        elif item.named:
            key, why = unique_id(key, used), f"the bank has '{key}': added as a new question"
        elif key not in used:
            used.add(key)  # a made-up id still free in the bank is kept
        else:
            key, why = _fresh_id(item.id_prefix, used), f"'{key}' is taken in the bank: a made-up id, renumbered"
        entry = {**new, "id": key}
        if item.lost_media:
            entry["draft"] = True
            entry["review"] = _lost_note(file, item.not_carried)
        plan.questions.append(Planned(ADD, key, new["prompt"], item.line, entry, why=why,
                                      by_name=item.named and str(new["id"]) in existing,
                                      converted=item.converted, not_carried=item.not_carried,
                                      lost_media=item.lost_media))
    return plan
