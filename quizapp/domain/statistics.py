"""Item statistics for teachers: score summaries, reliability, discrimination, choice counts.

Everything here works on plain data (attempts as ``AttemptRecord``, questions as
``QuestionInfo``) and knows nothing of requests or the database. Item scores are
fractions of the question's points, from 0 to 1; an unanswered question counts 0.

The measures follow Moodle's quiz statistics report: facility is the mean item score;
discrimination is the point-biserial correlation of an item with the rest of the test
(the attempt's other items), so an item is never correlated with itself; reliability is
Cronbach's alpha, which for right-or-wrong items is KR-20.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.domain.bank_format import REFERENCE

KIND_ORDER = ("key_point", "faq", "section")
# Below this many attempts a statistic says more about chance than about the question: with one attempt,
# every distractor of a question answered right would be "unpicked", and a facility is 0% or 100%.
MIN_ATTEMPTS_FOR_FLAGS = 5
# Where a question counts as too easy or too hard to tell students apart (facility, 0–1), and where its
# link with the rest of the quiz (point-biserial) is too weak to mean it measures the same thing.
EASY_FACILITY = 0.9
HARD_FACILITY = 0.2
WEAK_DISCRIMINATION = 0.15
# Where the answers put a question on the bank's difficulty scale (1 easy, 2, 3 hard), by facility (0–1). An
# easy question is one three students in four get right; below two in five it is hard; between, middling.
# The cut-offs are those of classical item analysis (moderate difficulty around 0.4–0.75), so the scale set from
# what makes an item hard can be corrected from how students found it: see ``suggested_difficulty``.
EASY_DIFFICULTY_FACILITY = 0.75
MEDIUM_DIFFICULTY_FACILITY = 0.40
DIFFICULTY_LABELS = {1: "1 (easy)", 2: "2", 3: "3 (hard)"}
FLAG_TITLES = {
    "negative_discrimination": "Strong students got it wrong",
    "wrong_choice_preferred": "A wrong answer was picked most",
    "distractor_pulls_strong_students": "A wrong answer drew strong students",
    "hard": "Very hard",
    "easy": "Very easy",
    "weak_discrimination": "Tells students apart poorly",
    "unpicked_choice": "A choice nobody picks",
}


@dataclass(frozen=True)
class Flag:
    """Something to look at in a question, said in plain words: a short ``title``, what the numbers show
    (``finding``) and what to do about it (``action``). ``code`` names the kind of flag for programs."""

    code: str
    finding: str
    action: str

    @property
    def title(self) -> str:
        return FLAG_TITLES[self.code]

    def __str__(self) -> str:
        return f"{self.finding} {self.action}"


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt at an assignment: its score and each asked question's share of points."""

    attempt_id: int
    student_id: int
    score: float
    max_score: float
    items: dict[int, float]
    responses: dict[int, tuple[str, ...]]


@dataclass(frozen=True)
class QuestionInfo:
    """What the statistics need of a question: its choices and the correct ones (empty if not a choice question)."""

    question_id: int
    choices: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreSummary:
    """Count, centre and spread of a list of percentages; all None but the count when it is empty."""

    count: int
    mean: float | None
    median: float | None
    standard_deviation: float | None
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True)
class Bin:
    """One bar of a histogram: values from ``lower`` up to, not including, ``upper`` (the last bin includes 100)."""

    lower: float
    upper: float
    count: int


@dataclass(frozen=True)
class ItemStats:
    """How one question behaved over the attempts that asked it. ``flags`` stay empty below
    ``MIN_ATTEMPTS_FOR_FLAGS`` attempts (``enough`` is then False): so few say more about chance."""

    question_id: int
    attempts: int
    facility: float | None
    point_biserial: float | None
    upper_lower: float | None
    choice_counts: dict[str, int]
    flags: tuple[Flag, ...]
    correct: tuple[str, ...] = ()

    @property
    def enough(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS_FOR_FLAGS

    @property
    def suggested_difficulty(self) -> int | None:
        """The difficulty (1, 2 or 3) the answers suggest; None below ``MIN_ATTEMPTS_FOR_FLAGS`` attempts."""
        return suggested_difficulty(self.facility, self.attempts)


@dataclass(frozen=True)
class AssignmentStats:
    """Everything the teacher's statistics page shows for one assignment."""

    attempts: int
    summary: ScoreSummary
    histogram: tuple[Bin, ...]
    alpha: float | None
    alpha_question_ids: tuple[int, ...]
    items: tuple[ItemStats, ...]

    @property
    def enough(self) -> bool:
        """Whether there are attempts enough for percentages and reliability to mean something."""
        return self.attempts >= MIN_ATTEMPTS_FOR_FLAGS


@dataclass(frozen=True)
class Mastery:
    """How often the class answered questions on one part of the source right."""

    reference: str
    right: int
    total: int
    share: float


def suggested_difficulty(facility: float | None, attempts: int) -> int | None:
    """The difficulty the answers suggest for a question: 1 (easy) from ``EASY_DIFFICULTY_FACILITY`` of its
    points earned, 2 from ``MEDIUM_DIFFICULTY_FACILITY``, 3 (hard) below. None with fewer than
    ``MIN_ATTEMPTS_FOR_FLAGS`` attempts, or no facility: so few answers say more about chance than about
    the question."""
    if facility is None or attempts < MIN_ATTEMPTS_FOR_FLAGS:
        return None
    if facility >= EASY_DIFFICULTY_FACILITY:
        return 1
    if facility >= MEDIUM_DIFFICULTY_FACILITY:
        return 2
    return 3


def summarise(percentages: Sequence[float]) -> ScoreSummary:
    """Count, mean, median, sample standard deviation (n − 1; None below two values), lowest and highest."""
    if not percentages:
        return ScoreSummary(0, None, None, None, None, None)
    return ScoreSummary(
        count=len(percentages),
        mean=statistics.fmean(percentages),
        median=float(statistics.median(percentages)),
        standard_deviation=statistics.stdev(percentages) if len(percentages) >= 2 else None,
        minimum=float(min(percentages)),
        maximum=float(max(percentages)),
    )


def histogram(percentages: Iterable[float], bins: int = 10) -> list[Bin]:
    """Count ``percentages`` in ``bins`` equal-width bins over 0–100; 100 falls in the last bin.

    A value a rounding error outside 0–100 counts in the nearest end bin.
    """
    if bins < 1:
        raise ValueError("a histogram needs at least one bin")
    counts = [0] * bins
    for value in percentages:
        counts[min(max(int(value * bins / 100), 0), bins - 1)] += 1
    return [Bin(lower=i * 100 / bins, upper=(i + 1) * 100 / bins, count=count) for i, count in enumerate(counts)]


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a score matrix whose rows are attempts and columns items (fractions 0–1).

    alpha = k / (k − 1) × (1 − Σ item variances / variance of the row totals), with population
    variances (divide by n) throughout; for items scored 0 or 1 this is KR-20, since an item's
    population variance is then p × q. None with fewer than two items or two attempts, or when
    every attempt has the same total.
    """
    if len({len(row) for row in matrix}) > 1:
        raise ValueError("every row needs one score per item")
    items = len(matrix[0]) if matrix else 0
    if items < 2 or len(matrix) < 2:
        return None
    total_variance = statistics.pvariance([math.fsum(row) for row in matrix])
    if total_variance == 0:
        return None
    item_variances = math.fsum(statistics.pvariance(column) for column in zip(*matrix, strict=True))
    return items / (items - 1) * (1 - item_variances / total_variance)


def point_biserial(item: Sequence[float], rest: Sequence[float]) -> float | None:
    """Pearson correlation of item scores with rest-of-test scores (the total without this item).

    This is the corrected discrimination Moodle calls the discrimination index. None with fewer
    than two attempts or when either side does not vary.
    """
    if len(item) != len(rest):
        raise ValueError("item and rest need one score per attempt each")
    if len(item) < 2 or statistics.pvariance(item) == 0 or statistics.pvariance(rest) == 0:
        return None
    return statistics.correlation(item, rest)


def upper_lower_index(item: Sequence[float], totals: Sequence[float], fraction: float = 0.27) -> float | None:
    """Mean item score of the top ``fraction`` of attempts by total minus that of the bottom ``fraction``.

    Each group holds max(1, round(fraction × N)) attempts; attempts with equal totals keep the
    order they were given in, so a tie at the cut is split by that order. None below two attempts.
    """
    if len(item) != len(totals):
        raise ValueError("item and totals need one score per attempt each")
    if not 0 < fraction <= 0.5:
        raise ValueError("fraction must be above 0 and at most 0.5, so the groups do not overlap")
    if len(item) < 2:
        return None
    group = max(1, round(fraction * len(item)))
    order = sorted(range(len(item)), key=totals.__getitem__)
    upper = statistics.fmean(item[i] for i in order[-group:])
    lower = statistics.fmean(item[i] for i in order[:group])
    return upper - lower


def choice_counts(question: QuestionInfo, responses: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """How many responses picked each of the question's choices, in the question's order.

    Every choice is present (0 if never picked); a text that is not one of the choices (say,
    a choice renamed since) is not counted.
    """
    picked = Counter(text for response in responses for text in set(response))
    return {choice: picked[choice] for choice in question.choices}


def _quoted(choices: Sequence[str]) -> str:
    quoted = [f"“{choice}”" for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _flags(question: QuestionInfo, counts: dict[str, int], facility: float | None, discrimination: float | None,
           asked: int, strong: Counter[str], weak: Counter[str]) -> tuple[Flag, ...]:
    """What a teacher should look at in the question, most serious first. ``strong`` and ``weak`` count the
    choices picked by the top and the bottom 27% of attempts by the rest of the quiz."""
    if asked < MIN_ATTEMPTS_FOR_FLAGS:
        return ()
    flags = []
    if discrimination is not None and discrimination < 0:
        flags.append(Flag(
            "negative_discrimination",
            "Students who did well on the rest of the quiz tended to get this one wrong, and weaker students "
            "to get it right.",
            "Check the key: it may mark a wrong answer as right, or the question may read two ways."))
    right = [counts[choice] for choice in question.correct if choice in counts]
    wrong = {choice: count for choice, count in counts.items() if choice not in question.correct}
    if right and wrong and max(wrong.values()) > min(right):
        favourite = max(wrong, key=wrong.__getitem__)
        flags.append(Flag(
            "wrong_choice_preferred",
            f"More students picked “{favourite}”, a wrong answer, than the right one.",
            f"Check the key first; if it is right, “{favourite}” is a common misunderstanding worth going "
            "over with the class."))
    pulling = [choice for choice in wrong if strong[choice] >= 2 and strong[choice] > weak[choice]]
    if pulling:
        flags.append(Flag(
            "distractor_pulls_strong_students",
            f"{_quoted(pulling)}, a wrong answer, drew more of the strongest students than of the weakest.",
            f"Check whether {_quoted(pulling)} could also be argued right, or whether the question is worded "
            "ambiguously."))
    if facility is not None and facility <= HARD_FACILITY:
        flags.append(Flag(
            "hard",
            f"Few students got this right: {facility:.0%} of its points were earned.",
            "Check the key and the wording; if both are right, this part of the text may need teaching again."))
    elif facility is not None and facility >= EASY_FACILITY:
        flags.append(Flag(
            "easy",
            f"Almost everyone got this right: {facility:.0%} of its points were earned.",
            "Fine as a warm-up; to tell students apart, make its wrong answers more tempting."))
    elif discrimination is not None and 0 <= discrimination < WEAK_DISCRIMINATION:
        flags.append(Flag(
            "weak_discrimination",
            "Getting this right had little to do with how students did on the rest of the quiz.",
            "It may be guessable or test something else: check that it is clear, or reword it."))
    # A right answer nobody picks shows up as "a wrong answer is picked more often"; this flag
    # is about wrong answers that fool no one.
    unpicked = [choice for choice, count in wrong.items() if count == 0]
    if unpicked:
        flags.append(Flag(
            "unpicked_choice",
            f"Nobody picked {_quoted(unpicked)}.",
            "Replace them with more tempting wrong answers: as they stand, they only narrow the choice."
            if len(unpicked) > 1 else
            "Replace it with a more tempting wrong answer: as it stands, it only narrows the choice."))
    return tuple(flags)


def _groups(totals: Sequence[float], fraction: float = 0.27) -> tuple[list[int], list[int]]:
    """The indexes of the top and the bottom ``fraction`` of attempts by ``totals``, grouped as
    ``upper_lower_index`` groups them."""
    if len(totals) < 2:
        return [], []
    group = max(1, round(fraction * len(totals)))
    order = sorted(range(len(totals)), key=totals.__getitem__)
    return order[-group:], order[:group]


def analyse_items(attempts: Sequence[AttemptRecord], questions: Sequence[QuestionInfo]) -> list[ItemStats]:
    """Facility, discrimination, choice counts and warnings for each question, in the order given.

    Each question is measured over the attempts that asked it. An attempt's total is the sum of
    its item fractions, and an item's rest is that sum over the attempt's other items.
    """
    results = []
    for question in questions:
        qid = question.question_id
        asking = [attempt for attempt in attempts if qid in attempt.items]
        scores = [attempt.items[qid] for attempt in asking]
        totals = [math.fsum(attempt.items.values()) for attempt in asking]
        rests = [math.fsum(score for other, score in attempt.items.items() if other != qid) for attempt in asking]
        discrimination = point_biserial(scores, rests)
        responses = [attempt.responses.get(qid, ()) for attempt in asking]
        counts = choice_counts(question, [response for response in responses if response])
        # Strong and weak by the rest of the quiz, so that picking the wrong answer here does not decide it.
        upper, lower = _groups(rests)
        strong = Counter(text for i in upper for text in set(responses[i]))
        weak = Counter(text for i in lower for text in set(responses[i]))
        facility = statistics.fmean(scores) if scores else None
        results.append(ItemStats(
            question_id=qid,
            attempts=len(asking),
            facility=facility,
            point_biserial=discrimination,
            upper_lower=upper_lower_index(scores, totals),
            choice_counts=counts,
            flags=_flags(question, counts, facility, discrimination, len(asking), strong, weak),
            correct=question.correct,
        ))
    return results


def assignment_statistics(
    attempts: Sequence[AttemptRecord], questions: Sequence[QuestionInfo], bins: int = 10
) -> AssignmentStats:
    """The score summary, histogram, reliability and item statistics of one assignment's attempts.

    Percentages are score / max_score × 100; an attempt with nothing to score (max_score 0) has
    none and is left out of the summary and histogram. Alpha is computed over the questions every
    attempt asked, so that each row of its matrix covers the same items.
    """
    percentages = [attempt.score / attempt.max_score * 100 for attempt in attempts if attempt.max_score > 0]
    common = [q.question_id for q in questions if all(q.question_id in attempt.items for attempt in attempts)]
    matrix = [[attempt.items[qid] for qid in common] for attempt in attempts]
    return AssignmentStats(
        attempts=len(attempts),
        summary=summarise(percentages),
        histogram=tuple(histogram(percentages, bins)),
        alpha=cronbach_alpha(matrix),
        alpha_question_ids=tuple(common),
        items=tuple(analyse_items(attempts, questions)),
    )


def _reference_order(reference: str) -> tuple[int, int, str]:
    match = REFERENCE.match(reference)
    if match is None:
        return len(KIND_ORDER), 0, reference
    return KIND_ORDER.index(match[1]), int(match[2]), reference


def mastery(results: Iterable[tuple[str, bool]]) -> list[Mastery]:
    """Right answers out of all answers per source reference (``key_point 3``), in source order.

    Key points come first, then FAQs, then sections, each by number; a reference of another
    shape comes last, by its text.
    """
    return mastery_from_counts((reference, int(bool(correct)), 1) for reference, correct in results)


def mastery_from_counts(counts: Iterable[tuple[str, int, int]]) -> list[Mastery]:
    """``mastery`` from (reference, right, total) counts, as a database counts them; a reference may
    come more than once."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for reference, right_answers, answers in counts:
        total[reference] += answers
        right[reference] += right_answers
    return [
        Mastery(reference, right[reference], total[reference], right[reference] / total[reference])
        for reference in sorted(total, key=_reference_order) if total[reference]
    ]
