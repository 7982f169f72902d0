"""Moodle's GIFT format: read it into native bank questions, and write native questions as GIFT.

API
===

``parse_gift(text, name="<gift>", default_source="section 1") -> list[dict]``
    Every question of the file as a native bank question dict: exactly the keys a YAML
    bank question has (``id``, ``type``, ``prompt``, the type's own fields,
    ``explanation``, ``source``, ``difficulty``, ``tags``, ``points``). Any problem,
    including a question our types cannot hold, raises :class:`BankError` listing every
    problem of the file as ``BankProblem(name, line, message)``: the file imports whole
    or not at all.

``parse_gift_report(text, name="<gift>", default_source="section 1") -> (questions, skipped)``
    The same, except that a question using a construct our types cannot hold (matching,
    numerical, essay, description, partial credit we cannot grade …) is left out and
    listed in ``skipped`` as a ``BankProblem`` naming the construct and its line. Errors
    in the file (an unclosed ``{``, no right answer …) still raise :class:`BankError`.
    (One function per result shape, rather than a ``skip_unsupported`` flag that would
    change what ``parse_gift`` returns.)

``to_gift(questions) -> (text, warnings)``
    Native question dicts written as GIFT, and one warning (``"<id>: …"``) for each thing
    GIFT cannot hold. Questions GIFT cannot hold at all (ordering, cloze with several
    blanks) are skipped with a warning.

Reading
=======

A file is split into questions at blank lines (lines of only spaces count). Lines
starting with ``//`` (after spaces) are comments wherever they are; ``//`` inside a line
is text (a URL stays whole). A block starting with ``$CATEGORY: path`` sets the category
of the questions after it: their ``tags`` are the last segment of the path, slugified
(``tom/yes/no`` gives ``["no"]``; ``//`` in a path is a literal ``/``; Moodle's roots
``$course$/top`` and the like give no tag). A question may follow its category line in
the same block.

Each question is tokenized first, so escapes are settled once: ``\\~ \\= \\# \\{ \\} \\:``
are the characters themselves, ``\\n`` is a new line, ``\\\\`` a backslash and ``\\*`` an
asterisk (Moodle's escape for a literal ``*`` in short answers); any other backslash is
kept. The parser then reads ``::title::``, the question text, one ``{…}`` answer block and
any text after it. ``=``, ``~``, ``#``, ``####`` mean something only inside the block: in
the question text they are text, as in ``1+1=2 {T}``. A ``[html]``, ``[moodle]``,
``[plain]`` or ``[markdown]`` prefix of the question text, an answer or a feedback is
removed. ``[html]`` and ``[moodle]`` text (and the answers and feedback of such a question,
unless they have a format of their own) is HTML, made plain text by
:mod:`~quizapp.domain.interchange.html_text`, which says what it could not carry (images,
sound, video); ``[plain]`` and ``[markdown]`` text is kept as it is, and so is text with no
format, where markup is noted (Moodle would show it as HTML). The writer marks text that
holds markup ``[plain]``, so that Moodle shows it as written.

====================================  ===============================================
GIFT                                  native question
====================================  ===============================================
``{=right ~wrong …}``                 single_choice (one ``=``, every other answer 0%)
``{~%50%a ~%50%b ~%-100%c}``          multiple_select: the answers weighing more than
                                      0%; ``scoring: partial`` when the right answers
                                      share the credit, ``all_or_nothing`` when the
                                      only right answer weighs 100%
``{T}`` ``{TRUE}`` ``{F}`` ``{FALSE}``  true_false
``{=a =b}``                           short_answer (``=%100%a`` too; a ``=%0%`` answer
                                      only carries feedback and is left out)
``Text {=a =b} more text.``           cloze with one blank (prompt "Fill in the blank.")
``Text {=a ~b} more text.``           the type of its answers, the prompt keeping the
                                      sentence with ``_____`` where the block was
====================================  ===============================================

The id comes from the ``::title::`` slugified (a-z, 0-9 and hyphens, at most 80
characters), else ``gift-<n>`` where ``n`` counts the questions of the file; ids are made
unique within the file with ``-2``, ``-3`` …. The explanation is the general feedback
(``####…``), else the feedback of the right answers joined, else a placeholder: it is
never empty. Every question gets ``difficulty: 1``, ``points: 1`` and
``source: default_source``.

Interpretations, where the documentation leaves room or Moodle's importer is lax:

* Not held by our types, so reported (and skipped by ``parse_gift_report``): matching
  (``=a -> b``), numerical (``{#…}``), essay (``{}``), description (no answer block), a
  single choice with more than one ``=`` answer or with weights other than 100% and 0%
  (partial credit or penalties), multiple answers whose right answers weigh differently
  (our partial scoring gives each the same share), short answers with partial credit or
  Moodle's ``*`` wildcard, and a missing-word sentence containing ``{n}`` text.
* Penalties of a multiple-answer question (``~%-100%``, ``~%-50%`` …) become our partial
  scoring's penalty: each wrong pick takes away one right answer's share.
* True/false feedback: ``{T#a#b}`` shows ``a`` for a wrong answer and ``b`` for a right
  one (as Moodle reads it). The explanation is ``b``, else ``a``.
* ``T``, ``TRUE``, ``F``, ``FALSE`` are upper case, as Moodle requires; ``{true}`` is an
  unknown construct rather than a short answer.
* Moodle would read ``{Paris}`` (no ``=``) as a short answer and ``{x ~a =b}`` as having a
  wrong answer ``x``; here text before the first ``=``/``~`` is an error, as are a second
  answer block, a ``{`` inside a block, a ``}`` with no ``{`` and an unclosed ``::title``.
* A weight ``%n%`` is read after ``=`` as well as after ``~`` (Moodle ignores it after ``=``
  in multiple choice); a weight must lie between -100 and 100, and the right answers of
  a multiple-answer question must add up to 100%.

Writing
=======

Each question is written as ``::id:: prompt {…}`` with ``~ = # { } :`` and ``\\`` escaped,
new lines written ``\\n`` and the explanation as general feedback ``####…``. The first tag
becomes the category (``$CATEGORY: $course$/top/<tag>``, written when it changes; a
question without tags goes back to ``$course$/top``). single_choice: ``=`` for the
answer and ``~`` for the others. multiple_select: each right answer ``~%<100/n>%`` and
each wrong one ``~%-<100/n>%``, which is our partial scoring exactly (all-or-nothing with
one right answer reads back the same; with several it cannot be said in GIFT and is
written as partial, with a warning). true_false: ``{TRUE}``/``{FALSE}``. short_answer:
``{=a =b}``. A cloze with one blank: the missing-word form, its sentence around the
block (a prompt other than "Fill in the blank." is written in front of the sentence,
with a warning); ``*`` in its answers and in short answers is written ``\\*``, since
Moodle reads ``*`` there as a wildcard. The import placeholder explanation is not written
as feedback. GIFT has no points, passage, difficulty or source: points other than 1 and
a passage are warned about; difficulty and source are always left out. An accepted
answer containing ``->`` cannot be written (GIFT would read a matching question): that
question is skipped with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.bank_format import BankError, BankProblem
from quizapp.domain.interchange.html_text import UnreadableHtml, html_text, looks_like_html
from quizapp.domain.interchange.imported import Imported, multiple_answer_notes, note
from quizapp.domain.interchange.naming import NO_EXPLANATION, slugify, unique_id
from quizapp.domain.question_types import BLANK
from quizapp.domain.text import normalise_answer

__all__ = [
    "CLOZE_PROMPT", "NO_EXPLANATION", "Token", "escape", "parse_gift", "parse_gift_report", "read_gift", "slugify",
    "to_gift", "tokenize",
]

CLOZE_PROMPT = "Fill in the blank."
MARKDOWN_KEPT = "Markdown text was kept as written, its marks (such as **bold**) included: a bank shows text as it is"
BLANK_LINE = "_____"
CATEGORY_ROOT = "$course$/top"
FORMATS = ("html", "moodle", "plain", "markdown")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

# Tokens: TEXT carries text with its escapes already resolved; every other kind is an
# unescaped symbol, whose meaning depends on where the parser meets it.
TEXT = "text"
SYMBOLS = "{}~=#*"
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n", "\\": "\\", "*": "*"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Token:
    """One piece of a question: text (escapes resolved) or a symbol, with its line."""

    kind: str
    text: str
    line: int


def tokenize(lines: list[tuple[int, str]]) -> list[Token]:
    """Turn a question's lines ``(line number, text)`` into tokens.

    A backslash before ``~ = # { } : * \\`` makes that character text, ``\\n`` is a new
    line; four ``#`` in a row are one ``####`` token and two ``:`` one ``::`` token.
    Consecutive text is merged into one token (with the line it starts on).
    """
    tokens: list[Token] = []

    def text(value: str, line: int) -> None:
        if tokens and tokens[-1].kind == TEXT:
            tokens[-1] = Token(TEXT, tokens[-1].text + value, tokens[-1].line)
        else:
            tokens.append(Token(TEXT, value, line))

    for index, (number, line) in enumerate(lines):
        if index:
            text("\n", number)
        i = 0
        while i < len(line):
            char = line[i]
            if char == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPES:
                text(_ESCAPES[line[i + 1]], number)
                i += 2
            elif line.startswith("####", i):
                tokens.append(Token("####", "####", number))
                i += 4
            elif line.startswith("::", i):
                tokens.append(Token("::", "::", number))
                i += 2
            elif char in SYMBOLS:
                tokens.append(Token(char, char, number))
                i += 1
            else:
                text(char, number)
                i += 1
    return tokens


def _literal(tokens: list[Token]) -> str:
    """The tokens read as plain text (symbols stand for themselves)."""
    return "".join(t.text for t in tokens)


def _split_format(text: str) -> tuple[str | None, str]:
    """The ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` prefix of ``text`` (None if it has none) and the rest."""
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            return text[1:end], text[end + 1 :]
    return None, text


def _strip_format(text: str) -> str:
    """``text`` without a leading ``[html]``/``[moodle]``/``[plain]``/``[markdown]``."""
    return _split_format(text)[1]


def _category_segments(path: str) -> list[str]:
    """Split a category path at single ``/``; ``//`` is a ``/`` inside a name."""
    segments = [""]
    i = 0
    while i < len(path):
        if path.startswith("//", i):
            segments[-1] += "/"
            i += 2
        elif path[i] == "/":
            segments.append("")
            i += 1
        else:
            segments[-1] += path[i]
            i += 1
    return [s.strip() for s in segments if s.strip()]


def _category_tag(path: str) -> str | None:
    segments = _category_segments(path.strip())
    if segments and len(segments[0]) > 1 and segments[0].startswith("$") and segments[0].endswith("$"):
        segments = segments[1:]  # Moodle's context: $course$, $system$, $module$ …
    if segments and segments[0] == "top":
        segments = segments[1:]  # the invisible root category of a context
    return (slugify(segments[-1]) or None) if segments else None


# --------------------------------------------------------------------------- reading


@dataclass
class _Answer:
    marker: str  # "=" or "~"
    line: int
    text: str
    weight: float
    feedback: str
    wildcard: bool  # an unescaped * (Moodle's wildcard in short answers)


@dataclass
class _Report:
    """The problems of one question (errors, and constructs our types cannot hold), and what reading
    it converted or could not carry."""

    name: str
    errors: list[BankProblem] = field(default_factory=list)
    unsupported: list[BankProblem] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    lost_media: bool = False
    format: str | None = None  # the question text's [format]: its answers and feedback share it

    def error(self, line: int, message: str) -> None:
        self.errors.append(BankProblem(self.name, line, message))

    def unsupported_construct(self, line: int, message: str) -> None:
        self.unsupported.append(BankProblem(self.name, line, message))

    def reads_html(self, fmt: str | None, text: str) -> bool:
        """Whether a text is HTML: [html] or [moodle], its own or the question's. Markup in a text with no
        format at all is kept as written (a hand-written file means it), and said so."""
        fmt = fmt or self.format
        if fmt == "markdown":
            note(self.converted, MARKDOWN_KEPT)
        if fmt is None and looks_like_html(text):
            note(self.converted, "text with HTML markup but no [format] was kept as written; Moodle would show it "
                 "as HTML (start the text with [html] to have it read so)")
        return fmt in ("html", "moodle")

    def html(self, fmt: str | None, text: str, line: int) -> str:
        """The HTML ``text`` as plain text, noting what it could not carry."""
        fmt = fmt or self.format
        try:
            result = html_text(text, keep_newlines=fmt != "html")
        except UnreadableHtml as error:
            self.error(line, f"its HTML cannot be read ({error}): mark the text [plain] or fix the HTML")
            return ""
        for message in result.converted:
            note(self.converted, message)
        for message in result.not_carried:
            note(self.not_carried, f"{message}: plain text cannot hold it")
            self.lost_media = True
        return result.text

    def clean(self, text: str, line: int) -> str:
        """An answer's or a feedback's text: trimmed, its [format] taken off, HTML made plain text."""
        fmt, body = _split_format(text.strip())
        if self.reads_html(fmt, body):
            return self.html(fmt, body, line)
        return body.strip()

    def dropped_feedback(self, pairs: list[tuple[str, str]], kept: str) -> None:
        """Note each answer's feedback (``(answer, feedback)``) that the explanation ``kept`` leaves out."""
        for answer, feedback in pairs:
            if feedback and feedback not in kept:
                note(self.not_carried, f"the feedback on the answer {_excerpt(answer)}, {_excerpt(feedback)}: "
                     "a bank question has one explanation")


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """The file's questions: runs of non-blank lines, with their 1-based line numbers."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _read(
    text: str, name: str, default_source: str
) -> tuple[list[Imported], list[BankProblem], list[BankProblem]]:
    """The questions read, the errors, and the questions skipped as constructs we cannot hold."""
    questions: list[Imported] = []
    errors: list[BankProblem] = []
    skipped: list[BankProblem] = []
    tag: str | None = None
    used: set[str] = set()
    number = 0
    for block in _blocks(text):
        lines = [(n, line) for n, line in block if not line.lstrip().startswith("//")]
        if lines and lines[0][1].strip().startswith("$CATEGORY:"):
            tag = _category_tag(lines[0][1].strip()[len("$CATEGORY:") :])
            lines = lines[1:]
        if not lines:
            continue
        number += 1
        report = _Report(name)
        parsed = _parse_question(lines, report)
        if report.errors:
            errors.extend(report.errors)
            continue
        if report.unsupported or parsed is None:
            skipped.extend(report.unsupported)
            continue
        title, kind, prompt, fields, explanation = parsed
        named = slugify(title or "")
        qid = unique_id(named or f"gift-{number}", used)
        question = {
            "id": qid,
            "type": kind,
            "prompt": prompt,
            **fields,
            "explanation": explanation or NO_EXPLANATION,
            "source": default_source,
            "difficulty": 1,
            "tags": [tag] if tag else [],
            "points": 1,
        }
        # GIFT has no points, passage, difficulty or source; explanation and tags only when the file gives them.
        defaults = {"source", "difficulty", "passage", "points"} | ({"explanation"} if not explanation else set()) \
            | ({"tags"} if not tag else set())
        questions.append(Imported(question, lines[0][0], named=bool(named), converted=report.converted,
                                  not_carried=report.not_carried, lost_media=report.lost_media,
                                  defaults=frozenset(defaults)))
    return questions, errors, skipped


def parse_gift(text: str, name: str = "<gift>", default_source: str = "section 1") -> list[dict[str, Any]]:
    """Read a GIFT file into native question dicts; raise BankError listing every problem.

    A construct our question types cannot hold (matching, numerical, essay, description …)
    is a problem too: use :func:`parse_gift_report` to import the rest and list those.
    """
    return [imported.question for imported in read_gift(text, name, default_source)]


def read_gift(text: str, name: str = "<gift>", default_source: str = "section 1") -> list[Imported]:
    """:func:`parse_gift`, each question with its line, whether the file named it (a ``::title::``),
    and what reading it converted or could not carry."""
    questions, errors, skipped = _read(text, name, default_source)
    if errors or skipped:
        raise BankError(errors + skipped)
    return questions


def parse_gift_report(
    text: str, name: str = "<gift>", default_source: str = "section 1"
) -> tuple[list[dict[str, Any]], list[BankProblem]]:
    """Read a GIFT file; return the questions we can hold and the skipped ones, with reasons.

    Errors in the file still raise BankError (listing every one of them).
    """
    questions, errors, skipped = _read(text, name, default_source)
    if errors:
        raise BankError(errors)
    return [imported.question for imported in questions], sorted(skipped)


_Parsed = tuple[str | None, str, str, dict[str, Any], str]


def _parse_question(lines: list[tuple[int, str]], report: _Report) -> _Parsed | None:
    """Parse one question; problems go to ``report`` (and then None is returned)."""
    start = lines[0][0]
    tokens = tokenize(lines)
    while tokens and tokens[0].kind == TEXT and not tokens[0].text.strip():
        tokens = tokens[1:]

    title = None
    if tokens and tokens[0].kind == "::":
        end = next((i for i, t in enumerate(tokens) if i and t.kind == "::"), None)
        if end is None:
            report.error(tokens[0].line, "the title opened with '::' is not closed with '::'")
            return None
        title = _literal(tokens[1:end]).strip()
        tokens = tokens[end + 1 :]

    before: list[Token] = []
    block: list[Token] = []
    after: list[Token] = []
    opening: Token | None = None
    closed = False
    for token in tokens:
        if opening is None:
            if token.kind == "}":
                report.error(token.line, "a '}' with no '{' before it (write \\} for the character)")
                return None
            if token.kind == "{":
                opening = token
            else:
                before.append(token)
        elif not closed:
            if token.kind == "{":
                report.error(token.line, f"a '{{' inside the answer block opened on line {opening.line} "
                             "(write \\{ for the character)")
                return None
            if token.kind == "}":
                closed = True
            else:
                block.append(token)
        else:
            if token.kind == "{":
                report.error(token.line, "a second answer block: a question has one {…} block "
                             "(separate questions with a blank line)")
                return None
            if token.kind == "}":
                report.error(token.line, "a '}' with no '{' before it (write \\} for the character)")
                return None
            after.append(token)

    fmt, before_text = _split_format(_literal(before).lstrip())
    after_text = _literal(after)
    report.format = fmt
    if report.reads_html(fmt, before_text + after_text):
        # Each side of the answer block on its own, keeping the space that parts it from the block.
        html_before = report.html(fmt, before_text, start)
        html_after = report.html(fmt, after_text, start)
        before_text = html_before + (" " if html_before and before_text[-1:].isspace() else "")
        after_text = (" " if html_after and after_text[:1].isspace() else "") + html_after
        if report.errors:
            return None
    if opening is None:
        if not before_text.strip():
            report.error(start, "a question with no text")
        else:
            report.unsupported_construct(start, "description questions (text with no answer block) are not "
                                         f"supported: {_excerpt(before_text)}")
        return None
    if not closed:
        report.error(opening.line, "unclosed '{': the answer block has no closing '}'")
        return None
    if not (before_text + after_text).strip():
        report.error(start, "a question with no text")
        return None

    missing_word = bool(after_text.strip())
    prompt = (before_text + BLANK_LINE + after_text if missing_word else before_text).strip()

    parsed = _parse_block(block, opening, start, report)
    if parsed is None:
        return None
    kind, fields, explanation = parsed
    if kind == "short_answer" and missing_word:
        sentence = before_text.lstrip() + "{1}" + after_text.rstrip()
        if BLANK.findall(before_text + after_text):
            report.unsupported_construct(start, "a missing-word sentence containing text such as {1}, which a "
                                         "cloze question would read as a blank, is not supported")
            return None
        return title, "cloze", CLOZE_PROMPT, {"text": sentence, "blanks": [fields["accepted"]]}, explanation
    return title, kind, prompt, fields, explanation


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def _parse_block(
    block: list[Token], opening: Token, start: int, report: _Report
) -> tuple[str, dict[str, Any], str] | None:
    """Classify and read the answer block (the tokens between ``{`` and ``}``)."""
    general = ""
    split = next((i for i, t in enumerate(block) if t.kind == "####"), None)
    if split is not None:
        general = report.clean(_literal(block[split + 1 :]), block[split].line)
        block = block[:split]
    shown = _excerpt("{" + _literal(block) + "}")

    first = next((t for t in block if t.kind != TEXT or t.text.strip()), None)
    if first is None:
        report.unsupported_construct(start, "essay questions ({}) are not supported")
        return None
    if first.kind == "#":
        report.unsupported_construct(start, f"numerical questions ({{#…}}) are not supported: {shown}")
        return None

    markers = [i for i, t in enumerate(block) if t.kind in ("=", "~")]
    has_tilde = any(block[i].kind == "~" for i in markers)
    if not markers:
        cut = next((i for i, t in enumerate(block) if t.kind == "#"), len(block))
        head = _literal(block[:cut]).strip()
        if head in TRUE_FALSE:
            return _true_false(block[cut:], TRUE_FALSE[head], general, report)
        report.error(first.line, f"unknown construct {shown}: an answer block holds answers starting with "
                     "'=' (right) or '~' (wrong), or T/TRUE/F/FALSE, or is {} or {#…}")
        return None
    if not has_tilde and "->" in _literal(block):
        report.unsupported_construct(start, f"matching questions are not supported: {shown}")
        return None
    leading = _literal(block[: markers[0]]).strip()
    if leading:
        report.error(first.line, f"unexpected text {leading!r} before the first answer: start each answer "
                     "with '=' (right) or '~' (wrong)")
        return None

    answers = []
    for index, position in enumerate(markers):
        end = markers[index + 1] if index + 1 < len(markers) else len(block)
        answer = _answer(block[position], block[position + 1 : end], report)
        if answer is not None:
            answers.append(answer)
    if len(answers) < len(markers):
        return None
    if has_tilde:
        return _choices(answers, opening, start, general, report)
    return _short_answer(answers, opening, start, general, report)


def _answer(marker: Token, tokens: list[Token], report: _Report) -> _Answer | None:
    cut = next((i for i, t in enumerate(tokens) if t.kind == "#"), len(tokens))
    text_tokens, feedback = tokens[:cut], report.clean(_literal(tokens[cut + 1 :]), marker.line)
    text = _literal(text_tokens).strip()
    weight = 100.0 if marker.kind == "=" else 0.0
    if text.startswith("%"):
        end = text.find("%", 1)
        if end == -1 or not _NUMBER.fullmatch(text[1:end]):
            report.error(marker.line, f"the weight in {marker.kind + text!r} must be written %n%, "
                         "a percentage such as %50% or %-100%")
            return None
        weight = float(text[1:end])
        if not -100 <= weight <= 100:
            report.error(marker.line, f"the weight %{text[1:end]}% is outside -100% to 100%")
            return None
        text = text[end + 1 :]
    text = report.clean(text, marker.line)
    if not text:
        report.error(marker.line, f"an empty answer after '{marker.kind}'")
        return None
    wildcard = any(t.kind == "*" for t in text_tokens)
    return _Answer(marker.kind, marker.line, text, weight, feedback, wildcard)


def _percent(weight: float) -> str:
    return f"{weight:g}%"


def _weighted(answer: _Answer) -> str:
    return f"{answer.marker}%{_percent(answer.weight)}{answer.text}"


def _joined(feedback: list[str]) -> str:
    return " ".join(dict.fromkeys(f for f in feedback if f))


def _true_false(rest: list[Token], answer: bool, general: str, report: _Report) -> tuple[str, dict[str, Any], str]:
    # {T#shown when wrong#shown when right}: the first '#' starts the feedback for a wrong answer.
    parts: list[list[Token]] = [[]]
    for token in rest[1:]:
        if token.kind == "#" and len(parts) < 2:
            parts.append([])
        else:
            parts[-1].append(token)
    line = rest[0].line if rest else 1
    wrong = report.clean(_literal(parts[0]), line) if rest else ""
    right = report.clean(_literal(parts[1]), line) if len(parts) > 1 else ""
    explanation = general or right or wrong
    shown = "FALSE" if answer else "TRUE"
    report.dropped_feedback([(shown, wrong), ("TRUE" if answer else "FALSE", right)], explanation)
    return "true_false", {"answer": answer}, explanation


def _duplicates(answers: list[_Answer], report: _Report) -> bool:
    seen: set[str] = set()
    found = False
    for answer in answers:
        if answer.text in seen:
            report.error(answer.line, f"the answer {answer.text!r} is given twice")
            found = True
        seen.add(answer.text)
    return found


def _choices(
    answers: list[_Answer], opening: Token, start: int, general: str, report: _Report
) -> tuple[str, dict[str, Any], str] | None:
    if len(answers) < 2:
        report.error(opening.line, "a multiple-choice question needs at least two answers")
        return None
    if _duplicates(answers, report):
        return None
    choices = [a.text for a in answers]
    if any(a.marker == "=" for a in answers):
        # Moodle's single choice: one answer is chosen; '=' is worth 100%, '~' 0% unless weighted.
        odd = [a for a in answers if a.weight not in (0, 100)]
        right = [a for a in answers if a.weight == 100]
        if odd:
            listed = ", ".join(_weighted(a) for a in odd)
            report.unsupported_construct(start, f"partial credit or penalties in a single-choice question are "
                                         f"not supported: {listed}")
            return None
        if not right:
            report.error(opening.line, "no right answer: mark the right answer with '='")
            return None
        if len(right) > 1:
            listed = ", ".join(repr(a.text) for a in right)
            report.unsupported_construct(start, f"single-choice questions with more than one right answer are "
                                         f"not supported: {listed}")
            return None
        explanation = general or right[0].feedback
        report.dropped_feedback([(a.text, a.feedback) for a in answers], explanation)
        return "single_choice", {"choices": choices, "answer": right[0].text}, explanation

    # Only '~': Moodle's multiple-answer question, the right answers being those weighing more than 0%.
    right = [a for a in answers if a.weight > 0]
    if not right:
        report.error(opening.line, "no right answer: mark the right answer with '=', or weigh the right "
                     "answers of a multiple-answer question (~%50%…)")
        return None
    weights = sorted({a.weight for a in right})
    if weights[-1] - weights[0] > 0.5:
        listed = ", ".join(_weighted(a) for a in right)
        report.unsupported_construct(start, f"multiple-answer questions whose right answers weigh differently "
                                     f"are not supported: {listed}")
        return None
    total = sum(a.weight for a in right)
    if abs(total - 100) > 0.5:
        report.error(opening.line, f"the weights of the right answers add up to {_percent(total)}, not 100%")
        return None
    scoring = "partial" if weights[0] < 100 else "all_or_nothing"
    fields = {"choices": choices, "answers": [a.text for a in right], "scoring": scoring}
    for message in multiple_answer_notes([a.weight for a in right], [a.weight for a in answers if a.weight <= 0],
                                         scoring):
        note(report.converted, message)
    explanation = general or _joined([a.feedback for a in right])
    report.dropped_feedback([(a.text, a.feedback) for a in answers], explanation)
    return "multiple_select", fields, explanation


def _short_answer(
    answers: list[_Answer], opening: Token, start: int, general: str, report: _Report
) -> tuple[str, dict[str, Any], str] | None:
    partial = [a for a in answers if a.weight not in (0, 100)]
    if partial:
        listed = ", ".join(_weighted(a) for a in partial)
        report.unsupported_construct(start, f"partial credit in a short-answer question is not supported: {listed}")
        return None
    right = [a for a in answers if a.weight == 100]  # a 0% answer only carries feedback
    wild = [a for a in right if a.wildcard]
    if wild:
        listed = ", ".join(repr(a.text) for a in wild)
        report.unsupported_construct(start, f"wildcards (*) in short answers are not supported: {listed} "
                                     "(write \\* for the character)")
        return None
    if not right:
        report.error(opening.line, "no right answer: a short answer needs at least one answer '=…'")
        return None
    if _duplicates(right, report):
        return None
    for answer in right:
        if not normalise_answer(answer.text):
            report.error(answer.line, f"the answer {answer.text!r} is only punctuation or spaces, which "
                         "typed answers ignore")
            return None
    explanation = general or _joined([a.feedback for a in right])
    report.dropped_feedback([(a.text, a.feedback) for a in answers], explanation)
    return "short_answer", {"accepted": [a.text for a in right]}, explanation


# --------------------------------------------------------------------------- writing


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and new lines written ``\\n``."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in "~=#{}:":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char != "\r":
            out.append(char)
    return "".join(out)


def _text(text: str, stars: bool = False) -> str:
    """Escaped text; a leading ``[html]``-like prefix is protected by a ``[plain]`` one."""
    written = escape(text)
    if stars:
        written = written.replace("*", "\\*")
    if _strip_format(text.lstrip()) != text.lstrip() or looks_like_html(text):
        written = "[plain]" + written
    return written


def _weight(weight: float) -> str:
    return f"%{f'{weight:.5f}'.rstrip('0').rstrip('.')}%"


def _answer_line(marker: str, text: str, weight: float | None = None, stars: bool = False) -> str:
    if weight is None and text.startswith("%"):
        weight = 100.0 if marker == "=" else 0.0  # so that the text is not read as a weight
    return f"{marker}{_weight(weight) if weight is not None else ''}{_text(text, stars)}"


def _general(explanation: str) -> str:
    """The explanation as general feedback; none for an empty one or the import placeholder."""
    if explanation.strip() in ("", NO_EXPLANATION):
        return ""
    return "####" + _text(explanation)


def _block(lines: list[str], explanation: str) -> str:
    general = _general(explanation)
    body = "".join(f"\t{line}\n" for line in [*lines, *([general] if general else [])])
    return "{\n" + body + "}"


def _write_question(question: dict[str, Any], notes: list[str]) -> str | None:
    kind = question.get("type")
    head = f"::{escape(str(question['id']))}:: "
    prompt = str(question.get("prompt", ""))
    explanation = str(question.get("explanation", ""))

    if kind == "single_choice":
        lines = [_answer_line("=" if c == question["answer"] else "~", c) for c in question["choices"]]
        body = head + _text(prompt) + " " + _block(lines, explanation)
    elif kind == "multiple_select":
        right = set(question["answers"])
        share = 100 / len(right)
        if question.get("scoring", "all_or_nothing") == "all_or_nothing" and len(right) > 1:
            notes.append("GIFT cannot say all-or-nothing for several right answers: written with partial "
                         "credit (each right answer a share, each wrong one a penalty)")
        lines = [_answer_line("~", c, share if c in right else -share) for c in question["choices"]]
        body = head + _text(prompt) + " " + _block(lines, explanation)
    elif kind == "true_false":
        answer = "TRUE" if question["answer"] else "FALSE"
        body = head + _text(prompt) + " {" + answer + _general(explanation) + "}"
    elif kind == "short_answer":
        accepted = question["accepted"]
        if any("->" in a for a in accepted):
            notes.append("skipped: an accepted answer contains '->', which GIFT reads as a matching question")
            return None
        lines = [_answer_line("=", a, stars=True) for a in accepted]
        body = head + _text(prompt) + " " + _block(lines, explanation)
    elif kind == "cloze":
        blanks = question["blanks"]
        if len(blanks) != 1:
            notes.append(f"skipped: a cloze question with {len(blanks)} blanks cannot be written in GIFT "
                         "(only one blank, as a missing word)")
            return None
        if any("->" in a for a in blanks[0]):
            notes.append("skipped: an accepted answer contains '->', which GIFT reads as a matching question")
            return None
        before, _, after = BLANK.split(question["text"], maxsplit=1)
        if prompt.strip() != CLOZE_PROMPT:
            notes.append("GIFT's missing-word form has no separate prompt: the prompt is written in front "
                         "of the sentence")
            before = prompt + "\n" + before
        if not after.strip():
            notes.append("the blank ends the text, so GIFT reads the question back as a short answer")
        answers = " ".join(_answer_line("=", a, stars=True) for a in blanks[0])
        written = _text(before)
        if looks_like_html(before + after) and not written.startswith("[plain]"):
            written = "[plain]" + written  # the sentence is read whole, on both sides of the blank
        body = head + written + "{" + answers + _general(explanation) + "}" + escape(after)
    elif kind == "ordering":
        notes.append("skipped: GIFT has no ordering questions")
        return None
    else:
        notes.append(f"skipped: GIFT cannot hold a {kind!r} question")
        return None

    if question.get("tolerance") == "typo":
        notes.append("GIFT has no typo tolerance: the accepted answers are written as they are, and Moodle "
                     "marks a typo in them wrong")
    points = question.get("points", 1)
    if points != 1:
        notes.append(f"GIFT has no points: this question is worth {points} points here, the default in Moodle")
    if question.get("passage"):
        notes.append("GIFT has no place for the passage: it is left out")
    return body


def to_gift(questions: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """Write native questions as GIFT; return the text and a warning for each thing left out."""
    blocks: list[str] = []
    warnings: list[str] = []
    category: str | None = None
    for question in questions:
        qid = str(question.get("id", "?"))
        notes: list[str] = []
        body = _write_question(question, notes)
        if body is not None:
            tags = [" ".join(str(t).split()) for t in question.get("tags") or []]
            wanted = tags[0] if tags else None
            if len(tags) > 1:
                notes.append(f"GIFT has one category per question: only the tag {tags[0]!r} is kept "
                             f"(left out: {', '.join(repr(t) for t in tags[1:])})")
            if wanted is not None and slugify(wanted) != wanted:
                notes.append(f"the tag {wanted!r} is read back as {slugify(wanted)!r}")
            if wanted != category:
                path = CATEGORY_ROOT + ("/" + wanted.replace("/", "//") if wanted else "")
                blocks.append(f"$CATEGORY: {path}")
                category = wanted
            blocks.append(body)
        warnings.extend(f"{qid}: {note}" for note in notes)
    return ("\n\n".join(blocks) + "\n" if blocks else ""), warnings
