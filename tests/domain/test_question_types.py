"""Each grader, its key-free presentation and its response parsing."""

import random

import pytest

from quizapp.domain.question_types import QUESTION_TYPES, InvalidResponse, question_type
from quizapp.domain.text import normalise_answer

RNG = random.Random(7)


def present(kind, spec, shuffle=True):
    t = question_type(kind)
    return t, t.present(spec, RNG, shuffle)


def ids_for(presentation_list, wanted):
    return [str(presentation_list.index(w) + 1) for w in wanted]


class TestSingleChoice:
    spec = {"choices": ["Paris", "London", "Berlin"], "answer": "London"}

    def test_right_and_wrong(self):
        t, p = present("single_choice", self.spec)
        assert t.grade(self.spec, t.parse(p, ids_for(p["choices"], ["London"]))).score == 1
        assert t.grade(self.spec, t.parse(p, ids_for(p["choices"], ["Paris"]))).score == 0

    def test_response_is_stored_as_text(self):
        t, p = present("single_choice", self.spec)
        assert t.parse(p, ids_for(p["choices"], ["Berlin"])) == ["Berlin"]

    @pytest.mark.parametrize("raw", [[], ["1", "2"], ["0"], ["4"], ["x"]])
    def test_refuses_bad_responses(self, raw):
        t, p = present("single_choice", self.spec)
        with pytest.raises(InvalidResponse):
            t.parse(p, raw)

    def test_public_view_has_no_key(self):
        t, p = present("single_choice", self.spec)
        view = t.public(self.spec, p)
        assert [set(c) for c in view["choices"]] == [{"id", "text"}] * 3
        assert "answer" not in view

    def test_unshuffled_keeps_order(self):
        _, p = present("single_choice", self.spec, shuffle=False)
        assert p["choices"] == self.spec["choices"]


class TestMultipleSelect:
    spec = {"choices": ["A", "B", "C", "D"], "answers": ["A", "B"]}

    def grade(self, picked, scoring="all_or_nothing"):
        spec = {**self.spec, "scoring": scoring}
        t, p = present("multiple_select", spec)
        return t.grade(spec, t.parse(p, ids_for(p["choices"], picked)))

    def test_all_or_nothing(self):
        assert self.grade(["A", "B"]).score == 1
        assert self.grade(["B", "A"]).is_correct
        assert self.grade(["A"]).score == 0
        assert self.grade(["A", "B", "C"]).score == 0

    def test_partial_credit(self):
        assert self.grade(["A", "B"], "partial").score == 1
        assert self.grade(["A"], "partial").score == 0.5
        assert not self.grade(["A"], "partial").is_correct
        assert self.grade(["A", "C"], "partial").score == 0
        assert self.grade(["C", "D"], "partial").score == 0

    def test_default_scoring_is_all_or_nothing(self):
        t, p = present("multiple_select", self.spec)
        assert t.grade(self.spec, ["A"]).score == 0

    def test_refuses_empty_and_repeated(self):
        t, p = present("multiple_select", self.spec)
        with pytest.raises(InvalidResponse):
            t.parse(p, [])
        with pytest.raises(InvalidResponse):
            t.parse(p, ["1", "1"])


class TestTrueFalse:
    def test_grades(self):
        t, p = present("true_false", {"answer": False})
        assert t.grade({"answer": False}, t.parse(p, ["false"])).is_correct
        assert not t.grade({"answer": False}, t.parse(p, ["TRUE"])).is_correct
        assert t.correct_answer({"answer": True}) == ["True"]

    def test_refuses_other_words(self):
        t, p = present("true_false", {"answer": True})
        with pytest.raises(InvalidResponse):
            t.parse(p, ["yes"])


class TestShortAnswer:
    spec = {"accepted": ["Emmanuel Macron", "Macron"]}

    @pytest.mark.parametrize("given", ["Macron", "  macron ", "MACRON!", "Emmanuel  Macron.", "Mácron"])
    def test_matches_ignoring_case_space_punctuation_accents(self, given):
        t, p = present("short_answer", self.spec)
        assert t.grade(self.spec, t.parse(p, [given])).is_correct

    @pytest.mark.parametrize("given", ["Starmer", "Macro", "Emmanuel"])
    def test_wrong_answers(self, given):
        t, p = present("short_answer", self.spec)
        assert t.grade(self.spec, t.parse(p, [given])).score == 0

    def test_refuses_blank(self):
        t, p = present("short_answer", self.spec)
        with pytest.raises(InvalidResponse):
            t.parse(p, ["   "])


def test_normalise_answer():
    assert normalise_answer("  Élysée Palace! ") == "elysee palace"
    assert normalise_answer("U.S.") == normalise_answer("US")
    assert normalise_answer("Kim Jong-un") == "kim jong un"
    assert normalise_answer("von der  Leyen") == "von der leyen"


class TestOrdering:
    spec = {"items": ["first", "second", "third"]}

    def test_is_always_shown_shuffled(self):
        for seed in range(20):
            p = question_type("ordering").present(self.spec, random.Random(seed), shuffle=False)
            assert p["items"] != self.spec["items"]
            assert sorted(p["items"]) == sorted(self.spec["items"])

    def test_grades_exact_order(self):
        t, p = present("ordering", self.spec)
        assert t.grade(self.spec, t.parse(p, ids_for(p["items"], ["first", "second", "third"]))).is_correct
        assert t.grade(self.spec, t.parse(p, ids_for(p["items"], ["second", "first", "third"]))).score == 0

    @pytest.mark.parametrize("raw", [["1", "2"], ["1", "1", "2"], ["1", "2", "9"]])
    def test_refuses_incomplete_or_repeated(self, raw):
        t, p = present("ordering", self.spec)
        with pytest.raises(InvalidResponse):
            t.parse(p, raw)


class TestCloze:
    spec = {"text": "Organised by {1} and {2}.", "blanks": [["Emmanuel Macron", "Macron"], ["Keir Starmer", "Starmer"]]}

    def test_each_blank_counts(self):
        t, p = present("cloze", self.spec)
        assert t.grade(self.spec, t.parse(p, ["macron", "STARMER"])).is_correct
        half = t.grade(self.spec, t.parse(p, ["Macron", "Putin"]))
        assert half.score == 0.5 and not half.is_correct

    def test_public_view_splits_text_around_blanks(self):
        t, p = present("cloze", self.spec)
        assert t.public(self.spec, p)["segments"] == [
            {"text": "Organised by "}, {"blank": 1}, {"text": " and "}, {"blank": 2}, {"text": "."},
        ]
        assert "Macron" not in str(t.public(self.spec, p))

    def test_refuses_wrong_number_of_blanks(self):
        t, p = present("cloze", self.spec)
        with pytest.raises(InvalidResponse):
            t.parse(p, ["Macron"])
        with pytest.raises(InvalidResponse):
            t.parse(p, ["", " "])
        with pytest.raises(InvalidResponse, match="fill in every blank"):
            t.parse(p, ["Macron", " "])


def test_registry_has_every_type():
    assert set(QUESTION_TYPES) == {
        "single_choice", "multiple_select", "true_false", "short_answer", "ordering", "cloze",
    }


def test_numbers_match_with_or_without_thousands_separators():
    assert normalise_answer("3 300") == normalise_answer("3,300") == normalise_answer("3300")
    assert normalise_answer("30 leaders") == "30 leaders"


def test_multiple_select_tells_how_it_is_scored_but_not_the_key():
    spec = {"choices": ["A", "B"], "answers": ["A"], "scoring": "partial"}
    t, p = present("multiple_select", spec)
    view = t.public(spec, p)
    assert view["scoring"] == "partial" and "answers" not in view


@pytest.mark.parametrize(("raw", "message"), [
    (["1", "", "2", "4"], "choose an item for place 2"),
    (["", "", "3", "4"], "choose an item for places 1 and 2"),
    (["", " ", "", "4"], "choose an item for places 1, 2 and 3"),
])
def test_an_empty_place_in_an_ordering_says_which_place_not_unknown_choice(raw, message):
    presentation = {"items": ["A", "B", "C", "D"]}
    with pytest.raises(InvalidResponse) as error:
        question_type("ordering").parse(presentation, raw)
    assert str(error.value) == message


def test_no_choice_sent_says_choose_an_answer():
    with pytest.raises(InvalidResponse, match="^choose an answer$"):
        question_type("single_choice").parse({"choices": ["A", "B"]}, [""])
