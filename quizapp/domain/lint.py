"""Item-writing checks over a whole bank: warnings a teacher may act on, never errors.

Every check reads questions in the shape the bank loader produces (``key``, ``type``, ``prompt``,
``explanation``, ``passage``, ``spec``) and the bank's source text (the article and the text of its
key points and FAQs), and returns :class:`LintWarning` values with a stable ``code``. Nothing here
knows about files, requests or the database, so the CLI and the authoring pages give the same
warnings for the same bank.

The checks are meant to be quiet on a good bank: each one fires only on a pattern that is almost
always a fault (the heuristics are written beside each check).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from quizapp.domain.answer_matching import accepted_forms, answer_matches
from quizapp.domain.question_types import BLANK

# A share of the bank's choice questions with the key in one position that no fair shuffle gives.
SAME_POSITION_SHARE = 0.75
# Below this many choice questions the share says little (with four choices, a bank of four puts three
# keys in one place by chance one time in five).
SAME_POSITION_FEWEST = 5
# A key this much longer than the longest distractor stands out.
LONGEST_KEY_RATIO = 1.25
# The shortest run of the source's words that counts as copied word for word.
COPIED_RUN = 5
# A true/false statement holding a run of this many of the source's words is a copied sentence or clause.
COPIED_STATEMENT = 8
# A clause of a source sentence (between commas, semicolons or colons) this long, copied whole, too.
COPIED_CLAUSE = 5

CODES = {
    "key-position": "the key in the same position in most choice questions",
    "longest-key": "the key is the only long choice",
    "key-copied": "the key copied word for word from the text while the distractors are not",
    "all-none-above": "'all of the above' or 'none of the above'",
    "negative-stem": "a negative stem without emphasis",
    "true-false-copied": "a true/false statement copied from the text",
    "answers-another": "one question gives away another's answer",
    "answer-not-accepted": "the feedback gives an answer that is not accepted",
    "duplicate-choice": "two choices the same up to case and punctuation",
    "duplicate-accepted": "two accepted answers that grade the same",
}

# Function words, and the words every question says ("according to the article …").
_STOPWORDS = """a an the of to in on at by for from with and or but as is are was were be been
it its this that these those which who whom what when where why how than then there their they he she
his her him we our you your i not no do does did has have had will would can could may might shall
should into over about after before between during also so such
according article text says said say question true false word words fill fills gap complete sentence
following select apply"""
STOPWORDS = frozenset(_STOPWORDS.split())


@dataclass(frozen=True)
class LintWarning:
    """One warning: ``question`` is the question's id, or None for the bank as a whole."""

    code: str
    question: str | None
    message: str


def words(text: str) -> list[str]:
    """The words of ``text`` folded for comparison: case, accents and punctuation aside, hyphens and
    dashes as spaces, so "U.S." is "us" and "Ukraine’s" is "ukraines" on both sides of a comparison.

    >>> words("Ukraine’s self-reliant U.S. ally")
    ['ukraines', 'self', 'reliant', 'us', 'ally']
    """
    return list(_words(text))


@lru_cache(maxsize=8192)  # a bank is linted on every view of its list, and drafting lints each candidate
def _words(text: str) -> tuple[str, ...]:
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue
        if category == "Pd":
            kept.append(" ")
        elif category.startswith(("P", "S")):
            kept.append("")
        else:
            kept.append(char)
    return tuple("".join(kept).casefold().split())


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether ``needle`` is a contiguous run of ``haystack``."""
    n = len(needle)
    if not n:
        return False
    return any(haystack[i:i + n] == list(needle) for i in range(len(haystack) - n + 1)
               if haystack[i] == needle[0])


def _runs(tokens: Sequence[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def _quote(text: str) -> str:
    return f"“{' '.join(text.split())}”"


@dataclass
class Source:
    """The text students read, prepared once per bank: its words, its runs of words and its sentences."""

    tokens: list[str]
    runs: set[tuple[str, ...]]
    sentences: set[tuple[str, ...]]
    statement_runs: set[tuple[str, ...]]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Source:
        tokens: list[str] = []
        sentences: set[tuple[str, ...]] = set()
        for text in texts:
            # A sentence ends at . ! ? followed by a space, at a line break, or at a table's bar.
            for sentence in re.split(r"(?<=[.!?])\s+|\n|\|", text or ""):
                folded = words(sentence)
                if folded:
                    sentences.add(tuple(folded))
                # A clause of a sentence copied whole is as much a copy, when it says something on its own.
                # ("…, and the last keeper left in 1965": the joining word aside.)
                for clause in re.split(r"[,;:]\s", sentence):
                    folded = words(clause)
                    if folded and folded[0] in ("and", "but", "or", "so", "yet", "while", "when", "as"):
                        folded = folded[1:]
                    if len(folded) >= COPIED_CLAUSE:
                        sentences.add(tuple(folded))
            # Texts are kept apart, so a run never spans the end of one and the start of the next.
            tokens.extend([*words(text or ""), "\x00"])
        return cls(tokens, _runs(tokens, COPIED_RUN), sentences, _runs(tokens, COPIED_STATEMENT))

    def copies(self, text: str) -> bool:
        """Whether ``text`` holds a run of COPIED_RUN or more words found word for word in the source."""
        return bool(_runs(words(text), COPIED_RUN) & self.runs)


def lint_bank(questions: Sequence[dict[str, Any]], source_texts: Iterable[str] = (),
              source: Source | None = None) -> list[LintWarning]:
    """Every warning for a bank's questions, bank-wide ones first, then question by question in the
    bank's order. ``source_texts``: the article and the text of its key points and FAQs; or ``source``,
    those texts prepared once (``Source.of``) for a caller that lints the same bank many times."""
    source = source if source is not None else Source.of(source_texts)
    found = [*_key_position(questions)]
    per_question: dict[str, list[LintWarning]] = {}
    for question in questions:
        key = question["key"]
        spec = question.get("spec") or {}
        kind = question.get("type")
        items = per_question.setdefault(key, [])
        if kind in ("single_choice", "multiple_select"):
            items += _longest_key(key, kind, spec)
            items += _key_copied(key, kind, spec, source)
            items += _all_none_above(key, spec)
            items += _duplicates(key, spec.get("choices") or [], "choice")
        if kind == "ordering":
            items += _duplicates(key, spec.get("items") or [], "item")
        items += _negative_stem(key, question.get("prompt", ""))
        if kind == "true_false":
            items += _true_false_copied(key, question.get("prompt", ""), source)
        if kind in ("short_answer", "cloze"):
            items += _duplicate_accepted(key, kind, spec)
            items += _answer_not_accepted(question)
    for key, warning in _answers_another(questions):
        per_question.setdefault(key, []).append(warning)
    for items in per_question.values():
        found += items
    return found


def by_question(warnings: Iterable[LintWarning]) -> dict[str | None, list[LintWarning]]:
    """The warnings grouped by question id (None: the bank's own)."""
    grouped: dict[str | None, list[LintWarning]] = {}
    for warning in warnings:
        grouped.setdefault(warning.question, []).append(warning)
    return grouped


# --- the checks -------------------------------------------------------------------------------------


def _key_position(questions: Sequence[dict[str, Any]]) -> Iterable[LintWarning]:
    """Across single-choice questions, the key's place in the file's list of choices; across
    multiple-select ones, whether every key comes before every distractor. Quizzes may shuffle, but a
    quiz that does not, a printout and every export keep the file's order."""
    positions = [
        q["spec"]["choices"].index(q["spec"]["answer"]) + 1
        for q in questions
        if q.get("type") == "single_choice" and q["spec"].get("answer") in (q["spec"].get("choices") or [])
    ]
    if len(positions) >= SAME_POSITION_FEWEST:
        place, count = Counter(positions).most_common(1)[0]
        if count / len(positions) >= SAME_POSITION_SHARE:
            yield LintWarning("key-position", None, (
                f"In {count} of the {len(positions)} single-choice questions the correct answer is choice {place} "
                "in the bank's order, a pattern students learn to spot: put the keys in varied positions "
                "(or in a logical order, such as numbers from small to large)."))
    leading = []
    for q in questions:
        if q.get("type") != "multiple_select":
            continue
        choices, answers = q["spec"].get("choices") or [], set(q["spec"].get("answers") or [])
        if answers and len(answers) < len(choices):
            leading.append(all(c in answers for c in choices[:len(answers)]))
    if len(leading) >= SAME_POSITION_FEWEST and sum(leading) / len(leading) >= SAME_POSITION_SHARE:
        yield LintWarning("key-position", None, (
            f"In {sum(leading)} of the {len(leading)} multiple-select questions the correct answers come before "
            "every wrong one in the bank's order: mix them among the other choices."))


def _longest_key(key: str, kind: str, spec: dict[str, Any]) -> Iterable[LintWarning]:
    """A single-choice key longer than every distractor by a quarter and by ten characters or more: the
    most detailed option is the usual guess."""
    if kind != "single_choice":
        return
    answer, choices = spec.get("answer"), spec.get("choices") or []
    others = [c for c in choices if c != answer]
    if not isinstance(answer, str) or not others:
        return
    longest = max(len(c.strip()) for c in others)
    if len(answer.strip()) >= LONGEST_KEY_RATIO * longest and len(answer.strip()) >= longest + 10:
        yield LintWarning("longest-key", key, (
            f"The correct answer is the only long choice ({len(answer.strip())} characters; the longest other "
            f"has {longest}): students pick the most detailed option. Make the choices similar in length."))


def _key_copied(key: str, kind: str, spec: dict[str, Any], source: Source) -> Iterable[LintWarning]:
    """A key holding a run of five or more of the source's words, word for word, while no distractor
    holds one: it can be picked by recognising the wording rather than knowing the content."""
    choices = spec.get("choices") or []
    keys = [spec.get("answer")] if kind == "single_choice" else list(spec.get("answers") or [])
    keys = [k for k in keys if isinstance(k, str)]
    copied = [k for k in keys if source.copies(k)]
    if copied and not any(source.copies(c) for c in choices if c not in keys):
        which = "The correct answer" if kind == "single_choice" else f"The correct answer {_quote(copied[0])}"
        yield LintWarning("key-copied", key, (
            f"{which} repeats the text's wording word for word and no other choice does, so it can be "
            "recognised without being understood: reword it, or word a distractor from the text too."))


_ALL_NONE = re.compile(
    r"\b(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|these|those|"
    r"(other|previous)\s+(answers|choices|options))\b", re.IGNORECASE)


def _all_none_above(key: str, spec: dict[str, Any]) -> Iterable[LintWarning]:
    """'All of the above', 'none of these' and the like: they reward partial knowledge and read
    oddly once choices are shuffled."""
    for choice in spec.get("choices") or []:
        if isinstance(choice, str) and _ALL_NONE.search(choice):
            yield LintWarning("all-none-above", key, (
                f"The choice {_quote(choice)} refers to the other choices, which students may see in any order, "
                "and lets them answer from part of what they know: replace it with a distractor of its own."))


_NEGATIVE = re.compile(r"(?<![\w*_])([*_]{0,2})(not|except|never|\w+n[’']t)\1(?![\w*_])(?!\s+(only|just)\b)",
                       re.IGNORECASE)


def _negative_stem(key: str, prompt: str) -> Iterable[LintWarning]:
    """NOT, EXCEPT, never or a word ending n't in the stem, written neither in capitals nor between * or
    _ marks: students miss it. "not only" and "not just" are not negations of the question."""
    for match in _NEGATIVE.finditer(prompt or ""):
        marks, word = match.group(1), match.group(2)
        if marks or word.isupper():
            continue
        yield LintWarning("negative-stem", key, (
            f"The question turns on the word “{word}”, which is easy to miss: ask it positively if you can, "
            f"or write it in capitals ({word.upper()})."))
        return


# What a statement may begin with that is not part of what it claims: "According to the article, …"
# before a copied sentence still copies it.
_TRUE_OR_FALSE = re.compile(
    r"^\s*(true\s+or\s+false|true/false|according\s+to\s+the\s+(article|text|passage))\s*[:?.,-]?\s*",
    re.IGNORECASE)


def _true_false_copied(key: str, prompt: str, source: Source) -> Iterable[LintWarning]:
    """A statement equal to a sentence of the source or to a clause of five or more words of one (case and
    punctuation aside), or holding a run of eight or more of its words word for word (a sentence copied
    with one word changed to make it false is still a copy): it tests recognising the wording."""
    statement = words(_TRUE_OR_FALSE.sub("", prompt or ""))
    if not statement:
        return
    if tuple(statement) in source.sentences or _runs(statement, COPIED_STATEMENT) & source.statement_runs:
        yield LintWarning("true-false-copied", key, (
            "The statement repeats the text's wording (a whole sentence or clause, or eight or more words in a "
            "row), so it tests recognising a sentence rather than understanding it: put the idea in other words."))


def _duplicates(key: str, values: Sequence[Any], what: str) -> Iterable[LintWarning]:
    """Two choices (or items) that differ only in case, spacing or punctuation."""
    seen: dict[tuple[str, ...], str] = {}
    for value in values:
        if not isinstance(value, str):
            continue
        folded = tuple(words(value))
        if folded in seen:
            yield LintWarning("duplicate-choice", key, (
                f"The {what}s {_quote(seen[folded])} and {_quote(value)} differ only in case or punctuation: "
                f"remove one or make it a {what} of its own."))
        else:
            seen[folded] = value


def _accepted_lists(kind: str, spec: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each list of accepted answers with how to name it: the question's, or each blank's."""
    if kind == "short_answer":
        return [("", [a for a in spec.get("accepted") or [] if isinstance(a, str)])]
    return [(f" for blank {i}", [a for a in blank if isinstance(a, str)])
            for i, blank in enumerate(spec.get("blanks") or [], start=1) if isinstance(blank, list)]


def _duplicate_accepted(key: str, kind: str, spec: dict[str, Any]) -> Iterable[LintWarning]:
    """An accepted answer whose every form an earlier one already accepts, as grading compares them
    (``answer_matching``: case, accents, punctuation, spacing, hyphens inside words and a leading article
    aside; "back-stop" accepts "back stop" too): it does nothing."""
    for where, accepted in _accepted_lists(kind, spec):
        seen: dict[str, str] = {}
        for answer in accepted:
            forms = accepted_forms(answer)
            earlier = seen[next(iter(forms))] if forms and all(form in seen for form in forms) else None
            if earlier is not None:
                yield LintWarning("duplicate-accepted", key, (
                    f"The accepted answers {_quote(earlier)} and {_quote(answer)}{where} are the same once "
                    "case, accents, punctuation, hyphens and a leading article are set aside, as grading does: "
                    "keep one."))
            else:
                for form in forms:
                    seen.setdefault(form, answer)


_GAP = re.compile(r"_{3,}|\{\d+\}")
# The words looked for before and after a gap, most first: a word on each side and three in all.
_CONTEXTS = ((3, 2), (3, 1), (2, 2), (2, 1), (1, 2))


def _answer_not_accepted(question: dict[str, Any]) -> Iterable[LintWarning]:
    """What the feedback presents as the answer, when grading would not accept it.

    The heuristic: take the words on either side of a gap (a cloze's ``{n}``, or a run of three or more
    underscores in a short answer's prompt), up to three before and two after, within the gap's
    sentence (fewer when the feedback has no match for as many). Where the explanation or the passage
    has those same words around a span of one to four other words, that span is what the feedback says
    fills the gap ("… enhance Ukraine's *defence* capabilities …"). A span that is none of the accepted
    answers (compared as grading compares them) is a correct answer that would be marked wrong. A gap
    needs a word on each side and three in all: without a word after it, where the answer ends is a
    guess ("the endorsement of the {2}." against "the endorsement of the United States, which …"), and
    fewer words match by chance.
    """
    kind, spec, key = question.get("type"), question.get("spec") or {}, question["key"]
    if kind == "cloze":
        text = spec.get("text") or ""
        accepted_by_gap = {i: spec["blanks"][i - 1] for i in map(int, BLANK.findall(text))
                           if 0 < i <= len(spec.get("blanks") or [])}
    elif kind == "short_answer":
        text = question.get("prompt") or ""
        accepted_by_gap = {1: list(spec.get("accepted") or [])}
        if len(re.findall(r"_{3,}", text)) != 1:
            return
        text = re.sub(r"_{3,}", "{1}", text)
    else:
        return
    feedback = [words(question.get("explanation") or ""), words(question.get("passage") or "")]
    pieces = re.split(r"(\{\d+\})", text)
    reported: set[str] = set()
    for i, piece in enumerate(pieces):
        found = BLANK.fullmatch(piece)
        if not found or int(found.group(1)) not in accepted_by_gap:
            continue
        number = int(found.group(1))
        before_all = _clause(pieces[i - 1] if i else "", last=True)
        after_all = _clause(pieces[i + 1] if i + 1 < len(pieces) else "", last=False)
        accepted = [a for a in accepted_by_gap[number] if isinstance(a, str)]
        for tokens in feedback:
            # The most context first; less when the feedback words the sentence a little differently.
            span = next((found for b, a in _CONTEXTS if len(before_all) >= b and len(after_all) >= a
                         if (found := _between(tokens, before_all[len(before_all) - b:], after_all[:a]))), None)
            if span is None:
                continue
            said = " ".join(span)
            if not answer_matches(said, accepted, spec.get("tolerance")) and said not in reported:
                reported.add(said)
                where = f" for blank {number}" if kind == "cloze" else ""
                yield LintWarning("answer-not-accepted", key, (
                    f"The feedback gives “{said}” as the answer{where}, but it is not among the accepted answers, "
                    "so a student who writes it is marked wrong: add it to the accepted answers, or change "
                    "the feedback."))


def _clause(text: str, last: bool) -> list[str]:
    """The words of ``text`` up to the gap, not reaching past a sentence's end or another gap."""
    parts = re.split(r"[.!?;:]\s|\{\d+\}", text)
    return words(parts[-1] if last else parts[0])


def _between(tokens: list[str], before: list[str], after: list[str]) -> list[str] | None:
    """The one to four words found in ``tokens`` between ``before`` and ``after``."""
    for start in range(len(tokens) - len(before) + 1):
        if tokens[start:start + len(before)] != before:
            continue
        rest = tokens[start + len(before):]
        for size in range(1, 5):
            if size > len(rest):
                break
            if rest[size:size + len(after)] == after:
                return rest[:size]
    return None


def _stem_words(question: dict[str, Any]) -> list[str]:
    """What a student reads besides the choices: the prompt, a cloze's text, an ordering's items (every
    one of which is true); pieces are kept apart by a mark no word matches."""
    spec = question.get("spec") or {}
    texts = [question.get("prompt") or ""]
    if question.get("type") == "cloze":
        texts += BLANK.split(spec.get("text") or "")[::2]
    if question.get("type") == "ordering":
        texts += [i for i in spec.get("items") or [] if isinstance(i, str)]
    tokens: list[str] = []
    for text in texts:
        tokens += [*words(text), "\x00"]
    return tokens


def _key_phrases(question: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """The answers another question could give away, each with the runs of words that would give it
    away: a choice question's keys and the first (the shown) accepted answer of a short answer, as they
    are; a blank's first answer with the word next to it on either side ("technical {1}" gives
    "technical groundwork"), since a single word alone turns up anywhere."""
    spec, kind = question.get("spec") or {}, question.get("type")
    if kind == "single_choice":
        keys = [spec.get("answer")]
    elif kind == "multiple_select":
        keys = list(spec.get("answers") or [])
    elif kind == "short_answer":
        keys = list(spec.get("accepted") or [])[:1]
    elif kind == "cloze":
        phrases = []
        pieces = BLANK.split(spec.get("text") or "")
        blanks = spec.get("blanks") or []
        for i in range(1, len(pieces), 2):
            number = int(pieces[i])
            if not (0 < number <= len(blanks)) or not blanks[number - 1] or not isinstance(blanks[number - 1][0], str):
                continue
            answer = blanks[number - 1][0]
            tokens = words(answer)
            before, after = words(pieces[i - 1])[-1:], words(pieces[i + 1] if i + 1 < len(pieces) else "")[:1]
            runs = [r for r in (before + tokens, tokens + after) if len(r) > len(tokens)] or [tokens]
            phrases.append((answer, runs))
        return phrases
    else:
        return []
    return [(k, [_trim(words(k))]) for k in keys if isinstance(k, str)]


def _trim(tokens: list[str]) -> list[str]:
    while tokens and tokens[0] in STOPWORDS:
        tokens = tokens[1:]
    while tokens and tokens[-1] in STOPWORDS:
        tokens = tokens[:-1]
    return tokens


def _content(tokens: Iterable[str]) -> set[str]:
    return {w for w in tokens if len(w) >= 4 and w not in STOPWORDS and w != "\x00"}


def _answers_another(questions: Sequence[dict[str, Any]]) -> Iterable[tuple[str, LintWarning]]:
    """A key found, word for word, in what another question shows (its prompt, its cloze text, its
    ordering items) when that question is on the same subject.

    Three conditions keep it quiet where nothing is given away: the key must hold a word of three or
    more letters, or a number, that is neither in its own question's stem nor in one of its distractors (a name every
    choice shares gives nothing away); the other question must show the key's words in a run (for a
    blank, with the word beside the gap); and it must share a content word (four letters or more, not a
    function word) with the first question's stem besides the key, so "Keir Starmer" in a question on
    his role does not count as answering who organised the meeting, while "as a strategic backstop for
    European efforts" does answer "act as a strategic ______ for European efforts"."""
    stems = [(q["key"], _stem_words(q)) for q in questions]
    # Which stems hold each word, so a key is only looked for where all its words are (a bank of
    # hundreds of questions is linted on every view of its list).
    holding: dict[str, set[int]] = {}
    for index, (_, stem) in enumerate(stems):
        for word in stem:
            holding.setdefault(word, set()).add(index)
    for question in questions:
        own = _stem_words(question)
        spec = question.get("spec") or {}
        phrases = _key_phrases(question)
        keys = {k for k, _ in phrases}
        distractor_words = {w for c in spec.get("choices") or [] if isinstance(c, str) and c not in keys
                            for w in words(c)}
        for phrase, runs in phrases:
            tokens = words(phrase)
            if not [w for w in tokens if w not in STOPWORDS and (len(w) >= 3 or w.isdigit())
                    and w not in own and w not in distractor_words]:
                continue
            subject = _content(own) - set(tokens)
            candidates = sorted(set().union(*(set.intersection(*(holding.get(w, set()) for w in run))
                                              for run in runs if run)))
            for other, stem in (stems[i] for i in candidates):
                if other == question["key"] or not subject & set(stem):
                    continue
                if any(run and _contains(stem, run) for run in runs):
                    yield question["key"], LintWarning("answers-another", question["key"], (
                        f"The answer {_quote(phrase)} is written in question {other}, on the same subject, so a "
                        "student who has seen that one can answer this one without knowing it: reword one of "
                        "the two."))
                    break
