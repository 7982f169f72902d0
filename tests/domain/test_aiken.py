"""The Aiken format: import of single-choice questions, export of what the format can hold."""

import textwrap

import pytest

from quizapp.domain.bank_format import BankError, parse_bank
from quizapp.domain.interchange.aiken import NO_EXPLANATION, parse_aiken, to_aiken
from tests.support.builders import bank_around

# The two examples of https://docs.moodle.org/en/Aiken_format, as one file.
DOCS_EXAMPLE = """\
What is the correct answer to this question?
A. Is it this one?
B. Maybe this answer?
C. Possibly this one?
D. Must be this one!
ANSWER: D

Which LMS has the most quiz import formats?
A) Moodle
B) ATutor
C) Claroline
D) Blackboard
E) WebCT
F) Ilias
ANSWER: A
"""


def problems(text: str) -> list[str]:
    with pytest.raises(BankError) as caught:
        parse_aiken(text, "quiz.txt")
    return [str(p) for p in caught.value.problems]


# --- Import ------------------------------------------------------------------------------------


def test_the_documentation_examples_import_with_native_defaults():
    first, second = parse_aiken(DOCS_EXAMPLE)
    assert first == {
        "id": "aiken-1",
        "type": "single_choice",
        "prompt": "What is the correct answer to this question?",
        "choices": ["Is it this one?", "Maybe this answer?", "Possibly this one?", "Must be this one!"],
        "answer": "Must be this one!",
        "explanation": NO_EXPLANATION,
        "source": "section 1",
        "difficulty": 1,
        "tags": [],
        "points": 1,
    }
    assert second["id"] == "aiken-2"
    assert second["choices"] == ["Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"]
    assert second["answer"] == "Moodle"


def test_imported_questions_pass_the_bank_validator():
    document = parse_bank(bank_around(parse_aiken(DOCS_EXAMPLE)), "imported.yaml")
    assert [q["key"] for q in document.questions] == ["aiken-1", "aiken-2"]
    assert document.questions[0]["spec"]["answer"] == "Must be this one!"


def test_default_source_is_used():
    (question,) = parse_aiken("Q?\nA. x\nB. y\nANSWER: B\n", default_source="key_point 2")
    assert question["source"] == "key_point 2"


def test_leniencies_crlf_bom_indentation_blank_lines_between_options_and_no_final_newline():
    text = "\ufeff  Q?\r\n\r\n  A. x  \r\n\r\nB) y\r\nANSWER:B"
    (question,) = parse_aiken(text)
    assert question["prompt"] == "Q?"
    assert question["choices"] == ["x", "y"] and question["answer"] == "y"


def test_several_lines_before_the_options_are_one_prompt():
    (question,) = parse_aiken("Read this.\nWhat is 2 + 2?\nA. 3\nB. 4\nANSWER: B\n")
    assert question["prompt"] == "Read this.\nWhat is 2 + 2?"


def test_non_ascii_and_special_characters_are_kept_as_written():
    (question,) = parse_aiken('Où est « l\'Élysée » & <b>?\nA. À Paris & "ailleurs"\nB. 東京\nANSWER: A\n')
    assert question["prompt"] == 'Où est « l\'Élysée » & <b>?'
    assert question["answer"] == 'À Paris & "ailleurs"'


def test_an_empty_file_imports_nothing():
    assert parse_aiken("") == []
    assert parse_aiken("\n\n") == []


# --- Problems, each with its line ----------------------------------------------------------------


def test_missing_answer_line_at_the_end_of_the_file():
    assert problems("Q?\nA. x\nB. y\n") == [
        "quiz.txt:1: the question has no 'ANSWER:' line (its last option is on line 3)"
    ]


def test_missing_answer_line_before_the_next_question():
    text = "Q1?\nA. x\nB. y\n\nQ2?\nA. a\nB. b\nANSWER: A\n"
    assert problems(text) == ["quiz.txt:1: the question has no 'ANSWER:' line (its last option is on line 3)"]


def test_a_question_without_options_or_answer():
    assert problems("Just a line of text\n") == ["quiz.txt:1: the question has no options and no 'ANSWER:' line"]
    # Text after a blank line starts the next question rather than continuing the prompt.
    assert problems("Stray heading\n\nQ?\nA. x\nB. y\nANSWER: A\n") == [
        "quiz.txt:1: the question has no options and no 'ANSWER:' line"
    ]


def test_answer_naming_no_option():
    assert problems("Q?\nA. x\nB. y\nANSWER: E\n") == [
        "quiz.txt:4: 'ANSWER: E' names no option: the options run from A to B"
    ]


@pytest.mark.parametrize("given", ["", "AB", "B, C", "b", "2"])
def test_answer_must_be_one_capital_letter(given):
    assert problems(f"Q?\nA. x\nB. y\nANSWER: {given}\n") == [
        f"quiz.txt:4: 'ANSWER:' must give one option letter (found {given!r})"
    ]


def test_fewer_than_two_options():
    assert problems("Q?\nA. x\nANSWER: A\n") == ["quiz.txt:1: the question has 1 option; it needs at least two"]
    assert problems("Q?\nANSWER: A\n") == ["quiz.txt:1: the question has no options; it needs at least two"]


def test_option_letters_out_of_order():
    assert problems("Q?\nA. x\nC. y\nD. z\nANSWER: A\n") == [
        "quiz.txt:3: option letters out of order: option C after option A, where B was expected "
        "(options go A, B, C … in order)"
    ]
    assert problems("Q?\nB. x\nC. y\nANSWER: B\n") == [
        "quiz.txt:2: option letters out of order: option B as the first option, where A was expected "
        "(options go A, B, C … in order)"
    ]


def test_text_after_answer_before_a_blank_line():
    text = "Q1?\nA. x\nB. y\nANSWER: A\nQ2?\nA. a\nB. b\nANSWER: B\n"
    assert problems(text) == [
        "quiz.txt:5: text right after an 'ANSWER:' line: leave a blank line before the next question"
    ]


def test_a_line_between_options_that_is_no_option():
    text = "Q?\nA. x\ncontinued\nB. y\nANSWER: A\n"
    assert problems(text) == [
        "quiz.txt:3: this line is neither an option ('A.' or 'A)' and its text) nor an 'ANSWER:' line: each "
        "option fits on one line, and the question that starts on line 1 needs its 'ANSWER:' line"
    ]


def test_lowercase_option_letters_get_a_hint():
    too_few, line_3 = problems("Q?\nA. x\nb. y\nANSWER: A\n")
    assert line_3.startswith("quiz.txt:3: ") and "(option letters must be capitals)" in line_3
    assert too_few == "quiz.txt:1: the question has 1 option; it needs at least two"


def test_answer_must_be_written_in_capitals():
    assert problems("Q?\nA. x\nB. y\nAnswer: A\n") == ["quiz.txt:4: write 'ANSWER:' in capitals (found 'Answer')"]


def test_options_and_answer_without_a_question():
    assert problems("A. x\n") == ["quiz.txt:1: option A has no question before it"]
    assert problems("ANSWER: A\n") == ["quiz.txt:1: an 'ANSWER:' line with no question before it"]


def test_empty_and_repeated_options():
    assert problems("Q?\nA.\nB. y\nANSWER: B\n") == ["quiz.txt:2: option A has no text"]
    assert problems("Q?\nA. y\nB. y\nANSWER: B\n") == ["quiz.txt:3: option B repeats option A ('y')"]


def test_every_problem_of_the_file_is_reported_and_nothing_is_imported():
    text = textwrap.dedent("""\
        Fine question?
        A. yes
        B. no
        ANSWER: A

        No answer line?
        A. x
        B. y

        Out of order?
        A. x
        C. y
        ANSWER: Z
        Straight after?
        A. p
        B. q
        ANSWER: B
        """)
    assert problems(text) == [
        "quiz.txt:6: the question has no 'ANSWER:' line (its last option is on line 8)",
        "quiz.txt:12: option letters out of order: option C after option A, where B was expected "
        "(options go A, B, C … in order)",
        "quiz.txt:13: 'ANSWER: Z' names no option: the options run from A to C",
        "quiz.txt:14: text right after an 'ANSWER:' line: leave a blank line before the next question",
    ]


# --- Export ------------------------------------------------------------------------------------


def native(qid: str, kind: str, **fields) -> dict:
    return {"id": qid, "type": kind, "prompt": f"Prompt of {qid}?", **fields, "explanation": "Because.",
            "source": "section 1", "difficulty": 2, "tags": ["t"], "points": 3}


def test_single_choice_and_true_false_are_written_the_rest_skipped_with_a_reason():
    questions = [
        native("capital", "single_choice", choices=["Paris", "Lyon", "Nice"], answer="Lyon"),
        native("sky", "true_false", answer=False),
        native("goods", "multiple_select", choices=["a", "b"], answers=["a"]),
        native("who", "short_answer", accepted=["council"]),
        native("order", "ordering", items=["x", "y", "z"]),
        native("gaps", "cloze", text="{1}", blanks=[["a"]]),
    ]
    text, warnings = to_aiken(questions)
    assert text == textwrap.dedent("""\
        Prompt of capital?
        A. Paris
        B. Lyon
        C. Nice
        ANSWER: B

        Prompt of sky?
        A. True
        B. False
        ANSWER: B
        """)
    assert warnings == [
        f"question '{qid}' skipped: the Aiken format holds only single-choice questions (and true/false as two "
        f"options), not {kind}"
        for qid, kind in [("goods", "multiple_select"), ("who", "short_answer"), ("order", "ordering"),
                          ("gaps", "cloze")]
    ]


def test_line_breaks_in_choices_and_prompts_are_joined_with_a_warning():
    question = native("multi", "single_choice", choices=["one\ntwo", "three"], answer="three")
    question["prompt"] = "First line\nsecond line?"
    text, warnings = to_aiken([question])
    assert text == "First line second line?\nA. one two\nB. three\nANSWER: B\n"
    assert warnings == [
        "question 'multi': its prompt was joined onto one line (Aiken keeps a question on one line)",
        "question 'multi': choice A has a line break; it was joined onto one line",
    ]


def test_questions_aiken_cannot_hold_are_skipped_with_a_warning():
    many = native("many", "single_choice", choices=[f"c{i}" for i in range(27)], answer="c0")
    looks_like_option = native("opt", "single_choice", choices=["x", "y"], answer="x")
    looks_like_option["prompt"] = "A. Lincoln was president?"
    text, warnings = to_aiken([many, looks_like_option])
    assert text == ""
    assert warnings == [
        "question 'many' skipped: it has 27 choices and Aiken letters only 26 (A to Z)",
        "question 'opt' skipped: its prompt starts like an option or an 'ANSWER:' line and would not read back "
        "as a question",
    ]


def test_round_trip_keeps_what_aiken_holds():
    originals = [
        native("tricky", "single_choice", choices=['A & B', '<b>bold</b>', 'It\'s "quoted"', 'Ünïcödé — 東京'],
               answer='<b>bold</b>'),
        native("numbers", "single_choice", choices=["1901", "1910"], answer="1901"),
    ]
    originals[0]["prompt"] = 'Which one: "x < y" & z? Ça va?'
    text, warnings = to_aiken(originals)
    assert warnings == []
    imported = parse_aiken(text)
    assert [(q["prompt"], q["choices"], q["answer"]) for q in imported] == [
        (q["prompt"], q["choices"], q["answer"]) for q in originals
    ]
    # What Aiken cannot hold comes back as the defaults.
    assert [q["id"] for q in imported] == ["aiken-1", "aiken-2"]
    assert {(q["explanation"], q["difficulty"], q["points"], tuple(q["tags"])) for q in imported} == {
        (NO_EXPLANATION, 1, 1, ())
    }
    parse_bank(bank_around(imported), "imported.yaml")


def test_true_false_comes_back_as_single_choice_true_false():
    text, _ = to_aiken([native("sky", "true_false", answer=True)])
    (question,) = parse_aiken(text)
    assert question["type"] == "single_choice"
    assert question["choices"] == ["True", "False"] and question["answer"] == "True"
