"""The bank validator: every problem is reported with its file and line."""

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from quizapp.domain.bank_format import BankError, parse_bank, read_bank

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "questions" / "bank.schema.json").read_text())

HEADER = """\
version: 1
id: demo
title: Demo
source:
  title: Demo source
  key_points:
    - number: 1
      text: The sky is blue.
  faqs:
    - number: 1
      question: What colour is the sky?
      answer: Blue.
questions:
"""  # questions start on line 14

GOOD_QUESTION = """\
  - id: sky
    type: single_choice
    prompt: What colour is the sky?
    choices: [Blue, Green]
    answer: Blue
    explanation: The text says blue.
    source: key_point 1
    difficulty: 1
"""


def problems(text: str, source_text: str | None = None) -> list[str]:
    with pytest.raises(BankError) as caught:
        parse_bank(text, "demo.yaml", source_text)
    return [str(p) for p in caught.value.problems]


def test_a_good_bank_parses_with_defaults():
    document = parse_bank(HEADER + GOOD_QUESTION, "demo.yaml")
    assert document.key == "demo"
    (question,) = document.questions
    assert question["points"] == 1 and question["tags"] == []
    assert question["spec"] == {"choices": ["Blue", "Green"], "answer": "Blue"}
    assert {(p["kind"], p["number"]) for p in document.parts} == {("key_point", 1), ("faq", 1)}


def test_yaml_syntax_error_names_the_line():
    text = HEADER + GOOD_QUESTION + "  - id: broken\n    prompt: [unclosed\n"
    (message,) = problems(text)
    assert message.startswith("demo.yaml:24: YAML syntax error")


def test_unknown_type():
    text = HEADER + GOOD_QUESTION.replace("type: single_choice", "type: essay")
    assert "demo.yaml:15: unknown question type 'essay'" in problems(text)[0]


def test_an_unclosed_quote_is_reported_where_it_opens():
    text = HEADER + GOOD_QUESTION.replace("prompt: What colour is the sky?", 'prompt: "What colour is the sky?')
    (message,) = problems(text)
    assert message.startswith("demo.yaml:16: YAML syntax error") and "starts on line 16" in message


def test_duplicate_id_names_both_lines():
    text = HEADER + GOOD_QUESTION + GOOD_QUESTION
    assert problems(text) == ["demo.yaml:22: duplicate question id 'sky' (first on line 14)"]


def test_correct_answer_not_among_choices():
    text = HEADER + GOOD_QUESTION.replace("answer: Blue", "answer: Red")
    assert problems(text) == ["demo.yaml:18: the correct answer 'Red' is not among the choices"]


def test_multiple_select_answer_not_among_choices_names_its_line():
    text = HEADER + textwrap.indent(textwrap.dedent("""\
        - id: colours
          type: multiple_select
          prompt: Which colours?
          choices: [Blue, Green]
          answers:
            - Blue
            - Red
          explanation: Why.
          source: key_point 1
          difficulty: 2
    """), "  ")
    assert "demo.yaml:20: the correct answer 'Red' is not among the choices" in problems(text)


@pytest.mark.parametrize(
    ("question", "line", "message"),
    [
        (GOOD_QUESTION.replace("    answer: Blue\n", ""), 14, "missing field 'answer' for a single_choice question"),
        (GOOD_QUESTION.replace("answer: Blue", "answer: ''"), 18, "no correct answer"),
        (GOOD_QUESTION.replace("    explanation: The text says blue.\n", ""), 14, "missing field 'explanation'"),
        (GOOD_QUESTION.replace("    prompt: What colour is the sky?\n", ""), 14, "missing field 'prompt'"),
        (GOOD_QUESTION.replace("    difficulty: 1\n", ""), 14, "missing field 'difficulty'"),
        (GOOD_QUESTION.replace("key_point 1", "key_point 9"), 20, "unknown source reference 'key_point 9'"),
        (GOOD_QUESTION.replace("key_point 1", "chapter 1"), 20, "'source' must read"),
        (GOOD_QUESTION.replace("difficulty: 1", "difficulty: 5"), 21, "'difficulty' must be 1, 2 or 3"),
        (GOOD_QUESTION + "    points: 0\n", 22, "'points' must be a whole number"),
        (GOOD_QUESTION + "    colour: red\n", 22, "unknown field 'colour'"),
        (GOOD_QUESTION.replace("[Blue, Green]", "[Blue, Blue]"), 17, "duplicate choice 'Blue'"),
        (GOOD_QUESTION.replace("id: sky", "id: Sky Question"), 14, "'id' must be lowercase"),
    ],
)
def test_each_problem_is_named_with_its_line(question, line, message):
    found = problems(HEADER + question)
    assert any(p.startswith(f"demo.yaml:{line}: ") and message in p for p in found), found


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("type: true_false\n    answer: maybe", "'answer' must be true or false"),
        ("type: short_answer\n    accepted: []", "no correct answer"),
        ("type: ordering\n    items: [one, two]", "at least three items"),
        ("type: ordering\n    items: [one, two, one]", "the same item twice"),
        ("type: cloze\n    text: 'A {1} and {3}'\n    blanks: [[x], [y]]", "each blank {1} to {2} exactly once"),
        ("type: cloze\n    text: 'A {1}'\n    blanks: []", "no correct answer"),
        ("type: multiple_select\n    choices: [a, b]\n    answers: []", "no correct answer"),
        ("type: multiple_select\n    choices: [a, b]\n    answers: [a]\n    scoring: most", "'scoring' must be"),
    ],
)
def test_type_specific_problems(question, message):
    common = "\n    prompt: P\n    explanation: E\n    source: faq 1\n    difficulty: 1\n"
    text = HEADER + "  - id: q\n    " + question + common
    found = problems(text)
    assert any(message in p for p in found), found
    assert all(p.startswith("demo.yaml:") for p in found)


def test_every_problem_is_reported_at_once():
    text = HEADER + GOOD_QUESTION.replace("answer: Blue", "answer: Red").replace("key_point 1", "faq 7")
    assert len(problems(text)) == 2


def test_version_must_be_one():
    assert problems((HEADER + GOOD_QUESTION).replace("version: 1", "version: 2")) == [
        "demo.yaml:1: 'version' must be 1 (found 2)"
    ]


def test_duplicate_yaml_keys_are_caught():
    text = HEADER + GOOD_QUESTION.replace("    difficulty: 1\n", "    difficulty: 1\n    difficulty: 2\n")
    assert "demo.yaml:22: duplicate key 'difficulty'" in problems(text)


def test_not_a_mapping():
    assert problems("- just\n- a list\n") == ["demo.yaml:1: a bank file must be a YAML mapping starting 'version: 1'"]


def test_yaml_tags_that_build_objects_are_refused():
    text = "!!python/object/apply:os.system ['echo hi']\n"
    (message,) = problems(text)
    assert "YAML syntax error" in message


def test_passage_must_be_in_the_source_text():
    question = GOOD_QUESTION + "    passage: The sky is green.\n"
    assert problems(HEADER + question, source_text="The sky is\n blue. Grass is green.") == [
        "demo.yaml:22: the passage is not found word for word in the source file"
    ]
    parse_bank(HEADER + question.replace("green", "blue"), "demo.yaml", "The sky is\n  blue.")


def test_quiz_problems():
    text = HEADER + GOOD_QUESTION + "quizzes:\n  - id: q1\n    title: Q\n    sources: [faq 4]\n    count: 0\n"
    found = problems(text)
    assert "demo.yaml:25: unknown source reference 'faq 4'" in found
    assert "demo.yaml:26: 'count' must be a whole number of 1 or more (found 0)" in found


def test_picked_questions_and_feedback_are_checked():
    text = HEADER + GOOD_QUESTION + ("quizzes:\n  - id: q1\n    title: Q\n    questions: [sky, cloud, sky]\n"
                                     "    feedback: later\n")
    found = problems(text)
    assert "demo.yaml:25: unknown question id 'cloud'" in found
    assert "demo.yaml:25: 'questions' lists a question more than once" in found
    assert "demo.yaml:26: 'feedback' must be one of: after_each, at_end (found 'later')" in found


def test_a_quiz_of_picked_questions_with_feedback_at_the_end():
    text = HEADER + GOOD_QUESTION + "quizzes:\n  - id: q1\n    title: Q\n    questions: [sky]\n    feedback: at_end\n"
    (quiz,) = parse_bank(text, "demo.yaml").quizzes
    assert quiz["questions"] == ["sky"] and quiz["feedback"] == "at_end"


def test_draft_and_review_marks():
    question = GOOD_QUESTION + "    draft: true\n    review: Key point 1 changed.\n"
    (parsed,) = parse_bank(HEADER + question, "demo.yaml").questions
    assert parsed["draft"] is True and parsed["review"] == "Key point 1 changed."
    found = problems(HEADER + GOOD_QUESTION + "    draft: maybe\n")
    assert "demo.yaml:22: 'draft' must be true or false" in found


def test_ids_and_titles_must_fit_the_database():
    text = (HEADER.replace("title: Demo\n", f"title: {'T' * 201}\n")
            + GOOD_QUESTION.replace("id: sky", f"id: {'s' * 81}"))
    found = problems(text)
    assert "demo.yaml:3: 'title' in the bank must be at most 200 characters (found 201)" in found
    assert "demo.yaml:14: 'id' must be at most 80 characters (found 81)" in found


def test_read_bank_reports_a_missing_source_file(tmp_path):
    path = tmp_path / "bank.yaml"
    text = (HEADER + GOOD_QUESTION).replace("  title: Demo source\n", "  title: Demo source\n  file: gone.txt\n")
    path.write_text(text)
    with pytest.raises(BankError) as caught:
        read_bank(path)
    assert [p.line for p in caught.value.problems] == [6]
    assert "source file not found" in str(caught.value)


class TestJsonSchema:
    """The published schema agrees with the validator on what a bank looks like."""

    validator = jsonschema.Draft202012Validator(SCHEMA)

    def test_schema_is_valid(self):
        jsonschema.Draft202012Validator.check_schema(SCHEMA)

    @pytest.mark.parametrize("path", sorted((ROOT / "questions").glob("*.yaml")) + [ROOT / "tests/data/tiny.yaml"])
    def test_bundled_and_test_banks_match_the_schema(self, path):
        errors = list(self.validator.iter_errors(yaml.safe_load(path.read_text())))
        assert not errors, [e.message for e in errors]

    @pytest.mark.parametrize(
        "change",
        [
            lambda q: q.update(type="essay"),
            lambda q: q.pop("explanation"),
            lambda q: q.update(difficulty=4),
            lambda q: q.update(source="chapter 2"),
            lambda q: q.update(colour="red"),
            lambda q: q.pop("answer"),
        ],
    )
    def test_schema_rejects_what_the_validator_rejects(self, change):
        data = yaml.safe_load(HEADER + GOOD_QUESTION)
        change(data["questions"][0])
        assert list(self.validator.iter_errors(data))
        with pytest.raises(BankError):
            parse_bank(yaml.safe_dump(data), "demo.yaml")


SHORT_QUESTION = """\
  - id: who
    type: short_answer
    prompt: Who?
    accepted: [Zelenskyy]
    explanation: E
    source: faq 1
    difficulty: 1
"""
CLOZE_QUESTION = """\
  - id: blanks
    type: cloze
    prompt: Fill in.
    text: "The sky is {1}."
    blanks: [[blue]]
    explanation: E
    source: faq 1
    difficulty: 1
"""


@pytest.mark.parametrize("question", [SHORT_QUESTION, CLOZE_QUESTION])
def test_typo_tolerance_is_kept_in_the_spec_of_typed_questions(question):
    (parsed,) = parse_bank(HEADER + question + "    tolerance: typo\n", "demo.yaml").questions
    assert parsed["spec"]["tolerance"] == "typo"
    (plain,) = parse_bank(HEADER + question, "demo.yaml").questions
    assert "tolerance" not in plain["spec"], "off by default"
    data = yaml.safe_load(HEADER + question + "    tolerance: typo\n")
    assert not list(TestJsonSchema.validator.iter_errors(data))


@pytest.mark.parametrize(("question", "tolerance", "message"), [
    (SHORT_QUESTION, "fuzzy", "'tolerance' must be typo (found 'fuzzy')"),
    (CLOZE_QUESTION, "true", "'tolerance' must be typo (found True)"),
    (GOOD_QUESTION, "typo", "unknown field 'tolerance'"),
])
def test_typo_tolerance_is_refused_where_it_means_nothing(question, tolerance, message):
    text = HEADER + question + f"    tolerance: {tolerance}\n"
    found = problems(text)
    assert any(message in p for p in found), found
    assert list(TestJsonSchema.validator.iter_errors(yaml.safe_load(text)))
