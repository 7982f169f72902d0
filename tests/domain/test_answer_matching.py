"""How a typed answer is compared with the accepted ones: what is ignored, and the typo tolerance."""

import random

import pytest

from quizapp.domain.answer_matching import answer_matches, fold_answer, one_edit_apart
from quizapp.domain.question_types import question_type
from quizapp.domain.typed_answers import accepting, typed_answers


@pytest.mark.parametrize(("typed", "folded"), [
    ("  Élysée Palace! ", "elysee palace"),          # case, accents, punctuation, spacing
    ("U.S.", "us"),
    ("3 300", "3300"), ("3,300", "3300"),            # numbers as before
    ("30 leaders", "30 leaders"),
    ("re-assurance", "reassurance"),                 # a hyphen inside a word
    ("re\u2011assurance", "reassurance"),            # a non-breaking hyphen too
    ("Kim Jong-un", "kim jongun"),
    ("café-bar", "cafebar"),                         # an accented letter before the hyphen
    ("COVID-19", "covid19"),
    ("peace - keeping", "peace keeping"),            # a spaced hyphen is not inside a word
    ("peace—keeping", "peace keeping"),              # a dash is not a hyphen
    ("-keeping", "keeping"),
    ("a backstop", "backstop"),                      # a leading article
    ("An ally", "ally"),
    ("The United States", "united states"),
    ("the-end", "theend"),                           # joined by a hyphen, it is no article
    ("the", "the"),                                  # alone, it is the answer
    ("A", "a"),
    ("the the", "the"),                              # only the first one goes
    ("theatre", "theatre"),                          # a word that starts like one is no article
    ("Anatolia", "anatolia"),
    ("backstop, the", "backstop the"),               # an article further in stays
    ("a 30 000", "30000"),
    ("the ...", "the"),                              # nothing follows once punctuation goes
    ("?!", ""),
    ("   ", ""),
])
def test_what_grading_ignores(typed, folded):
    assert fold_answer(typed) == folded


@pytest.mark.parametrize(("typed", "accepted", "right"), [
    ("reassurance", ["re-assurance"], True),
    ("re-assurance", ["reassurance"], True),
    ("re assurance", ["reassurance"], False),        # a space splits a word; a hyphen does not
    ("Kim Jong un", ["Kim Jong-un"], True),          # an accepted hyphen may be read as a space
    ("Kim Jongun", ["Kim Jong-un"], True),
    ("Kim Jong-un", ["Kim Jong un"], False),         # a typed hyphen always joins
    ("a backstop", ["backstop"], True),
    ("backstop", ["a backstop"], True),
    ("the United States", ["United States"], True),
    ("United States", ["The United States"], True),
    ("theatre", ["atre"], False),
    ("the", ["the"], True),
    ("the the", ["the"], True),
    ("the", ["a"], False),
    ("?!", ["..."], False),                          # empty never matches empty
    ("", [""], False),
    ("-", ["—"], False),
])
def test_exact_matching(typed, accepted, right):
    assert answer_matches(typed, accepted) is right


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("backstop", "backstap", True),      # replaced
    ("backstop", "backtop", True),       # deleted
    ("backstop", "backsstop", True),     # inserted
    ("backstop", "bakcstop", True),      # two adjacent letters swapped: one edit
    ("backstop", "bcakstpo", False),
    ("backstop", "backstop", False),     # no edit at all
    ("backstop", "backst", False),
    ("backstop", "bcaktsop", False),
    ("ab", "ba", True),
    ("abc", "cba", False),
])
def test_one_edit(a, b, apart):
    assert one_edit_apart(a, b) is apart
    assert one_edit_apart(b, a) is apart


@pytest.mark.parametrize(("typed", "accepted", "right"), [
    ("Zelensky", ["Zelenskyy"], True),               # eight letters: one edit allowed
    ("Zelenksyy", ["Zelenskyy"], True),              # a swap is one edit
    ("Zelesky", ["Zelenskyy"], False),               # two edits
    ("Macon", ["Macron"], True),                     # six letters: still allowed
    ("Pars", ["Paris"], False),                      # five letters: never
    ("Keir Starmr", ["Keir Starmer"], True),         # word by word, at the same place
    ("Kier Starmer", ["Keir Starmer"], False),       # "Keir" is too short for a typo
    ("Starmr Keir", ["Keir Starmer"], False),
    ("Keir Starmer MP", ["Keir Starmer"], False),    # the same number of words
    ("Emmanuel Macrn", ["Emmanuel Macron"], True),
    ("Emanuel Macrn", ["Emmanuel Macron"], True),    # one edit in each long word
    ("the Reasurance Force", ["Reassurance Force"], True),
    ("30000 troops", ["30 000 troops"], True),
    ("300000", ["30 000"], False),                   # never for numbers
    ("troops2", ["troops"], False),                  # nor a word with a digit
    ("article5", ["article 5"], False),
    ("article6", ["article5"], False),
    ("", ["a"], False),
])
def test_typo_tolerance(typed, accepted, right):
    assert answer_matches(typed, accepted, "typo") is right
    # Off by default: a typo is wrong unless the answer is exact.
    assert answer_matches(typed, accepted) is (right and answer_matches(typed, accepted, None))


def test_typo_tolerance_is_off_by_default_and_per_question():
    short = question_type("short_answer")
    spec = {"accepted": ["Zelenskyy"]}
    assert short.grade(spec, ["Zelensky"]).score == 0
    assert short.grade({**spec, "tolerance": "typo"}, ["Zelensky"]).score == 1


def test_a_cloze_blank_uses_the_same_rule_per_blank():
    cloze = question_type("cloze")
    spec = {"text": "{1} met {2}.", "blanks": [["Macron"], ["Starmer"]], "tolerance": "typo"}
    assert cloze.grade(spec, ["Macorn", "Starmr"]).score == 1
    assert cloze.grade(spec, ["Macorn", "Stramr"]).score == 0.5
    assert cloze.grade({**spec, "tolerance": None}, ["Macorn", "Starmer"]).score == 0.5
    assert [s["right"] for s in cloze.filled(spec, ["the Macorn", "Stramr"]) if "blank" in s] == [True, False]
    assert cloze.grade(spec, ["?", "Starmer"]).score == 0.5


@pytest.mark.parametrize("tolerance", ["typo", None])
def test_the_tally_of_typed_answers_agrees_with_grading(tolerance):
    accepted = ["Keir Starmer", "Starmer", "re-assurance force", "the backstop"]
    spec = {"accepted": accepted, **({"tolerance": tolerance} if tolerance else {})}
    words = ["Keir", "Kier", "Starmer", "Starmr", "the", "a", "re-assurance", "reassurance", "re", "assurance",
             "forse", "force", "backstop", "bakcstop", "!", "-"]
    rng = random.Random(7)
    given = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(400)]
    grader = question_type("short_answer")
    tallied = typed_answers("short_answer", spec, [([g], spec) for g in given])
    by_key = {t.normalised: t.accepted for t in tallied}
    for g in given:
        if fold_answer(g):
            assert by_key[fold_answer(g)] is grader.grade(spec, [g]).is_correct, g
            assert (accepting("short_answer", spec, g) is None) is grader.grade(spec, [g]).is_correct, g
