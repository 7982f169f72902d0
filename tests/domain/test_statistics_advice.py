"""The advice on an assignment's statistics in plain words, the line below which statistics say nothing,
and what students typed to short-answer and cloze questions, counted as grading compares answers."""

from __future__ import annotations

import pytest

from quizapp.domain.statistics import MIN_ATTEMPTS_FOR_FLAGS, analyse_items, assignment_statistics
from quizapp.domain.typed_answers import TypedAnswer, accepting, typed_answers
from tests.domain.test_statistics import ATTEMPTS, Q1, QUESTIONS, attempt, codes

SHORT = {"accepted": ["The town council", "town council"]}
CLOZE = {"text": "The harbour opened in {1} and ships unload {2}.", "blanks": [["1901"], ["timber", "wood"]]}


def test_every_flag_says_what_it_found_and_what_to_do():
    for item in analyse_items(ATTEMPTS, QUESTIONS):
        for flag in item.flags:
            assert flag.title and flag.finding.endswith(".") and flag.action.endswith(".")
            assert str(flag) == f"{flag.finding} {flag.action}"


def test_a_question_everyone_gets_right_is_very_easy_and_its_unpicked_choices_are_named():
    attempts = [attempt(n, {1: 1.0}, {1: ("A",)}) for n in range(1, 6)]
    (item,) = analyse_items(attempts, [Q1])
    assert codes(item) == ["easy", "unpicked_choice"]
    assert item.flags[0].finding == "Almost everyone got this right: 100% of its points were earned."
    assert item.flags[1].finding == "Nobody picked “B” or “C”."
    assert item.flags[1].action.startswith("Replace them")


def test_a_wrong_choice_that_draws_the_strongest_students_is_flagged():
    """Eight attempts at three questions: the two best on q2 and q3 both pick B (wrong) on q1; the two
    weakest pick A (right); the four between pick A. The top and bottom 27% are two attempts each."""
    rows = [((1, 1), "B"), ((1, 1), "B"), ((1, 0), "A"), ((0, 1), "A"), ((1, 0), "A"), ((0, 1), "A"),
            ((0, 0), "A"), ((0, 0), "A")]
    attempts = [attempt(n, {1: 1.0 if pick == "A" else 0.0, 2: rest[0], 3: rest[1]}, {1: (pick,)})
                for n, (rest, pick) in enumerate(rows, start=1)]
    item = analyse_items(attempts, [Q1])[0]
    assert "distractor_pulls_strong_students" in codes(item)
    flag = next(f for f in item.flags if f.code == "distractor_pulls_strong_students")
    assert flag.finding == "“B”, a wrong answer, drew more of the strongest students than of the weakest."
    assert codes(item)[0] == "negative_discrimination"


def test_below_the_line_there_are_no_flags_and_the_statistics_say_so():
    few = ATTEMPTS[:MIN_ATTEMPTS_FOR_FLAGS - 1]
    stats = assignment_statistics(few, QUESTIONS)
    assert not stats.enough
    assert all(not item.enough and item.flags == () for item in stats.items)
    assert assignment_statistics(ATTEMPTS, QUESTIONS).enough


def test_choice_statistics_carry_the_right_choices():
    q1, q2, q3, _ = analyse_items(ATTEMPTS, QUESTIONS)
    assert (q1.correct, q2.correct, q3.correct) == (("A",), ("True",), ("W", "X"))


def test_typed_short_answers_are_counted_as_grading_compares_them_near_misses_first():
    given = [(["Town Council!"], SHORT), (["town  council"], SHORT), (["the MAYOR"], SHORT), (["The mayor"], SHORT),
             (["The mayor"], SHORT), (["port"], SHORT), (["Town-council"], SHORT), (["the town council"], SHORT)]
    assert typed_answers("short_answer", SHORT, given) == [
        TypedAnswer(None, "mayor", "The mayor", 3, False),
        TypedAnswer(None, "port", "port", 1, False),
        TypedAnswer(None, "towncouncil", "Town-council", 1, False),
        TypedAnswer(None, "town council", "Town Council!", 3, True),
    ]


def test_typed_cloze_answers_are_counted_per_blank():
    given = [(["1901", "Timber"], CLOZE), (["1910", "wood"], CLOZE), (["1901", "grain"], CLOZE)]
    assert typed_answers("cloze", CLOZE, given) == [
        TypedAnswer(1, "1910", "1910", 1, False),
        TypedAnswer(1, "1901", "1901", 2, True),
        TypedAnswer(2, "grain", "grain", 1, False),
        TypedAnswer(2, "timber", "Timber", 1, True),
        TypedAnswer(2, "wood", "wood", 1, True),
    ]


def test_answers_graded_against_an_older_key_are_counted_as_waiting_for_a_regrade():
    older = {"accepted": ["town council"]}
    newer = {"accepted": ["town council", "the mayor"]}
    given = [(["The mayor"], older), (["the mayor"], newer), (["town council"], older)]
    assert typed_answers("short_answer", newer, given) == [
        TypedAnswer(None, "mayor", "The mayor", 2, True, graded_before=1),
        TypedAnswer(None, "town council", "town council", 1, True),
    ]
    blanks = {**CLOZE, "blanks": [["1901"], ["timber"]]}
    assert typed_answers("cloze", CLOZE, [(["1901", "wood"], blanks)])[1] == TypedAnswer(2, "wood", "wood", 1, True, 1)


def test_questions_whose_answers_are_not_typed_have_no_typed_answers():
    assert typed_answers("single_choice", {"choices": ["A", "B"], "answer": "A"}, [(["A"], {})]) == []


def test_accepting_widens_the_key_of_the_right_blank_only():
    assert accepting("short_answer", SHORT, " the Mayor ")["accepted"] == ["The town council", "town council",
                                                                        "the Mayor"]
    assert SHORT["accepted"] == ["The town council", "town council"], "the spec given is left as it was"
    assert accepting("cloze", CLOZE, "Lumber", blank=2)["blanks"] == [["1901"], ["timber", "wood", "Lumber"]]
    assert accepting("short_answer", SHORT, "TOWN COUNCIL.") is None
    assert accepting("cloze", CLOZE, "wood", blank=2) is None


@pytest.mark.parametrize(("kind", "spec", "text", "blank"), [
    ("single_choice", {"choices": ["A", "B"], "answer": "A"}, "B", None),
    ("short_answer", SHORT, " ?! ", None),
    ("cloze", CLOZE, "wood", 3),
    ("cloze", CLOZE, "wood", None),
])
def test_accepting_refuses_what_does_not_fit(kind, spec, text, blank):
    with pytest.raises(ValueError):
        accepting(kind, spec, text, blank)
