"""The bank linter: each check fires on a small bank made to trip it, and stays quiet where a good bank
does the same thing rightly. The command, `flask banks lint`, is tested in tests/services/test_lint_command.py."""

import pytest

from quizapp.domain.lint import lint_bank


def _codes(questions, texts=()):
    return [(w.code, w.question) for w in lint_bank(questions, texts)]


def _single(key, choices, answer, prompt="Which one?", explanation="Because."):
    return {"key": key, "type": "single_choice", "prompt": prompt, "explanation": explanation, "passage": "",
            "spec": {"choices": choices, "answer": answer}}


# --- where each check keeps quiet ----------------------------------------------------------------------


def test_keys_in_varied_positions_or_few_questions_give_no_position_warning():
    varied = [_single(f"q{i}", ["a1", "b2", "c3"], ["a1", "b2", "c3"][i % 3]) for i in range(6)]
    assert _codes(varied) == []
    few = [_single(f"q{i}", ["a1", "b2", "c3"], "a1") for i in range(4)]
    assert _codes(few) == []
    three_of_four = [_single(f"q{i}", ["a1", "b2", "c3"], "a1" if i < 6 else "b2") for i in range(8)]
    assert _codes(three_of_four) == [("key-position", None)]


def test_multiple_select_keys_always_listed_first_are_one_bank_warning():
    def select(key, answers):
        return {"key": key, "type": "multiple_select", "prompt": "Which?", "explanation": "", "passage": "",
                "spec": {"choices": ["w1", "x2", "y3", "z4"], "answers": answers}}

    leading = [select(f"m{i}", ["w1", "x2"]) for i in range(5)]
    assert _codes(leading) == [("key-position", None)]
    mixed = [select(f"m{i}", ["w1", "x2"] if i < 3 else ["x2", "z4"]) for i in range(5)]
    assert _codes(mixed) == []


def test_a_key_a_little_longer_than_the_rest_is_no_warning():
    assert _codes([_single("q", ["The French presidential palace", "The European Commission", "NATO"],
                           "The French presidential palace")]) == []
    assert _codes([_single("q", ["Short", "A much, much longer key here", "Tiny"],
                           "A much, much longer key here")]) == [("longest-key", "q")]


def test_a_key_in_the_text_s_words_is_no_warning_when_a_distractor_is_too():
    text = "Today the tower is a museum run by volunteers. Once it was the harbour board's office for the pilots."
    question = _single("q", ["It is a museum run by volunteers", "It was the harbour board's office for pilots",
                             "A hotel for walkers"], "It is a museum run by volunteers")
    assert _codes([question], [text]) == []
    question["spec"]["choices"][1] = "A private house by the sea"
    assert _codes([question], [text]) == [("key-copied", "q")]


def test_four_words_of_the_text_are_not_a_copy():
    text = "Today the tower is a museum run by volunteers."
    question = _single("q", ["A museum run by them", "A hotel for walkers", "A private house"], "A museum run by them")
    assert _codes([question], [text]) == []


@pytest.mark.parametrize("choice", ["All of the above", "none of these", "Both of the above"])
def test_choices_that_point_at_the_others_are_warned_of(choice):
    assert _codes([_single("q", ["1874", "1902", choice], "1874")]) == [("all-none-above", "q")]


def test_a_choice_merely_starting_with_all_is_not():
    assert _codes([_single("q", ["All of the keepers", "None of the volunteers", "The board"], "The board")]) == []


@pytest.mark.parametrize("prompt, warned", [
    ("Which of these did the keeper not do?", True),
    ("Which of these is true, except one?", True),
    ("Which did the keeper never do?", True),
    ("Which of these didn't happen?", True),
    ("Which of these did the keeper NOT do?", False),
    ("Which of these did the keeper *not* do?", False),
    ("Which of these did the keeper _not_ do?", False),
    ("Which of these happened, EXCEPT one?", False),
    ("The keeper not only kept the light but also wrote what?", False),
    ("Which one is noted in the log?", False),
])
def test_negative_stems_without_emphasis(prompt, warned):
    assert _codes([_single("q", ["a", "b"], "a", prompt=prompt)]) == ([("negative-stem", "q")] if warned else [])


def _true_false(prompt):
    return {"key": "tf", "type": "true_false", "prompt": prompt, "explanation": "", "passage": "",
            "spec": {"answer": True}}


@pytest.mark.parametrize("prompt, warned", [
    ("True or false: in 1931 the light was electrified, and the last keeper left in 1965", True),
    ("the last keeper left in 1965.", True),  # a whole clause of the text
    ("True or false: the keeper left in 1965.", False),  # a shorter run than a clause or eight words
    ("True or false: Mary Holt kept the light for thirty years.", True),  # eight words of the text in a row
    ("True or false: in 1932 the light was electrified, and the last keeper left in 1965.", True),  # one word changed
    ("True or false: electricity reached the light in 1931.", False),
    ("True or false: the light was electrified.", False),  # too short a run to be a copied sentence
    ("According to the article, the last keeper left in 1965.", True),  # a preamble adds nothing of its own
    ("According to the text: the keeper left in 1965.", False),
])
def test_true_false_statements_copied_from_the_text(prompt, warned):
    text = ("The keeper, Mary Holt, kept the light for thirty years.\n"
            "In 1931 the light was electrified, and the last keeper left in 1965.")
    assert _codes([_true_false(prompt)], [text]) == ([("true-false-copied", "tf")] if warned else [])


def test_a_name_in_another_question_on_another_subject_gives_nothing_away():
    organisers = {"key": "organisers", "type": "multiple_select", "prompt": "Which two leaders organised the meeting?",
                  "explanation": "", "passage": "",
                  "spec": {"choices": ["Keir Starmer", "Emmanuel Macron", "Ursula von der Leyen"],
                           "answers": ["Keir Starmer", "Emmanuel Macron"]}}
    role = _single("role", ["British Prime Minister", "French President"], "British Prime Minister",
                   prompt="What position does Keir Starmer hold?")
    assert _codes([organisers, role]) == []


def test_a_blank_is_given_away_with_the_word_beside_it_only():
    cloze = {"key": "cloze", "type": "cloze", "prompt": "Complete.", "explanation": "", "passage": "",
             "spec": {"text": "The leaders will present a {1} front to the press.", "blanks": [["united"]]}}
    other = _single("other", ["a", "b"], "a", prompt="What did the United States offer the leaders?")
    assert _codes([cloze, other]) == []
    other["prompt"] = "Why did the leaders want a united front?"
    assert _codes([cloze, other]) == [("answers-another", "cloze")]


def test_a_number_of_two_digits_is_given_away_like_a_word():
    cloze = {"key": "cloze", "type": "cloze", "prompt": "Complete.", "explanation": "", "passage": "",
             "spec": {"text": "The quay holds {1} boats in winter.", "blanks": [["77"]]}}
    statement = _true_false("In winter the quay holds 77 boats.")
    assert _codes([cloze, statement]) == [("answers-another", "cloze")]


@pytest.mark.parametrize("explanation, warned", [
    ("The FAQ says the coalition aims to enhance Ukraine's defence capabilities.", True),
    ("The FAQ says the coalition aims to enhance Ukraine's defense capabilities.", False),
    ("The FAQ talks about defence.", False),  # no words around it to place it in the gap
])
def test_feedback_that_fills_the_gap_with_an_answer_not_accepted(explanation, warned):
    cloze = {"key": "c", "type": "cloze", "prompt": "Complete.", "explanation": explanation, "passage": "",
             "spec": {"text": "The coalition aims to enhance Ukraine's {1} capabilities.", "blanks": [["defense"]]}}
    assert _codes([cloze]) == ([("answer-not-accepted", "c")] if warned else [])


def test_less_context_is_tried_when_the_feedback_words_the_sentence_differently():
    cloze = {"key": "c", "type": "cloze", "prompt": "Complete.", "passage": "",
             "explanation": "The text says Swedish ships unload lumber at the south quay.",
             "spec": {"text": "Ships from Sweden unload {1} at the south quay.", "blanks": [["timber", "wood"]]}}
    assert _codes([cloze]) == [("answer-not-accepted", "c")]
    cloze["spec"]["blanks"][0].append("lumber")
    assert _codes([cloze]) == []


def test_a_short_answer_gap_is_read_the_same_way():
    question = {"key": "s", "type": "short_answer", "explanation": "He will act as a strategic backstop for Europe.",
                "prompt": "Trump will act as a strategic ______ for Europe. Which word fills the gap?",
                "passage": "", "spec": {"accepted": ["back stop"]}}
    assert _codes([question]) == [("answer-not-accepted", "s")]
    question["spec"]["accepted"].append("backstop")
    assert _codes([question]) == []


def test_the_end_of_a_sentence_does_not_say_where_the_answer_ends():
    cloze = {"key": "c", "type": "cloze", "prompt": "Complete.", "passage": "",
             "explanation": "The next step hinges on the endorsement of the United States, which is pending.",
             "spec": {"text": "The next step hinges on the endorsement of the {1}.", "blanks": [["United States"]]}}
    assert _codes([cloze]) == []


def test_ordering_items_the_same_up_to_case_are_a_duplicate():
    question = {"key": "o", "type": "ordering", "prompt": "Order them.", "explanation": "", "passage": "",
                "spec": {"items": ["Built", "built!", "Lit"]}}
    assert _codes([question]) == [("duplicate-choice", "o")]


def test_accepted_answers_differing_beyond_what_grading_folds_are_kept():
    question = {"key": "s", "type": "short_answer", "prompt": "Who?", "explanation": "", "passage": "",
                "spec": {"accepted": ["Zelenskyy", "Zelensky", "ZELENSKYY"]}}
    assert _codes([question]) == [("duplicate-accepted", "s")]
    question["spec"]["accepted"].pop()
    assert _codes([question]) == []


def test_an_accepted_answer_another_already_accepts_is_a_duplicate():
    """Grading sets hyphens inside words and a leading article aside, and an answer written with a hyphen
    accepts the two words apart: such a second entry does nothing."""
    pairs = (["back-stop", "back stop"], ["the United States", "United States"], ["co-operation", "cooperation"])
    for accepted in pairs:
        question = {"key": "s", "type": "short_answer", "prompt": "Which?", "explanation": "", "passage": "",
                    "spec": {"accepted": accepted}}
        assert _codes([question]) == [("duplicate-accepted", "s")], accepted
    question["spec"]["accepted"] = ["back stop", "backstop"]  # a student's "backstop" is not "back stop"
    assert _codes([question]) == []
