"""Hypothesis property tests for the bank validator and every importer: no input crashes them.

Whatever the text, ``parse_bank``, ``parse_gift``, ``parse_aiken``, ``parse_moodle_xml`` and
``extract_article`` either return a result or reject the input with :class:`BankError`
(``extract_article`` lists its problems instead), and every problem names a file, a line
of 1 or more and a non-empty message. Any other exception fails the test.

Inputs are drawn three ways for each format: arbitrary Unicode text; a "soup" of the
format's own tokens (so that the parser gets past its first line); and, for YAML and
Moodle XML, documents built from the real field names with random values and types.
Where it is cheap, round trips are checked too: an accepted bank loaded and exported as
YAML reads back the same, and GIFT export then import keeps prompts and answers.

The runs are derandomized (the same examples every run, so CI is reproducible) and keep
no example database in the checkout.
"""

from __future__ import annotations

import random
import string
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.domain.article import draft_questions, extract_article
from quizapp.domain.bank_format import TOP_FIELDS, BankError, parse_bank
from quizapp.domain.interchange.aiken import parse_aiken, to_aiken
from quizapp.domain.interchange.gift import CLOZE_PROMPT, parse_gift, parse_gift_report, to_gift
from quizapp.domain.interchange.moodle_xml import parse_moodle_xml, to_moodle_xml
from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.domain.text import normalise_answer

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None)
STRUCTURED = FUZZ


def rejected_well(error: BankError, name: str) -> None:
    """A rejection must say where and why, for every problem."""
    assert error.problems, "BankError with no problems"
    for problem in error.problems:
        assert problem.file == name, problem
        assert isinstance(problem.line, int) and not isinstance(problem.line, bool) and problem.line >= 1, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem


def accepted_or_rejected(parse, data, name: str):
    """The parser's result, or None when it rejected ``data`` properly; anything else propagates."""
    try:
        return parse(data, name)
    except BankError as error:
        rejected_well(error, name)
        return None


def soup(fragments: list[str], max_size: int = 60) -> st.SearchStrategy[str]:
    """Text made of the format's own tokens and a little noise."""
    pieces = st.one_of(st.sampled_from(fragments), st.text(max_size=4))
    return st.lists(pieces, max_size=max_size).map("".join)


def line_soup(lines: list[str], max_size: int = 40) -> st.SearchStrategy[str]:
    """Text made of typical lines of the format, shuffled and repeated."""
    return st.lists(st.one_of(st.sampled_from(lines), st.text(max_size=12)), max_size=max_size).map("\n".join)


# --------------------------------------------------------------------------- the YAML bank validator

YAML_FRAGMENTS = [
    "version: 1\n", "id: tiny\n", "title: T\n", "source:\n", "  title: S\n", "  sections:\n", "    - number: 1\n",
    "      title: A\n", "  key_points:\n", "  faqs:\n", "questions:\n", "quizzes:\n", "  - id: q\n",
    "    type: single_choice\n", "    type: cloze\n", "    prompt: P\n", "    choices: [a, b]\n", "    answer: a\n",
    "    answers: [a]\n", "    accepted: [x]\n", "    items: [a, b, c]\n", "    text: '{1}'\n", "    blanks: [[x]]\n",
    "    explanation: E\n", "    source: section 1\n", "    difficulty: 2\n", "    points: 3\n", "    tags: [t]\n",
    "    questions: [q]\n", "    sources: [key_point 1]\n", "    count: 2\n", "    feedback: at_end\n",
    "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "!!map ",
    "!!python/object ",
    "|\n", ">-\n", "'", '"', "\\", "\\0", "\\ud800", "# c\n", "---\n", "...\n", "%YAML 1.1\n", "\t", "  ", "\n",
    "<<: *a\n", "~", "null", "true", ".nan", "-.inf", "0x1F", "1e400", "2024-01-01", "99999999999999999999999",
]


@FUZZ
@given(st.text())
@example("")
@example("a: &a [*a]")  # a recursive alias
@example("[" * 3000 + "]" * 3000)  # nesting deeper than the parser recurses
@example("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n")  # a billion laughs in YAML
@example("quizzes: [{id: [1], questions: [[1]], sources: [{a: 1}]}]")  # unhashable values where text is expected
@example('title: "\\0"')
@example('title: "\\ud800"')
@example("x: \x00")
@example("version: 1\nid: a\ntitle: b\nsource: {title: c, sections: [{number: 99999999999999999999, title: d}]}\n"
         "questions: [{id: q, type: true_false, prompt: p, answer: true, explanation: e, source: section 1, "
         "difficulty: 1, points: 99999999999999999999}]")
def test_parse_bank_takes_any_text(text):
    accepted_or_rejected(parse_bank, text, "fuzz.yaml")


@FUZZ
@given(soup(YAML_FRAGMENTS))
def test_parse_bank_takes_yaml_soup(text):
    accepted_or_rejected(parse_bank, text, "soup.yaml")


# Values of every type YAML's safe loader makes, nested a little.
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-2**80, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10), st.dates(),
    st.sampled_from(["", " ", "1", "true", "section 1", "key_point 1", "faq 1", "single_choice", "partial", "at_end"]),
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=12,
)
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
# Text a bank may hold: no NUL, no lone surrogate (a database cannot store them).
words = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20) \
    .map(str.strip).filter(bool)
references = st.sampled_from(["section 1", "section 2", "key_point 1", "faq 1"])


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a valid value, sometimes anything at all."""
    return st.one_of(valid, valid, valid, anything)


@st.composite
def choice_question(draw, kind: str) -> dict:
    choices = draw(st.lists(words, min_size=2, max_size=5, unique=True))
    if kind == "single_choice":
        return {"choices": choices, "answer": draw(st.sampled_from(choices))}
    answers = draw(st.lists(st.sampled_from(choices), min_size=1, unique=True))
    return {"choices": choices, "answers": answers, "scoring": draw(st.sampled_from(["all_or_nothing", "partial"]))}


typed_answers = words.filter(lambda w: normalise_answer(w))


@st.composite
def type_fields(draw, kind: str) -> dict:
    if kind in ("single_choice", "multiple_select"):
        return draw(choice_question(kind))
    if kind == "true_false":
        return {"answer": draw(st.booleans())}
    if kind == "short_answer":
        return {"accepted": draw(st.lists(typed_answers, min_size=1, max_size=3, unique=True))}
    if kind == "ordering":
        return {"items": draw(st.lists(words, min_size=3, max_size=5, unique=True))}
    blanks = draw(st.lists(st.lists(typed_answers, min_size=1, max_size=2, unique=True), min_size=1, max_size=3))
    pieces = [draw(st.text(string.ascii_letters + " ,.", max_size=8)) for _ in range(len(blanks) + 1)]
    text = pieces[0] + "".join(f"{{{n}}}{piece}" for n, piece in enumerate(pieces[1:], start=1))
    return {"text": text, "blanks": blanks}


@st.composite
def valid_question(draw, number: int) -> dict:
    kind = draw(st.sampled_from(list(QUESTION_TYPES)))
    question = {"id": f"q{number}", "type": kind, "prompt": draw(words), **draw(type_fields(kind)),
                "explanation": draw(words), "source": draw(references), "difficulty": draw(st.sampled_from([1, 2, 3]))}
    optional = {"tags": st.lists(slugs, max_size=3), "points": st.integers(1, 5), "passage": words,
                "draft": st.booleans(), "review": words}
    for key, strategy in optional.items():
        if draw(st.booleans()):
            question[key] = draw(strategy)
    return question


@st.composite
def valid_bank(draw) -> dict:
    """A bank the validator accepts (sections 1 and 2, key point 1, FAQ 1, one to four questions)."""
    count = draw(st.integers(1, 4))
    questions = [draw(valid_question(n)) for n in range(1, count + 1)]
    bank = {
        "version": 1, "id": draw(slugs), "title": draw(words),
        "source": {
            "title": draw(words),
            "sections": [{"number": 1, "title": draw(words), "text": draw(words)}, {"number": 2, "title": draw(words)}],
            "key_points": [{"number": 1, "text": draw(words)}],
            "faqs": [{"number": 1, "question": draw(words), "answer": draw(words)}],
        },
        "questions": questions,
    }
    if draw(st.booleans()):
        bank["description"] = draw(words)
    if draw(st.booleans()):
        ids = [q["id"] for q in questions]
        bank["quizzes"] = [{
            "id": "quiz", "title": draw(words), "description": draw(words),
            **({"count": 1} if draw(st.booleans()) else {}),
            "sources": draw(st.lists(references, max_size=2, unique=True)),
            "questions": draw(st.lists(st.sampled_from(ids), max_size=len(ids), unique=True)),
            "shuffle": draw(st.booleans()), "feedback": draw(st.sampled_from(["after_each", "at_end"])),
        }]
    return bank


@st.composite
def mutated_bank(draw) -> dict:
    """A valid bank with a few values replaced by anything, deleted, or joined by an unknown field."""
    bank = draw(valid_bank())

    def containers(node, path=()):
        if isinstance(node, dict | list):
            yield path, node
            for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
                yield from containers(value, (*path, key))

    for _ in range(draw(st.integers(1, 4))):
        found = list(containers(bank))
        _path, node = draw(st.sampled_from(found))
        if isinstance(node, dict):
            keys = sorted(node, key=str)
            key = draw(st.sampled_from(keys) if keys else st.just("title"))
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "delete" and key in node:
                del node[key]
            elif action == "add":
                node[draw(st.sampled_from(sorted(TOP_FIELDS)) | st.text(max_size=6))] = draw(replacements)
            else:
                node[key] = draw(replacements)
        elif node:
            node[draw(st.integers(0, len(node) - 1))] = draw(replacements)
        else:
            node.append(draw(replacements))
    return bank


# Anything at all, or a value that is valid somewhere in a bank (so that some mutants pass).
replacements = st.one_of(anything, words, slugs, references, st.integers(0, 4), st.booleans(),
                         st.lists(words, max_size=3))


def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@STRUCTURED
@given(mutated_bank())
def test_parse_bank_takes_bank_like_documents(bank):
    accepted_or_rejected(parse_bank, dump(bank), "mutated.yaml")


@STRUCTURED
@given(st.dictionaries(st.sampled_from(sorted(TOP_FIELDS)), anything, max_size=7))
def test_parse_bank_takes_the_real_keys_with_any_values(bank):
    accepted_or_rejected(parse_bank, dump(bank), "keys.yaml")


@STRUCTURED
@given(valid_bank())
def test_valid_banks_are_accepted(bank):
    document = parse_bank(dump(bank), "valid.yaml")
    assert [q["key"] for q in document.questions] == [q["id"] for q in bank["questions"]]


# --------------------------------------------------------------------------- GIFT

GIFT_FRAGMENTS = [
    "::", "::title::", "{", "}", "=", "~", "#", "####", "%", "%50%", "%-100%", "%abc%", "%1e9%", "->", "\\", "\\n",
    "\\{", "\\}", "\\=", "\\~", "\\#", "\\:", "\\*", "*", "\n", "\n\n", "\r\n", "//", "// comment\n", "$CATEGORY: ",
    "$course$/top/", "T", "TRUE", "F", "FALSE", "true", "[html]", "[plain]", "[markdown]", "{1}", "{#1:2}", " ", "\t",
    "Paris", "What?", "=Paris", "~Lyon", "{T}", "{}", "\ufeff", "²",
]


@FUZZ
@given(st.text())
@example("{")
@example("::a")
@example("{=%50%a =%50%b}")
@example("x {~%100%a ~%100%b}")
@example("x {T#a#b#c}")
@example("x {=a} {1} y")
def test_parse_gift_takes_any_text(text):
    accepted_or_rejected(parse_gift, text, "fuzz.gift")
    try:
        _questions, skipped = parse_gift_report(text, "fuzz.gift")
    except BankError as error:
        rejected_well(error, "fuzz.gift")
    else:
        for problem in skipped:
            assert problem.file == "fuzz.gift" and problem.line >= 1 and problem.message.strip()


@FUZZ
@given(soup(GIFT_FRAGMENTS))
def test_parse_gift_takes_gift_soup(text):
    questions = accepted_or_rejected(parse_gift, text, "soup.gift")
    if questions:
        _loads(questions)


def _loads(questions: list[dict]) -> None:
    """What an importer returns passes the bank validator (as importing into a bank requires)."""
    source = {"title": "Imported", "sections": [{"number": 1, "title": "Section 1"}]}
    parse_bank(dump({"version": 1, "id": "imported", "title": "Imported", "source": source,
                     "questions": questions}), "imported.yaml")


# Text GIFT keeps as it is: stripped at the ends (GIFT trims), no carriage return (GIFT drops it).
gift_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\x00"), min_size=1, max_size=15) \
    .map(str.strip).filter(bool)
gift_answers = gift_text.filter(lambda t: normalise_answer(t) and "->" not in t)


@st.composite
def gift_question(draw, number: int) -> dict:
    kind = draw(st.sampled_from(["single_choice", "multiple_select", "true_false", "short_answer", "cloze"]))
    question = {"id": f"q{number}", "type": kind, "prompt": draw(gift_text), "explanation": draw(gift_text),
                "source": "section 1", "difficulty": 1, "tags": [], "points": 1}
    if kind == "single_choice":
        choices = draw(st.lists(gift_text, min_size=2, max_size=5, unique=True))
        question.update(choices=choices, answer=draw(st.sampled_from(choices)))
    elif kind == "multiple_select":
        choices = draw(st.lists(gift_text, min_size=2, max_size=5, unique=True))
        answers = draw(st.lists(st.sampled_from(choices), min_size=1, unique=True))
        # GIFT cannot say all-or-nothing for several right answers (they are written as partial), and with
        # one right answer the two scorings grade alike and read back as all-or-nothing.
        question.update(choices=choices, answers=answers, scoring="partial" if len(answers) > 1 else "all_or_nothing")
    elif kind == "true_false":
        question["answer"] = draw(st.booleans())
    elif kind == "short_answer":
        question["accepted"] = draw(st.lists(gift_answers, min_size=1, max_size=3, unique=True))
    else:
        sentence = st.text(string.ascii_letters + string.digits + " ,.?!'", max_size=15)
        before, after = draw(sentence).lstrip(), draw(sentence.map(str.rstrip).filter(str.strip))
        question.update(prompt=CLOZE_PROMPT, text=before + "{1}" + after,
                        blanks=[draw(st.lists(gift_answers, min_size=1, max_size=3, unique=True))])
    return question


# One to four questions GIFT can hold, numbered q1, q2, …: what each exporter is given.
gift_questions = st.integers(min_value=1, max_value=4).flatmap(
    lambda count: st.tuples(*(gift_question(n) for n in range(1, count + 1))))


ANSWER_FIELDS = ("choices", "answer", "answers", "scoring", "accepted", "text", "blanks")


@FUZZ
@given(st.lists(st.integers(), min_size=1, max_size=5).flatmap(
    lambda ns: st.tuples(*(gift_question(n) for n in range(1, len(ns) + 1)))))
def test_gift_export_then_import_keeps_prompts_and_answers(questions):
    questions = list(questions)
    text, warnings = to_gift(questions)
    assert not [w for w in warnings if "skipped" in w], warnings
    back = parse_gift(text, "exported.gift")
    assert len(back) == len(questions)
    for before, after in zip(questions, back, strict=True):
        assert after["type"] == before["type"]
        assert after["prompt"] == before["prompt"]
        assert _answers(after) == _answers(before)
    _loads(back)


def _answers(question: dict) -> dict:
    """The fields that say what is right; the right answers of a multiple select are a set."""
    fields = {k: question.get(k) for k in ANSWER_FIELDS}
    if fields["answers"] is not None:
        fields["answers"] = sorted(fields["answers"])
    return fields


# --------------------------------------------------------------------------- Aiken

AIKEN_LINES = [
    "What is it?", "Which one", "A. one", "B. two", "C. three", "D) four", "Z. last", "A.", "A)", "a) lower",
    "b. lower",
    "ANSWER: A", "ANSWER: B", "ANSWER: Z", "ANSWER:", "Answer: A", "answer : b", "ANSWER: AB", "", "", "  ", "\ufeffQ?",
    "A. one", "B. one",
]


@FUZZ
@given(st.text())
@example("A. x\nANSWER: A")
@example("Q\nA. x\nB. y\nANSWER: C")
def test_parse_aiken_takes_any_text(text):
    accepted_or_rejected(parse_aiken, text, "fuzz.txt")


@FUZZ
@given(line_soup(AIKEN_LINES))
def test_parse_aiken_takes_aiken_soup(text):
    questions = accepted_or_rejected(parse_aiken, text, "soup.txt")
    if questions:
        _loads(questions)


@FUZZ
@given(gift_questions)
def test_aiken_export_reads_back(questions):
    text, _warnings = to_aiken(list(questions))
    accepted_or_rejected(parse_aiken, text, "exported.txt")


# --------------------------------------------------------------------------- Moodle XML

XML_FRAGMENTS = [
    "<?xml version=\"1.0\"?>", "<quiz>", "</quiz>", '<question type="multichoice">', '<question type="truefalse">',
    '<question type="shortanswer">', '<question type="category">', '<question type="essay">', "<question>",
    "</question>", "<name><text>n</text></name>", "<questiontext format=\"html\"><text>", "</text></questiontext>",
    '<answer fraction="100"><text>a</text></answer>', '<answer fraction="0"><text>b</text></answer>',
    '<answer fraction="x">', "</answer>", "<text>", "</text>", "<single>false</single>", "<defaultgrade>1e999",
    "</defaultgrade>", "<tags><tag><text>t</text></tag></tags>", "<category><text>$course$/top/a</text></category>",
    "<!DOCTYPE quiz>", '<!DOCTYPE x [<!ENTITY a "aaaa">]>', "<!ENTITY e SYSTEM \"file:///etc/passwd\">", "&e;",
    "&amp;", "&lt;", "&#0;", "&#x10FFFF;", "<![CDATA[", "]]>", "&lt;![foo[", "&lt;img src=x&gt;", "<!-- c -->",
    "<?pi x?>", "\n", " ", "<", ">", "&", "\"", "\x00",
]


@FUZZ
@given(st.text() | st.binary())
@example(b"\xff\xfe<\x00q\x00")
@example("<quiz/>")
@example("<quiz>\ud800</quiz>")
def test_parse_moodle_xml_takes_any_text(data):
    accepted_or_rejected(parse_moodle_xml, data, "fuzz.xml")


@FUZZ
@given(soup(XML_FRAGMENTS))
def test_parse_moodle_xml_takes_xml_soup(text):
    questions = accepted_or_rejected(parse_moodle_xml, text, "soup.xml")
    if questions:
        _loads(questions)


# Moodle XML built from its real elements, attributes and texts, with random values.
QUESTION_KINDS = ["multichoice", "truefalse", "shortanswer", "category", "essay", "matching", "", "MULTICHOICE", "x"]
FORMATS = ["html", "plain_text", "moodle_auto_format", "markdown", "", "junk"]
FRACTIONS = ["100", "0", "-100", "50", "33.33333", "-33.33333", "", "abc", "nan", "inf", "-inf", "1e400", "100.0"]
HTML_TEXTS = ["<p>x</p>", "<br>", "<img src=\"a.png\">", "<![foo[ y", "<![if x]>", "<!x", "&nbsp;", "&#99999999;",
              "<script>s</script>", "<style>", "true", "false", "True", "*", "\\*", "a*b", "", " ", "\n", "Paris"]
xml_texts = st.one_of(st.sampled_from(HTML_TEXTS), st.text(max_size=10),
                      st.lists(st.sampled_from(HTML_TEXTS), max_size=4).map("".join))


def _element(tag: str, body: str, **attrs: str) -> str:
    shown = "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items())
    return f"<{tag}{shown}>{body}</{tag}>"


@st.composite
def text_element(draw, tag: str) -> str:
    attrs = {"format": draw(st.sampled_from(FORMATS))} if draw(st.booleans()) else {}
    inner = xml_escape(draw(xml_texts))
    return _element(tag, _element("text", inner) if draw(st.booleans()) else inner, **attrs)


plain_words = st.text(string.ascii_letters + string.digits + " ?.,'&<>", min_size=1, max_size=12)


@st.composite
def tidy_moodle_question(draw) -> str:
    """A question Moodle could have written: a supported type, a text, answers with plausible fractions."""
    kind = draw(st.sampled_from(["multichoice", "truefalse", "shortanswer", "category"]))
    if kind == "category":
        return _element("question", _element("category", _element("text", xml_escape(
            "$course$/top/" + draw(plain_words)))), type="category")
    texts = {"format": draw(st.sampled_from(["html", "plain_text", "moodle_auto_format"]))}
    children = [_element("name", _element("text", xml_escape(draw(plain_words)))),
                _element("questiontext", _element("text", xml_escape(draw(plain_words))), **texts)]
    if kind == "truefalse":
        right = draw(st.booleans())
        answers = [("true", "100" if right else "0"), ("false", "0" if right else "100")]
    else:
        answers = [(a, draw(st.sampled_from(["100", "100", "0", "50", "-100", "33.33333"])))
                   for a in draw(st.lists(plain_words, min_size=1, max_size=4))]
        if kind == "multichoice":
            children.append(_element("single", draw(st.sampled_from(["true", "false"]))))
    children += [_element("answer", _element("text", xml_escape(text)), fraction=fraction)
                 for text, fraction in answers]
    if draw(st.booleans()):
        children.append(_element("generalfeedback", _element("text", xml_escape(draw(plain_words)))))
    return _element("question", "\n".join(children), type=kind)


@st.composite
def moodle_question(draw) -> str:
    if draw(st.booleans()):
        return draw(tidy_moodle_question())
    kind = draw(st.sampled_from(QUESTION_KINDS))
    children = []
    if kind == "category":
        children.append(draw(text_element("category")))
    for tag in ("name", "questiontext", "generalfeedback"):
        if draw(st.integers(0, 3)):
            children.append(draw(text_element(tag)))
    if draw(st.booleans()):
        children.append(_element("defaultgrade", xml_escape(draw(st.sampled_from(FRACTIONS)))))
    if draw(st.booleans()):
        children.append(_element("single", draw(st.sampled_from(["true", "false", "0", "1", ""]))))
    for _ in range(draw(st.integers(0, 4))):
        answer = draw(text_element("answer"))
        if draw(st.integers(0, 3)):
            answer = answer.replace("<answer", f"<answer fraction={quoteattr(draw(st.sampled_from(FRACTIONS)))}", 1)
        children.append(answer)
    if draw(st.booleans()):
        tags = "".join(_element("tag", _element("text", xml_escape(draw(xml_texts)))) for _ in range(2))
        children.append(_element("tags", tags))
    if draw(st.integers(0, 5)) == 0:
        children.append(_element("image", "a.png"))
    draw(st.randoms(use_true_random=False)).shuffle(children)
    attrs = {"type": kind} if draw(st.integers(0, 5)) else {}
    return _element("question", "\n".join(children), **attrs)


@STRUCTURED
@given(st.lists(moodle_question(), max_size=5), st.sampled_from(["quiz", "quiz", "quiz", "questions"]))
def test_parse_moodle_xml_takes_moodle_like_documents(questions, root):
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n' + "\n".join(questions) + f"\n</{root}>\n"
    questions = accepted_or_rejected(parse_moodle_xml, text, "moodle.xml")
    if questions:
        _loads(questions)


@FUZZ
@given(gift_questions)
def test_moodle_xml_export_reads_back(questions):
    text, _warnings = to_moodle_xml(list(questions))
    accepted_or_rejected(parse_moodle_xml, text, "exported.xml")


# --------------------------------------------------------------------------- the article extractor

ARTICLE_LINES = [
    "A headline about something. It goes on.", "Article Subheadings", "Article Subheadings |", "1) The start |",
    "2) The end |", "1. Dotted |", "3) |", "x) bad |", "The start", "The end", "Dotted", "Some paragraph text with a "
    "Name and 2024 and NATO.", "No. | Key Points |", "No | Key Points", "---|---|", "|---|---|", "1 | A key point |",
    "2 | Another one |", "1 | |", "x | no number |", "² | superscript |", "① | circled |", "٣ | Arabic-Indic |", "|",
    "Summary", "Summary:", "Frequently Asked Questions", "FAQ:", "Question: Why?", "Question:", "Question: What now?",
    "Because of reasons.", "", "", "   ",
]


names = st.sampled_from(["NATO", "Ukraine", "Kyiv", "the Coalition", "Dr. Smith", "U.S.", "2024", "30,000", "five",
                         "the Willing", "Mr. Jones", "EU"])
article_sentences = st.lists(st.one_of(names, st.sampled_from(["said", "the", "that", "troops", "will", "in", "and"]),
                                       st.text(string.ascii_lowercase, min_size=1, max_size=8)),
                             min_size=2, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraphs = st.lists(article_sentences, min_size=1, max_size=3).map(" ".join)


@st.composite
def article_text(draw) -> str:
    """An article shaped like the bundled one, with random text, sometimes a little broken."""
    headings = draw(st.lists(st.text(string.ascii_letters + " ", min_size=1, max_size=15).map(str.strip).filter(bool),
                             min_size=1, max_size=4, unique_by=str.casefold))
    lines = [draw(paragraphs), "", "Article Subheadings", *(f"{n}) {h} |" for n, h in enumerate(headings, 1)), ""]
    for heading in headings:
        lines += [heading, draw(paragraphs), ""]
    points = draw(st.lists(article_sentences, min_size=1, max_size=5))
    lines += ["No. | Key Points |", "---|---|", *(f"{n} | {p} |" for n, p in enumerate(points, 1)), ""]
    lines += ["Summary", draw(paragraphs), "", "Frequently Asked Questions"]
    for _ in range(draw(st.integers(1, 3))):
        lines += [f"Question: {draw(article_sentences)[:-1]}?", draw(paragraphs), ""]
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        at = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["drop", "double", "swap", "noise"]))
        if change == "drop":
            del lines[at]
        elif change == "double":
            lines.insert(at, lines[at])
        elif change == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            lines[at] = draw(st.sampled_from(ARTICLE_LINES))
    return "\n".join(lines)


def _article_holds(text: str) -> None:
    article = extract_article(text, "fuzz.txt")
    for problem in article.problems:
        assert problem.file == "fuzz.txt" and problem.line >= 1 and problem.message.strip(), problem
    # Drafting from whatever was found never fails either, and what it drafts passes the bank validator
    # in a bank whose source is the article (as ``services.banks.interchange.draft_bank`` writes it).
    drafts, _notes = draft_questions(article, random.Random(0))
    if drafts and not article.problems:
        parse_bank(dump({"version": 1, "id": "drafted", "title": article.title or "Drafted",
                         "source": article.to_source(), "questions": [{**d, "draft": True} for d in drafts]}),
                   "drafted.yaml")


@FUZZ
@given(st.text())
@example("x\nNo. | Key Points |\n² | text |\n")
def test_extract_article_takes_any_text(text):
    _article_holds(text)


@FUZZ
@given(line_soup(ARTICLE_LINES, max_size=60))
def test_extract_article_takes_article_soup(text):
    _article_holds(text)


@settings(STRUCTURED, max_examples=100)  # drafting from a whole article is the slowest step here
@given(article_text())
def test_extract_article_takes_article_like_texts(text):
    _article_holds(text)


@pytest.mark.parametrize("name", ["coalition-of-the-willing.txt"])
def test_bundled_article_still_extracts_cleanly(name):
    from tests.support import ROOT

    article = extract_article((ROOT / "questions" / name).read_text(encoding="utf-8"), name)
    assert article.problems == []


# --------------------------------------------------------------------------- what the fuzzing found

DEEP = "[" * 3000 + "]" * 3000
FOUND = [
    # (parser, input, line, words of the message)
    (parse_bank, "title: t\nlist: &a [*a]\n", 2, "unknown field 'list'"),  # a recursive alias: read, not walked forever
    (parse_bank, "title: t\nnested:\n  " + DEEP + "\n", 3, "nest more than 100 levels"),
    (parse_bank, 'title: t\ndescription: "a\\0b"\n', 2, "NUL character"),
    (parse_bank, 'title: t\ndescription: "\\ud800"\n', 2, "lone surrogate"),
    (parse_bank, "title: t\nx: \x00\n", 2, "is not allowed"),
    (parse_bank, "quizzes:\n  - id: [1]\n    sources: [[1]]\n    questions: [{a: 1}]\n", 3, "unknown source reference"),
    (parse_bank, "questions:\n  - id: q\n    points: 99999999999\n", 3, "'points' must be at most"),
    (parse_moodle_xml, '<quiz>\n<question type="truefalse">\n<questiontext><text>&lt;![foo[ x</text></questiontext>\n'
                       "</question>\n</quiz>", 3, "HTML cannot be read"),
    (parse_moodle_xml, "<quiz>\n\ud800</quiz>", 2, "lone surrogate"),
]


@pytest.mark.parametrize(("parse", "text", "line", "words"), FOUND)
def test_what_fuzzing_found_is_reported_on_its_line(parse, text, line, words):
    with pytest.raises(BankError) as raised:
        parse(text, "found")
    rejected_well(raised.value, "found")
    assert any(p.line == line and words in p.message for p in raised.value.problems), raised.value.problems


def test_a_key_point_numbered_with_a_superscript_is_a_problem_not_a_crash():
    article = extract_article("Title.\nNo. | Key Points |\n---|---|\n² | text |\n", "a.txt")
    assert any(p.line == 4 and "has no number" in p.message for p in article.problems), article.problems
