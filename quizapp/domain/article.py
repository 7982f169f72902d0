"""Read a news article shaped like the bundled ones into its parts, and draft bank questions from it.

The shape (see ``questions/coalition-of-the-willing.txt``): a lead paragraph, an
"Article Subheadings" table (``1) Title |`` rows), each heading in the body followed
by its paragraphs, a key-point table (``No. | Key Points |``, a ``---|---|`` rule,
rows ``1 | text |``), a "Summary", and a "Frequently Asked Questions" part of
``Question: …`` lines each followed by its answer.

``extract_article`` never raises: it returns what it found, and a ``BankProblem``
(with its line) for each part it could not find or found broken. ``draft_questions``
turns the key points and FAQs into questions in the bank's own form, tagged
``draft`` for a teacher to review; ``salient_terms`` finds the names, numbers and
acronyms those drafts hide or swap.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from typing import Any

from quizapp.domain.article_layouts import read_free_layout
from quizapp.domain.bank_format import BankProblem
from quizapp.domain.lint import Source, lint_bank
from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.domain.rewording import SAME_MEANING, apply, opposites, same_meaning
from quizapp.domain.sentences import TITLE_LIMIT, split_sentences, trim
from quizapp.domain.term_kinds import kind_of, of_a_continent, spellings
from quizapp.domain.text import normalise_answer, unstorable_character

_SUBHEADINGS = re.compile(r"^article subheadings\s*\|?\s*$", re.I)
_SUBHEADING_ROW = re.compile(r"^(\d+)\s*[).]\s*(.*?)\s*\|?\s*$")
_RULE = re.compile(r"^[\s|:-]*-{3,}[\s|:-]*$")
_KEY_POINTS = re.compile(r"^no\.?\s*\|\s*key points\s*\|?\s*$", re.I)
_SUMMARY = re.compile(r"^summary\s*:?\s*$", re.I)
_FAQ = re.compile(r"^(frequently asked questions|faqs?)\s*:?\s*$", re.I)
_QUESTION = re.compile(r"^question\s*:\s*(.*)$", re.I)
_BLANK = re.compile(r"\{\d+\}")
BUNDLED = "the bundled layout (a subheadings table, a key-point table, 'Question:' lines)"
_BUNDLED_SOURCES = {"sections": "the subheadings table and the headings in the text",
                    "key_points": "the key-point table", "faqs": "the 'Question:' lines"}


@dataclass(frozen=True)
class Article:
    """What ``extract_article`` found; ``problems`` lists what it could not find or found broken."""

    title: str
    sections: list[tuple[int, str, str]] = field(default_factory=list)
    key_points: list[tuple[int, str]] = field(default_factory=list)
    faqs: list[tuple[int, str, str]] = field(default_factory=list)
    problems: list[BankProblem] = field(default_factory=list)
    lead: str = ""
    summary: str = ""
    name: str = "<article>"
    layout: str = BUNDLED
    sources: dict[str, str] = field(default_factory=dict)
    text: str = ""
    """The article as it was read."""

    @property
    def missing(self) -> list[str]:
        """The kinds of part the article has none of."""
        return [kind for kind, parts in (("sections", self.sections), ("key points", self.key_points),
                                         ("FAQs", self.faqs)) if not parts]

    def report(self) -> list[str]:
        """What was found, and from what, and what was not, in plain words."""
        lines = [f"Read as {self.layout}."]
        title_from = self.sources.get("title", "")
        lines.append(f"The title “{self.title}” is taken from {title_from}." if self.title else "No title was found.")
        for label, parts, key, hint in (
            ("section", self.sections, "sections",
             "headings with paragraphs under them, or plain paragraphs, give sections"),
            ("key point", self.key_points, "key_points",
             "a bulleted list, or a table headed 'Key points', gives key points "
             "(each gives a fill-in-the-blank and a true/false question)"),
            ("FAQ", self.faqs, "faqs",
             "'Q:' and 'A:' lines, or headings that ask a question with the answer below, give FAQs "
             "(each gives a multiple-choice and a short-answer question)"),
        ):
            if parts:
                plural = "s" if len(parts) != 1 else ""
                lines.append(f"{len(parts)} {label}{plural}, from {self.sources.get(key, 'the text')}.")
            else:
                lines.append(f"No {label}s: {hint}.")
        return lines

    def to_source(self) -> dict[str, Any]:
        """The ``source:`` mapping of a bank file for this article."""
        return {
            "title": self.title or self.name,
            "sections": [
                {"number": n, "title": t, **({"text": text} if text else {})} for n, t, text in self.sections
            ],
            "key_points": [{"number": n, "text": text} for n, text in self.key_points],
            "faqs": [{"number": n, "question": q, "answer": a} for n, q, a in self.faqs],
        }

    def to_texts(self) -> list[str]:
        """The text of every part, as a bank file's source lists it."""
        return [*(text for _, title, body in self.sections for text in (title, body)),
                *(text for _, text in self.key_points), *(text for _, q, a in self.faqs for text in (q, a))]

    def sentences(self) -> list[str]:
        """The sentences of the running text: the lead, every section and the summary."""
        texts = [self.lead, *(text for _, _, text in self.sections), self.summary]
        return [s for text in texts for paragraph in text.split("\n") for s in split_sentences(paragraph)]


# --------------------------------------------------------------------------- extraction


def _fold(line: str) -> str:
    return " ".join(line.strip().strip("|").strip().rstrip(":").split()).casefold()


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def _title_line(line: str) -> bool:
    return bool(line) and len(line) <= TITLE_LIMIT and not line.endswith(tuple(".,;:!\"”’'|"))


def _fallback_title(name: str, first_line: str) -> tuple[str, str]:
    """A title for an article without a title line: its file's name, else its first sentence."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.casefold() in ("txt", "md", "markdown", "text"):
        words = " ".join(re.split(r"[-_\s]+", stem.rsplit("/", 1)[-1])).strip()
        if words:
            return words[:1].upper() + words[1:], "the file's name (there is no title line)"
    if first_line:
        return trim(split_sentences(first_line)[0]), "the first sentence (there is no title line)"
    return "", ""


def extract_article(text: str, name: str = "<article>") -> Article:
    """Find the parts of an article, in the bundled layout or written as plain text or Markdown.

    In the bundled layout each missing or broken part is a problem with its line; in plain text
    or Markdown only a broken part is (``Article.report`` says what was not found)."""
    article = replace(_extract(text, name), text=text)
    for number, line in enumerate(text.splitlines(), start=1):
        what = unstorable_character(line)
        if what:  # no bank can hold it, so no bank could be drafted
            article.problems.append(BankProblem(name, number, f"the article holds {what}: remove it"))
            article.problems.sort()
            break
    return article


def _extract(text: str, name: str) -> Article:
    lines = [line.strip() for line in text.splitlines()]
    if not any(_SUBHEADINGS.match(line) or _KEY_POINTS.match(line) for line in lines):
        free = read_free_layout(text, name)
        first_line = next((line for line in lines if line), "")
        title, title_from = (free.title, free.sources["title"]) if free.title else _fallback_title(name, first_line)
        return Article(title=title, sections=free.sections, key_points=free.key_points, faqs=free.faqs,
                       problems=sorted(free.problems), lead=free.lead, summary=free.summary, name=name,
                       layout=free.layout, sources={**free.sources, "title": title_from})
    problems: list[BankProblem] = []

    def problem(index: int, message: str) -> None:
        problems.append(BankProblem(name, index + 1, message))

    def find(pattern: re.Pattern[str]) -> int | None:
        return next((i for i, line in enumerate(lines) if pattern.match(line)), None)

    first = next((i for i, line in enumerate(lines) if line), None)
    table, kp_header, summary_at, faq_at = find(_SUBHEADINGS), find(_KEY_POINTS), find(_SUMMARY), find(_FAQ)
    last = max(len(lines) - 1, 0)

    # The lead: everything before the subheadings table (or just the first line).
    lead_end = table if table is not None else (first + 1 if first is not None else 0)
    lead = "\n".join(line for line in lines[:lead_end] if line)
    first_line = lines[first] if first is not None else ""
    if _title_line(first_line) and first_line != lines[-1]:
        title, title_from = first_line, "the first line"
    else:
        title, title_from = _fallback_title(name, first_line)

    # The subheadings table.
    listed: list[tuple[int, str, int]] = []
    body_start = lead_end
    if table is None:
        problem(first or 0, "no 'Article Subheadings' table (a header line, then rows '1) Title |')")
    else:
        i = table + 1
        while i < len(lines) and (not lines[i] or "|" in lines[i]):
            row = lines[i]
            if row and not _RULE.match(row):
                match = _SUBHEADING_ROW.match(row)
                if match and match.group(2):
                    listed.append((int(match.group(1)), match.group(2), i))
                else:
                    problem(i, f"a subheading row must read '1) Title |' (found {row!r})")
            i += 1
        body_start = i

    # Headings in the body, and the paragraphs under each.
    ends = [i for i in (kp_header, summary_at, faq_at) if i is not None and i >= body_start]
    body_end = min(ends, default=len(lines))
    used: set[int] = set()
    found: list[tuple[int, str, int]] = []
    for number, heading, row in listed:
        target = _fold(heading)
        at = next((j for j in range(body_start, body_end) if j not in used and _fold(lines[j]) == target), None)
        if at is None:
            problem(row, f"subheading {number} {heading!r} is listed in the table but not found in the body")
        else:
            used.add(at)
            found.append((number, heading, at))
    sections = []
    for number, heading, at in found:
        paragraphs = []
        j = at + 1
        while j < body_end and j not in used and "|" not in lines[j]:
            if lines[j]:
                paragraphs.append(lines[j])
            j += 1
        sections.append((number, heading, "\n".join(paragraphs)))

    key_points = _key_points(lines, kp_header, problem, fallback=summary_at if summary_at is not None else faq_at)

    summary = ""
    if summary_at is not None:
        j, paragraphs = summary_at + 1, []
        while j < len(lines) and j != faq_at and "|" not in lines[j] and not _QUESTION.match(lines[j]):
            if lines[j]:
                paragraphs.append(lines[j])
            j += 1
        summary = "\n".join(paragraphs)

    faqs: list[tuple[int, str, str]] = []
    if faq_at is None:
        problem(last, "no 'Frequently Asked Questions' part (a heading, then 'Question: …' lines and their answers)")
    else:
        entries: list[tuple[int, str, list[str]]] = []
        for j in range(faq_at + 1, len(lines)):
            match = _QUESTION.match(lines[j])
            if match:
                entries.append((j, match.group(1).strip(), []))
            elif lines[j] and entries:
                entries[-1][2].append(lines[j])
        if not entries:
            problem(faq_at, "the FAQ part has no 'Question: …' lines")
        for number, (j, question, answer) in enumerate(entries, start=1):
            if not question:
                problem(j, f"FAQ {number} has no question after 'Question:'")
            elif not answer:
                problem(j, f"FAQ {number} ({question!r}) has no answer")
            else:
                faqs.append((number, question, " ".join(answer)))

    return Article(
        title=title,
        sections=sections,
        key_points=key_points,
        faqs=faqs,
        problems=sorted(problems),
        lead=lead,
        summary=summary,
        name=name,
        sources={**_BUNDLED_SOURCES, "title": title_from},
    )


def _key_points(lines: list[str], header: int | None, problem, fallback: int | None) -> list[tuple[int, str]]:
    if header is None:
        problem(fallback if fallback is not None else max(len(lines) - 1, 0),
                "no key-point table (a 'No. | Key Points |' header, then rows '1 | text |')")
        return []
    key_points: list[tuple[int, str]] = []
    expected = 1
    rows = 0
    j = header + 1
    while j < len(lines) and (not lines[j] or "|" in lines[j]):
        row, j = lines[j], j + 1
        if not row or _RULE.match(row):
            continue
        rows += 1
        cells = _cells(row)
        number_text, text = cells[0], " | ".join(c for c in cells[1:] if c)
        if not number_text.isdecimal():  # int() reads these; isdigit() would also pass "²"
            problem(j - 1, f"a key-point row has no number (key point {expected} was expected here)")
            expected += 1
            continue
        number = int(number_text)
        if number != expected:
            problem(j - 1, f"key point {number} is out of sequence: key point {expected} was expected here")
        expected = number + 1
        if not text:
            problem(j - 1, f"key point {number} has no text")
        elif any(n == number for n, _ in key_points):
            problem(j - 1, f"key point {number} is listed twice")
        else:
            key_points.append((number, text))
    if not rows:
        problem(header, "the key-point table has no rows")
    return key_points


# --------------------------------------------------------------------------- sentences and terms

@dataclass(frozen=True)
class Term:
    """A salient term of a sentence: kind is "name", "number" or "acronym"; start/end locate it."""

    kind: str
    text: str
    start: int = field(default=-1, compare=False, repr=False)
    end: int = field(default=-1, compare=False, repr=False)
    person: bool = field(default=False, compare=False, repr=False)


_TOKEN = re.compile(
    r"(?P<dotted>(?<![\w.])(?:[A-Z]\.){2,})"
    r"|(?P<number>(?<![\w.,])\d+(?:[.,]\d+)*(?!\w))"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
)
_PARTICLES = {"von", "van", "der", "den", "de", "du", "da", "di", "al", "bin", "la", "le"}
_CONNECTORS = _PARTICLES | {"of", "the"}
_TITLES = {"President", "Vice", "Prime", "Minister", "Chancellor", "Secretary", "General", "King", "Queen",
           "Prince", "Princess", "Pope", "Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Senator", "Governor",
           "Ambassador", "Premier", "Commissioner", "Chairman", "Mayor"}


@dataclass
class _Token:
    kind: str  # dotted, number, acronym, cap, particle, of, the, other
    text: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(sentence):
        text, start, end = match.group(), match.start(), match.end()
        if match.lastgroup == "dotted":
            tokens.append(_Token("acronym", text, start, end))
        elif match.lastgroup == "number":
            tokens.append(_Token("number", text, start, end))
        else:
            if len(text) > 2 and text[-2:] in ("’s", "'s"):
                text, end = text[:-2], end - 2
            if len(text) >= 2 and text.isupper() and not set(text) <= set("IVXLCDM"):
                kind = "acronym"
            elif text[0].isupper():
                kind = "cap"
            elif text in _PARTICLES:
                kind = "particle"
            elif text in ("of", "the"):
                kind = text
            else:
                kind = "other"
            tokens.append(_Token(kind, text, start, end))
    return tokens


def _runs(sentence: str, tokens: list[_Token]) -> list[tuple[int, list[_Token]]]:
    """Capitalised words joined by spaces (and by "von der", "of the" inside a name), with the first index."""

    def joined(a: int, b: int) -> bool:
        return b < len(tokens) and sentence[tokens[a].end: tokens[b].start].isspace()

    runs = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind != "cap":
            i += 1
            continue
        run, start, j = [tokens[i]], i, i
        while True:
            if joined(j, j + 1) and tokens[j + 1].kind == "cap":
                run.append(tokens[j + 1])
                j += 1
                continue
            k = j + 1
            while joined(k - 1, k) and tokens[k].kind == "particle":
                k += 1
            if k > j + 1 and joined(k - 1, k) and tokens[k].kind == "cap":
                run.extend(tokens[j + 1: k + 1])
                j = k
                continue
            # "of the" joins only a one-word name: "Coalition of the Willing", not "Kim Jong-un of the …".
            of_the = [t.kind for t in tokens[j + 1: j + 4]] == ["of", "the", "cap"]
            if len(run) - (start == 0) <= 1 and of_the and all(joined(k, k + 1) for k in range(j, j + 3)):
                run.extend(tokens[j + 1: j + 4])
                j += 3
                continue
            break
        runs.append((start, run))
        i = j + 1
    return runs


def _strip_connectors(run: list[_Token]) -> list[_Token]:
    while run and run[0].text in _CONNECTORS:
        run = run[1:]
    while run and run[-1].text in _CONNECTORS:
        run = run[:-1]
    return run


def _scan(sentence: str) -> list[Term]:
    """Every salient term in ``sentence``, in order, repeats included."""
    tokens = _tokens(sentence)
    terms = [Term(t.kind, t.text, t.start, t.end) for t in tokens if t.kind in ("acronym", "number")]
    for start, run in _runs(sentence, tokens):
        titles = [k for k, t in enumerate(run) if t.text in _TITLES]
        pieces: list[tuple[list[_Token], bool]] = []
        if titles:
            before = run[: titles[0]]
            if start == 0:
                before = before[1:]
            before = _strip_connectors(before)
            if len([t for t in before if t.kind == "cap"]) >= 2:
                pieces.append((before, False))
            after = _strip_connectors(run[titles[-1] + 1:])
            pieces.append((after, not any(t.text == "of" for t in after)))
        else:
            pieces.append((_strip_connectors(run[1:] if start == 0 else run), False))
        for piece, person in pieces:
            if piece and piece[-1].end - piece[0].start >= 2:
                text = sentence[piece[0].start: piece[-1].end]
                terms.append(Term("name", text, piece[0].start, piece[-1].end, person))
    return sorted(terms, key=lambda t: t.start)


def salient_terms(sentence: str) -> list[Term]:
    """The names (capitalised words, not the sentence's first word), numbers and acronyms of a sentence.

    Titles are left out of a person's name ("French President Emmanuel Macron" gives
    "Emmanuel Macron"), a possessive "’s" is dropped, and each term is listed once.
    """
    seen: set[tuple[str, str]] = set()
    terms = []
    for term in _scan(sentence):
        key = (term.kind, normalise_answer(term.text))
        if key not in seen:
            seen.add(key)
            terms.append(term)
    return terms


# --------------------------------------------------------------------------- drafting

_EXPANSIONS = {
    "us": "United States", "usa": "United States of America", "uk": "United Kingdom", "eu": "European Union",
    "un": "United Nations", "nato": "North Atlantic Treaty Organization", "wwii": "World War II",
}
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _number_words(value: int) -> str:
    if value < 20:
        return _ONES[value]
    tens, ones = divmod(value, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def _words(text: str) -> set[str]:
    return set(normalise_answer(text).split()) - _CONNECTORS


_IMPORTANCE = {"person": 3.0, "year": 3.0, "number": 3.0, "name": 2.5, "country": 2.0, "nationality": 1.5,
               "acronym": 1.0, "adjective": 1.0, "word": 0.8, "continent": 0.5}
WORD_LENGTH = 7  # a content word worth hiding is at least this long ...
WORD_RARITY = 2  # ... and said at most this often in the article
TOPIC_SHARE = 3  # a name said at least a third as often as the most said one is the article's topic


class _Context:
    """What drafting needs from the whole article: its sentences, every term in it, its title and topic."""

    def __init__(self, article: Article):
        self.sentences = article.sentences()
        texts = [*self.sentences, *(t for _, t in article.key_points)]
        for _, question, answer in article.faqs:
            texts += [question, *split_sentences(answer)]
        self.count: Counter[tuple[str, str]] = Counter()
        self.terms: dict[tuple[str, str], Term] = {}
        self.full_names: dict[str, str] = {}  # surname (folded) -> full name
        for text in texts:
            for term in _scan(text):
                key = (term.kind, normalise_answer(term.text))
                self.count[key] += 1
                self.terms.setdefault(key, term)
                if term.person and " " in term.text:
                    self.full_names.setdefault(normalise_answer(term.text.split(" ", 1)[1]), term.text)
        self.people = set(self.full_names) | {k[1] for k, t in self.terms.items() if t.person}
        self.words = Counter(w for text in texts for w in _content_words(text))
        self.paragraphs = [p for text in (article.lead, *(t for _, _, t in article.sections), article.summary)
                           for p in text.split("\n") if p]
        # Each person with the words that name their office: "Indian Prime Minister Narendra Modi".
        self.offices: dict[str, str] = {}
        for text in texts:
            for term in _scan(text):
                start = _office_start(text, term)
                if term.person and " " in term.text and start < term.start:
                    self.offices.setdefault(normalise_answer(term.text), text[start: term.end])
        most = max((n for (kind, _), n in self.count.items() if kind != "number"), default=0)
        topic = [self.terms[key] for key, n in self.count.items()
                 if key[0] != "number" and n >= max(4, most / TOPIC_SHARE)]
        # A first sentence standing in for a missing title is no title: its words may be asked about.
        titled = not article.sources.get("title", "").startswith("the first sentence")
        self.known = (_words(article.title) if titled else set()) | {
            word for term in topic for text in (term.text, *spellings(term.text), *self.expansions(term))
            for word in _words(text)}

    def is_person(self, term: Term) -> bool:
        return term.kind == "name" and normalise_answer(term.text) in self.people | {
            normalise_answer(n) for n in self.full_names.values()}

    def kind(self, term: Term) -> str:
        return "word" if term.kind == "word" else kind_of(term.text, self.is_person(term))

    def candidates(self, text: str) -> list[Term]:
        """The terms of ``text`` said in it only once, and its rare long content words, in order."""
        found = _once(text)
        for match in re.finditer(r"(?<![\w’'-])[a-z]+(?![\w’'-])", text):
            word = match.group()
            if len(word) >= WORD_LENGTH and word not in _STOPWORDS and self.words[word] <= WORD_RARITY:
                found.append(Term("word", word, match.start(), match.end()))
        return sorted(found, key=lambda t: t.start)

    def expansions(self, term: Term) -> list[str]:
        folded = normalise_answer(term.text).replace(" ", "")
        return [_EXPANSIONS[folded]] if term.kind == "acronym" and folded in _EXPANSIONS else []

    def ranked(self, terms: list[Term]) -> list[Term]:
        """The terms worth asking about, most important first: not the article's topic, nothing in its
        title; a person, a year or a number before an organisation or place, before a country; rarer first."""
        worth = [t for t in terms if _words(t.text) and not _words(t.text) <= self.known]
        return sorted(worth, key=self._rank)

    def _rank(self, term: Term) -> tuple:
        said = self.words[term.text] if term.kind == "word" else self.count[(term.kind, normalise_answer(term.text))]
        # A noun ("confirmation") says more than an adverb or a participle ("effectively", "pending").
        shape = (2 if term.text.endswith(("ly", "ing", "ed")) else 0) if term.kind == "word" else 0
        return (-_IMPORTANCE[self.kind(term)], shape, said, -len(term.text) if term.kind == "word" else 0, term.start)

    def together(self, one: str, other: str) -> bool:
        """Whether a paragraph of the article names both: swapping one for the other may well stay true."""
        one, other = one.split()[-1], other.split()[-1]  # a surname alone names a person again
        return any(one in p and other in p for p in self.paragraphs)

    def swaps(self, term: Term, sentence: str) -> list[Term]:
        """Terms of the same kind elsewhere in the article that would make ``sentence`` false, most said first.

        A content word has none (swapping one makes nonsense), nor has a person after a title
        ("French President …"), which another person's name would contradict."""
        in_sentence, own, kind = set(normalise_answer(sentence).split()), _words(term.text), self.kind(term)
        people = [t.text for t in _scan(sentence) if self.kind(t) == "person"]
        before = sentence[: term.start].split()[-1:] if term.start > 0 else []
        if kind == "word" or (kind == "person" and before and before[0] in _TITLES):
            return []
        if before and before[0][:1].isupper() and before[0].isalpha() and " " not in term.text:
            return []  # the end of a name begun at the sentence's start ("Martha Quill"): of what kind, unknown
        candidates = [
            t for t in self.terms.values()
            if self.kind(t) == kind and t.kind == term.kind and _words(t.text)
            and not _words(t.text) & (own | in_sentence) and not _words(t.text) <= self.known
            and not (kind == "person" and any(self.together(p, t.text) for p in people))
            and (kind != "name" or (" " in t.text) == (" " in term.text))
            and of_a_continent(t.text) == of_a_continent(term.text)
            and not (kind == "person" and normalise_answer(t.text) in self.full_names)  # a surname of a full name
        ]
        candidates.sort(key=lambda t: (-self.count[(t.kind, normalise_answer(t.text))], t.text))
        return candidates[:3]

    def variants(self, term: Term, sentence: str = "") -> list[str]:
        """Other answers a fair marker accepts for ``term``: an expansion, a number in words, a full name
        or surname, other spellings, a possessive, a word of the same meaning; a country's adjective where
        the text has "country’s"."""
        folded = normalise_answer(term.text)
        found: list[str] = [*self.expansions(term)]
        if term.kind == "number" and term.text.isdigit() and int(term.text) < 100:
            found.append(_number_words(int(term.text)))
        elif term.kind == "name" and folded in self.full_names:
            found.append(self.full_names[folded])
        elif term.kind == "name" and self.is_person(term) and " " in term.text:
            found.append(term.text.split(" ", 1)[1])
        if term.kind == "word" and folded in SAME_MEANING:
            found.append(SAME_MEANING[folded])  # "strengthen" for "consolidate": the same idea, fairly marked
        possessive = sentence[term.end: term.end + 2] in ("’s", "'s") if term.end >= 0 else False
        kind = self.kind(term)
        for spelling in spellings(term.text):
            if kind_of(spelling, False) == kind or possessive or kind == "nationality":
                found.append(spelling)
        if possessive:
            found.append(f"{term.text}’s")
        elif kind == "nationality":
            found += [f"{country}’s" for country in spellings(term.text) if kind_of(country, False) == "country"]
        seen = {folded}
        unique = []
        for variant in found:
            if normalise_answer(variant) not in seen:
                seen.add(normalise_answer(variant))
                unique.append(variant)
        return unique


_STOPWORDS = {"that", "this", "with", "from", "have", "what", "which", "when", "where", "will", "were", "been",
              "their", "they", "about", "into", "does", "more", "most", "also", "there", "these", "those"}
_LOWER_FIRST = {"the", "a", "an", "its", "their", "this", "these", "those", "some", "many", "most"}
_SWAP_ORDER = ["country", "nationality", "person", "year", "number"]  # the safest swaps first
KEY_REPEATS_STEM = 2  # how many more of the stem's words a key may repeat than its distractors do


def _content_words(text: str) -> set[str]:
    words = (re.sub(r"['’]s$", "", w).casefold() for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text))
    return {w for w in words if len(w) >= 4 and w not in _STOPWORDS}


def _replace(text: str, term: Term, by: str) -> str:
    return text[: term.start] + by + text[term.end:]


def _recall_difficulty(term: Term) -> int:
    """How hard a blank is: recalling a name or a number the text stresses is 2; recalling the exact word
    the text chose, with no choices to recognise it among, is 3. (Recognising a true statement, with one
    chance in two to guess it, is 1; picking a key among distractors of its own kind is 2.)"""
    return 3 if term.kind == "word" else 2


def _question(qid, kind, prompt, fields, explanation, source, passage, difficulty) -> dict[str, Any]:
    return {
        "id": qid, "type": kind, "prompt": prompt, **fields, "explanation": explanation, "source": source,
        "passage": passage, "difficulty": difficulty, "tags": ["draft"], "points": 1,
    }


def _once(text: str) -> list[Term]:
    """The terms of ``text`` said in it only once (a blank or a swap of a repeated one gives itself away)."""
    found = _scan(text)
    counts = Counter((t.kind, normalise_answer(t.text)) for t in found)
    return [t for t in found if counts[(t.kind, normalise_answer(t.text))] == 1]


class _Drafts:
    """The drafts accepted so far, and whether another would add a warning of the bank linter: a draft
    that one question answers another, that copies the article for a true/false statement or that gives
    its key away is never offered, so a drafted bank lints clean."""

    def __init__(self, article: Article) -> None:
        self.accepted: list[dict[str, Any]] = []
        self.source = Source.of([article.text, *article.to_texts()])  # prepared once: linted once per candidate
        self.warnings = 0

    def _count(self, drafts: list[dict[str, Any]]) -> int:
        linted = [{"key": d["id"], "type": d["type"], "prompt": d["prompt"], "spec": QUESTION_TYPES[d["type"]].spec(d)}
                  for d in drafts]
        return len(lint_bank(linted, source=self.source))

    def asked(self) -> set[str]:
        """Every answer a blank or a short answer accepted so far asks for, folded."""
        return {normalise_answer(form) for d in self.accepted
                for form in (d["blanks"][0] if "blanks" in d else d.get("accepted", []))}

    def first_fitting(self, candidates: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
        """The first candidate that adds no warning, now accepted; None if each one adds some."""
        for candidate in candidates:
            count = self._count([*self.accepted, candidate])
            if count <= self.warnings:
                self.accepted.append(candidate)
                self.warnings = count
                return candidate
        return None


def draft_questions(article: Article, rng: random.Random) -> tuple[list[dict[str, Any]], list[str]]:
    """Draft bank questions from the article's FAQs, key points and sections; the notes say what was
    skipped and why.

    Each FAQ gives a multiple-choice and a short-answer question, each key point a fill-in-the-blank
    and one true/false question (true and false in turn, both in other words than the article's),
    each section a fill-in-the-blank on a term no other draft hides. A draft the bank linter would warn
    about is passed over for the next candidate. The same ``rng`` state always gives the same drafts.
    """
    context = _Context(article)
    drafts = _Drafts(article)
    notes: list[str] = []
    for number, question, answer in article.faqs:
        _faq_drafts(context, drafts, number, question, answer, rng, notes)
    turn = [False]  # whether the next true/false question is the false one
    for number, text in article.key_points:
        _key_point_drafts(context, drafts, number, text, turn, notes)
    hidden = drafts.asked()
    for number, title, text in article.sections:
        _section_drafts(context, drafts, number, title, text, hidden, notes)
    return drafts.accepted, notes


_OFFICE_WORD = re.compile(r"(?:[A-Z][\w’'-]*|(?:[A-Z]\.)+)$")


def _office_start(text: str, term: Term) -> int:
    """Where the capitalised words naming a person's office begin ("French President …"), or the
    name's own start when no title comes before it."""
    words = list(re.finditer(r"\S+", text[: term.start]))
    start, titled = term.start, False
    for word in reversed(words):
        if word.end() + 1 != start and start != term.start or not _OFFICE_WORD.match(word.group()):
            break
        if word.end() + 1 != start:
            break
        titled = titled or word.group() in _TITLES
        start = word.start()
    if not titled:
        return term.start
    if text[start:].split(" ", 1)[0].casefold() in _LOWER_FIRST:
        start = text.index(" ", start) + 1  # "The President …": a sentence's first word is capitalised anyway
    return start


def _answering_clause(answer: str) -> str:
    """The part of an FAQ answer that answers it: its first sentence, without a trailing clause
    ("…, ensuring …", "…, among others")."""
    sentence = split_sentences(answer)[0] if split_sentences(answer) else answer
    head = re.split(r",\s+(?:ensuring|while|which|among others|including|as well as|and thus)\b", sentence)[0]
    if head != sentence and len(head.split()) >= 5:
        return head.rstrip(",;: ") + "."
    return sentence


def _spans(text: str) -> list[tuple[int, int]]:
    """Where the names, numbers and acronyms of ``text`` are: words in other words never reach into them."""
    return [(t.start, t.end) for t in _scan(text)]


def _distractors(context, key: str) -> list[tuple[str, str, str]]:
    """Wrong answers of the same kind as ``key``, each as (choice, what it says, what the article says):
    a person named with their office swapped for another so named, a term swapped for another of its
    kind (the article's topic too: "Russia" for "Ukraine" is plainly wrong), a word for its opposite."""
    people: list[tuple[str, str, str]] = []
    used: set[str] = set()
    for term in context.ranked(_once(key)):
        start = _office_start(key, term)
        if term.person and start < term.start:
            named = {normalise_answer(t.text) for t in _scan(key)} | {
                normalise_answer(t.text.split(" ", 1)[-1]) for t in _scan(key)}
            for person, office in sorted(context.offices.items(), key=lambda p: -context.count[("name", p[0])]):
                if (person not in named | used and person.split(" ", 1)[-1] not in named
                        and not any(context.together(p.text, office) for p in _scan(key)
                                    if context.kind(p) == "person")):
                    used.add(person)
                    people.append((key[:start] + office + key[term.end:], office, key[start:term.end]))
    ranked = context.ranked(_once(key))
    others = [t for t in _once(key) if t not in ranked]
    swaps = [(_replace(key, term, swap.text), swap.text, term.text)
             for term in [*ranked, *others] for swap in context.swaps(term, key)[:1]]
    flips = [(apply(key, change), change.became, change.was) for change in opposites(key, _spans(key))]
    return [choice for group in zip_longest(people, swaps, flips) for choice in group if choice]


def _faq_drafts(context, drafts, number, question, answer, rng, notes) -> None:
    source, explanation = f"faq {number}", f"The article's FAQ answers: “{answer}”"
    key = _answering_clause(answer)
    taken = {normalise_answer(key)}
    chosen: list[tuple[str, str, str]] = []
    for choice, says, was in _distractors(context, key):
        if len(chosen) < 3 and normalise_answer(choice) not in taken:
            taken.add(normalise_answer(choice))
            chosen.append((choice, says, was))
    asked = _content_words(question)
    repeats = len(_content_words(key) & asked)
    others_repeat = max((len(_content_words(choice) & asked) for choice, _, _ in chosen), default=0)
    if len(chosen) < 2:
        notes.append(f"faq {number}: fewer than two wrong answers of the same kind (another name, number or "
                     "country of the article, or a word of the opposite sense) to use as distractors; "
                     "no single choice drafted")
    elif repeats - others_repeat >= KEY_REPEATS_STEM:
        notes.append(f"faq {number}: the answer repeats {repeats} of the question's words and no distractor "
                     f"more than {others_repeat}, which gives the key away; no single choice drafted")
    else:
        choices = [key, *(choice for choice, _, _ in chosen)]
        rng.shuffle(choices)
        why_not = " ".join(f"Not “{says}”: the article says “{was}”." for _, says, was in chosen)
        draft = _question(f"faq-{number}-choice", "single_choice", question, {"choices": choices, "answer": key},
                          f"{explanation} {why_not}", source, answer, 2)
        if drafts.first_fitting([draft]) is None:
            notes.append(f"faq {number}: the single choice drafted would give itself or another question away; "
                         "none drafted")

    in_question = set(normalise_answer(question).split())

    def short_answers():
        ranked = []
        for sentence in split_sentences(answer):
            for term in context.ranked(context.candidates(sentence)):
                if not _words(term.text) <= in_question:
                    ranked.append((-_IMPORTANCE[context.kind(term)], len(ranked), sentence, term))
        for _, _, sentence, term in sorted(ranked, key=lambda r: r[:2]):
            blanked = _replace(sentence, term, "___")
            yield _question(
                f"faq-{number}-short", "short_answer",
                f"{question} Fill in the gap in the article's answer: “{blanked}”",
                {"accepted": [term.text, *context.variants(term, sentence)]},
                f"{explanation} The missing {term.kind} is {term.text}.", source, sentence, _recall_difficulty(term))

    if drafts.first_fitting(short_answers()) is None:
        notes.append(f"faq {number}: no name, number, acronym or rare word in the answer that is not the "
                     "article's topic, that the question does not give away and that no other draft shows; "
                     "no short answer drafted")


def _in_other_words(context, text: str, hide: Term | None) -> str:
    """``text`` in other words: the words the rewording table knows, a name given in full or shortened, an
    acronym spelled out, a number in words; ``hide`` (the term a cloze asks for) given by the office of
    the person it names, where the article gives one."""
    kept = ""
    if hide is not None and context.is_person(hide):
        full = context.full_names.get(normalise_answer(hide.text), hide.text)
        office = context.offices.get(normalise_answer(full), "")
        title = office[: len(office) - len(full)].strip() if office.endswith(full) else ""
        if title:
            text = _replace(text, hide, f"the {title}")
    elif hide is not None and hide.kind == "word":
        # Reworded, the blank's word would become one of its accepted answers: keep it, so that the
        # statement is seen to give the blank away and another is drafted instead.
        kept = hide.text
    terms = _once(text)
    for term in sorted(terms, key=lambda t: -t.start):
        variants = [v for v in context.variants(term, text) if not v.endswith("’s")
                    and kind_of(v, context.is_person(term)) == context.kind(term)]
        if variants:
            text = _replace(text, term, variants[0])
            break
    return _reworded_keeping(text, kept)


def _shows(text: str, forms: list[str]) -> bool:
    """Whether ``text`` says one of a blank's accepted answers, in whatever words surround it (the
    linter looks for the word beside the gap too, and "United States confirmation" is not "U.S. confirmation")."""
    said = f" {normalise_answer(text)} "
    return any(f" {normalise_answer(form)} " in said for form in forms if normalise_answer(form))


_KEPT = "\x01"  # stands for a word while the rest of its sentence is reworded


def _reworded_keeping(text: str, word: str = "") -> str:
    """``text`` with the words the rewording table knows in other words, but its names, numbers and
    acronyms, and ``word`` (a blank's own word, whose same-meaning word the blank accepts), as they are."""
    at = text.find(word) if word else -1
    if at >= 0:
        text = text[:at] + _KEPT + text[at + len(word):]
    return same_meaning(text, _spans(text))[0].replace(_KEPT, word)


def _according(context, text: str) -> str:
    first, _, rest = text.partition(" ")
    second = rest.split(" ", 1)[0]
    named = first.isupper() or second[:1].isupper() or any(
        kind == "name" and folded == normalise_answer(first) for kind, folded in context.count)
    if first.casefold() in _LOWER_FIRST or not named:
        first = first[:1].casefold() + first[1:]
    return f"According to the article, {first} {rest}".rstrip()


def _key_point_drafts(context, drafts, number, text, turn, notes) -> None:
    ranked = context.ranked(context.candidates(text))
    if not ranked:
        notes.append(f"key point {number}: no name, number, acronym or rare word to hide that is not the "
                     "article's topic or in its title; no cloze or true/false drafted")
        return
    source, explanation = f"key_point {number}", f"Key point {number} says: “{text}”"
    asked = drafts.asked()  # a term another draft already asks for comes last: two questions, one fact
    ranked.sort(key=lambda t: bool({normalise_answer(f) for f in (t.text, *context.variants(t, text))} & asked))
    hidden = None
    if _BLANK.search(text):
        notes.append(f"key point {number}: the text already holds a blank like {{1}}; no cloze drafted")
    else:
        clozes = (_question(
            f"kp-{number}-cloze", "cloze", f"Fill in the blank from key point {number}.",
            {"text": _replace(text, term, "{1}"), "blanks": [[term.text, *context.variants(term, text)]]},
            f"{explanation} The missing {term.kind} is {term.text}.", source, text, _recall_difficulty(term))
            for term in ranked)
        cloze = drafts.first_fitting(clozes)
        if cloze is None:
            notes.append(f"key point {number}: every blank drafted would give another question away; no cloze drafted")
        else:
            hidden = next(t for t in ranked if t.text == cloze["blanks"][0][0])
    true = _question(f"kp-{number}-true", "true_false", _according(context, _in_other_words(context, text, hidden)),
                     {"answer": True}, f"{explanation} The statement says the same in other words.", source, text, 1)
    falses = _false_statements(context, number, text, hidden, ranked, explanation, source)
    forms = cloze["blanks"][0] if hidden is not None else []
    kinds = [("false", falses), ("true", [true])] if turn[0] else [("true", [true]), ("false", falses)]
    for kind, candidates in kinds:
        if drafts.first_fitting(c for c in candidates if not _shows(c["prompt"], forms)) is not None:
            turn[0] = kind == "true"  # the next one is the other kind
            if kind != kinds[0][0]:
                notes.append(f"key point {number}: no {kinds[0][0]} statement could be drafted that neither "
                             f"repeats the article's wording nor gives the blank away; a {kind} one instead")
            return
    notes.append(f"key point {number}: every true/false statement drafted still repeats the article's wording "
                 "or gives the blank away; none drafted (add words to the rewording table, or write one)")


def _false_statements(context, number, text, hidden, ranked, explanation, source):
    """False statements for a key point, most telling first: the blank's term swapped for another of its
    kind (so the statement does not give the blank away), then any other term, then a word for its opposite;
    each put in other words."""
    others = sorted((t for t in _once(text) if t not in ranked), key=lambda t: _SWAP_ORDER.index(context.kind(t))
                    if context.kind(t) in _SWAP_ORDER else len(_SWAP_ORDER))
    terms = [*ranked, *others]
    if hidden is not None:
        terms.sort(key=lambda t: t.text != hidden.text)
    flips = opposites(text, _spans(text))
    of_blank = [c for c in flips if hidden is not None and c.start == hidden.start]
    swaps = [(_replace(text, term, swap.text), swap.text, term.text)
             for term in terms for swap in context.swaps(term, text)[:1]]
    changes = [*((apply(text, c), c.became, c.was) for c in of_blank), *swaps,
               *((apply(text, c), c.became, c.was) for c in flips if c not in of_blank)]
    word = hidden.text if hidden is not None and hidden.kind == "word" else ""
    for changed, says, was in changes:
        reworded = _reworded_keeping(changed, word if was != word else "")
        yield _question(f"kp-{number}-false", "true_false", reworded, {"answer": False},
                        f"{explanation} The statement says “{says}” where the article says “{was}”.",
                        source, text, 1)


def _section_drafts(context, drafts, number, title, text, hidden, notes) -> None:
    ranked = []
    for sentence in (s for paragraph in text.split("\n") for s in split_sentences(paragraph)):
        if _BLANK.search(sentence):
            continue
        for term in context.ranked(context.candidates(sentence)):
            if {normalise_answer(f) for f in (term.text, *context.variants(term, sentence))} & hidden:
                continue
            rank = (-_IMPORTANCE[context.kind(term)], context.count[(term.kind, normalise_answer(term.text))])
            ranked.append((rank, len(ranked), sentence, term))
    clozes = (_question(
        f"sec-{number}-cloze", "cloze", f"Fill in the blank from the section “{title}”.",
        {"text": _replace(sentence, term, "{1}"), "blanks": [[term.text, *context.variants(term, sentence)]]},
        f"The section “{title}” says: “{sentence}” The missing {term.kind} is {term.text}.",
        f"section {number}", sentence, _recall_difficulty(term))
        for _, _, sentence, term in sorted(ranked, key=lambda r: r[:2]))
    cloze = drafts.first_fitting(clozes)
    if cloze is None:
        notes.append(f"section {number}: no name, number, acronym or rare word left to hide that another draft "
                     "does not hide or show; no cloze drafted")
    else:
        hidden.update(normalise_answer(form) for form in cloze["blanks"][0])
