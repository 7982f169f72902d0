"""Moodle XML: read and write the question types quizapp shares with Moodle.

Reading
-------
The file is parsed with the standard library's expat (``xml.parsers.expat``; the
``defusedxml`` package is not installed and is not needed): any ``<!DOCTYPE …>`` is
refused where it starts, so no entity can be declared, expanded (billion laughs) or
fetched from a file or URL (external entities); parameter entities are never parsed; a
reference to an undeclared entity is a syntax error. Moodle XML needs no DTD.

Each ``<question>`` becomes a native bank question (the keys of a YAML bank question):

* ``multichoice`` with ``<single>true</single>`` (Moodle's default) → ``single_choice``:
  the one answer worth 100% is the answer, answers worth 0% or less are wrong ones.
  An answer worth between 0% and 100% is a problem: quizapp has no partial credit there.
* ``multichoice`` with ``<single>false</single>`` → ``multiple_select``. The answers
  worth more than 0% are the right ones; they must share 100% equally (quizapp gives
  each right choice the same share). The scoring, from the wrong answers' fractions:

  - every wrong answer at -100/n % (n right answers) → ``partial``: Moodle then grades
    exactly as quizapp's partial credit does (each right pick earns 1/n, each wrong one
    takes 1/n away, never below zero);
  - every wrong answer at -100 % → ``all_or_nothing``, the strictest Moodle can say, and
    what ``to_moodle_xml`` writes for it (with one right answer both scorings agree, and
    ``all_or_nothing``, the default, is chosen);
  - anything else (wrong answers at 0 %, or mixed penalties) → ``partial``, the nearest:
    each right pick earns its share, and a wrong pick costs 1/n where Moodle's file said
    otherwise.
* ``truefalse`` → ``true_false``: the answer whose text is ``true`` or ``false`` and is
  worth 100%.
* ``shortanswer`` → ``short_answer``: every answer worth 100% is accepted (``\\*`` is a
  literal asterisk); answers worth 0% or less only carry feedback in Moodle and are left
  out; an answer worth between 0% and 100%, or with a ``*`` wildcard, is a problem.
  ``<usecase>`` is not kept: quizapp always ignores case.
* ``category`` pseudo-questions: the last segment of the category path (``//`` is a
  slash inside a name; ``$course$``-style and ``top`` segments are skipped) is added to
  the tags of the questions that follow, as are a question's own ``<tags>``.

Texts: ``html`` (the default) and ``moodle_auto_format`` are turned into plain text by
:mod:`~quizapp.domain.interchange.html_text` (Beautiful Soup: entities decoded, paragraphs
and ``<br>`` kept as line breaks, links as text and address); ``plain_text`` and ``markdown``
are kept as they are. HTML the parser gives up on (such as ``<![foo[``) is a problem.
``<generalfeedback>`` becomes the explanation; ``<defaultgrade>`` rounded (at least 1)
the points. ``<idnumber>``, else ``<name>``, is the file's own id for the question.

:func:`read_moodle_xml` says per question what could not be carried (images, audio, video,
embedded pages, the old ``<image>``, per-answer feedback, hints) and what was converted
(multi-answer weights as our scoring, negative marks dropped, a fractional mark rounded,
``<usecase>``); a question whose image, sound or video is lost is imported all the same, and
the import makes it a draft. Every other question type is a problem naming the element and
its line; every problem of the file is raised together as :class:`BankError`.

Writing
-------
``to_moodle_xml`` writes single choice, multiple select, true/false and short answer,
with every text as ``format="plain_text"`` (escaped by ElementTree), and returns the
XML and a list of warnings for what it skipped (ordering, cloze, unknown types) or could
not say exactly. The id becomes the ``<name>``, the explanation the general feedback
(the import placeholder is written as an empty one, which reads back as it), the points
the ``<defaultgrade>`` and the tags ``<tags>``; multiple select is written as above
(right answers share 100%, wrong ones at -100/n % for partial, -100 % for all or nothing),
so a round trip keeps the scoring. Source, difficulty and passage have no place in
Moodle XML and come back as the defaults.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from quizapp.domain.bank_format import BankError, BankProblem
from quizapp.domain.interchange.html_text import UnreadableHtml, html_text
from quizapp.domain.interchange.imported import Imported, multiple_answer_notes, note, points_note
from quizapp.domain.interchange.naming import NO_EXPLANATION, slugify, unique_id
from quizapp.domain.question_types import QUESTION_TYPES

SUPPORTED = ("multichoice", "truefalse", "shortanswer")
UNSUPPORTED = {
    "matching": "matching questions have no quizapp type",
    "match": "matching questions have no quizapp type",
    "numerical": "numerical questions (numbers with a tolerance) have no quizapp type",
    "essay": "essay questions are marked by hand and have no quizapp type",
    "cloze": "embedded-answer (cloze) questions are not imported yet",
    "multianswer": "embedded-answer (cloze) questions are not imported yet",
    "calculated": "calculated questions have no quizapp type",
    "calculatedsimple": "calculated questions have no quizapp type",
    "calculatedmulti": "calculated questions have no quizapp type",
    "description": "a description is text with no question to answer",
    "ddwtos": "drag-and-drop questions have no quizapp type",
    "ddimageortext": "drag-and-drop questions have no quizapp type",
    "ddmarker": "drag-and-drop questions have no quizapp type",
    "gapselect": "select-missing-words questions have no quizapp type",
    "randomsamatch": "random short-answer matching questions have no quizapp type",
    "random": "random questions are drawn by a Moodle quiz, not stored",
    "ordering": "ordering questions are not imported from Moodle XML yet",
}
MARKDOWN_KEPT = "Markdown text was kept as written, its marks (such as **bold**) included: a bank shows text as it is"
_TOLERANCE = 0.05  # percentage points: Moodle writes 33.33333, people write 33.33
_XML_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- A small element tree with line numbers, built by expat ------------------------------------


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[_Element]:
        return [c for c in self.children if c.tag == tag]

    def child_text(self, tag: str) -> str | None:
        """The text of ``<tag>``, or of its ``<text>`` child when it has one."""
        child = self.find(tag)
        if child is None:
            return None
        inner = child.find("text")
        return (inner if inner is not None else child).text

    def describe(self) -> str:
        shown = {k: v for k, v in self.attrs.items() if k in ("type", "fraction")}
        attrs = "".join(f' {k}="{v}"' for k, v in shown.items())
        return f"<{self.tag}{attrs}> at line {self.line}"


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _read_tree(data: str | bytes) -> _Element:
    """Parse ``data`` into elements, refusing any DTD; raise _Refused for every failure."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    roots: list[_Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def characters(text: str) -> None:
        if stack:
            stack[-1].parts.append(text)

    def doctype(name: str, *_args: Any) -> None:
        raise _Refused(parser.CurrentLineNumber, f"<!DOCTYPE {name}> at line {parser.CurrentLineNumber}: "
                       "a document type declaration is refused. Moodle XML needs none, and a DTD can declare "
                       "entities that expand without end (\"billion laughs\") or read files and web addresses "
                       "(external entities); remove it and import again")

    def entity(name: str, *_args: Any) -> None:  # only reachable inside a DTD, which is refused first
        raise _Refused(parser.CurrentLineNumber, f"entity declaration {name!r} at line "
                       f"{parser.CurrentLineNumber} refused: entities are not expanded")

    def external(*_args: Any) -> int:
        raise _Refused(parser.CurrentLineNumber, f"external entity at line {parser.CurrentLineNumber} refused")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        line = error.lineno or 1
        raise _Refused(line, f"XML syntax error at line {line}, column {error.offset + 1}: "
                       f"{expat.ErrorString(error.code)}") from None
    except UnicodeEncodeError as error:  # text (not bytes) holding a lone surrogate, which no encoding has
        line = error.object[: error.start].count("\n") + 1
        raise _Refused(line, f"character U+{ord(error.object[error.start]):04X} at line {line} is not a "
                       "Unicode character (a lone surrogate) and cannot be read") from None
    return roots[0]


# --- HTML to plain text ------------------------------------------------------------------------


def _tidy(text: str) -> str:
    """Spaces collapsed on each line, blank lines dropped, ends trimmed."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_to_text(html: str, keep_newlines: bool = False) -> tuple[str, bool]:
    """Plain text of an HTML fragment, and whether it showed an image; UnreadableHtml if it cannot be read.
    (:func:`~quizapp.domain.interchange.html_text.html_text` says what else it could not carry.)"""
    result = html_text(html, keep_newlines)
    return result.text, any(message.startswith("an image") for message in result.not_carried)


# --- Reading -----------------------------------------------------------------------------------


def _category_tag(path: str) -> str | None:
    """The tag a category path gives: its last real segment ('//' is a slash in a name)."""
    segments = [s.replace("//", "/").strip() for s in re.split(r"(?<!/)/(?!/)", path)]
    segments = [" ".join(s.split()) for s in segments if s.strip()]
    segments = [s for s in segments if not re.fullmatch(r"\$\w+\$", s) and s != "top"]
    return segments[-1] if segments else None


class _Reader:
    def __init__(self, name: str, default_source: str):
        self.name = name
        self.default_source = default_source
        self.problems: list[BankProblem] = []
        self.ids: set[str] = set()
        self.converted: list[str] = []  # of the question being read
        self.not_carried: list[str] = []
        self.lost_media = False

    def problem(self, element: _Element, message: str, question: _Element | None = None) -> None:
        where = element.describe()
        if question is not None and question is not element:
            label = question.child_text("name")
            where += f" in {question.describe()}" + (f" ({' '.join(label.split())!r})" if label else "")
        self.problems.append(BankProblem(self.name, element.line, f"{where}: {message}"))

    def text(self, element: _Element | None, default_format: str, question: _Element) -> str:
        """The plain text of ``element``'s ``<text>`` child, by its format attribute."""
        if element is None:
            return ""
        inner = element.find("text")
        raw = (inner if inner is not None else element).text
        text_format = element.attrs.get("format", default_format).strip()
        if text_format in ("plain_text", "markdown"):
            if text_format == "markdown":
                note(self.converted, MARKDOWN_KEPT)
            return _tidy_plain(raw)
        try:
            result = html_text(raw, keep_newlines=text_format == "moodle_auto_format")
        except UnreadableHtml as error:
            self.problem(element, f"its HTML cannot be read ({error}); write the text as plain text "
                         "(format=\"plain_text\") or fix the HTML", question)
            return ""
        for message in result.converted:
            note(self.converted, message)
        where = {"questiontext": "", "generalfeedback": " in the general feedback"}.get(element.tag, "")
        if element.tag == "answer":
            where = f" in the answer {_excerpt(result.text)}" if result.text else " as an answer"
        for message in result.not_carried:
            note(self.not_carried, f"{message}{where}: plain text cannot hold it")
            self.lost_media = True
        return result.text

    def fraction(self, answer: _Element, question: _Element) -> float | None:
        raw = answer.attrs.get("fraction", "0").strip() or "0"
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.problem(answer, f"fraction={raw!r} is not a number (a percentage such as 100, 50 or -25)",
                         question)
            return None
        return value

    def question(self, element: _Element, number: int, tags: list[str]) -> Imported | None:
        kind = element.attrs["type"]
        before = len(self.problems)
        self.converted, self.not_carried, self.lost_media = [], [], False
        body = element.find("questiontext")
        text_format = body.attrs.get("format", "html").strip() if body is not None else "html"
        prompt = self.text(body, "html", element)
        if not prompt:
            self.problem(element, "has no question text (<questiontext><text>…</text></questiontext>)")
        image = (element.child_text("image") or "").strip()
        if image or (element.child_text("image_base64") or "").strip():
            note(self.not_carried, f"an image{f' ({image})' if image else ''} (<image>): plain text cannot hold it")
            self.lost_media = True
        feedback = self.text(element.find("generalfeedback"), text_format, element)
        explanation = feedback or NO_EXPLANATION
        points = 1
        grade = element.find("defaultgrade")
        if grade is not None and grade.text.strip():
            try:
                value = float(grade.text)
                points = max(1, math.floor(value + 0.5))
            except (ValueError, OverflowError):
                self.problem(grade, f"{grade.text.strip()!r} is not a number", element)
            else:
                changed = points_note(value, points)
                if changed:
                    note(self.converted, changed)
        for count, hint in enumerate(element.findall("hint"), start=1):
            inner = hint.find("text")
            said = " ".join((inner if inner is not None else hint).text.split())
            if said:
                note(self.not_carried, f"hint {count}, {_excerpt(said)}: a bank question has no hints")
        own_tags = [" ".join((t.child_text("text") or t.text).split()) for t in _tag_elements(element)]
        all_tags = list(dict.fromkeys(t for t in [*tags, *own_tags] if t))

        if kind == "multichoice":
            fields = self.multichoice(element, text_format)
        elif kind == "truefalse":
            fields = self.truefalse(element)
        else:
            fields = self.shortanswer(element)
        if fields is None or len(self.problems) > before:
            return None

        # Moodle's id number, else its name, is the file's own id for the question.
        label = " ".join((element.child_text("idnumber") or "").split()) or \
            " ".join((element.child_text("name") or "").split())
        named = slugify(label)
        qid = unique_id(named or f"moodle-{number}", self.ids)
        question = {
            "id": qid,
            "type": fields.pop("type"),
            "prompt": prompt,
            **fields,
            "explanation": explanation,
            "source": self.default_source,
            "difficulty": 1,
            "tags": all_tags,
            "points": points,
        }
        # The bank validator's own checks, so that whatever is imported also loads.
        for _path, message in QUESTION_TYPES[question["type"]].check(question):
            self.problem(element, message)
        if len(self.problems) > before:
            return None
        defaults = {"source", "difficulty", "passage"} | ({"explanation"} if not feedback else set()) \
            | ({"tags"} if not all_tags else set()) | ({"points"} if grade is None else set())
        return Imported(question, element.line, named=bool(named), converted=self.converted,
                        not_carried=self.not_carried, lost_media=self.lost_media, defaults=frozenset(defaults))

    def answers(self, element: _Element, default_format: str, plain: bool) -> list[tuple[_Element, str, float]]:
        found = []
        for answer in element.findall("answer"):
            fraction = self.fraction(answer, element)
            if plain:
                inner = answer.find("text")
                text = _tidy_plain((inner if inner is not None else answer).text)
            else:
                text = self.text(answer, default_format, element)
            if fraction is not None:
                found.append((answer, text, fraction))
            said = " ".join((answer.child_text("feedback") or "").split())
            if said and not plain:
                said = self.text(answer.find("feedback"), default_format, element)
            if said:
                note(self.not_carried, f"the feedback on the answer {_excerpt(text)}, {_excerpt(said)}: a bank "
                     "question has one explanation")
        return found

    def multichoice(self, element: _Element, text_format: str) -> dict[str, Any] | None:
        if (element.child_text("shuffleanswers") or "1").strip().lower() in ("0", "false"):
            note(self.converted, "Moodle kept its choices in the order written; a quiz here shuffles them unless "
                 "it says not to")
        single = (element.child_text("single") or "true").strip()
        is_single = single not in ("false", "0", "")
        answers = self.answers(element, text_format, plain=False)
        if len(element.findall("answer")) < 2:
            self.problem(element, f"has {len(element.findall('answer'))} <answer> elements; it needs at least two")
            return None
        seen: dict[str, _Element] = {}
        for answer, text, _fraction in answers:
            if not text:
                self.problem(answer, "has no text", element)
            elif text in seen:
                self.problem(answer, f"reads the same as the answer at line {seen[text].line} ({text!r})", element)
            seen.setdefault(text, answer)
        choices = [text for _a, text, _f in answers]
        if is_single:
            right = [(a, t) for a, t, f in answers if f >= 100 - _TOLERANCE]
            for answer, _text, fraction in answers:
                if _TOLERANCE < fraction < 100 - _TOLERANCE:
                    self.problem(answer, f"is worth {fraction:g}%: a single-choice question in quizapp has one "
                                 "right answer and no partial credit (make it 100 or 0)", element)
            penalties = sorted({f for _a, _t, f in answers if f < -_TOLERANCE})
            if penalties and len(right) == 1:
                marks = ", ".join(f"{f:.5g}%" for f in penalties)
                note(self.converted, f"a wrong answer's negative mark ({marks}) was dropped: a wrong answer scores "
                     "0 here")
            if not right:
                self.problem(element, "has no answer worth 100% (fraction=\"100\")")
            elif len(right) > 1:
                lines = ", ".join(str(a.line) for a, _t in right)
                self.problem(element, f"has {len(right)} answers worth 100% (lines {lines}) but <single>true"
                             "</single>: a single-choice question has one right answer (use <single>false</single> "
                             "for several)")
            else:
                return {"type": "single_choice", "choices": choices, "answer": right[0][1]}
            return None

        right = [(a, t, f) for a, t, f in answers if f > 0]
        wrong = [f for _a, _t, f in answers if f <= 0]
        if not right:
            self.problem(element, "has no answer worth more than 0%: no right answer")
            return None
        share, total = 100 / len(right), sum(f for _a, _t, f in right)
        if abs(total - 100) > _TOLERANCE * len(right):
            self.problem(element, f"the right answers are worth {total:g}% together, not 100%")
            return None
        if any(abs(f - share) > _TOLERANCE for _a, _t, f in right):
            weights = ", ".join(f"{f:g}%" for _a, _t, f in right)
            self.problem(element, f"the right answers carry different weights ({weights}): quizapp gives each "
                         f"right choice the same share ({share:.5g}%)")
            return None
        if len(right) == 1 or (wrong and all(abs(f + 100) <= _TOLERANCE for f in wrong)):
            scoring = "all_or_nothing"
        else:
            scoring = "partial"
        for message in multiple_answer_notes([f for _a, _t, f in right], wrong, scoring):
            note(self.converted, message)
        return {
            "type": "multiple_select",
            "choices": choices,
            "answers": [t for _a, t, _f in right],
            "scoring": scoring,
        }

    def truefalse(self, element: _Element) -> dict[str, Any] | None:
        answers = self.answers(element, "plain_text", plain=True)
        values: dict[bool, float] = {}
        for answer, text, fraction in answers:
            if text.lower() not in ("true", "false"):
                self.problem(answer, f"a true/false answer must read 'true' or 'false' (found {text!r})", element)
                continue
            value = text.lower() == "true"
            if value in values:
                self.problem(answer, f"a second '{text.lower()}' answer", element)
            values[value] = fraction
        if len(element.findall("answer")) != 2:
            self.problem(element, f"has {len(element.findall('answer'))} <answer> elements; a true/false question "
                         "has two, 'true' and 'false'")
            return None
        correct = [value for value, fraction in values.items() if fraction >= 100 - _TOLERANCE]
        if len(correct) != 1:
            self.problem(element, "exactly one of its answers 'true' and 'false' must be worth 100%")
            return None
        return {"type": "true_false", "answer": correct[0]}

    def shortanswer(self, element: _Element) -> dict[str, Any] | None:
        before = len(self.problems)
        accepted: list[str] = []
        if (element.child_text("usecase") or "0").strip() not in ("0", "", "false"):
            note(self.converted, "Moodle matched the answers' case; quizapp ignores case (and spacing, punctuation "
                 "and accents)")
        for answer, text, fraction in self.answers(element, "plain_text", plain=True):
            if fraction < -_TOLERANCE:
                note(self.converted, f"the answer {_excerpt(text)} took away {-fraction:.5g}% in Moodle; a wrong "
                     "answer scores 0 here")
            if fraction <= _TOLERANCE:
                continue  # a wrong answer that only carries feedback in Moodle
            if fraction < 100 - _TOLERANCE:
                self.problem(answer, f"is worth {fraction:g}%: a short answer in quizapp is right or wrong, with no "
                             "partial credit (make it 100 or 0)", element)
            elif re.search(r"(?<!\\)\*", text):
                self.problem(answer, f"{text!r} uses the * wildcard, which quizapp does not match; write out each "
                             "accepted answer (\\* is a literal asterisk)", element)
            elif not text:
                self.problem(answer, "has no text", element)
            else:
                accepted.append(text.replace("\\*", "*"))
        if not accepted:
            if len(self.problems) == before:
                self.problem(element, "has no answer worth 100% (fraction=\"100\")")
            return None
        return {"type": "short_answer", "accepted": list(dict.fromkeys(accepted))}


def _excerpt(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def _tag_elements(question: _Element) -> list[_Element]:
    tags = question.find("tags")
    return tags.findall("tag") if tags is not None else []


def _tidy_plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def parse_moodle_xml(data: str | bytes, name: str = "<xml>", default_source: str = "section 1") -> list[dict[str, Any]]:
    """Read a Moodle XML file into native question dicts, or raise BankError listing every problem."""
    return [imported.question for imported in read_moodle_xml(data, name, default_source)]


def read_moodle_xml(data: str | bytes, name: str = "<xml>", default_source: str = "section 1") -> list[Imported]:
    """:func:`parse_moodle_xml`, each question with its line, whether the file named it (``<idnumber>``
    or ``<name>``), and what reading it converted or could not carry."""
    try:
        root = _read_tree(data)
    except _Refused as refused:
        raise BankError([BankProblem(name, refused.line, refused.message)]) from None
    reader = _Reader(name, default_source)
    if root.tag != "quiz":
        reader.problem(root, "a Moodle XML file starts with <quiz>")
        raise BankError(reader.problems)

    questions: list[Imported] = []
    tags: list[str] = []
    number = 0
    for element in root.children:
        if element.tag != "question":
            reader.problem(element, "unexpected element: <quiz> holds only <question> elements")
            continue
        kind = element.attrs.get("type", "").strip()
        if kind == "category":
            path = element.child_text("category")
            if path is None:
                reader.problem(element, "has no <category> path")
                continue
            tag = _category_tag(path)
            tags = [tag] if tag else []
            continue
        number += 1
        if not kind:
            reader.problem(element, "has no type attribute")
        elif kind in SUPPORTED:
            question = reader.question(element, number, tags)
            if question is not None:
                questions.append(question)
        else:
            reason = UNSUPPORTED.get(kind, "quizapp has no such question type")
            reader.problem(element, f"cannot be imported: {reason} (quizapp imports multichoice, truefalse, "
                           "shortanswer and category)")
    if reader.problems:
        raise BankError(reader.problems)
    return questions


# --- Writing -----------------------------------------------------------------------------------

# Moodle's import checks fractions against its list of grades (1/n for n = 1..10 and 20).
_MOODLE_SHARES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20}


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def to_moodle_xml(questions: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """Write questions as a Moodle XML document; return it and a list of warnings."""
    root = ET.Element("quiz")
    warnings: list[str] = []
    for question in questions:
        qid, kind = question.get("id", "?"), question.get("type")

        def clean(text: Any, what: str, qid: str = qid) -> str:
            text = str(text)
            cleaned = _XML_BAD_CHARS.sub("", text)
            if cleaned != text:
                warnings.append(f"question '{qid}': control characters XML cannot hold were left out of its {what}")
            return cleaned

        if kind in ("ordering", "cloze"):
            why = ("ordering questions are not written to Moodle XML yet" if kind == "ordering" else
                   "cloze questions are not written yet (Moodle XML can hold them as embedded answers, "
                   "type multianswer)")
            warnings.append(f"question '{qid}' skipped: {why}")
            continue
        moodle_type = {"single_choice": "multichoice", "multiple_select": "multichoice",
                       "true_false": "truefalse", "short_answer": "shortanswer"}.get(kind)
        if moodle_type is None:
            warnings.append(f"question '{qid}' skipped: unknown question type {kind!r}")
            continue

        element = ET.SubElement(root, "question", type=moodle_type)
        _text_element(element, "name", clean(qid, "id"), with_format=False)
        _text_element(element, "questiontext", clean(question["prompt"], "prompt"))
        explanation = str(question.get("explanation", ""))
        # The placeholder an import puts in is not written back: an empty one reads back as it.
        explanation = "" if explanation.strip() == NO_EXPLANATION else explanation
        _text_element(element, "generalfeedback", clean(explanation, "explanation"))
        ET.SubElement(element, "defaultgrade").text = str(question.get("points", 1))

        if kind in ("single_choice", "multiple_select"):
            choices = question["choices"]
            ET.SubElement(element, "single").text = "true" if kind == "single_choice" else "false"
            ET.SubElement(element, "shuffleanswers").text = "true"
            ET.SubElement(element, "answernumbering").text = "abc"
            if kind == "single_choice":
                fractions = ["100" if c == question["answer"] else "0" for c in choices]
            else:
                right = set(question["answers"])
                share = 100 / len(right)
                scoring = question.get("scoring", "all_or_nothing")
                penalty = "-100" if scoring == "all_or_nothing" else _percent(-share)
                fractions = [_percent(share) if c in right else penalty for c in choices]
                if len(right) not in _MOODLE_SHARES:
                    warnings.append(f"question '{qid}': each of its {len(right)} right answers is worth "
                                    f"{_percent(share)}%, which Moodle's grade list lacks; import it in Moodle "
                                    "with 'Nearest grade if not listed'")
                if scoring == "all_or_nothing" and len(right) > 1:
                    warnings.append(f"question '{qid}': Moodle has no all-or-nothing multiple choice; it was "
                                    "written with each wrong choice at -100%, so any wrong pick scores 0, but "
                                    "picking only some of the right choices earns their share")
            for choice, fraction in zip(choices, fractions, strict=True):
                _text_element(element, "answer", clean(choice, "choices"), fraction=fraction)
        elif kind == "true_false":
            for value in (True, False):
                fraction = "100" if question["answer"] is value else "0"
                _text_element(element, "answer", "true" if value else "false", fraction=fraction)
        else:
            ET.SubElement(element, "usecase").text = "0"
            for accepted in question["accepted"]:
                # In a Moodle short answer * is a wildcard and \* a literal asterisk.
                text = clean(accepted, "accepted answers").replace("*", "\\*")
                _text_element(element, "answer", text, fraction="100")
            if question.get("tolerance") == "typo":
                warnings.append(f"question '{qid}': Moodle XML has no typo tolerance: the accepted answers are "
                                "written as they are, and Moodle marks a typo in them wrong")

        tags = [clean(t, "tags") for t in question.get("tags", [])]
        if tags:
            holder = ET.SubElement(element, "tags")
            for tag in tags:
                _text_element(holder, "tag", tag, with_format=False)

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n', warnings


def _text_element(parent: ET.Element, tag: str, text: str, with_format: bool = True, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {**attrs, **({"format": "plain_text"} if with_format else {})})
    ET.SubElement(element, "text").text = text
    return element
