"""The Aiken format: single-choice questions in plain text, as Moodle imports them.

One question is a block of lines::

    What is the correct answer to this question?
    A. Is it this one?
    B. Maybe this answer?
    C) Possibly this one?
    ANSWER: B

* the question text (the documentation wants it on one line; consecutive lines before
  the first option are kept as lines of the prompt, and a blank line may separate it
  from the options);
* two or more options, each on one line: a capital letter, ``.`` or ``)``, a space and
  the text, lettered A, B, C … in order (blank lines between them are skipped);
* ``ANSWER:`` and the letter of the right option, followed by a blank line or the end
  of the file.

The format holds nothing else: no name, explanation, source or points. Imported
questions get ids ``aiken-1``, ``aiken-2`` … (in file order), the placeholder
explanation and ``default_source``. These ids are made up: importing into a bank
renumbers them after the bank's own and never updates a question with them
(:mod:`~quizapp.domain.interchange.plan`). Every problem of the file is collected and raised
together as :class:`BankError`, so a file with an error imports nothing.

``to_aiken`` writes single-choice and true/false questions (the latter as the two
options True and False) and skips every other type with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.domain.bank_format import BankError, BankProblem
from quizapp.domain.interchange.imported import Imported
from quizapp.domain.interchange.naming import NO_EXPLANATION
from quizapp.domain.question_types import QUESTION_TYPES

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_OPTION = re.compile(r"^([A-Z])[.)](?:[ \t]+(.*))?$")
_LOOSE_OPTION = re.compile(r"^([a-z])[.)][ \t]")
_ANSWER = re.compile(r"^answer\s*:(.*)$", re.IGNORECASE)


def _question(qid: str, prompt: str, choices: list[str], answer: str, default_source: str) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single_choice",
        "prompt": prompt,
        "choices": choices,
        "answer": answer,
        "explanation": NO_EXPLANATION,
        "source": default_source,
        "difficulty": 1,
        "tags": [],
        "points": 1,
    }


class _Block:
    """One question being read: its prompt lines, options and where they are."""

    def __init__(self, line: int, text: str):
        self.line = line
        self.prompt = [text]
        self.options: list[tuple[int, str, str]] = []  # (line, letter, text)
        self.faulty = False  # a problem was reported for this question
        self.told_no_answer = False  # ... and it already said the ANSWER line is missing


# Aiken holds a prompt, choices and the answer: everything else is a default.
AIKEN_DEFAULTS = frozenset({"explanation", "source", "difficulty", "passage", "tags", "points"})


def parse_aiken(text: str, name: str = "<aiken>", default_source: str = "section 1") -> list[dict[str, Any]]:
    """Read an Aiken file into native question dicts, or raise BankError listing every problem."""
    return [imported.question for imported in read_aiken(text, name, default_source)]


def read_aiken(text: str, name: str = "<aiken>", default_source: str = "section 1") -> list[Imported]:
    """Read an Aiken file, each question with where it starts; raise BankError listing every problem.
    Aiken has no names: every id is made up (``aiken-1`` …) and names no question of a bank."""
    problems: list[BankProblem] = []
    questions: list[Imported] = []

    def problem(line: int, message: str, block: _Block | None = None) -> None:
        problems.append(BankProblem(name, line, message))
        if block is not None:
            block.faulty = True

    def finish_without_answer(current: _Block) -> None:
        if current.told_no_answer:
            return
        if current.options:
            last = current.options[-1][0]
            problem(current.line, f"the question has no 'ANSWER:' line (its last option is on line {last})")
        else:
            problem(current.line, "the question has no options and no 'ANSWER:' line")

    block: _Block | None = None
    after_answer = False  # just read an ANSWER line: the next line must be blank
    blank_before = True
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            after_answer, blank_before = False, True
            continue
        option, answer = _OPTION.match(line), _ANSWER.match(line)
        was_blank, blank_before = blank_before, False

        if after_answer:
            after_answer = False
            problem(number, "text right after an 'ANSWER:' line: leave a blank line before the next question")
            if option is None and answer is None:
                block = _Block(number, line)
                continue

        if answer is not None:
            if block is None:
                problem(number, "an 'ANSWER:' line with no question before it")
                continue
            if not line.startswith("ANSWER:"):
                problem(number, f"write 'ANSWER:' in capitals (found {line.split(':')[0]!r})", block)
            _finish(block, answer.group(1).strip(), number, problem, questions, default_source)
            block, after_answer = None, True
            continue

        if option is not None:
            letter, choice = option.group(1), (option.group(2) or "").strip()
            if block is None:
                problem(number, f"option {letter} has no question before it")
                continue
            previous = block.options[-1][1] if block.options else None
            expected = "A" if previous is None else LETTERS[LETTERS.index(previous) + 1 :][:1]
            if letter != expected:
                after = f"after option {previous}" if previous else "as the first option"
                problem(number, f"option letters out of order: option {letter} {after}, where "
                        f"{expected or 'no further letter'} was expected (options go A, B, C … in order)", block)
            if not choice:
                problem(number, f"option {letter} has no text", block)
            block.options.append((number, letter, choice))
            continue

        # Neither an option nor an ANSWER line: question text.
        if block is None:
            block = _Block(number, line)
        elif was_blank:  # after a blank line, text starts the next question
            finish_without_answer(block)
            block = _Block(number, line)
        elif not block.options:
            block.prompt.append(line)
        else:
            hint = " (option letters must be capitals)" if _LOOSE_OPTION.match(line) else ""
            problem(number, "this line is neither an option ('A.' or 'A)' and its text) nor an 'ANSWER:' line"
                    f"{hint}: each option fits on one line, and the question that starts on line {block.line} "
                    "needs its 'ANSWER:' line", block)
            block.told_no_answer = True

    if block is not None:
        finish_without_answer(block)
    if problems:
        raise BankError(problems)
    return questions


def _finish(block: _Block, letter: str, number: int, problem, questions: list, default_source: str) -> None:
    """Check a question at its ANSWER line and add it to ``questions`` if it is whole."""
    count = len(block.options)
    if count < 2:
        problem(block.line, f"the question has {count or 'no'} option{'' if count == 1 else 's'}; "
                "it needs at least two", block)
    letters = [o[1] for o in block.options]
    if not re.fullmatch(r"[A-Z]", letter):
        problem(number, f"'ANSWER:' must give one option letter (found {letter!r})", block)
    elif letters and letter not in letters:
        problem(number, f"'ANSWER: {letter}' names no option: the options run from A to {letters[-1]}", block)
    seen: dict[str, str] = {}
    for line, option_letter, choice in block.options:
        if choice and choice in seen:
            problem(line, f"option {option_letter} repeats option {seen[choice]} ({choice!r})", block)
        seen.setdefault(choice, option_letter)
    if block.faulty:
        return
    choices = [o[2] for o in block.options]
    question = _question(f"aiken-{len(questions) + 1}", "\n".join(block.prompt), choices,
                         choices[letters.index(letter)], default_source)
    # The bank validator's own checks, so that whatever is imported also loads.
    for _path, message in QUESTION_TYPES["single_choice"].check(question):
        problem(block.line, message, block)
    if not block.faulty:
        questions.append(Imported(question, block.line, named=False, defaults=AIKEN_DEFAULTS))


def to_aiken(questions: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """Write single-choice and true/false questions as Aiken text.

    Returns the text and a list of warnings: each skipped question (other types, more
    than 26 choices, a prompt that would read back as an option) and each text that had
    to be joined onto one line.
    """
    blocks: list[str] = []
    warnings: list[str] = []
    for question in questions:
        qid = question.get("id", "?")
        kind = question.get("type")
        if kind == "single_choice":
            choices, answer = list(question["choices"]), question["answer"]
        elif kind == "true_false":
            choices, answer = ["True", "False"], "True" if question["answer"] else "False"
        else:
            warnings.append(f"question '{qid}' skipped: the Aiken format holds only single-choice questions "
                            f"(and true/false as two options), not {kind}")
            continue
        if len(choices) > len(LETTERS):
            warnings.append(f"question '{qid}' skipped: it has {len(choices)} choices and Aiken letters "
                            f"only {len(LETTERS)} (A to Z)")
            continue
        prompt = _one_line(str(question["prompt"]))
        if prompt != str(question["prompt"]).strip():
            warnings.append(f"question '{qid}': its prompt was joined onto one line (Aiken keeps a question "
                            "on one line)")
        if _OPTION.match(prompt) or _ANSWER.match(prompt):
            warnings.append(f"question '{qid}' skipped: its prompt starts like an option or an 'ANSWER:' line "
                            "and would not read back as a question")
            continue
        lines = [prompt]
        for letter, choice in zip(LETTERS, choices, strict=False):
            flat = _one_line(choice)
            if flat != choice.strip():
                warnings.append(f"question '{qid}': choice {letter} has a line break; it was joined onto one line")
            lines.append(f"{letter}. {flat}")
        lines.append(f"ANSWER: {LETTERS[choices.index(answer)]}")
        blocks.append("\n".join(lines))
    return ("\n\n".join(blocks) + "\n" if blocks else ""), warnings


def _one_line(text: str) -> str:
    return " ".join(text.split())
