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
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.article_layouts import read_free_layout
from quizapp.domain.bank_format import BankProblem
from quizapp.domain.sentences import TITLE_LIMIT, split_sentences, trim
from quizapp.domain.text import normalise_answer

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


class _Context:
    """What drafting needs from the whole article: its sentences and every term in it."""

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

    def is_person(self, term: Term) -> bool:
        return term.kind == "name" and normalise_answer(term.text) in self.people | {
            normalise_answer(n) for n in self.full_names.values()}

    def distance(self, term: Term, other: Term) -> tuple:
        """How unlike ``term`` a swap candidate is: person or not, adjective or not, length; smaller is better."""
        if term.kind == "number":
            return (0, 0, abs(len(re.sub(r"\D", "", term.text)) - len(re.sub(r"\D", "", other.text))))

        def adjective(t: Term) -> bool:
            return " " not in t.text and t.text.endswith(("an", "ish", "ese", "ch", "ern", "ic"))

        return (self.is_person(term) != self.is_person(other), adjective(term) != adjective(other),
                abs(min(len(term.text.split()), 3) - min(len(other.text.split()), 3)))

    def swaps(self, term: Term, sentence: str) -> list[Term]:
        """Terms of the same kind elsewhere in the article that would make ``sentence`` false, best first."""
        in_sentence, own = set(normalise_answer(sentence).split()), _words(term.text)
        candidates = [
            t for t in self.terms.values()
            if t.kind == term.kind and _words(t.text) and not _words(t.text) & (own | in_sentence)
        ]
        candidates.sort(key=lambda t: (self.distance(term, t), -self.count[(t.kind, normalise_answer(t.text))]))
        return [t for t in candidates if self.distance(term, t) == self.distance(term, candidates[0])][:3]

    def variants(self, term: Term) -> list[str]:
        folded = normalise_answer(term.text)
        found: list[str] = []
        if term.kind == "acronym" and folded.replace(" ", "") in _EXPANSIONS:
            found.append(_EXPANSIONS[folded.replace(" ", "")])
        elif term.kind == "number" and term.text.isdigit() and int(term.text) < 100:
            found.append(_number_words(int(term.text)))
        elif term.kind == "name" and folded in self.full_names:
            found.append(self.full_names[folded])
        elif term.kind == "name" and self.is_person(term) and " " in term.text:
            found.append(term.text.split(" ", 1)[1])
        return [v for v in found if normalise_answer(v) != folded]


_STOPWORDS = {"that", "this", "with", "from", "have", "what", "which", "when", "where", "will", "were", "been",
              "their", "they", "about", "into", "does", "more", "most", "also", "there", "these", "those"}


def _content_words(text: str) -> set[str]:
    words = (re.sub(r"['’]s$", "", w).casefold() for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text))
    return {w for w in words if len(w) >= 4 and w not in _STOPWORDS}


def _replace(text: str, term: Term, by: str) -> str:
    return text[: term.start] + by + text[term.end:]


def _question(qid, kind, prompt, fields, explanation, source, passage, difficulty) -> dict[str, Any]:
    return {
        "id": qid, "type": kind, "prompt": prompt, **fields, "explanation": explanation, "source": source,
        "passage": passage, "difficulty": difficulty, "tags": ["draft"], "points": 1,
    }


def draft_questions(article: Article, rng: random.Random) -> tuple[list[dict[str, Any]], list[str]]:
    """Draft bank questions from the article's FAQs and key points; the notes say what was skipped and why.

    The same ``rng`` state always gives the same drafts.
    """
    context = _Context(article)
    drafts: list[dict[str, Any]] = []
    notes: list[str] = []
    for number, question, answer in article.faqs:
        drafts += _faq_drafts(context, article, number, question, answer, rng, notes)
    for number, text in article.key_points:
        drafts += _key_point_drafts(context, number, text, rng, notes)
    return drafts, notes


def _faq_drafts(context, article, number, question, answer, rng, notes) -> list[dict[str, Any]]:
    drafts = []
    source, explanation = f"faq {number}", f"The article's FAQ answers: “{answer}”"
    folded_answer = normalise_answer(answer)
    taken = {folded_answer}
    distractors: list[str] = []

    def take(candidate: str) -> None:
        folded = normalise_answer(candidate)
        if len(distractors) < 3 and folded and folded not in taken and folded_answer not in folded:
            taken.add(folded)
            distractors.append(candidate)

    others = [a for n, _, a in article.faqs if n != number]
    for other in rng.sample(others, len(others)):
        take(other)
    # A sentence of the article that shares two or more words with the question may well answer it too.
    asked = _content_words(question)
    pool = [s for s in context.sentences if len(_content_words(s) & asked) < 2]
    rng.shuffle(pool)
    for sentence in pool:
        take(sentence)
    if not distractors:
        notes.append(f"faq {number}: no other answer or sentence to use as a distractor; no single choice drafted")
    else:
        if len(distractors) < 3:
            notes.append(f"faq {number}: only {len(distractors)} distractor(s) found for the single choice")
        choices = [answer, *distractors]
        rng.shuffle(choices)
        drafts.append(_question(f"faq-{number}-choice", "single_choice", question,
                                {"choices": choices, "answer": answer}, explanation, source, answer, 1))

    in_question = set(normalise_answer(question).split())
    for sentence in split_sentences(answer):
        counts = Counter(normalise_answer(t.text) for t in _scan(sentence))
        terms = [t for t in _scan(sentence)
                 if counts[normalise_answer(t.text)] == 1 and not set(normalise_answer(t.text).split()) <= in_question]
        if terms:
            term = terms[0]
            blanked = _replace(sentence, term, "___")
            drafts.append(_question(
                f"faq-{number}-short", "short_answer",
                f"{question} Fill in the gap in the article's answer: “{blanked}”",
                {"accepted": [term.text, *context.variants(term)]},
                f"{explanation} The missing {term.kind} is {term.text}.", source, sentence, 2))
            break
    else:
        notes.append(f"faq {number}: no name, number or acronym in the answer that the question does not give away; "
                     "no short answer drafted")
    return drafts


def _key_point_drafts(context, number, text, rng, notes) -> list[dict[str, Any]]:
    found = _scan(text)
    if not found:
        notes.append(f"key point {number}: no name, number or acronym to hide; no cloze or true/false pair drafted")
        return []
    counts = Counter((t.kind, normalise_answer(t.text)) for t in found)
    once = [t for t in found if counts[(t.kind, normalise_answer(t.text))] == 1] or found
    swappable = [(t, swaps) for t in once if (swaps := context.swaps(t, text))]
    if swappable:
        term, swaps = rng.choice(swappable)
        swap = rng.choice(swaps)
    else:
        term, swap = rng.choice(once), None
    source, explanation = f"key_point {number}", f"Key point {number} says: “{text}”"
    drafts = []
    if _BLANK.search(text):
        notes.append(f"key point {number}: the text already holds a blank like {{1}}; no cloze drafted")
    else:
        drafts.append(_question(
            f"kp-{number}-cloze", "cloze", f"Fill in the blank from key point {number}.",
            {"text": _replace(text, term, "{1}"), "blanks": [[term.text, *context.variants(term)]]},
            f"{explanation} The missing {term.kind} is {term.text}.", source, text, 2))
    if swap is None:
        notes.append(f"key point {number}: no other {term.kind} like {term.text!r} elsewhere in the article "
                     "to swap in; no true/false pair drafted")
        return drafts
    drafts.append(_question(f"kp-{number}-true", "true_false", text, {"answer": True},
                            explanation, source, text, 1))
    drafts.append(_question(f"kp-{number}-false", "true_false", _replace(text, term, swap.text), {"answer": False},
                            f"{explanation} It names {term.text}, not {swap.text}.", source, text, 1))
    return drafts
