"""The question-bank format (version 1): check a bank's data against every rule, from a file or a dict.

``check_bank`` checks the data of a bank as a dict, as the services build it when they change a
stored bank; a problem then has no line but a path in the document (``questions[2].choices[1]``).
``parse_bank`` reads a YAML file into the same dict, with ``yaml.safe_load`` for its data and
``yaml.compose`` (which builds nodes, never objects) for the line of each value, and hands both to
the same checks, so that every problem in a file is reported as ``file:line: message``. The rules
mirror ``questions/bank.schema.json`` and add what a schema cannot say: unique ids, answers among
the choices, references to parts of the source that exist, passages found in the source text.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.domain.text import clean_name, unstorable_character

FORMAT_VERSION = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REFERENCE = re.compile(r"^(key_point|faq|section) ([1-9][0-9]*)$")
PART_FIELDS = {
    "sections": ("section", "title", ("text",)),
    "key_points": ("key_point", "text", ()),
    "faqs": ("faq", "question", ("answer",)),
}
TOP_FIELDS = {"version", "id", "title", "description", "source", "quizzes", "questions"}
SOURCE_FIELDS = {"title", "file", *PART_FIELDS}
COMMON_FIELDS = ("id", "type", "prompt", "explanation", "source", "difficulty")
OPTIONAL_FIELDS = ("passage", "tags", "points", "draft", "review")
QUIZ_FIELDS = {"id", "title", "description", "count", "sources", "tags", "shuffle", "questions", "feedback"}
FEEDBACK_MODES = ("after_each", "at_end")
# The longest ids and titles the database holds.
ID_LENGTH = 80
TITLE_LENGTH = 200
SOURCE_TITLE_LENGTH = 300
# The largest whole number the database's integer columns hold (points, counts, part numbers).
LARGEST_NUMBER = 2**31 - 1
# Deeper nesting than any bank needs; far deeper would exhaust the YAML parser's recursion.
DEEPEST_NESTING = 100


@dataclass(frozen=True, order=True)
class BankProblem:
    """One problem in a bank file, with the line it is on; ``path`` is where in the document, when known
    (e.g. ``("questions", 2, "choices", 1)``), for putting a message beside a form field. A problem in
    a bank checked as a dict (``check_bank``) has no line (0): it is named by its path instead."""

    file: str
    line: int
    message: str
    path: tuple = field(default=(), compare=False)

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}: {self.message}"
        where = path_text(self.path)
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


def path_text(path: tuple) -> str:
    """A place in a bank document as it reads: ``("questions", 2, "choices")`` gives ``questions[2].choices``."""
    text = ""
    for step in path:
        if step == "<key>":
            continue
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


@dataclass
class BankDocument:
    """A bank file that passed every check, with defaults filled in."""

    key: str
    title: str
    description: str
    source_title: str
    parts: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    quizzes: list[dict[str, Any]]
    file: str = ""
    source_text: str = ""


class BankError(Exception):
    """A bank file, or several, that did not pass; ``problems`` says why."""

    def __init__(self, problems: list[BankProblem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _line_map(node: yaml.Node) -> tuple[dict[tuple, int], list[tuple[int, str]]]:
    """Map each path in the document to its 1-based line; also report duplicate keys."""
    lines: dict[tuple, int] = {}
    duplicates: list[tuple[int, str]] = []

    walked: set[int] = set()

    def walk(n: yaml.Node, path: tuple) -> None:
        lines[path] = n.start_mark.line + 1
        if id(n) in walked:  # an alias: its node is walked once, so that aliases cannot recurse or multiply
            return
        walked.add(id(n))
        if isinstance(n, yaml.MappingNode):
            seen = set()
            for key_node, value_node in n.value:
                key = key_node.value
                if key in seen:
                    duplicates.append((key_node.start_mark.line + 1, f"duplicate key '{key}'"))
                seen.add(key)
                walk(value_node, (*path, key))
                lines[(*path, key, "<key>")] = key_node.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    walk(node, ())
    return lines, duplicates


def passage_in_source(passage: str, source_text: str) -> bool:
    """Whether the passage is found word for word in the source text (line breaks and spacing aside)."""
    return _collapse(passage) in _collapse(source_text)


def _collapse(text: str) -> str:
    return " ".join(text.split())


class _Checker:
    """Collects problems against one file's line map, or, for a bank given as a dict (no line map),
    by their path alone."""

    def __init__(self, name: str, lines: dict[tuple, int] | None):
        self.name = name
        self.lines = lines
        self.problems: list[BankProblem] = []

    def line(self, path: tuple) -> int:
        if self.lines is None:
            return 0
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def place(self, path: tuple) -> str:
        """Where ``path`` is, for a message that points back at it: its line, or its path in a dict."""
        return f"on line {self.line(path)}" if self.lines is not None else f"at {path_text(path)}"

    def add(self, path: tuple, message: str) -> None:
        self.problems.append(BankProblem(self.name, self.line(path), message, path))

    def unknown_fields(self, mapping: dict, allowed, path: tuple, what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add((*path, key, "<key>"), f"unknown field '{key}' in {what}")

    def text(self, mapping: dict, key: str, path: tuple, what: str, required: bool = True,
             longest: int | None = None, name: bool = False) -> None:
        """A text field; a ``name`` (a title) is judged as it is kept, by ``clean_name``."""
        if key not in mapping:
            if required:
                self.add(path, f"missing field '{key}' in {what}")
            return
        value = mapping[key]
        kept = (clean_name(value) if name else value.strip()) if isinstance(value, str) else ""
        if not kept:
            self.add((*path, key), f"'{key}' in {what} must be non-empty text")
        elif longest is not None and len(kept) > longest:
            self.add((*path, key), f"'{key}' in {what} must be at most {longest} characters (found {len(kept)})")


def parse_bank(text: str, name: str = "<bank>", source_text: str | None = None) -> BankDocument:
    """Check a bank's YAML text and return it, or raise BankError listing every problem, each with its line.

    ``source_text`` is the text of the source file the bank names, when it could be read;
    every question's ``passage`` must then appear in it.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BankError([_syntax_problem(name, error, text)]) from None
    except RecursionError:
        raise BankError([_nesting_problem(name, text)]) from None
    if node is None or not isinstance(data, dict):
        raise BankError([BankProblem(name, 1, "a bank file must be a YAML mapping starting 'version: 1'")])
    lines, duplicates = _line_map(node)
    check = _Checker(name, lines)
    for line, message in duplicates:
        check.problems.append(BankProblem(name, line, message))
    return _checked(check, data, source_text)


def check_bank(data: Any, name: str = "<bank>", source_text: str | None = None) -> BankDocument:
    """Check a bank given as the data of a bank file (a dict, as ``yaml.safe_load`` would give it) by the
    same rules as ``parse_bank``, and return it, or raise BankError listing every problem by its path.

    The document returned shares nothing with ``data``: changing one leaves the other as it was.
    """
    if not isinstance(data, dict):
        raise BankError([BankProblem(name, 0, "a bank must be a mapping starting 'version: 1'")])
    return _checked(_Checker(name, None), copy.deepcopy(data), source_text)


def _checked(check: _Checker, data: dict, source_text: str | None) -> BankDocument:
    """Every rule, applied to a bank's data; problems go to ``check`` (which already holds any the
    reading found), and BankError lists them all."""
    name = check.name
    _check_storable(check, data)

    check.unknown_fields(data, TOP_FIELDS, (), "the bank")
    if data.get("version") != FORMAT_VERSION:
        check.add(("version",), f"'version' must be {FORMAT_VERSION} (found {data.get('version')!r})")
    _check_slug(check, data, ("id",), "the bank")
    check.text(data, "title", (), "the bank", longest=TITLE_LENGTH, name=True)
    if "description" in data and not isinstance(data["description"], str):
        check.add(("description",), "'description' must be text")

    parts = _check_source(check, data.get("source"))
    references = {f"{p['kind']} {p['number']}" for p in parts}
    questions = _check_questions(check, data.get("questions"), references, source_text)
    raw_questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    question_ids = {q.get("id") for q in raw_questions if isinstance(q, dict) and isinstance(q.get("id"), str)}
    quizzes = _check_quizzes(check, data.get("quizzes", []), references, question_ids)

    if check.problems:
        raise BankError(check.problems)
    return BankDocument(
        key=data["id"],
        title=clean_name(data["title"]),
        description=(data.get("description") or "").strip(),
        source_title=clean_name(data["source"]["title"]),
        parts=parts,
        questions=questions,
        quizzes=quizzes,
        file=name,
        source_text=source_text or "",
    )


def _syntax_problem(name: str, error: yaml.YAMLError, text: str = "") -> BankProblem:
    """Name the line where the trouble starts: for an unclosed quote or bracket that is where it
    opened (the context), not the end of the file where the parser gave up."""
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow; it has a position, no mark
        line = len(_LINE_BREAK.findall(text, 0, error.position)) + 1 if isinstance(text, str) else 1
        return BankProblem(name, line, f"YAML syntax error: character {error.character!r} is not allowed in a "
                                       f"YAML file ({error.reason})")
    problem = getattr(error, "problem", None) or str(error)
    mark, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    if context is not None and (mark is None or "end of stream" in problem):
        mark = context
    message = f"YAML syntax error: {problem}"
    if getattr(error, "context", None) and context is not None:
        message += f" ({error.context} that starts on line {context.line + 1})"
    return BankProblem(name, mark.line + 1 if mark else 1, message)


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what YAML counts as a line break


def _nesting_problem(name: str, text: str) -> BankProblem:
    """The line where lists and mappings nest deeper than any bank does (the parser's events are
    read one by one, without recursion)."""
    depth, line = 0, 1
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > DEEPEST_NESTING:
                    line = event.start_mark.line + 1
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return BankProblem(name, line, f"lists and mappings nest more than {DEEPEST_NESTING} levels deep here")


def _check_storable(check: _Checker, data: Any) -> None:
    """Every text (value or key) must be one a database can store."""
    seen: set[int] = set()

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, str):
            what = unstorable_character(value)
            if what:
                check.add(path, f"text cannot hold {what}: remove it")
        elif isinstance(value, dict | list) and id(value) not in seen:
            seen.add(id(value))
            for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
                if isinstance(key, str) and unstorable_character(key):
                    check.add((*path, key, "<key>"), f"the field name {key!r} holds a character no text can hold")
                walk(item, (*path, key))

    walk(data, ())


def read_bank(path: str | Path) -> BankDocument:
    """Read and check the bank file at ``path`` (and its source file, when it names one)."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BankError([BankProblem(name, 1, f"cannot read the file: {error}")]) from None
    source_text = None
    problems: list[BankProblem] = []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    source = data.get("source") if isinstance(data, dict) else None
    if isinstance(source, dict) and isinstance(source.get("file"), str):
        source_path = path.parent / source["file"]
        try:
            source_text = source_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            problems.append(BankProblem(name, _find_line(text, "file:"), f"source file not found: {source_path}"))
    try:
        document = parse_bank(text, name, source_text)
    except BankError as error:
        raise BankError(problems + error.problems) from None
    if problems:
        raise BankError(problems)
    return document


def _find_line(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    return 1


def _check_slug(check: _Checker, mapping: dict, path: tuple, what: str) -> None:
    key = path[-1]
    if key not in mapping:
        check.add(path[:-1], f"missing field '{key}' in {what}")
    elif not isinstance(mapping[key], str) or not SLUG.match(mapping[key]):
        check.add(path, f"'{key}' must be lowercase letters, digits and hyphens (found {mapping[key]!r})")
    elif len(mapping[key]) > ID_LENGTH:
        check.add(path, f"'{key}' must be at most {ID_LENGTH} characters (found {len(mapping[key])})")


def _check_source(check: _Checker, source: Any) -> list[dict[str, Any]]:
    path = ("source",)
    if not isinstance(source, dict):
        check.add(path, "missing field 'source' (a mapping with the source's title, sections, key points and FAQs)")
        return []
    check.unknown_fields(source, SOURCE_FIELDS, path, "the source")
    check.text(source, "title", path, "the source", longest=SOURCE_TITLE_LENGTH, name=True)
    parts: list[dict[str, Any]] = []
    for list_key, (kind, title_key, body_keys) in PART_FIELDS.items():
        entries = source.get(list_key, [])
        if not isinstance(entries, list):
            check.add((*path, list_key), f"'{list_key}' must be a list")
            continue
        seen: set[int] = set()
        for i, entry in enumerate(entries):
            where = (*path, list_key, i)
            if not isinstance(entry, dict):
                check.add(where, f"each entry of '{list_key}' must be a mapping")
                continue
            check.unknown_fields(entry, {"number", title_key, *body_keys}, where, f"a {kind.replace('_', ' ')}")
            number = entry.get("number")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                check.add((*where, "number"), f"each entry of '{list_key}' needs a 'number' of 1 or more")
                continue
            if number > LARGEST_NUMBER:
                check.add((*where, "number"), f"'number' must be at most {LARGEST_NUMBER} (found {number})")
                continue
            if number in seen:
                check.add((*where, "number"), f"{kind} {number} is listed twice")
            seen.add(number)
            for key in (title_key, *body_keys):
                check.text(entry, key, where, f"{kind} {number}", required=(key != "text"))
            parts.append({
                "kind": kind,
                "number": number,
                "title": str(entry.get(title_key, "")).strip(),
                "body": str(entry.get(body_keys[0], "") if body_keys else "").strip(),
            })
    return parts


def _check_questions(check: _Checker, questions: Any, references: set[str], source_text: str | None):
    if not isinstance(questions, list) or not questions:
        check.add(("questions",), "'questions' must be a list of at least one question")
        return []
    collapsed_source = _collapse(source_text) if source_text else None
    seen: dict[str, str] = {}
    checked = []
    for i, question in enumerate(questions):
        path = ("questions", i)
        if not isinstance(question, dict):
            check.add(path, "each question must be a mapping")
            continue
        for key in COMMON_FIELDS:
            if key not in question:
                check.add(path, f"missing field '{key}'")
        qid = question.get("id")
        if "id" in question:
            _check_slug(check, question, (*path, "id"), "the question")
            if isinstance(qid, str) and qid in seen:
                check.add((*path, "id"), f"duplicate question id '{qid}' (first {seen[qid]})")
            elif isinstance(qid, str):
                seen[qid] = check.place((*path, "id"))
        for key in ("prompt", "explanation"):
            if key in question:
                check.text(question, key, path, "the question")
        kind = QUESTION_TYPES.get(question.get("type")) if isinstance(question.get("type"), str) else None
        if "type" in question and kind is None:
            check.add((*path, "type"), f"unknown question type {question['type']!r} "
                      f"(one of: {', '.join(QUESTION_TYPES)})")
        allowed = set(COMMON_FIELDS) | set(OPTIONAL_FIELDS)
        if kind is not None:
            allowed |= set(kind.fields) | set(kind.optional_fields)
            for sub_path, message in kind.check(question):
                check.add((*path, *sub_path), message)
        if kind is not None or "type" not in question:
            check.unknown_fields(question, allowed, path, "the question")
        reference = question.get("source")
        if "source" in question:
            if not isinstance(reference, str) or not REFERENCE.match(reference):
                check.add((*path, "source"), f"'source' must read 'key_point N', 'faq N' or 'section N' "
                          f"(found {reference!r})")
            elif reference not in references:
                check.add((*path, "source"), f"unknown source reference '{reference}': "
                          "the bank's source does not list it")
        difficulty = question.get("difficulty")
        if "difficulty" in question and (isinstance(difficulty, bool) or difficulty not in (1, 2, 3)):
            check.add((*path, "difficulty"), f"'difficulty' must be 1, 2 or 3 (found {difficulty!r})")
        points = question.get("points", 1)
        if not isinstance(points, int) or isinstance(points, bool) or points < 1:
            check.add((*path, "points"), f"'points' must be a whole number of 1 or more (found {points!r})")
        elif points > LARGEST_NUMBER:
            check.add((*path, "points"), f"'points' must be at most {LARGEST_NUMBER} (found {points})")
        tags = question.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            check.add((*path, "tags"), "'tags' must be a list of words")
        if not isinstance(question.get("draft", False), bool):
            check.add((*path, "draft"), "'draft' must be true or false")
        if not isinstance(question.get("review", ""), str):
            check.add((*path, "review"), "'review' must be text")
        passage = question.get("passage", "")
        if not isinstance(passage, str):
            check.add((*path, "passage"), "'passage' must be text")
        elif passage and collapsed_source is not None and _collapse(passage) not in collapsed_source:
            check.add((*path, "passage"), "the passage is not found word for word in the source file")
        if kind is not None and all(k in question for k in COMMON_FIELDS):
            checked.append({
                "key": qid,
                "type": kind.name,
                "prompt": str(question["prompt"]).strip(),
                "explanation": str(question["explanation"]).strip(),
                "source": reference,
                "passage": passage.strip() if isinstance(passage, str) else "",
                "difficulty": difficulty,
                "points": points,
                "tags": [t.strip() for t in tags if isinstance(t, str)] if isinstance(tags, list) else [],
                "spec": kind.spec(question),
                "draft": question.get("draft") is True,
                "review": str(question.get("review", "")).strip(),
            })
    return checked


def _check_quizzes(check: _Checker, quizzes: Any, references: set[str], question_ids: set[str]):
    if not isinstance(quizzes, list):
        check.add(("quizzes",), "'quizzes' must be a list")
        return []
    seen: set[str] = set()
    checked = []
    for i, quiz in enumerate(quizzes):
        path = ("quizzes", i)
        if not isinstance(quiz, dict):
            check.add(path, "each quiz must be a mapping")
            continue
        check.unknown_fields(quiz, QUIZ_FIELDS, path, "the quiz")
        _check_slug(check, quiz, (*path, "id"), "the quiz")
        if isinstance(quiz.get("id"), str):
            if quiz["id"] in seen:
                check.add((*path, "id"), f"duplicate quiz id '{quiz['id']}'")
            seen.add(quiz["id"])
        check.text(quiz, "title", path, "the quiz", longest=TITLE_LENGTH, name=True)
        if "description" in quiz and not isinstance(quiz["description"], str):
            check.add((*path, "description"), "'description' must be text")
        count = quiz.get("count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
            check.add((*path, "count"), f"'count' must be a whole number of 1 or more (found {count!r})")
        elif count is not None and count > LARGEST_NUMBER:
            check.add((*path, "count"), f"'count' must be at most {LARGEST_NUMBER} (found {count})")
        sources = quiz.get("sources", [])
        if not isinstance(sources, list):
            check.add((*path, "sources"), "'sources' must be a list of references")
            sources = []
        for j, reference in enumerate(sources):
            if not isinstance(reference, str) or reference not in references:
                check.add((*path, "sources", j), f"unknown source reference {reference!r}")
        tags = quiz.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            check.add((*path, "tags"), "'tags' must be a list of words")
        if not isinstance(quiz.get("shuffle", True), bool):
            check.add((*path, "shuffle"), "'shuffle' must be true or false")
        picked = quiz.get("questions", [])
        if not isinstance(picked, list):
            check.add((*path, "questions"), "'questions' must be a list of question ids")
            picked = []
        for j, key in enumerate(picked):
            if not isinstance(key, str) or key not in question_ids:
                check.add((*path, "questions", j), f"unknown question id {key!r}")
        if len(set(map(str, picked))) != len(picked):
            check.add((*path, "questions"), "'questions' lists a question more than once")
        feedback = quiz.get("feedback", "after_each")
        if feedback not in FEEDBACK_MODES:
            check.add((*path, "feedback"),
                      f"'feedback' must be one of: {', '.join(FEEDBACK_MODES)} (found {feedback!r})")
        checked.append({
            "key": quiz.get("id"),
            "title": clean_name(str(quiz.get("title", ""))),
            "description": str(quiz.get("description", "")).strip(),
            "count": count,
            "sources": list(sources),
            "tags": list(tags) if isinstance(tags, list) else [],
            "shuffle": quiz.get("shuffle", True),
            "questions": [str(key) for key in picked],
            "feedback": feedback if feedback in FEEDBACK_MODES else "after_each",
        })
    return checked
