"""Item statistics checked against values worked out by hand.

Most tests use one small class, five attempts at four questions worth one point each
(1 = right, 0 = wrong or unanswered):

    attempt   q1  q2  q3  q4 | total  percentage
       1       1   1   1   1 |   4       100
       2       1   1   1   0 |   3        75
       3       1   1   0   0 |   2        50
       4       1   0   0   1 |   2        50
       5       0   0   0   0 |   0         0

    facility p = .8  .6  .4  .4       q = 1 − p = .2  .4  .6  .6

q1 is single choice (A right), q2 true/false (True right), q3 multiple select (W and X
right, all or nothing), q4 short answer. Each test's docstring shows its arithmetic.
"""

from __future__ import annotations

import math

import pytest

from quizapp.domain.statistics import (
    AttemptRecord,
    Bin,
    Mastery,
    QuestionInfo,
    ScoreSummary,
    analyse_items,
    assignment_statistics,
    choice_counts,
    cronbach_alpha,
    histogram,
    mastery,
    point_biserial,
    summarise,
    upper_lower_index,
)

Q1 = QuestionInfo(1, choices=("A", "B", "C"), correct=("A",))
Q2 = QuestionInfo(2, choices=("True", "False"), correct=("True",))
Q3 = QuestionInfo(3, choices=("W", "X", "Y", "Z"), correct=("W", "X"))
Q4 = QuestionInfo(4)
QUESTIONS = [Q1, Q2, Q3, Q4]

MATRIX = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 0, 1],
    [0, 0, 0, 0],
]
RESPONSES = [
    {1: ("A",), 2: ("True",), 3: ("W", "X"), 4: ("harbour",)},
    {1: ("A",), 2: ("True",), 3: ("X", "W"), 4: ("port",)},
    {1: ("A",), 2: ("True",), 3: ("W", "Y"), 4: ("port",)},
    {1: ("A",), 2: ("False",), 3: ("Y",), 4: ("harbour",)},
    {1: ("B",), 3: ("Y", "Z")},
]


def attempt(number: int, items: dict[int, float], responses: dict | None = None, points: float = 1) -> AttemptRecord:
    """An attempt whose questions are each worth ``points``."""
    return AttemptRecord(
        attempt_id=number,
        student_id=100 + number,
        score=sum(items.values()) * points,
        max_score=len(items) * points,
        items=items,
        responses=responses or {},
    )


ATTEMPTS = [
    attempt(n, dict(zip((1, 2, 3, 4), row, strict=True)), responses)
    for n, (row, responses) in enumerate(zip(MATRIX, RESPONSES, strict=True), start=1)
]


# --- summarise -------------------------------------------------------------------------

def test_summarise_by_hand():
    """100, 75, 50, 50, 0: mean 275 / 5 = 55; median 50.

    Deviations from 55: 45, 20, −5, −5, −55; squares 2025 + 400 + 25 + 25 + 3025 = 5500;
    sample variance 5500 / (5 − 1) = 1375; SD √1375 ≈ 37.08.
    """
    summary = summarise([100, 75, 50, 50, 0])
    assert summary == ScoreSummary(
        count=5, mean=55, median=50, standard_deviation=pytest.approx(math.sqrt(1375)), minimum=0, maximum=100
    )
    assert summary.standard_deviation == pytest.approx(37.0810, abs=1e-4)


def test_summarise_even_count_takes_the_middle_two():
    assert summarise([40, 10, 30, 20]).median == 25


def test_summarise_empty():
    assert summarise([]) == ScoreSummary(0, None, None, None, None, None)


def test_summarise_one_value_has_no_spread():
    assert summarise([80.0]) == ScoreSummary(1, 80.0, 80.0, None, 80.0, 80.0)


# --- histogram -------------------------------------------------------------------------

def test_histogram_of_the_class():
    """0 → 0–10; 50, 50 → 50–60; 75 → 70–80; 100 → the last bin, 90–100."""
    bins = histogram([100, 75, 50, 50, 0])
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 2, 0, 1, 0, 1]
    assert bins[0] == Bin(0, 10, 1)
    assert bins[-1] == Bin(90, 100, 1)


def test_histogram_edges_belong_to_the_bin_above():
    """Five bins of 20: 0, 10, 19.99 → first; 20 → second; 80 and 100 → last."""
    bins = histogram([0, 10, 19.99, 20, 80, 100], bins=5)
    assert [(b.lower, b.upper, b.count) for b in bins] == [
        (0, 20, 3), (20, 40, 1), (40, 60, 0), (60, 80, 0), (80, 100, 2),
    ]


def test_histogram_uneven_width():
    """Three bins: 33.3… is the edge of the second bin, 100 is in the third."""
    bins = histogram([100 / 3, 66, 100], bins=3)
    assert [b.count for b in bins] == [0, 2, 1]
    assert bins[1].lower == pytest.approx(33.333, abs=1e-3)


def test_histogram_empty_and_rounding_errors():
    assert [b.count for b in histogram([])] == [0] * 10
    assert [b.count for b in histogram([100.00000000000001, -1e-12], bins=2)] == [1, 1]


def test_histogram_needs_a_bin():
    with pytest.raises(ValueError):
        histogram([50], bins=0)


# --- cronbach_alpha (KR-20) ------------------------------------------------------------

def test_alpha_is_kr20_for_right_or_wrong_items():
    """KR-20 = k / (k − 1) × (1 − Σ pq / variance of totals).

    Σ pq = .8×.2 + .6×.4 + .4×.6 + .4×.6 = .16 + .24 + .24 + .24 = .88.
    Totals 4, 3, 2, 2, 0: mean 2.2; deviations 1.8, .8, −.2, −.2, −2.2;
    squares 3.24 + .64 + .04 + .04 + 4.84 = 8.8; population variance 8.8 / 5 = 1.76.
    alpha = 4/3 × (1 − .88 / 1.76) = 4/3 × 1/2 = 2/3.
    """
    assert cronbach_alpha(MATRIX) == pytest.approx(2 / 3)


def test_alpha_with_partial_credit():
    """Rows (1, .5), (.5, .5), (0, 0).

    Item 1: mean .5, variance (.25 + 0 + .25) / 3 = 1/6.
    Item 2: mean 1/3, variance (1/36 + 1/36 + 4/36) / 3 = 1/18.
    Totals 1.5, 1, 0: mean 5/6, variance (16/36 + 1/36 + 25/36) / 3 = 7/18.
    alpha = 2/1 × (1 − (1/6 + 1/18) / (7/18)) = 2 × (1 − 4/7) = 6/7.
    """
    assert cronbach_alpha([[1, 0.5], [0.5, 0.5], [0, 0]]) == pytest.approx(6 / 7)


@pytest.mark.parametrize("matrix", [
    [],
    [[1, 0, 1]],                        # one attempt
    [[1], [0], [1]],                    # one item
    [[1, 0], [0, 1], [1, 0]],           # every total is 1
])
def test_alpha_undefined(matrix):
    assert cronbach_alpha(matrix) is None


def test_alpha_rejects_ragged_rows():
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 0], [1]])


# --- point_biserial --------------------------------------------------------------------

def test_point_biserial_by_formula():
    """r = (M1 − M0) / s × √(pq), s the population SD of the rest scores.

    q1 against the rest (total − q1) = 3, 2, 1, 1, 0: M1 (mean rest of those right) = 7/4,
    M0 = 0; rest mean 1.4, s² = (9 + 4 + 1 + 1 + 0) / 5 − 1.4² = 1.04; √(pq) = √.16 = .4.
    r = 1.75 × .4 / √1.04 ≈ .6864.
    """
    assert point_biserial([1, 1, 1, 1, 0], [3, 2, 1, 1, 0]) == pytest.approx(0.7 / math.sqrt(1.04))
    assert point_biserial([1, 1, 1, 1, 0], [3, 2, 1, 1, 0]) == pytest.approx(0.6864, abs=1e-4)


def test_point_biserial_negative():
    """Item 1, 1, 0, 0 against rest 0, 1, 1, 2: M1 = .5, M0 = 1.5, p = q = .5;
    rest mean 1, s² = (1 + 0 + 0 + 1) / 4 = .5. r = −1 / √.5 × .5 = −1/√2."""
    assert point_biserial([1, 1, 0, 0], [0, 1, 1, 2]) == pytest.approx(-1 / math.sqrt(2))


@pytest.mark.parametrize(("item", "rest"), [
    ([], []),
    ([1], [3]),                         # one attempt
    ([1, 1, 1], [0, 1, 2]),             # everyone right
    ([1, 0, 1], [2, 2, 2]),             # the rest does not vary
])
def test_point_biserial_undefined(item, rest):
    assert point_biserial(item, rest) is None


def test_point_biserial_rejects_unequal_lengths():
    with pytest.raises(ValueError):
        point_biserial([1, 0], [1, 2, 3])


# --- upper_lower_index -----------------------------------------------------------------

def test_upper_lower_index_by_hand():
    """Ten attempts: each group holds round(.27 × 10) = round(2.7) = 3.

    Top three totals 9, 8, 7 have item scores 1, 1, 0 → 2/3; bottom three totals 0, 1, 2
    have 0, 0, 1 → 1/3. Index = 2/3 − 1/3 = 1/3.
    """
    totals = [5, 9, 0, 7, 2, 8, 1, 3, 6, 4]
    item = [1, 1, 0, 0, 1, 1, 0, 0, 1, 0]
    assert upper_lower_index(item, totals) == pytest.approx(1 / 3)


def test_upper_lower_index_with_partial_credit_and_another_fraction():
    """Fraction .5 of four: two a side. Top (totals 4, 3): .5 and 1 → .75; bottom (0, 1): 0 and .25 → .125."""
    assert upper_lower_index([0.25, 1, 0, 0.5], [1, 3, 0, 4], fraction=0.5) == pytest.approx(0.625)


def test_upper_lower_index_small_classes_use_one_a_side():
    """Five attempts: round(1.35) = 1; two attempts: max(1, round(.54)) = 1."""
    assert upper_lower_index([0, 1, 1, 0, 1], [0, 3, 2, 2, 4]) == 1
    assert upper_lower_index([1, 0], [1, 0]) == 1


def test_upper_lower_index_ties_keep_the_given_order():
    """All totals equal: the first attempt is the lower group, the last the upper."""
    assert upper_lower_index([0, 1, 1, 1], [2, 2, 2, 2]) == 1


def test_upper_lower_index_undefined_and_invalid():
    assert upper_lower_index([1], [1]) is None
    assert upper_lower_index([], []) is None
    with pytest.raises(ValueError):
        upper_lower_index([1, 0], [1])
    with pytest.raises(ValueError):
        upper_lower_index([1, 0], [1, 0], fraction=0.6)


# --- choice_counts ---------------------------------------------------------------------

def test_choice_counts_of_a_multiple_select():
    """q3's responses: W X, X W, W Y, Y, Y Z → W 3, X 2, Y 3, Z 1."""
    counts = choice_counts(Q3, [r[3] for r in RESPONSES])
    assert counts == {"W": 3, "X": 2, "Y": 3, "Z": 1}
    assert list(counts) == ["W", "X", "Y", "Z"]


def test_choice_counts_lists_every_choice_and_ignores_unknown_text():
    assert choice_counts(Q1, [("A",), ("A", "A"), ("D",)]) == {"A": 2, "B": 0, "C": 0}
    assert choice_counts(Q1, []) == {"A": 0, "B": 0, "C": 0}


def test_choice_counts_of_a_question_without_choices():
    assert choice_counts(Q4, [("harbour",)]) == {}


# --- analyse_items ---------------------------------------------------------------------

def test_analyse_items_by_hand():
    """Facility is p. Discrimination is r = (M1 − M0) / s × √(pq) against the rest (total − item):

    q1: rest 3, 2, 1, 1, 0; M1 = 7/4, M0 = 0;   s² = 15/5 − 1.4² = 1.04; r = 1.75 × √.16 / √1.04 ≈ .686
    q2: rest 3, 2, 1, 2, 0; M1 = 2,   M0 = 1;   s² = 18/5 − 1.6² = 1.04; r = 1 × √.24 / √1.04 ≈ .480
    q3: rest 3, 2, 2, 2, 0; M1 = 5/2, M0 = 4/3; s² = 21/5 − 1.8² = .96;  r = 7/6 × √.24 / √.96 = 7/12
    q4: rest 3, 3, 2, 1, 0; M1 = 2,   M0 = 5/3; s² = 23/5 − 1.8² = 1.36; r = 1/3 × √.24 / √1.36 ≈ .140

    Upper − lower: five attempts, one a side: attempt 1 (total 4) minus attempt 5 (total 0)
    = 1 − 0 for every item.
    """
    q1, q2, q3, q4 = analyse_items(ATTEMPTS, QUESTIONS)
    assert [i.question_id for i in (q1, q2, q3, q4)] == [1, 2, 3, 4]
    assert [i.attempts for i in (q1, q2, q3, q4)] == [5, 5, 5, 5]
    assert [i.facility for i in (q1, q2, q3, q4)] == pytest.approx([0.8, 0.6, 0.4, 0.4])
    assert [i.point_biserial for i in (q1, q2, q3, q4)] == pytest.approx([
        1.75 * 0.4 / math.sqrt(1.04),
        math.sqrt(0.24) / math.sqrt(1.04),
        7 / 12,
        1 / 3 * math.sqrt(0.24) / math.sqrt(1.36),
    ])
    assert q4.point_biserial == pytest.approx(0.1400, abs=1e-4)
    assert [i.upper_lower for i in (q1, q2, q3, q4)] == [1, 1, 1, 1]
    assert q1.choice_counts == {"A": 4, "B": 1, "C": 0}
    assert q2.choice_counts == {"True": 3, "False": 1}
    assert q3.choice_counts == {"W": 3, "X": 2, "Y": 3, "Z": 1}
    assert q4.choice_counts == {}


def codes(item) -> list[str]:
    return [flag.code for flag in item.flags]


def test_analyse_items_flags():
    """q1: nobody picks C. q2: False (1) < True (3). q3: Y (3) beats the least-picked right choice, X (2).
    q4: its point-biserial, 0.14, is below 0.15: right or wrong, it says little of the rest of the quiz."""
    q1, q2, q3, q4 = analyse_items(ATTEMPTS, QUESTIONS)
    assert codes(q1) == ["unpicked_choice"]
    assert q1.flags[0].finding == "Nobody picked “C”."
    assert q2.flags == ()
    assert codes(q3) == ["wrong_choice_preferred"]
    assert q3.flags[0].finding == "More students picked “Y”, a wrong answer, than the right one."
    assert "Check the key" in q3.flags[0].action
    assert codes(q4) == ["weak_discrimination"]


def test_analyse_items_flags_negative_discrimination():
    """q1 is right for 1, 1, 0, 0 while the rest (q2 + q3) is 0, 1, 1, 2: r = −1/√2 (as above).
    Each row is taken twice, which leaves r as it is and gives the 8 attempts flags need."""
    rows = [(1, 0, 0), (1, 1, 0), (0, 1, 0), (0, 1, 1)] * 2
    attempts = [attempt(n, dict(zip((1, 2, 3), row, strict=True))) for n, row in enumerate(rows, start=1)]
    item = analyse_items(attempts, [QuestionInfo(1), QuestionInfo(2), QuestionInfo(3)])[0]
    assert item.point_biserial == pytest.approx(-1 / math.sqrt(2))
    assert codes(item) == ["negative_discrimination"]
    assert item.flags[0].finding.startswith("Students who did well on the rest of the quiz tended to get this one")
    assert item.flags[0].action.startswith("Check the key")


def test_analyse_items_a_tie_between_right_and_wrong_is_not_flagged():
    attempts = [attempt(1, {1: 1.0}, {1: ("A",)}), attempt(2, {1: 0.0}, {1: ("B",)}), attempt(3, {1: 0.0}, {1: ("C",)})]
    assert analyse_items(attempts, [Q1])[0].flags == ()


def test_analyse_items_not_asked_by_every_attempt():
    """q1 asked by attempts 1–3, q2 by 1 and 2, q3 by 3 only, q4 by nobody.

    q1: scores 1, 0, 1, rest (q2 or q3) 1, 0, 0 → M1 = .5, M0 = 0, p = 2/3, q = 1/3;
        rest mean 1/3, s² = 1/3 − 1/9 = 2/9; r = .5 × √(2/9) / √(2/9) = .5.
    q2: facility (1 + 0) / 2 = .5; q3: one attempt, so no discrimination.
    """
    attempts = [
        attempt(1, {1: 1.0, 2: 1.0}, {1: ("A",), 2: ("True",)}),
        attempt(2, {1: 0.0, 2: 0.0}, {1: ("B",)}),
        attempt(3, {1: 1.0, 3: 0.0}, {1: ("A",), 3: ("Y",)}),
    ]
    q1, q2, q3, q4 = analyse_items(attempts, [Q1, Q2, Q3, QuestionInfo(9, ("Yes", "No"), ("Yes",))])
    assert (q1.attempts, q2.attempts, q3.attempts, q4.attempts) == (3, 2, 1, 0)
    assert q1.facility == pytest.approx(2 / 3)
    assert q1.point_biserial == pytest.approx(0.5)
    assert q2.facility == 0.5
    assert q2.choice_counts == {"True": 1, "False": 0}  # attempt 2 left q2 unanswered
    assert (q3.facility, q3.point_biserial, q3.upper_lower) == (0.0, None, None)
    # One attempt is too few to flag anything.
    assert q3.flags == ()
    assert (q4.facility, q4.point_biserial, q4.upper_lower, q4.flags) == (None, None, None, ())
    assert q4.choice_counts == {"Yes": 0, "No": 0}


def test_analyse_items_with_partial_credit():
    """Rows (1, .5), (.5, .5), (0, 0); for q1 the rest is q2: .5, .5, 0.

    Means .5 and 1/3; deviations (.5, 0, −.5) and (1/6, 1/6, −1/3);
    Σ products = 1/12 + 0 + 1/6 = 1/4; Σ squares .5 and 1/6; r = (1/4) / √(.5 × 1/6) = √3/2.
    """
    attempts = [attempt(1, {1: 1.0, 2: 0.5}), attempt(2, {1: 0.5, 2: 0.5}), attempt(3, {1: 0.0, 2: 0.0})]
    q1, q2 = analyse_items(attempts, [QuestionInfo(1), QuestionInfo(2)])
    assert q1.facility == 0.5
    assert q2.facility == pytest.approx(1 / 3)
    assert q1.point_biserial == pytest.approx(math.sqrt(3) / 2)


def test_analyse_items_of_no_attempts():
    item = analyse_items([], [Q1])[0]
    assert (item.attempts, item.facility, item.point_biserial, item.upper_lower) == (0, None, None, None)
    assert item.flags == ()


# --- assignment_statistics -------------------------------------------------------------

def test_assignment_statistics_of_the_class():
    stats = assignment_statistics(ATTEMPTS, QUESTIONS)
    assert stats.attempts == 5
    assert stats.summary == summarise([100, 75, 50, 50, 0])
    assert [b.count for b in stats.histogram] == [1, 0, 0, 0, 0, 2, 0, 1, 0, 1]
    assert stats.alpha == pytest.approx(2 / 3)
    assert stats.alpha_question_ids == (1, 2, 3, 4)
    assert list(stats.items) == analyse_items(ATTEMPTS, QUESTIONS)


def test_assignment_statistics_percentages_use_points():
    """Two-point questions: scores 4/4 and 1/4 → 100% and 25%."""
    attempts = [attempt(1, {1: 1.0, 2: 1.0}, points=2), attempt(2, {1: 0.5, 2: 0.0}, points=2)]
    stats = assignment_statistics(attempts, [QuestionInfo(1), QuestionInfo(2)], bins=4)
    assert (stats.summary.minimum, stats.summary.maximum) == (25, 100)
    assert [b.count for b in stats.histogram] == [0, 1, 0, 1]


def test_assignment_statistics_alpha_over_questions_every_attempt_asked():
    """q1 and q2 are in every attempt, q3 only in the first: alpha over (q1, q2),
    the partial-credit matrix above, = 6/7."""
    attempts = [
        attempt(1, {1: 1.0, 2: 0.5, 3: 1.0}),
        attempt(2, {1: 0.5, 2: 0.5}),
        attempt(3, {2: 0.0, 1: 0.0}),
    ]
    stats = assignment_statistics(attempts, [QuestionInfo(1), QuestionInfo(2), QuestionInfo(3)])
    assert stats.alpha_question_ids == (1, 2)
    assert stats.alpha == pytest.approx(6 / 7)


def test_assignment_statistics_without_two_shared_questions_has_no_alpha():
    attempts = [attempt(1, {1: 1.0, 2: 1.0}), attempt(2, {1: 0.0, 3: 1.0})]
    stats = assignment_statistics(attempts, [QuestionInfo(1), QuestionInfo(2), QuestionInfo(3)])
    assert stats.alpha_question_ids == (1,)
    assert stats.alpha is None


def test_assignment_statistics_of_one_attempt_and_of_none():
    one = assignment_statistics([ATTEMPTS[1]], QUESTIONS)
    assert (one.attempts, one.summary.mean, one.summary.standard_deviation, one.alpha) == (1, 75, None, None)
    assert [i.point_biserial for i in one.items] == [None, None, None, None]
    none = assignment_statistics([], QUESTIONS)
    assert (none.attempts, none.summary.count, none.alpha) == (0, 0, None)
    assert sum(b.count for b in none.histogram) == 0


def test_assignment_statistics_leaves_out_attempts_with_nothing_to_score():
    empty = AttemptRecord(attempt_id=9, student_id=9, score=0, max_score=0, items={}, responses={})
    stats = assignment_statistics([ATTEMPTS[0], empty], QUESTIONS)
    assert (stats.attempts, stats.summary.count, stats.summary.mean) == (2, 1, 100)


# --- mastery ---------------------------------------------------------------------------

def test_mastery_in_source_order():
    """Key points before FAQs before sections, by number (key point 2 before key point 10)."""
    results = [
        ("section 2", True), ("key_point 10", False), ("faq 1", True),
        ("key_point 2", True), ("key_point 2", False), ("key_point 10", True), ("key_point 10", True),
    ]
    assert mastery(results) == [
        Mastery("key_point 2", right=1, total=2, share=0.5),
        Mastery("key_point 10", right=2, total=3, share=pytest.approx(2 / 3)),
        Mastery("faq 1", right=1, total=1, share=1.0),
        Mastery("section 2", right=1, total=1, share=1.0),
    ]


def test_mastery_of_nothing_and_of_odd_references():
    assert mastery([]) == []
    assert [m.reference for m in mastery([("zeta", False), ("faq 2", False), ("alpha", True)])] == [
        "faq 2", "alpha", "zeta",
    ]
    assert mastery([("zeta", False)])[0].share == 0


def test_unpicked_distractors_are_flagged_once_enough_attempts_asked():
    """Five attempts at Q1 (A right; B, C wrong): A, A, A, B, A. C fools no one; A is right, so
    it is never flagged as unpicked even where nobody picks it."""
    picks = ["A", "A", "A", "B", "A"]
    attempts = [attempt(n, {1: 1.0 if p == "A" else 0.0}, {1: (p,)}) for n, p in enumerate(picks, start=1)]
    (item,) = analyse_items(attempts, [Q1])
    assert codes(item) == ["unpicked_choice"]
    assert item.enough
    four = analyse_items(attempts[:4], [Q1])[0]
    assert four.flags == () and not four.enough
    nobody_right = [attempt(n, {1: 0.0}, {1: ("B",)}) for n in range(1, 6)]
    (fooled,) = analyse_items(nobody_right, [Q1])
    assert codes(fooled) == ["wrong_choice_preferred", "hard", "unpicked_choice"]
    assert fooled.flags[1].finding == "Few students got this right: 0% of its points were earned."
