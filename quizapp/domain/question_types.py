"""Question types: each checks its own fields, shows itself without the key, and grades.

Every type works on the same shapes:

* ``spec``: the type's own fields from the bank file (``choices``, ``answer`` …).
* ``presentation``: what one attempt fixed for the question, e.g. the shuffled choices.
* a raw response: the list of strings a form or API call sent (``response`` values).
* a response: the raw response turned into plain text (choice texts, typed words),
  which is what gets stored and graded, so stored answers read on their own.
"""

from __future__ import annotations

import random
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from quizapp.domain.answer_matching import TOLERANCES, answer_matches, fold_answer
from quizapp.domain.errors import Invalid

Problem = tuple[tuple[Any, ...], str]
"""A problem found in a question: the path below the question, and a message."""


class InvalidResponse(Invalid, ValueError):
    """A response that does not fit the question (unknown choice, wrong number of blanks)."""

    code = "invalid_response"


@dataclass(frozen=True)
class Grade:
    """The share of the question's points earned, from 0 to 1."""

    score: float

    @property
    def is_correct(self) -> bool:
        return self.score >= 1.0


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


class QuestionType(ABC):
    """Base of the registry; subclasses set ``name``, ``label`` and ``fields``."""

    name: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]
    optional_fields: ClassVar[tuple[str, ...]] = ()

    def check(self, question: dict[str, Any]) -> Iterator[Problem]:
        """Yield a problem for each missing or wrong type-specific field."""
        for field in self.fields:
            if field not in question:
                yield (), f"missing field '{field}' for a {self.name} question"

    def spec(self, question: dict[str, Any]) -> dict[str, Any]:
        """The type-specific fields of a checked question."""
        return {f: question[f] for f in self.fields + self.optional_fields if f in question}

    def present(self, spec: dict[str, Any], rng: random.Random, shuffle: bool) -> dict[str, Any]:
        """What one attempt fixes for this question; shuffles choices when asked."""
        return {}

    def public(self, spec: dict[str, Any], presentation: dict[str, Any]) -> dict[str, Any]:
        """Everything a student needs to answer, and nothing of the key."""
        return {}

    @abstractmethod
    def parse(self, presentation: dict[str, Any], raw: list[str]) -> list[str]:
        """Turn a raw response into the stored response, or raise InvalidResponse."""

    @abstractmethod
    def grade(self, spec: dict[str, Any], response: list[str]) -> Grade:
        """Grade a stored response against the key."""

    @abstractmethod
    def correct_answer(self, spec: dict[str, Any]) -> list[str]:
        """The key, as text to show once the answer is in."""


def _choice_list(texts: list[str]) -> list[dict[str, str]]:
    return [{"id": str(i), "text": t} for i, t in enumerate(texts, start=1)]


def _pick(presentation_list: list[str], chosen_id: str) -> str:
    if not str(chosen_id).strip():
        raise InvalidResponse("choose an answer")
    try:
        index = int(chosen_id) - 1
    except (TypeError, ValueError):
        raise InvalidResponse(f"unknown choice {chosen_id!r}") from None
    if not 0 <= index < len(presentation_list):
        raise InvalidResponse(f"unknown choice {chosen_id!r}")
    return presentation_list[index]


class _ChoiceType(QuestionType):
    """Shared by single choice and multiple select: choices shown shuffled, ids by position."""

    def check_choices(self, question: dict[str, Any]) -> Iterator[Problem]:
        choices = question.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            yield ("choices",), "'choices' must be a list of at least two choices"
            return
        seen = set()
        for i, choice in enumerate(choices):
            if not isinstance(choice, str) or not choice.strip():
                yield ("choices", i), "a choice must be non-empty text"
            elif choice in seen:
                yield ("choices", i), f"duplicate choice {choice!r}"
            seen.add(choice if isinstance(choice, str) else None)

    def present(self, spec, rng, shuffle):
        choices = list(spec["choices"])
        if shuffle:
            rng.shuffle(choices)
        return {"choices": choices}

    def public(self, spec, presentation):
        return {"choices": _choice_list(presentation["choices"]), "multiple": self.name == "multiple_select"}


class SingleChoice(_ChoiceType):
    name = "single_choice"
    label = "Single choice"
    fields = ("choices", "answer")

    def check(self, question):
        yield from super().check(question)
        yield from self.check_choices(question)
        answer = question.get("answer")
        if isinstance(answer, int | float) and not isinstance(answer, bool):
            yield ("answer",), f"'answer' must be text as in the choices: write it in quotes, \"{answer}\""
        elif "answer" in question and not (isinstance(answer, str) and answer.strip()):
            yield ("answer",), "no correct answer: 'answer' must name one of the choices"
        elif isinstance(question.get("choices"), list) and answer not in question["choices"]:
            yield ("answer",), f"the correct answer {answer!r} is not among the choices"

    def parse(self, presentation, raw):
        if len(raw) != 1:
            raise InvalidResponse("choose exactly one answer")
        return [_pick(presentation["choices"], raw[0])]

    def grade(self, spec, response):
        return Grade(1.0 if response == [spec["answer"]] else 0.0)

    def correct_answer(self, spec):
        return [spec["answer"]]


class MultipleSelect(_ChoiceType):
    name = "multiple_select"
    label = "Multiple select"
    fields = ("choices", "answers")
    optional_fields = ("scoring",)
    scorings = ("all_or_nothing", "partial")

    def check(self, question):
        yield from super().check(question)
        yield from self.check_choices(question)
        answers = question.get("answers")
        if "answers" in question:
            if not isinstance(answers, list) or not answers:
                yield ("answers",), "no correct answer: 'answers' must list at least one choice"
            elif isinstance(question.get("choices"), list):
                for i, answer in enumerate(answers):
                    if answer not in question["choices"]:
                        yield ("answers", i), f"the correct answer {answer!r} is not among the choices"
        scoring = question.get("scoring", "all_or_nothing")
        if scoring not in self.scorings:
            yield ("scoring",), f"'scoring' must be one of {', '.join(self.scorings)}"

    def public(self, spec, presentation):
        # How it is scored is no part of the key, and students should know it before answering.
        return {**super().public(spec, presentation), "scoring": spec.get("scoring", "all_or_nothing")}

    def parse(self, presentation, raw):
        if not raw:
            raise InvalidResponse("choose at least one answer")
        picked = [_pick(presentation["choices"], r) for r in raw]
        if len(set(picked)) != len(picked):
            raise InvalidResponse("a choice was given twice")
        return sorted(picked, key=presentation["choices"].index)

    def grade(self, spec, response):
        correct, picked = set(spec["answers"]), set(response)
        if spec.get("scoring", "all_or_nothing") == "all_or_nothing":
            return Grade(1.0 if picked == correct else 0.0)
        # Each right pick earns a share; each wrong pick takes one away; never below zero.
        earned = len(picked & correct) - len(picked - correct)
        return Grade(max(0.0, earned / len(correct)))

    def correct_answer(self, spec):
        return [c for c in spec["choices"] if c in spec["answers"]]


class TrueFalse(QuestionType):
    name = "true_false"
    label = "True or false"
    fields = ("answer",)
    _texts = {"true": "True", "false": "False"}

    def check(self, question):
        yield from super().check(question)
        if "answer" in question and not isinstance(question["answer"], bool):
            yield ("answer",), "'answer' must be true or false"

    def public(self, spec, presentation):
        return {"choices": [{"id": k, "text": v} for k, v in self._texts.items()], "multiple": False}

    def parse(self, presentation, raw):
        if len(raw) != 1 or raw[0].lower() not in self._texts:
            raise InvalidResponse("answer true or false")
        return [self._texts[raw[0].lower()]]

    def grade(self, spec, response):
        return Grade(1.0 if response == self.correct_answer(spec) else 0.0)

    def correct_answer(self, spec):
        return ["True" if spec["answer"] else "False"]


def _check_tolerance(question: dict[str, Any]) -> Iterator[Problem]:
    if "tolerance" in question and question["tolerance"] not in TOLERANCES:
        yield ("tolerance",), (f"'tolerance' must be {' or '.join(TOLERANCES)} "
                               f"(found {question['tolerance']!r}); leave it out to accept exact answers only")


class ShortAnswer(QuestionType):
    name = "short_answer"
    label = "Short answer"
    fields = ("accepted",)
    optional_fields = ("tolerance",)

    def check(self, question):
        yield from super().check(question)
        if "accepted" in question:
            accepted = question["accepted"]
            if not _strings(accepted) or not accepted:
                yield ("accepted",), "no correct answer: 'accepted' must list at least one answer"
            elif any(not fold_answer(a) for a in accepted):
                yield ("accepted",), "an accepted answer is only punctuation or spaces"
        yield from _check_tolerance(question)

    def parse(self, presentation, raw):
        if len(raw) != 1 or not raw[0].strip():
            raise InvalidResponse("type an answer")
        if len(raw[0]) > 500:
            raise InvalidResponse("the answer is longer than 500 characters")
        return [raw[0].strip()]

    def grade(self, spec, response):
        return Grade(1.0 if answer_matches(response[0], spec["accepted"], spec.get("tolerance")) else 0.0)

    def correct_answer(self, spec):
        return [spec["accepted"][0]]


class Ordering(QuestionType):
    name = "ordering"
    label = "Ordering"
    fields = ("items",)

    def check(self, question):
        yield from super().check(question)
        if "items" in question:
            items = question["items"]
            # With two items the shuffled order always gives the answer away.
            if not _strings(items) or len(items) < 3:
                yield ("items",), "'items' must list at least three items, in their correct order"
            elif len(set(items)) != len(items):
                yield ("items",), "'items' has the same item twice"

    def present(self, spec, rng, shuffle):
        items = list(spec["items"])
        # An ordering shown already in order gives itself away, so it is always shuffled.
        while items == spec["items"]:
            rng.shuffle(items)
        return {"items": items}

    def public(self, spec, presentation):
        return {"items": _choice_list(presentation["items"])}

    def parse(self, presentation, raw):
        items = presentation["items"]
        if len(raw) != len(items):
            raise InvalidResponse(f"place all {len(items)} items")
        empty = [position for position, r in enumerate(raw, start=1) if not str(r).strip()]
        if empty:
            places = ", ".join(str(p) for p in empty[:-1]) + (" and " if len(empty) > 1 else "") + str(empty[-1])
            raise InvalidResponse(f"choose an item for place{'s' if len(empty) > 1 else ''} {places}")
        ordered = [_pick(items, r) for r in raw]
        if len(set(ordered)) != len(ordered):
            raise InvalidResponse("each item goes in exactly one place")
        return ordered

    def grade(self, spec, response):
        return Grade(1.0 if response == spec["items"] else 0.0)

    def correct_answer(self, spec):
        return list(spec["items"])


BLANK = re.compile(r"\{(\d+)\}")


class Cloze(QuestionType):
    name = "cloze"
    label = "Fill in the blanks"
    fields = ("text", "blanks")
    optional_fields = ("tolerance",)

    def check(self, question):
        yield from super().check(question)
        yield from _check_tolerance(question)
        text, blanks = question.get("text"), question.get("blanks")
        if "text" in question and not (isinstance(text, str) and text.strip()):
            yield ("text",), "'text' must be text with blanks written {1}, {2}, …"
            return
        if "blanks" in question and (
            not isinstance(blanks, list) or not blanks or not all(_strings(b) and b for b in blanks)
        ):
            yield ("blanks",), "no correct answer: 'blanks' must give, for each blank, a list of accepted answers"
            return
        if isinstance(text, str) and isinstance(blanks, list):
            numbers = [int(n) for n in BLANK.findall(text)]
            if sorted(numbers) != list(range(1, len(blanks) + 1)):
                yield ("text",), (
                    f"the text must use each blank {{1}} to {{{len(blanks)}}} exactly once "
                    f"(found {', '.join(f'{{{n}}}' for n in numbers) or 'none'})"
                )

    def public(self, spec, presentation):
        segments: list[dict[str, Any]] = []
        for i, piece in enumerate(BLANK.split(spec["text"])):
            if i % 2:
                segments.append({"blank": int(piece)})
            elif piece:
                segments.append({"text": piece})
        return {"segments": segments, "blanks": len(spec["blanks"])}

    def present(self, spec, rng, shuffle):
        return {"blanks": len(spec["blanks"])}

    def parse(self, presentation, raw):
        if len(raw) != presentation["blanks"]:
            raise InvalidResponse(f"fill in all {presentation['blanks']} blanks")
        if any(not r.strip() for r in raw):
            raise InvalidResponse("fill in every blank")
        if any(len(r) > 200 for r in raw):
            raise InvalidResponse("an answer is longer than 200 characters")
        return [r.strip() for r in raw]

    def grade(self, spec, response):
        blanks = spec["blanks"]
        if len(response) != len(blanks):
            return Grade(0.0)
        right = sum(
            answer_matches(given, accepted, spec.get("tolerance"))
            for given, accepted in zip(response, blanks, strict=True)
        )
        return Grade(right / len(blanks))

    def correct_answer(self, spec):
        return [accepted[0] for accepted in spec["blanks"]]

    def filled(self, spec, response: list[str]) -> list[dict[str, Any]]:
        """The sentence with the student's words in its blanks, for feedback: each blank says what was
        given, whether it is right, and the text's word for it."""
        filled = []
        for segment in self.public(spec, {}).get("segments", []):
            if "blank" in segment:
                index = segment["blank"] - 1
                given = response[index] if index < len(response) else ""
                accepted = spec["blanks"][index]
                right = answer_matches(given, accepted, spec.get("tolerance"))
                segment = {**segment, "given": given, "right": right, "correct": accepted[0]}
            filled.append(segment)
        return filled


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (SingleChoice(), MultipleSelect(), TrueFalse(), ShortAnswer(), Ordering(), Cloze())
}


def question_type(name: str) -> QuestionType:
    """The registered type called ``name``; KeyError for an unknown one."""
    return QUESTION_TYPES[name]

