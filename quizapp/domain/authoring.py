"""Questions written in a browser form: form text to a bank-file question and back, and which form
field a validator problem belongs beside.

The form writes lists one entry per line: choices (the right ones start with ``*``), accepted
answers, items in their right order, and cloze blanks (accepted answers separated by ``|``).
Nothing is checked here beyond reading the lines: the bank validator checks the question.
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.domain.bank_format import BankProblem

COMMON_FORM_FIELDS = ("id", "prompt", "explanation", "source", "passage", "difficulty", "tags", "points")
TYPE_FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "single_choice": ("choices",),
    "multiple_select": ("choices", "scoring"),
    "true_false": ("answer",),
    "short_answer": ("accepted",),
    "ordering": ("items",),
    "cloze": ("text", "blanks"),
}
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
                problems.append(("choices", "a single-choice question has one right answer: start only one "
                                            f"choice with {RIGHT_MARK}"))
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
    """The form's text for a bank-file question (as ``interchange.question_entry`` gives it)."""
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


def form_message(message: str, field: str | None, kind: str) -> str:
    """A validator message as the form says it: in the words of the form, not of the bank file."""
    if field is not None and NON_EMPTY.match(message):
        return "Fill this in."
    if field == "choices" and kind in CHOICE_TYPES and message.startswith("no correct answer"):
        which = "each right choice" if kind == "multiple_select" else "the right choice"
        return f"Mark {which} by starting it with {RIGHT_MARK}."
    return message
