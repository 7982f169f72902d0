"""Questions written in a browser form: form text to a bank-file question and back, the id a new
question is given when the teacher leaves it to the app, and which form field a validator problem
belongs beside, in the words of the form.

The form writes lists one entry per line: choices (the right ones start with ``*``), accepted
answers, items in their right order, and cloze blanks (accepted answers separated by ``|``).
Nothing is checked here beyond reading the lines: the bank validator checks the question.
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.domain.bank_format import ID_LENGTH, REFERENCE, BankProblem

COMMON_FORM_FIELDS = ("id", "prompt", "explanation", "source", "passage", "difficulty", "tags", "points")
TYPE_FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "single_choice": ("choices",),
    "multiple_select": ("choices", "scoring"),
    "true_false": ("answer",),
    "short_answer": ("accepted", "tolerance"),
    "ordering": ("items",),
    "cloze": ("text", "blanks", "tolerance"),
}
TYPO_TYPES = ("short_answer", "cloze")
CHOICE_TYPES = ("single_choice", "multiple_select")
RIGHT_MARK = "*"
NON_EMPTY = re.compile(r"^'\w+' in the question must be non-empty text$")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number(text: str | None) -> int | str:
    """A whole number when the text is one; otherwise the text, for the validator to name."""
    text = (text or "").strip()
    try:
        return int(text)
    except ValueError:
        return text


def question_from_form(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The bank-file question the form's text describes, and problems only the form can have
    (as ``(field, message)``), such as two right answers starred for a single-choice question."""
    problems: list[tuple[str, str]] = []
    question: dict[str, Any] = {
        "id": (data.get("id") or "").strip(),
        "type": kind,
        "prompt": (data.get("prompt") or "").strip(),
    }
    if kind in CHOICE_TYPES:
        choices, right = [], []
        for line in _lines(data.get("choices")):
            if line.startswith(RIGHT_MARK):
                line = line[len(RIGHT_MARK):].strip()
                right.append(line)
            choices.append(line)
        question["choices"] = choices
        if kind == "single_choice":
            if len(right) > 1:
                problems.append(("choices", "Mark only one choice as correct: a single-choice question has one "
                                            f"right answer, so start only one choice with {RIGHT_MARK}."))
            question["answer"] = right[0] if right else ""
        else:
            question["answers"] = right
            question["scoring"] = data.get("scoring") or "all_or_nothing"
    elif kind == "true_false":
        answer = (data.get("answer") or "").strip().lower()
        question["answer"] = {"true": True, "false": False}.get(answer, answer)
    elif kind == "short_answer":
        question["accepted"] = _lines(data.get("accepted"))
    elif kind == "ordering":
        question["items"] = _lines(data.get("items"))
    elif kind == "cloze":
        question["text"] = (data.get("text") or "").strip()
        question["blanks"] = [[a.strip() for a in line.split("|") if a.strip()] for line in _lines(data.get("blanks"))]
    if kind in TYPO_TYPES and data.get("tolerance") in (True, "y", "on", "true"):
        question["tolerance"] = "typo"
    question["explanation"] = (data.get("explanation") or "").strip()
    question["source"] = (data.get("source") or "").strip()
    passage = (data.get("passage") or "").strip()
    if passage:
        question["passage"] = passage
    question["difficulty"] = _number(data.get("difficulty"))
    tags = [t.strip() for t in (data.get("tags") or "").split(",") if t.strip()]
    if tags:
        question["tags"] = tags
    if (data.get("points") or "").strip():
        question["points"] = _number(data.get("points"))
    return question, problems


def form_from_question(entry: dict[str, Any]) -> dict[str, Any]:
    """The form's text for a bank-file question (as ``services.banks.documents.question_entry`` gives it)."""
    kind = entry["type"]
    data: dict[str, Any] = {
        "id": entry["id"], "prompt": entry["prompt"], "explanation": entry["explanation"],
        "source": entry["source"], "passage": entry.get("passage", ""), "difficulty": str(entry["difficulty"]),
        "tags": ", ".join(entry.get("tags", [])), "points": str(entry.get("points", 1)),
    }
    if kind in CHOICE_TYPES:
        right = [entry["answer"]] if kind == "single_choice" else entry["answers"]
        data["choices"] = "\n".join(f"{RIGHT_MARK}{c}" if c in right else c for c in entry["choices"])
        if kind == "multiple_select":
            data["scoring"] = entry.get("scoring", "all_or_nothing")
    elif kind == "true_false":
        data["answer"] = "true" if entry["answer"] else "false"
    elif kind == "short_answer":
        data["accepted"] = "\n".join(entry["accepted"])
    elif kind == "ordering":
        data["items"] = "\n".join(entry["items"])
    elif kind == "cloze":
        data["text"] = entry["text"]
        data["blanks"] = "\n".join(" | ".join(accepted) for accepted in entry["blanks"])
    if kind in TYPO_TYPES:
        data["tolerance"] = entry.get("tolerance") == "typo"
    return data


def field_for(problem: BankProblem, index: int, kind: str) -> str | None:
    """The form field a validator problem about question ``index`` belongs beside; None for the
    top of the form (a problem elsewhere in the bank, or about no one field)."""
    path = problem.path
    if len(path) < 3 or path[0] != "questions" or path[1] != index or not isinstance(path[2], str):
        return None
    key = path[2]
    if key in ("answer", "answers") and kind in CHOICE_TYPES:
        return "choices"
    if key in COMMON_FORM_FIELDS or key in TYPE_FORM_FIELDS.get(kind, ()):
        return key
    return None


def new_key(kind: str, reference: str, taken: set[str]) -> str:
    """A readable id for a new question, unique among ``taken``: the part of the text it is drawn from
    (or, without one, its type) and the next free number, such as ``key-point-2-3`` or ``true-false-1``."""
    reference = reference.strip()
    base = reference.replace("_", "-").replace(" ", "-") if REFERENCE.match(reference) else kind.replace("_", "-")
    base = base[:ID_LENGTH - 11]
    number = 1 + sum(1 for key in taken if key.startswith(f"{base}-") and key[len(base) + 1:].isdigit())
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# Validator messages as the form says them, by field: (pattern, plain words). The first match wins; the
# groups of the pattern fill the words. A message no pattern knows is shown as the validator wrote it.
_FIELD_MESSAGES: dict[str, list[tuple[str, str]]] = {
    "id": [
        (r"must be lowercase letters, digits and hyphens", "Use only lowercase letters, digits and hyphens, "
                                                           "with no spaces: for example harbour-opened."),
        (r"must be at most (\d+) characters", "Keep the id to {0} characters or fewer."),
    ],
    "prompt": [(r"must be non-empty text", "Write the question.")],
    "explanation": [(r"must be non-empty text", "Write the explanation students see once they have answered.")],
    "choices": [
        (r"must be a list of at least two choices", "Give at least two choices, one per line."),
        (r"a choice must be non-empty text", "Give each choice some words."),
        (r"duplicate choice '(.*)'$", "“{0}” is listed twice: make each choice different."),
        (r"^duplicate choice", "A choice is listed twice: make each choice different."),
        (r"is not among the choices", "The correct answer must be one of the choices: start it with *."),
    ],
    "scoring": [(r".", "Choose all or nothing, or partial credit.")],
    "answer": [(r"must be true or false", "Choose true or false.")],
    "accepted": [
        (r"^no correct answer", "Type at least one accepted answer, one per line."),
        (r"only punctuation or spaces", "Each accepted answer needs a letter or a digit: "
                                        "one here is only punctuation."),
    ],
    "items": [
        (r"at least three items", "Give at least three items, one per line, in their right order."),
        (r"the same item twice", "An item is listed twice: make each item different."),
    ],
    "text": [
        (r"must be text with blanks", "Write the text, with its blanks as {{1}}, {{2}}, …"),
        (r"each blank \{1\} to \{(\d+)\} exactly once \(found (.*)\)",
         "Put each blank {{1}} to {{{0}}} in the text once, one for each line of blanks (the text has {1})."),
    ],
    "blanks": [(r"^no correct answer", "Give the accepted answers for each blank: one line per blank, "
                                       "answers separated by |.")],
    "source": [(r".", "Choose the part of the text the question is drawn from.")],
    "passage": [(r"not found word for word", "Copy the passage word for word from the text: "
                                             "these words are not in it.")],
    "difficulty": [(r".", "Choose a difficulty: 1 (easy), 2 or 3 (hard).")],
    "points": [
        (r"must be at most (\d+)", "Give at most {0} points."),
        (r".", "Give the points as a whole number, 1 or more."),
    ],
    "tags": [(r".", "Separate the tags with commas.")],
}
_TOO_LONG = re.compile(r"must be at most (\d+) characters \(found (\d+)\)")


def form_message(message: str, field: str | None, kind: str) -> str:
    """A validator message as the form says it: in the words of the form, not of the bank file."""
    if field == "choices" and message.startswith("no correct answer"):
        return ("Mark the correct choice by starting it with *." if kind == "single_choice"
                else "Mark at least one correct choice by starting it with *.")
    for pattern, words in _FIELD_MESSAGES.get(field or "", []):
        found = re.search(pattern, message)
        if found:
            return words.format(*found.groups())
    too_long = _TOO_LONG.search(message)
    if field is not None and too_long:
        return f"Keep this to {too_long.group(1)} characters or fewer (it has {too_long.group(2)})."
    if field is not None and NON_EMPTY.match(message):
        return "Fill this in."
    return message
