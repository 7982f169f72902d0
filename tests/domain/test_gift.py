"""Moodle GIFT: every construct of Moodle's documentation read, checked and written back."""

import random
import textwrap
from pathlib import Path

import pytest
import yaml

from quizapp.domain.bank_format import COMMON_FIELDS, BankError, BankProblem, parse_bank
from quizapp.domain.interchange.gift import (
    CLOZE_PROMPT,
    NO_EXPLANATION,
    Token,
    escape,
    parse_gift,
    parse_gift_report,
    slugify,
    to_gift,
    tokenize,
)
from quizapp.domain.question_types import QUESTION_TYPES

TINY_BANK = Path(__file__).parent.parent / "data" / "tiny.yaml"


def gift(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def one(text: str, **kwargs) -> dict:
    questions = parse_gift(gift(text), **kwargs)
    assert len(questions) == 1, questions
    return questions[0]


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(BankError) as caught:
        parse_gift(gift(text), name="quiz.gift")
    assert all(p.file == "quiz.gift" for p in caught.value.problems)
    return [(p.line, p.message) for p in caught.value.problems]


def only_problem(text: str) -> tuple[int, str]:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def question(qid: str, kind: str, prompt: str, explanation: str = NO_EXPLANATION, tags=(), **fields) -> dict:
    """A native question as parse_gift returns it (defaults for what GIFT does not hold)."""
    return {
        "id": qid,
        "type": kind,
        "prompt": prompt,
        **fields,
        "explanation": explanation,
        "source": "section 1",
        "difficulty": 1,
        "tags": list(tags),
        "points": 1,
    }


def validate(questions: list[dict]) -> None:
    """Our own validator accepts what the importer returns."""
    document = {
        "version": 1,
        "id": "imported",
        "title": "Imported from GIFT",
        "source": {"title": "An imported file", "sections": [{"number": 1, "title": "Everything"}]},
        "questions": questions,
    }
    bank = parse_bank(yaml.safe_dump(document, allow_unicode=True), "imported.yaml")
    assert [q["key"] for q in bank.questions] == [q["id"] for q in questions]


# --------------------------------------------------------------------------- the tokenizer


class TestTokenizer:
    def test_escapes_become_text_and_symbols_stay_symbols(self):
        tokens = tokenize([(3, r"a\~\=\#\{\}\:\n\\b ~=#{}")])
        assert tokens[0] == Token("text", "a~=#{}:\n\\b ", 3)
        assert [t.kind for t in tokens[1:]] == ["~", "=", "#", "{", "}"]

    def test_four_hashes_and_two_colons_are_one_token(self):
        assert [t.kind for t in tokenize([(1, "::x::{=a####b}")])] == [
            "::", "text", "::", "{", "=", "text", "####", "text", "}"
        ]
        assert [t.kind for t in tokenize([(1, "#####")])] == ["####", "#"]
        assert [t.kind for t in tokenize([(1, r"\::")])] == ["text"]

    def test_unknown_escape_and_trailing_backslash_are_kept(self):
        assert tokenize([(1, r"C:\x\ ")])[0].text == "C:\\x\\ "
        assert tokenize([(1, "end\\")])[0].text == "end\\"

    def test_lines_are_joined_by_new_lines_and_keep_their_numbers(self):
        tokens = tokenize([(4, "one"), (6, "{two")])
        assert tokens == [Token("text", "one\n", 4), Token("{", "{", 6), Token("text", "two", 6)]


# --------------------------------------------------------------------------- the documentation, construct by construct


class TestMultipleChoice:
    def test_right_answer_with_equals_and_wrong_ones_with_tilde(self):
        assert one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}") == question(
            "gift-1", "single_choice", "Who's buried in Grant's tomb?",
            choices=["Grant", "Jefferson", "no one"], answer="no one",
        )

    def test_answers_on_separate_indented_lines(self):
        questions = parse_gift(gift("""
            The American holiday of Thanksgiving is celebrated on the {
                ~second
                ~third
                =fourth
            } Thursday of November.
            \t
            Japanese characters originally came from what country? {
                ~India
                =China
                ~Korea
                ~Egypt}
        """))
        assert [q["prompt"] for q in questions] == [
            "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.",
            "Japanese characters originally came from what country?",
        ]
        assert [q["choices"] for q in questions] == [
            ["second", "third", "fourth"], ["India", "China", "Korea", "Egypt"]
        ]
        assert [q["answer"] for q in questions] == ["fourth", "China"]

    def test_missing_word_keeps_the_sentence_with_a_blank(self):
        q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
        assert q["type"] == "single_choice"
        assert q["prompt"] == "Grant is _____ in Grant's tomb."
        assert q["answer"] == "entombed"

    def test_missing_word_at_the_start_and_before_the_full_stop(self):
        assert one("{~1066 =1215} was the year of Magna Carta.")["prompt"] == "_____ was the year of Magna Carta."
        assert one("Magna Carta was sealed in {~1066 =1215}.")["prompt"] == "Magna Carta was sealed in _____."

    def test_per_answer_feedback_of_the_right_answer_is_the_explanation(self):
        q = one("""
            What's the answer to this multiple-choice question? {
            ~wrong answer#feedback comment on the wrong answer
            ~another wrong answer#feedback comment on this wrong answer
            =right answer#Very good!
            }
        """)
        assert q["choices"] == ["wrong answer", "another wrong answer", "right answer"]
        assert q["explanation"] == "Very good!"

    def test_feedback_with_spaces_around_the_hash(self):
        q = one("""
            ::Q2:: What's between orange and green in the spectrum?
            { =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }
        """)
        assert q["id"] == "q2"
        assert q["choices"] == ["yellow", "red", "blue"]
        assert q["explanation"] == "right; good!"

    def test_explicit_zero_and_full_weights_are_a_plain_single_choice(self):
        q = one("Pick one. {=%100%right ~%0%wrong ~also wrong}")
        assert (q["type"], q["choices"], q["answer"]) == ("single_choice", ["right", "wrong", "also wrong"], "right")

    def test_equals_sign_inside_the_question_text_is_text(self):
        assert one("::Q1:: 1+1=2 {T}")["prompt"] == "1+1=2"
        assert one("Is a#b ~ c = d? {F}")["prompt"] == "Is a#b ~ c = d?"


class TestMultipleAnswers:
    def test_the_documentation_example_is_partial_credit(self):
        q = one("""
            What two people are entombed in Grant's tomb? {
               ~%-100%No one
               ~%50%Grant
               ~%50%Grant's wife
               ~%-100%Grant's father
            }
        """)
        assert q == question(
            "gift-1", "multiple_select", "What two people are entombed in Grant's tomb?",
            choices=["No one", "Grant", "Grant's wife", "Grant's father"],
            answers=["Grant", "Grant's wife"], scoring="partial",
        )

    def test_three_right_answers_with_rounded_shares(self):
        q = one("Primes? {~%33.33333%2 ~%33.33333%3 ~%33.33334%5 ~%-100%4}")
        assert (q["answers"], q["scoring"]) == (["2", "3", "5"], "partial")

    def test_one_right_answer_at_full_weight_is_all_or_nothing(self):
        q = one("Pick the even one. {~%100%2 ~%-100%3 ~5}")
        assert (q["type"], q["answers"], q["scoring"]) == ("multiple_select", ["2"], "all_or_nothing")

    def test_feedback_of_the_right_answers_is_joined(self):
        q = one("Which? {~%50%a#A is right. ~%50%b#B is right. ~%-100%c#C is not.}")
        assert q["explanation"] == "A is right. B is right."

    def test_right_answers_weighing_differently_are_not_supported(self):
        line, message = only_problem("First? {T}\n\nWhich? {~%70%a ~%30%b ~c}")
        assert line == 3
        assert message.startswith("multiple-answer questions whose right answers weigh differently are not supported")
        assert "~%70%a" in message and "~%30%b" in message

    def test_weights_not_adding_up_to_100_are_an_error(self):
        assert only_problem("Which? {~%50%a ~%50%b ~%50%c}") == (
            1, "the weights of the right answers add up to 150%, not 100%"
        )


class TestTrueFalse:
    @pytest.mark.parametrize(("block", "answer"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)])
    def test_every_spelling(self, block, answer):
        assert one(f"Grant was buried in a tomb in New York City.{block}") == question(
            "gift-1", "true_false", "Grant was buried in a tomb in New York City.", answer=answer
        )

    def test_spaces_inside_the_block(self):
        assert one("The sun rises in the East. {  T  }")["answer"] is True

    def test_single_feedback_is_the_explanation(self):
        q = one("Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}")
        assert (q["answer"], q["explanation"]) == (False, "No one is buried in Grant's tomb.")

    def test_right_answer_feedback_is_the_second_one(self):
        q = one("The sun rises in the west.{F#You chose true: look again.#Right: it rises in the east.}")
        assert q["explanation"] == "Right: it rises in the east."

    def test_general_feedback_comes_first(self):
        q = one("The sun rises in the east.{T#wrong#right####It rises in the east.}")
        assert q["explanation"] == "It rises in the east."

    def test_lower_case_is_not_true_false(self):
        line, message = only_problem("Grant is buried there. {true}")
        assert line == 1
        assert message.startswith("unknown construct '{true}'")


class TestShortAnswer:
    def test_several_right_answers(self):
        assert one("Who's buried in Grant's tomb?{=no one =nobody}") == question(
            "gift-1", "short_answer", "Who's buried in Grant's tomb?", accepted=["no one", "nobody"]
        )

    def test_feedback_of_the_right_answers_is_joined_without_repeats(self):
        q = one("Who's buried in Grant's tomb?{=no one#excellent answer! =nobody#excellent answer!}")
        assert q["explanation"] == "excellent answer!"

    def test_moodle_export_with_full_and_zero_weights(self):
        # Moodle writes every short answer with a weight; a 0% catch-all only carries feedback.
        q = one("""
            // question: 42  name: Capital
            ::Capital::[html]<p>Capital of France?</p>{
            \t=%100%Paris#Yes.
            \t=%0%*#No: it is Paris.
            }
        """)
        assert (q["id"], q["prompt"], q["accepted"], q["explanation"]) == (
            "capital", "Capital of France?", ["Paris"], "Yes."
        )

    def test_partial_credit_is_not_supported(self):
        line, message = only_problem("::Jesus' hometown::Where was Jesus from? {=Nazareth =%50%Galilee}")
        assert line == 1
        assert message == "partial credit in a short-answer question is not supported: =%50%Galilee"

    def test_wildcards_are_not_supported_but_an_escaped_star_is_text(self):
        line, message = only_problem("Name him. {=Jeff*}")
        assert message.startswith("wildcards (*) in short answers are not supported: 'Jeff*'")
        assert one(r"What is five times three written with a star? {=5\*3}")["accepted"] == ["5*3"]

    def test_an_answer_of_only_punctuation_is_an_error(self):
        assert only_problem("Which mark ends a question? {=?}") == (
            1, "the answer '?' is only punctuation or spaces, which typed answers ignore"
        )


class TestMissingWordCloze:
    def test_right_answers_only_give_a_cloze_with_one_blank(self):
        assert one("::Q3:: Two plus {=two =2} equals four.") == question(
            "q3", "cloze", CLOZE_PROMPT, text="Two plus {1} equals four.", blanks=[["two", "2"]]
        )

    def test_short_answer_before_a_full_stop_is_a_cloze(self):
        q = one("Two plus two equals {=four =4}.")
        assert (q["type"], q["text"], q["blanks"]) == ("cloze", "Two plus two equals {1}.", [["four", "4"]])

    def test_a_sentence_containing_blank_like_text_is_not_supported(self):
        line, message = only_problem(r"Write \{1\} as {=one} here.")
        assert line == 1
        assert "missing-word sentence" in message and "not supported" in message

    def test_other_types_in_the_missing_word_form_keep_the_blank_line(self):
        assert one("The sky {T} is blue.")["prompt"] == "The sky _____ is blue."
        q = one("{~%50%Oslo ~%50%Bergen ~%-100%Malmo} are Norwegian cities.")
        assert (q["type"], q["prompt"]) == ("multiple_select", "_____ are Norwegian cities.")


class TestGeneralFeedback:
    def test_general_feedback_is_the_explanation(self):
        q = one("What's 2 plus 2? {=four =4 ####Two plus two is four.}")
        assert (q["accepted"], q["explanation"]) == (["four", "4"], "Two plus two is four.")

    def test_general_feedback_wins_over_answer_feedback(self):
        q = one("""
            Capital of Italy? {
              =Rome#Yes.
              ~Milan#No.
              ####Rome has been the capital since 1871.
            }
        """)
        assert q["explanation"] == "Rome has been the capital since 1871."

    def test_without_any_feedback_the_explanation_is_never_empty(self):
        assert one("Capital of Italy? {=Rome ~Milan#No.}")["explanation"] == NO_EXPLANATION
        assert one("Capital of Italy? {=Rome#   ~Milan}")["explanation"] == NO_EXPLANATION


class TestTitles:
    def test_the_title_is_slugified_into_the_id(self):
        assert one("::Grant's Tomb (1897)::Who is buried there? {=Grant}")["id"] == "grant-s-tomb-1897"
        assert one("::Élysée Palace::Who lives there? {=The president}")["id"] == "elysee-palace"
        assert one(r"::Part 1\: harbour::When? {=1901}")["id"] == "part-1-harbour"

    def test_long_titles_are_cut_to_80_characters(self):
        q = one(f"::{'Harbour ' * 20}::When? {{=1901}}")
        assert len(q["id"]) <= 80 and q["id"].startswith("harbour-harbour") and not q["id"].endswith("-")

    def test_without_a_title_the_id_counts_the_questions_of_the_file(self):
        questions, _ = parse_gift_report(gift("""
            First? {T}

            ::Second:: Second? {T}

            Skipped essay? {}

            Fourth? {F}
        """))
        assert [q["id"] for q in questions] == ["gift-1", "second", "gift-4"]

    def test_ids_are_made_unique(self):
        questions = parse_gift(gift("""
            ::Q:: One? {T}

            ::Q:: Two? {T}

            ::gift-4:: Three? {T}

            Four? {T}

            ::!!!:: Five? {T}

            ::q:: Six? {T}
        """))
        assert [q["id"] for q in questions] == ["q", "q-2", "gift-4", "gift-4-2", "gift-5", "q-3"]

    def test_unique_ids_stay_within_80_characters(self):
        title = "x" * 100
        questions = parse_gift(f"::{title}:: One? {{T}}\n\n::{title}:: Two? {{T}}\n")
        assert [q["id"] for q in questions] == ["x" * 80, "x" * 78 + "-2"]

    def test_slugify(self):
        assert slugify("  Ça va? --- Très bien!  ") == "ca-va-tres-bien"
        assert slugify("Straße") == "strasse"
        assert slugify("!!!") == ""

    def test_an_unclosed_title_is_an_error(self):
        assert only_problem("// comment\n::Title Who is buried? {=Grant}") == (
            2, "the title opened with '::' is not closed with '::'"
        )


class TestComments:
    def test_comment_lines_anywhere_are_ignored(self):
        questions = parse_gift(gift("""
            // A file of two questions.
              // indented comment
            ::Q1:: Capital of Italy? {
            // between the text and the answers
              =Rome
              // between answers
              ~Milan
            }
            // a comment block, on its own

            // only comments here

            ::Q2:: 1+1=2 {T}
            // trailing comment
        """))
        assert [(q["id"], q["type"]) for q in questions] == [("q1", "single_choice"), ("q2", "true_false")]
        assert questions[0]["choices"] == ["Rome", "Milan"]

    def test_double_slash_inside_a_line_is_text(self):
        q = one("Is https://moodle.org the home of Moodle? {T#see https://docs.moodle.org}")
        assert q["prompt"] == "Is https://moodle.org the home of Moodle?"
        assert q["explanation"] == "see https://docs.moodle.org"

    def test_a_comment_line_does_not_separate_questions(self):
        line, message = only_problem("""
            First? {T}
            // not a blank line
            Second? {F}
        """)
        assert line == 3 and message.startswith("a second answer block")


class TestEscapes:
    def test_documentation_example(self):
        q = one(r"""
            Which answer equals 5? {
               ~ \= 2 + 2
               = \= 2 + 3
               ~ \= 2 + 4
            }
        """)
        assert (q["choices"], q["answer"]) == (["= 2 + 2", "= 2 + 3", "= 2 + 4"], "= 2 + 3")

    def test_every_escape_in_text_answers_and_feedback(self):
        q = one(r"""
            ::Escapes:: a \~ b \= c \# d \{ e \} f \: g\nh \\ i {
              =\~\=\#\{\}\:\\#right \# \{x\}
              ~new\nline#wrong \~
            }
        """)
        assert q["prompt"] == "a ~ b = c # d { e } f : g\nh \\ i"
        assert q["choices"] == ["~=#{}:\\", "new\nline"]
        assert q["answer"] == "~=#{}:\\"
        assert q["explanation"] == "right # {x}"
        general = one(r"Escaped general feedback? {T####General \#1\: \{ok\} \~ \=}")
        assert general["explanation"] == "General #1: {ok} ~ ="

    def test_escaped_new_line_in_an_answer_and_a_gift_control_characters_question(self):
        q = one(r"""
            ::GIFT Control Characters:: Which is not a control character? {
              =\\ ~\: ~\= ~\# ~\{ ~\} ~\~
            }
        """)
        assert q["choices"] == ["\\", ":", "=", "#", "{", "}", "~"]
        assert q["answer"] == "\\"
        assert one(r"Lines? {=one\ntwo ~three}")["choices"] == ["one\ntwo", "three"]

    def test_escape_writes_every_special_character(self):
        assert escape("a~b=c#d{e}f:g\\h\ni\r\n") == r"a\~b\=c\#d\{e\}f\:g\\h\ni\n"


class TestTextFormats:
    @pytest.mark.parametrize("prefix", ["[html]", "[moodle]", "[plain]", "[markdown]"])
    def test_the_prefix_is_stripped_and_the_text_kept(self, prefix):
        q = one(f"::Format::{prefix}Who's buried in **Grant's tomb**? {{=no one}}")
        assert q["prompt"] == "Who's buried in **Grant's tomb**?"

    def test_html_becomes_plain_text(self):
        # Tags and entities were once kept as literal text; HTML is now read as HTML.
        assert one("[html]<p>Who's <b>buried</b> here?</p>{T}")["prompt"] == "Who's buried here?"

    def test_prefixes_of_answers_and_feedback(self):
        q = one("""
            ::colours:: What's between orange and green in the spectrum?
            {
                ~%50%yellow # right; good!
                ~%-100%red # [html]wrong
                ~%50%[markdown]off-beige # right; good!
                ~%-100%[plain]blue # wrong
            }
        """)
        assert q["choices"] == ["yellow", "red", "off-beige", "blue"]
        assert q["answers"] == ["yellow", "off-beige"]
        assert q["explanation"] == "right; good!"

    def test_an_unknown_prefix_is_text(self):
        assert one("[note] Is this kept? {T}")["prompt"] == "[note] Is this kept?"


class TestCategories:
    def test_the_last_segment_of_the_path_is_the_tag(self):
        questions = parse_gift(gift("""
            Before any category? {T}

            $CATEGORY: tom/yes/no

            // a question in tom/yes/no
            First? {T}

            Second? {F}

            $CATEGORY: $course$/top/Unit 1: The Harbour
            Third? {T}

            $CATEGORY: $course$/top

            Fourth? {T}

            $CATEGORY: $module$/top/Default for GIFT

            Fifth? {T}

            $CATEGORY: Ports//Harbours

            Sixth? {T}
        """))
        assert [q["tags"] for q in questions] == [
            [], ["no"], ["no"], ["unit-1-the-harbour"], [], ["default-for-gift"], ["ports-harbours"]
        ]


class TestBlankLines:
    def test_questions_are_separated_by_blank_or_space_only_lines(self):
        text = "\ufeffOne? {T}\r\n\r\n\r\n  \t \r\nTwo? {F}\r\n\r\nThree?\r\n{=a}"
        assert [q["prompt"] for q in parse_gift(text)] == ["One?", "Two?", "Three?"]

    def test_line_numbers_count_crlf_and_old_mac_line_ends(self):
        assert only_problem("One? {T}\r\n\r\n\r\nTwo? {F}\r\nThree? {=a}") == (
            5, "a second answer block: a question has one {…} block (separate questions with a blank line)"
        )
        assert only_problem("One? {T}\r\rTwo? {") == (3, "unclosed '{': the answer block has no closing '}'")

    def test_a_question_over_several_lines_keeps_its_line_breaks(self):
        q = one("""
            ::Long:: The first line
            and the second line? {
              =yes
              ~no
            }
        """)
        assert q["prompt"] == "The first line\nand the second line?"

    def test_an_empty_file_has_no_questions(self):
        assert parse_gift("") == []
        assert parse_gift("\n\n// nothing but comments\n\n") == []


# --------------------------------------------------------------------------- constructs our types cannot hold


UNSUPPORTED = {
    "matching": ("""
        Match the following countries with their corresponding capitals. {
           =Canada -> Ottawa
           =Italy  -> Rome
           =Japan  -> Tokyo
           =India  -> New Delhi
           ####It's good to know the capitals
        }
    """, "matching questions are not supported: '{ =Canada -> Ottawa =Italy -> Rome"),
    "matching with formats": ("""
        ::Moodle activities::[html]Match the <b>activity</b> to the description.{
            =[html]An activity supporting asynchronous discussions. -> Forum
            =[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice
            = -> Chat
        }
    """, "matching questions are not supported"),
    "numerical": ("::Q5:: What is a number from 1 to 5? {#3:2}",
                  "numerical questions ({#…}) are not supported: '{#3:2}'"),
    "numerical with tolerance": ("When was Ulysses S. Grant born?{#1822:5}",
                                 "numerical questions ({#…}) are not supported: '{#1822:5}'"),
    "numerical in missing-word form": ("What is the value of pi (to 3 decimal places)? {#3.14159:0.0005}.",
                                       "numerical questions ({#…}) are not supported: '{#3.14159:0.0005}'"),
    "numerical range": ("::Q6:: What is a number from 1 to 5? {#1..5}",
                        "numerical questions ({#…}) are not supported: '{#1..5}'"),
    "multiple numerical answers": ("""
        ::Q7:: When was Ulysses S. Grant born? {#
                 =1822:0      # Correct! Full credit.
                 =%50%1822:2  # He was born in 1822. Half credit for being close.
        }
    """, "numerical questions ({#…}) are not supported: '{# =1822:0 # Correct!"),
    "essay": ("Write a short biography of Dag Hammarskjöld. {}", "essay questions ({}) are not supported"),
    "essay with general feedback": ("::Q8:: How are you? {####Thanks for telling.}",
                                    "essay questions ({}) are not supported"),
    "description": ("You are about to answer questions about Grant's tomb.",
                    "description questions (text with no answer block) are not supported: "
                    "\"You are about to answer questions about Grant's tomb.\""),
    "partial credit in a single choice": (
        "Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}",
        "partial credit or penalties in a single-choice question are not supported: ~%50%half credit answer"),
    "weighted missing word": (
        "::Jesus' hometown::Jesus Christ was from {\n"
        "    ~Jerusalem#This was an important city, but the wrong answer.\n"
        "    ~%25%Bethlehem#He was born here, but not raised here.\n"
        "    ~%50%Galilee#You need to be more specific.\n"
        "    =Nazareth#Yes! That's right!\n"
        "}.",
        "partial credit or penalties in a single-choice question are not supported: ~%25%Bethlehem, ~%50%Galilee"),
    "a penalty in a single choice": ("Pick. {=right ~%-50%wrong}",
                                     "partial credit or penalties in a single-choice question are not supported"),
    "two right answers in a single choice": (
        "Which? {=a =b ~c}", "single-choice questions with more than one right answer are not supported: 'a', 'b'"),
}


class TestUnsupported:
    @pytest.mark.parametrize("case", list(UNSUPPORTED))
    def test_reported_with_the_line_where_the_question_starts(self, case):
        text, message = UNSUPPORTED[case]
        source = "Before? {T}\n\n// a comment\n" + gift(text)
        line, found = only_problem(source)
        assert line == 4
        assert found.startswith(message), found

    def test_parse_gift_report_skips_them_with_their_reasons(self):
        text = "First? {T}\n\n" + "\n\n".join(gift(t).rstrip() for t, _ in UNSUPPORTED.values()) + "\n\nLast? {F}\n"
        questions, skipped = parse_gift_report(text, "bank.gift", default_source="faq 1")
        assert [(q["prompt"], q["source"]) for q in questions] == [("First?", "faq 1"), ("Last?", "faq 1")]
        assert [q["id"] for q in questions] == ["gift-1", f"gift-{len(UNSUPPORTED) + 2}"]
        assert len(skipped) == len(UNSUPPORTED)
        assert all(isinstance(p, BankProblem) and p.file == "bank.gift" for p in skipped)
        assert [p.line for p in skipped] == sorted(p.line for p in skipped)
        assert any(p.message.startswith("matching questions are not supported") for p in skipped)

    def test_parse_gift_report_still_raises_for_errors(self):
        with pytest.raises(BankError) as caught:
            parse_gift_report("Essay? {}\n\nBroken? {=a\n\nFine? {T}\n")
        assert [(p.line, p.message) for p in caught.value.problems] == [
            (3, "unclosed '{': the answer block has no closing '}'")
        ]


# --------------------------------------------------------------------------- errors


ERRORS = [
    ("Who's buried in Grant's tomb? {=Grant ~no one", 1, "unclosed '{': the answer block has no closing '}'"),
    ("Who's buried\nin Grant's tomb?\n{\n=Grant\n~no one", 3, "unclosed '{': the answer block has no closing '}'"),
    ("Who's buried in Grant's tomb? =Grant ~no one}", 1, "a '}' with no '{' before it (write \\} for the character)"),
    ("Pick. {~a ~b ~c}", 1, "no right answer: mark the right answer with '=', or weigh the right answers of a "
     "multiple-answer question (~%50%…)"),
    ("Pick. {~%0%a ~%-50%b}", 1, "no right answer: mark the right answer with '=', or weigh the right answers "
     "of a multiple-answer question (~%50%…)"),
    ("Type it. {=%0%*#Wrong.}", 1, "no right answer: a short answer needs at least one answer '=…'"),
    ("::Title:: {T}", 1, "a question with no text"),
    ("::Only a title::", 1, "a question with no text"),
    ("[html]{=a ~b}", 1, "a question with no text"),
    ("Capital of France? {Paris}", 1, "unknown construct '{Paris}': an answer block holds answers starting with "
     "'=' (right) or '~' (wrong), or T/TRUE/F/FALSE, or is {} or {#…}"),
    ("Capital? {Paris ~London =Paris!}", 1, "unexpected text 'Paris' before the first answer: start each answer "
     "with '=' (right) or '~' (wrong)"),
    ("Capital? {\n~London\n~%abc%Rome\n=Paris}", 3, "the weight in '~%abc%Rome' must be written %n%, a percentage "
     "such as %50% or %-100%"),
    ("Capital? {=Paris ~%150%London}", 1, "the weight %150% is outside -100% to 100%"),
    ("Capital? {=Paris ~%50 London}", 1, "the weight in '~%50 London' must be written %n%, a percentage such as "
     "%50% or %-100%"),
    ("Capital? {=Paris\n~{London}\n}", 2, "a '{' inside the answer block opened on line 1 (write \\{ for the "
     "character)"),
    ("Capital? {=Paris ~London} and {=Rome ~Milan}", 1, "a second answer block: a question has one {…} block "
     "(separate questions with a blank line)"),
    ("Capital? {=Paris ~London} }", 1, "a '}' with no '{' before it (write \\} for the character)"),
    ("Capital? {~%100%Paris}", 1, "a multiple-choice question needs at least two answers"),
    ("Capital? {=Paris ~London\n~Paris}", 2, "the answer 'Paris' is given twice"),
    ("Capital? {=Paris ~}", 1, "an empty answer after '~'"),
    ("Capital? {=Paris =Paris}", 1, "the answer 'Paris' is given twice"),
]


class TestErrors:
    @pytest.mark.parametrize(("text", "line", "message"), ERRORS)
    def test_each_error_with_its_line(self, text, line, message):
        assert only_problem(text) == (line, message)

    def test_every_problem_of_the_file_is_collected_with_its_line(self):
        blocks = ["Good? {T}", *(t for t, _, _ in ERRORS), *(gift(t).rstrip() for t, _ in UNSUPPORTED.values()),
                  "Also good? {F}"]
        starts, line = [], 1
        for block in blocks:
            starts.append(line)
            line += block.count("\n") + 2
        with pytest.raises(BankError) as caught:
            parse_gift("\n\n".join(blocks), name="all.gift")
        found = [(p.line, p.message) for p in caught.value.problems]
        expected = [
            (starts[1 + i] + line - 1, message.replace("opened on line 1", f"opened on line {starts[1 + i]}"))
            for i, (_, line, message) in enumerate(ERRORS)
        ]
        unsupported = [(starts[1 + len(ERRORS) + i], prefix) for i, (_, prefix) in enumerate(UNSUPPORTED.values())]
        assert len(found) == len(expected) + len(unsupported)
        assert found == sorted(found)
        for wanted in expected:
            assert wanted in found
        rest = [f for f in found if f not in expected]
        assert [line for line, _ in rest] == [line for line, _ in unsupported]
        for (_, message), (_, prefix) in zip(rest, unsupported, strict=True):
            assert message.startswith(prefix)
        assert str(caught.value).startswith("all.gift:3: unclosed '{'")


# --------------------------------------------------------------------------- our validator accepts the import


EVERYTHING = """
// Every construct we can hold, in one file.
$CATEGORY: $course$/top/Grant

::Q1:: Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed#Right. ~living} in Grant's tomb.

What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}

Pick the even one. {~%100%2 ~%-100%3 ~5}

Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}

$CATEGORY: tom/yes/no

::Q1:: 1+1=2 {T}

Who's buried in Grant's tomb?{=no one =nobody####Nobody is.}

::Q3:: Two plus {=two =2} equals four.

[markdown]Which is **not** special? {=\\\\ ~\\: ~\\= ~\\# ~\\{ ~\\} ~\\~}

::Capital::[html]<p>Capital of France?</p>{
\t=%100%Paris#Yes.
\t=%0%*#No.
}
"""


def test_what_parse_gift_returns_passes_our_validator():
    questions = parse_gift(EVERYTHING)
    assert [q["type"] for q in questions] == [
        "single_choice", "single_choice", "multiple_select", "multiple_select", "true_false",
        "true_false", "short_answer", "cloze", "single_choice", "short_answer",
    ]
    assert [q["id"] for q in questions] == [
        "q1", "gift-2", "gift-3", "gift-4", "gift-5", "q1-2", "gift-7", "q3", "gift-9", "capital"
    ]
    for q in questions:
        allowed = set(COMMON_FIELDS) | {"tags", "points"} | set(QUESTION_TYPES[q["type"]].fields)
        # A typo tolerance is never imported: it stays off until the teacher turns it on.
        allowed |= set(QUESTION_TYPES[q["type"]].optional_fields) - {"tolerance"}
        assert set(q) == allowed, q
        assert q["explanation"].strip()
    validate(questions)


def test_imported_explanation_of_the_placeholder_kind_and_tags_pass_the_validator():
    questions, skipped = parse_gift_report("$CATEGORY: Été 2024\n\nNo feedback? {T}\n\nEssay? {}\n")
    assert questions[0]["tags"] == ["ete-2024"] and len(skipped) == 1
    validate(questions)


# --------------------------------------------------------------------------- writing GIFT


def native(qid: str, kind: str, prompt: str, explanation: str = "Because.", **fields) -> dict:
    return {"id": qid, "type": kind, "prompt": prompt, **fields, "explanation": explanation,
            "source": "section 1", "difficulty": 1, "tags": [], "points": 1}


class TestToGift:
    def test_each_type_as_moodle_writes_it(self):
        text, warnings = to_gift([
            native("capital", "single_choice", "Capital of Italy?", choices=["Milan", "Rome"], answer="Rome"),
            native("cargo", "multiple_select", "Which goods?", choices=["Timber", "Grain", "Coal"],
                   answers=["Timber", "Grain"], scoring="partial"),
            native("council", "true_false", "The council runs it.", answer=True, explanation=NO_EXPLANATION),
            native("runner", "short_answer", "Who runs it?", accepted=["The council", "council"]),
            native("year", "cloze", CLOZE_PROMPT, text="It opened in {1}.", blanks=[["1901"]]),
        ])
        assert warnings == []
        assert text == gift("""
            ::capital:: Capital of Italy? {
            \t~Milan
            \t=Rome
            \t####Because.
            }

            ::cargo:: Which goods? {
            \t~%50%Timber
            \t~%50%Grain
            \t~%-50%Coal
            \t####Because.
            }

            ::council:: The council runs it. {TRUE}

            ::runner:: Who runs it? {
            \t=The council
            \t=council
            \t####Because.
            }

            ::year:: It opened in {=1901####Because.}.
        """)

    def test_weights_of_three_right_answers(self):
        text, _ = to_gift([native("p", "multiple_select", "Primes?", choices=["2", "3", "4", "5"],
                                  answers=["2", "3", "5"], scoring="partial")])
        assert "~%33.33333%2\n\t~%33.33333%3\n\t~%-33.33333%4\n\t~%33.33333%5" in text

    def test_all_or_nothing(self):
        one_right = native("e", "multiple_select", "Even?", choices=["2", "3"], answers=["2"])
        text, warnings = to_gift([one_right])
        assert "~%100%2\n\t~%-100%3" in text and warnings == []
        several = native("p", "multiple_select", "Primes?", choices=["2", "3", "4"], answers=["2", "3"],
                         scoring="all_or_nothing")
        text, warnings = to_gift([several])
        assert "~%50%2" in text
        assert warnings == ["p: GIFT cannot say all-or-nothing for several right answers: written with partial "
                            "credit (each right answer a share, each wrong one a penalty)"]

    def test_what_gift_cannot_hold_is_skipped_with_a_warning(self):
        text, warnings = to_gift([
            native("order", "ordering", "Order them.", items=["a", "b", "c"]),
            native("two", "cloze", "Fill in.", text="{1} and {2}", blanks=[["a"], ["b"]]),
            native("arrow", "short_answer", "Arrow?", accepted=["a -> b"]),
            native("ok", "true_false", "Fine?", answer=False),
        ])
        assert text == "::ok:: Fine? {FALSE####Because.}\n"
        assert warnings == [
            "order: skipped: GIFT has no ordering questions",
            "two: skipped: a cloze question with 2 blanks cannot be written in GIFT "
            "(only one blank, as a missing word)",
            "arrow: skipped: an accepted answer contains '->', which GIFT reads as a matching question",
        ]

    def test_a_one_blank_cloze_with_its_own_prompt_or_a_final_blank(self):
        text, warnings = to_gift([native("y", "cloze", "Give the year.", text="It opened in {1}.",
                                         blanks=[["1901"]])])
        assert text == "::y:: Give the year.\\nIt opened in {=1901####Because.}.\n"
        assert warnings == ["y: GIFT's missing-word form has no separate prompt: the prompt is written in front "
                            "of the sentence"]
        q = parse_gift(text)[0]
        assert (q["type"], q["text"]) == ("cloze", "Give the year.\nIt opened in {1}.")
        text, warnings = to_gift([native("e", "cloze", CLOZE_PROMPT, text="It opened in {1}", blanks=[["1901"]])])
        assert warnings == ["e: the blank ends the text, so GIFT reads the question back as a short answer"]
        assert parse_gift(text)[0]["type"] == "short_answer"

    def test_tags_become_categories(self):
        questions = [
            {**native("a", "true_false", "A?", answer=True), "tags": ["history"]},
            {**native("b", "true_false", "B?", answer=True), "tags": ["history", "ports"]},
            {**native("c", "true_false", "C?", answer=True), "tags": []},
            {**native("d", "true_false", "D?", answer=True), "tags": ["Ports/Harbours"]},
        ]
        text, warnings = to_gift(questions)
        assert [line for line in text.split("\n") if line.startswith("$")] == [
            "$CATEGORY: $course$/top/history",
            "$CATEGORY: $course$/top",
            "$CATEGORY: $course$/top/Ports//Harbours",
        ]
        assert warnings == [
            "b: GIFT has one category per question: only the tag 'history' is kept (left out: 'ports')",
            "d: the tag 'Ports/Harbours' is read back as 'ports-harbours'",
        ]
        assert [q["tags"] for q in parse_gift(text)] == [["history"], ["history"], [], ["ports-harbours"]]

    def test_a_typo_tolerance_is_warned_about(self):
        text, warnings = to_gift([
            native("who", "short_answer", "Who?", accepted=["Zelenskyy"], tolerance="typo"),
            native("gap", "cloze", CLOZE_PROMPT, text="Led by {1} today.", blanks=[["Zelenskyy"]], tolerance="typo"),
            native("exact", "short_answer", "Who?", accepted=["Zelenskyy"]),
        ])
        assert "=Zelenskyy" in text
        assert warnings == [
            "who: GIFT has no typo tolerance: the accepted answers are written as they are, and Moodle marks a "
            "typo in them wrong",
            "gap: GIFT has no typo tolerance: the accepted answers are written as they are, and Moodle marks a "
            "typo in them wrong",
        ]

    def test_points_and_passage_are_warned_about(self):
        q = {**native("a", "true_false", "A?", answer=True), "points": 2, "passage": "Word for word.",
             "difficulty": 3, "source": "key_point 1"}
        _, warnings = to_gift([q])
        assert warnings == [
            "a: GIFT has no points: this question is worth 2 points here, the default in Moodle",
            "a: GIFT has no place for the passage: it is left out",
        ]

    def test_nothing_to_write(self):
        assert to_gift([]) == ("", [])


# --------------------------------------------------------------------------- round trips


def _normalised(q: dict) -> dict:
    """What parse_gift gives back for a question GIFT holds."""
    out = {k: q[k] for k in ("id", "type", "prompt", "explanation")}
    kind = QUESTION_TYPES[q["type"]]
    out.update({f: q[f] for f in kind.fields})
    if q["type"] == "multiple_select":
        out["scoring"] = q.get("scoring", "all_or_nothing")
        if len(q["answers"]) == 1:
            out["scoring"] = "all_or_nothing"  # the same grading, and GIFT cannot tell them apart
    out.update({"source": "section 1", "difficulty": 1, "tags": q.get("tags", [])[:1], "points": 1})
    return out


def round_trip(questions: list[dict]) -> list[dict]:
    text, warnings = to_gift(questions)
    assert warnings == []
    return parse_gift(text)


SPECIAL = "~ = # { } : \\ #### :: // -> \\n %50% * _____ {1} $CATEGORY: [html] tab\there new\nline blank\n\nline"


class TestRoundTrip:
    def test_the_tiny_bank(self):
        questions = yaml.safe_load(TINY_BANK.read_text())["questions"]
        held = []
        for q in questions:
            q = {**q, "source": "section 1", "difficulty": 1, "points": 1}
            q.pop("passage", None)
            if q["type"] == "cloze":
                q.update(prompt=CLOZE_PROMPT, text="The harbour opened in {1}.", blanks=[["1901", "nineteen-oh-one"]])
            if q["type"] != "ordering":
                held.append(q)
        assert round_trip(held) == [_normalised(q) for q in held]
        validate(round_trip(held))

    @pytest.mark.parametrize("special", [*SPECIAL.split(" "), SPECIAL])
    def test_texts_with_every_special_character(self, special):
        questions = [
            native("single", "single_choice", f"Which {special} one?", choices=[f"{special}", f"not {special}",
                                                                                "plain"],
                   answer=f"not {special}", explanation=f"Because {special}."),
            native("multi", "multiple_select", f"{special} Which?", choices=[f"a{special}", f"{special}b", "c"],
                   answers=[f"a{special}", "c"], scoring="partial", explanation=f"{special}"),
            native("tf", "true_false", f"{special}", answer=False, explanation=f"{special}{special}"),
            native("short", "short_answer", f"Type {special}", accepted=[f"x{special}y", "z"]),
            native("cloze", "cloze", CLOZE_PROMPT, text=f"{special} the {{1}} {special}.",
                   blanks=[[f"w{special}w"]]),
            native("start", "single_choice", f"{special}", choices=[f"{special}", "x"], answer="x"),
        ]
        if "->" in special:
            questions = [q for q in questions if q["type"] not in ("short_answer", "cloze")]
        if "{1}" in special:
            questions = [q for q in questions if q["type"] != "cloze"]
        assert round_trip(questions) == [_normalised(q) for q in questions]

    def test_random_texts(self):
        rng = random.Random(20240607)
        alphabet = list("ab ~=#{}:\\\n%*[]/-_$é") + ["####", "::", "//", "[html]", "\\n", "%50%"]

        def text(min_size: int = 1) -> str:
            while True:
                value = "".join(rng.choice(alphabet) for _ in range(rng.randint(min_size, 12))).strip()
                if value and "{1}" not in value and "->" not in value:
                    return value

        questions = []
        for n in range(200):
            kind = ["single_choice", "multiple_select", "true_false", "short_answer", "cloze"][n % 5]
            fields: dict = {}
            if kind in ("single_choice", "multiple_select"):
                choices = list(dict.fromkeys(text() for _ in range(4)))
                while len(choices) < 2:
                    choices.append(text() + "!")
                    choices = list(dict.fromkeys(choices))
                if kind == "single_choice":
                    fields = {"choices": choices, "answer": rng.choice(choices)}
                else:
                    fields = {"choices": choices, "answers": choices[: rng.randint(2, len(choices))]
                              if len(choices) > 2 else choices[:1], "scoring": "partial"}
            elif kind == "true_false":
                fields = {"answer": rng.random() < 0.5}
            else:
                accepted = list(dict.fromkeys(w for w in (text() + "x", text() + "y")))
                if kind == "short_answer":
                    fields = {"accepted": accepted}
                else:
                    fields = {"text": f"{text()} {{1}} {text()}", "blanks": [accepted]}
            prompt = CLOZE_PROMPT if kind == "cloze" else text()
            questions.append(native(f"q-{n}", kind, prompt, explanation=text(), **fields))
        assert round_trip(questions) == [_normalised(q) for q in questions]

    def test_parse_then_write_then_parse_is_stable(self):
        first = parse_gift(EVERYTHING)
        text, warnings = to_gift(first)
        assert warnings == []
        assert parse_gift(text) == first
