"""Read an article written as plain text or Markdown, rather than in the bundled layout, into its parts.

What each part is made from:

- the title: a first Markdown heading, or a short first line with no closing full stop;
- sections: the headings and the paragraphs under each (``## Heading`` in Markdown, a short line
  without a closing full stop in plain text); an article without headings gives one section a paragraph;
- key points: the items of a bulleted or numbered list (those under a "Key points" heading when
  there is one), or the rows of a table headed "Key points";
- FAQs: ``Q:``/``A:`` (or ``Question:``/``Answer:``) pairs, and headings that ask a question with
  the paragraphs under them as the answer;
- the summary: the paragraphs under a "Summary" heading.

``read_free_layout`` never raises. It returns the parts, a problem (with its line) for each part it
found broken, and ``sources`` saying what each kind of part was made from, for the plain report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.domain.bank_format import BankProblem
from quizapp.domain.sentences import split_sentences, trim

MARKDOWN, PLAIN = "Markdown", "plain text"

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+(.*\S)\s*$")
_ASK = re.compile(r"^(?:\*\*)?(?:q|question)\s*[:.]\s*(.*?)(?:\*\*)?$", re.I)
_REPLY = re.compile(r"^(?:\*\*)?(?:a|answer)\s*[:.]\s*(?:\*\*)?\s*(.*)$", re.I)
_RULE = re.compile(r"^[\s|:-]*-{3,}[\s|:-]*$")
_KEY_POINTS = re.compile(r"^(key points?|key takeaways|key facts|main points|takeaways|highlights|in brief)$", re.I)
_SUMMARY = re.compile(r"^(summary|in summary|conclusion)$", re.I)
_FAQ = re.compile(r"^(frequently asked questions|faqs?|questions and answers|q\s*&\s*a)$", re.I)
_END = tuple(".,;:!\"”’'")
HEADING_WORDS = 14


@dataclass
class FreeLayout:
    """The parts found in a plain-text or Markdown article."""

    layout: str
    title: str = ""
    lead: str = ""
    sections: list[tuple[int, str, str]] = field(default_factory=list)
    key_points: list[tuple[int, str]] = field(default_factory=list)
    faqs: list[tuple[int, str, str]] = field(default_factory=list)
    summary: str = ""
    problems: list[BankProblem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def _emphasis(text: str) -> str:
    return re.sub(r"^[*_]{1,3}(.*?)[*_]{1,3}$", r"\1", text.strip()).strip()


def _plain_heading(lines: list[str], i: int) -> bool:
    """A short line with no closing full stop, above more text, reads as a heading."""
    line = lines[i]
    if (not line or len(line.split()) > HEADING_WORDS or line.endswith(_END) or "|" in line
            or _BULLET.match(line) or _ASK.match(line) or _REPLY.match(line)):
        return False
    return any(lines[i + 1:])


def _heading(lines: list[str], i: int, markdown: bool) -> tuple[int, str] | None:
    """The level and text of a heading at line ``i``, or None."""
    if markdown:
        match = _MD_HEADING.match(lines[i])
        return (len(match.group(1)), _emphasis(match.group(2))) if match else None
    return (2, lines[i]) if _plain_heading(lines, i) else None


def read_free_layout(text: str, name: str) -> FreeLayout:
    """The parts of an article written as plain text or Markdown."""
    lines = [line.strip() for line in text.splitlines()]
    markdown = any(_MD_HEADING.match(line) for line in lines)
    found = FreeLayout(MARKDOWN if markdown else PLAIN)

    def problem(index: int, message: str) -> None:
        found.problems.append(BankProblem(name, index + 1, message))

    first = next((i for i, line in enumerate(lines) if line), None)
    start = 0
    if first is not None:
        heading = _heading(lines, first, markdown)
        if heading and not heading[1].endswith("?"):
            found.title, start = heading[1], first + 1
            found.sources["title"] = "the first heading" if markdown else "the first line"

    # Walk the lines: each heading opens a part; paragraphs, list items, table rows and Q/A lines fill it.
    sections: list[tuple[str, list[str], int]] = []  # heading, paragraphs, line
    faqs: list[tuple[str, list[str], int]] = []
    listed: list[tuple[str, int, bool]] = []  # item, line, under a key-point heading
    table_rows: list[tuple[str, int]] = []
    lead: list[str] = []
    summary: list[str] = []
    mode, paragraph = "lead", []  # lead | section | key_points | summary | faq | faq_answer

    def flush() -> None:
        if not paragraph:
            return
        joined = " ".join(paragraph)
        paragraph.clear()
        if mode == "lead":
            lead.append(joined)
        elif mode == "section":
            sections[-1][1].append(joined)
        elif mode == "summary":
            summary.append(joined)
        elif mode == "faq_answer" or (mode == "faq" and faqs):
            faqs[-1][1].append(joined)
        elif mode == "key_points":
            lead.append(joined) if not sections else sections[-1][1].append(joined)

    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            flush()
            continue
        heading = _heading(lines, i, markdown)
        if heading:
            flush()
            words = heading[1].rstrip(":").strip()
            if _KEY_POINTS.match(words):
                mode = "key_points"
            elif _SUMMARY.match(words):
                mode = "summary"
            elif _FAQ.match(words):
                mode = "faq"
            elif words.endswith("?"):
                faqs.append((words, [], i))
                mode = "faq_answer"
            else:
                sections.append((words, [], i))
                mode = "section"
            continue
        ask, reply = _ASK.match(line), _REPLY.match(line)
        if ask and (ask.group(1).endswith("?") or not ask.group(1) or line[:1] in "Qq"):
            flush()
            faqs.append((_emphasis(ask.group(1)), [], i))
            mode = "faq_answer"
            continue
        if reply and faqs and mode == "faq_answer":
            flush()
            if reply.group(1):
                paragraph.append(_emphasis(reply.group(1)))
            continue
        if mode == "faq" and line.endswith("?") and len(line.split()) <= 30:
            flush()  # a question on a line of its own under an FAQ heading
            faqs.append((_emphasis(line), [], i))
            mode = "faq_answer"
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            listed.append((_emphasis(bullet.group(1)), i, mode == "key_points"))
            continue
        if "|" in line:
            flush()
            if not _RULE.match(line):
                table_rows.append((line, i))
            continue
        paragraph.append(line)
        if not markdown:
            flush()  # in plain text each line is a paragraph; Markdown wraps a paragraph over lines
    flush()

    found.lead = "\n".join(lead)
    found.summary = "\n".join(summary)

    # Sections: the headings, or else one a paragraph.
    if sections:
        found.sections = [(n, title, "\n".join(texts)) for n, (title, texts, _) in enumerate(sections, start=1)]
        found.sources["sections"] = "the headings"
    elif lead:
        found.sections = [(n, trim(split_sentences(text)[0], 80), text) for n, text in enumerate(lead, start=1)]
        found.lead = ""
        found.sources["sections"] = "the paragraphs (there are no headings)"

    # Key points: a key-point table, else the list under a key-point heading, else every list.
    header = next((k for k, (row, _) in enumerate(table_rows) if re.search(r"key\s*points?", row, re.I)), None)
    if header is not None:
        items = []
        for row, _ in table_rows[header + 1:]:
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            words = [c for c in cells if c and not c.isdecimal()]
            if words:
                items.append(" | ".join(words))
        found.key_points = list(enumerate(items, start=1))
        found.sources["key_points"] = "the key-point table"
    else:
        under = [item for item, _, kp in listed if kp]
        if under:
            found.key_points = list(enumerate(under, start=1))
            found.sources["key_points"] = "the list under the key-point heading"
        elif listed:
            found.key_points = list(enumerate((item for item, _, _ in listed), start=1))
            found.sources["key_points"] = "the bulleted list" if len(listed) > 1 else "a one-item list"

    for number, (question, answer, line) in enumerate(faqs, start=1):
        if not question:
            problem(line, f"FAQ {number} has no question after 'Q:'")
        elif not answer:
            problem(line, f"FAQ {number} ({question!r}) has no answer")
        else:
            found.faqs.append((number, question, " ".join(answer)))
    if faqs:
        asked_by_heading = any(_heading(lines, line, markdown) for _, _, line in faqs)
        found.sources["faqs"] = "the headings that ask a question" if asked_by_heading else "the Q:/A: pairs"
    if not (found.sections or found.key_points or found.faqs):
        problem(first or 0, "no paragraphs, headings, lists or Q:/A: pairs: there is nothing to draft from")
    return found
