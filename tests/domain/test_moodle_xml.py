"""Moodle XML: safe parsing, import of the shared question types, export, round trips."""

import textwrap
import time

import pytest

from quizapp.domain.bank_format import BankError, parse_bank
from quizapp.domain.interchange.moodle_xml import (
    NO_EXPLANATION,
    html_to_text,
    parse_moodle_xml,
    read_moodle_xml,
    to_moodle_xml,
)
from tests.support.builders import bank_around


def quiz(*questions: str) -> str:
    """A Moodle XML document; the first question starts on line 3."""
    body = "\n".join(textwrap.dedent(q).strip("\n") for q in questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(BankError) as caught:
        parse_moodle_xml(text, "bank.xml")
    return [str(p) for p in caught.value.problems]


def defaults(**fields) -> dict:
    return {"explanation": NO_EXPLANATION, "source": "section 1", "difficulty": 1, "tags": [], "points": 1, **fields}


# The constructs of https://docs.moodle.org/en/Moodle_XML_format, with the common tags around them.
MULTICHOICE = """
    <question type="multichoice">
      <name><text>Name of question</text></name>
      <questiontext format="html"><text>What is the answer to this question?</text></questiontext>
      <answer fraction="100">
        <text>The correct answer</text>
        <feedback><text>Correct!</text></feedback>
      </answer>
      <answer fraction="0">
        <text>A distractor</text>
        <feedback><text>Ooops!</text></feedback>
      </answer>
      <answer fraction="0">
        <text>Another distractor</text>
        <feedback><text>Ooops!</text></feedback>
      </answer>
      <shuffleanswers>1</shuffleanswers>
      <single>true</single>
      <answernumbering>abc</answernumbering>
    </question>
"""
TRUEFALSE = """
    <question type="truefalse">
      <name><text>True or false</text></name>
      <questiontext format="html"><text>The sky is blue.</text></questiontext>
      <answer fraction="100">
        <text>true</text>
        <feedback><text>Correct!</text></feedback>
      </answer>
      <answer fraction="0">
        <text>false</text>
        <feedback><text>Ooops!</text></feedback>
      </answer>
    </question>
"""
SHORTANSWER = """
    <question type="shortanswer">
      <name><text>Short</text></name>
      <questiontext format="html"><text>Name the answer.</text></questiontext>
      <usecase>0</usecase>
      <answer fraction="100">
        <text>The correct answer</text>
        <feedback><text>Correct!</text></feedback>
      </answer>
      <answer fraction="100">
        <text>An alternative answer</text>
        <feedback><text>Correct!</text></feedback>
      </answer>
    </question>
"""
CATEGORY = """
    <question type="category">
      <category><text>$course$/top/Default for History/Harbour &amp; ships</text></category>
      <info format="html"><text>Questions on the harbour</text></info>
    </question>
"""


# --- Import: the documented constructs ---------------------------------------------------------


def test_multichoice_single_true_is_single_choice():
    (question,) = parse_moodle_xml(quiz(MULTICHOICE))
    assert question == {
        "id": "name-of-question",
        "type": "single_choice",
        "prompt": "What is the answer to this question?",
        "choices": ["The correct answer", "A distractor", "Another distractor"],
        "answer": "The correct answer",
        **defaults(),
    }


def test_truefalse_and_shortanswer():
    true_false, short = parse_moodle_xml(quiz(TRUEFALSE, SHORTANSWER))
    assert true_false == {"id": "true-or-false", "type": "true_false", "prompt": "The sky is blue.",
                          "answer": True, **defaults()}
    assert short == {"id": "short", "type": "short_answer", "prompt": "Name the answer.",
                     "accepted": ["The correct answer", "An alternative answer"], **defaults()}


def test_truefalse_with_false_right_in_any_order_and_any_case():
    (question,) = parse_moodle_xml(quiz("""
        <question type="truefalse">
          <questiontext><text>Fish fly.</text></questiontext>
          <answer fraction="0"><text>TRUE</text></answer>
          <answer fraction="100"><text>False</text></answer>
        </question>"""))
    assert question["answer"] is False


def test_category_gives_a_tag_to_the_questions_that_follow():
    xml = quiz(MULTICHOICE, CATEGORY, TRUEFALSE, """
        <question type="category"><category>$course$/Unit 1//2 (halves)</category></question>""",
               SHORTANSWER, """
        <question type="category"><category><text>$course$/top</text></category></question>""",
               MULTICHOICE.replace("Name of question", "Last"))
    tags = [q["tags"] for q in parse_moodle_xml(xml)]
    assert tags == [[], ["Harbour & ships"], ["Unit 1/2 (halves)"], []]


def test_question_tags_are_added_after_the_category_tag_without_repeats():
    xml = quiz(CATEGORY, TRUEFALSE.replace("</question>", """
      <tags><tag><text>easy</text></tag><tag><text>Harbour &amp; ships</text></tag><tag><text> sea </text></tag></tags>
    </question>"""))
    (question,) = parse_moodle_xml(xml)
    assert question["tags"] == ["Harbour & ships", "easy", "sea"]


def test_html_text_becomes_plain_text():
    (question,) = parse_moodle_xml(quiz("""
        <question type="multichoice">
          <questiontext format="html">
            <text><![CDATA[<p>Is <strong>5 &lt; 7</strong> &amp;&nbsp;caf&eacute;&#8230;</p><p>Second <br/>line</p>
            <script>alert(1)</script>]]></text>
          </questiontext>
          <generalfeedback format="html">
            <text>&lt;p&gt;Because &lt;i&gt;it is&lt;/i&gt;.&lt;/p&gt;</text>
          </generalfeedback>
          <answer fraction="100" format="html"><text><![CDATA[<span lang="fr">Oui</span>]]></text></answer>
          <answer fraction="0"><text>Non &amp; jamais</text></answer>
        </question>"""))
    assert question["prompt"] == "Is 5 < 7 & café…\nSecond\nline"
    assert question["explanation"] == "Because it is."
    assert question["choices"] == ["Oui", "Non & jamais"]


def test_the_text_formats():
    def prompt(text_format: str, text: str) -> str:
        (question,) = parse_moodle_xml(quiz(f"""
            <question type="truefalse">
              <questiontext format="{text_format}"><text>{text}</text></questiontext>
              <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
            </question>"""))
        return question["prompt"]

    assert prompt("plain_text", "Is &lt;b&gt; a tag?\nYes") == "Is <b> a tag?\nYes"
    assert prompt("markdown", "Is **this** *markdown*?") == "Is **this** *markdown*?"
    assert prompt("moodle_auto_format", "Line one\nLine &lt;b&gt;two&lt;/b&gt;") == "Line one\nLine two"
    assert prompt("html", "Line one\nsame &lt;br&gt;line") == "Line one same\nline"


def test_html_to_text():
    assert html_to_text("<ul><li>one</li><li>two &amp; three</li></ul>") == ("one\ntwo & three", False)
    assert html_to_text('<p>See <img src="@@PLUGINFILE@@/a.png" alt="map"></p>') == ("See", True)


def test_common_tags_defaultgrade_generalfeedback_and_ignored_ones():
    (question,) = parse_moodle_xml(quiz("""
        <question type="shortanswer">
          <name><text>Capital</text></name>
          <questiontext format="html"><text>Capital of France?</text></questiontext>
          <generalfeedback format="html"><text>Paris is the capital.</text></generalfeedback>
          <defaultgrade>2.5000000</defaultgrade>
          <penalty>0.3333333</penalty>
          <hidden>0</hidden>
          <idnumber>FR-1</idnumber>
          <usecase>1</usecase>
          <answer fraction="100" format="moodle_auto_format"><text>Paris</text></answer>
          <answer fraction="0"><text>*</text><feedback><text>No.</text></feedback></answer>
          <hint format="html"><text>Think of the Seine.</text></hint>
        </question>"""))
    assert question["explanation"] == "Paris is the capital."
    assert question["points"] == 3  # 2.5 rounded half up
    assert question["accepted"] == ["Paris"]  # the 0% catch-all only carries feedback


@pytest.mark.parametrize(("grade", "points"), [("1.0000000", 1), ("0.5", 1), ("0", 1), ("3.49", 3), ("10", 10)])
def test_defaultgrade_is_rounded_to_at_least_one_point(grade, points):
    (question,) = parse_moodle_xml(quiz(TRUEFALSE.replace("</question>", f"<defaultgrade>{grade}</defaultgrade>"
                                                          "</question>")))
    assert question["points"] == points


def test_ids_are_slugs_of_names_unique_or_numbered():
    unnamed = TRUEFALSE.replace("<name><text>True or false</text></name>", "")
    long_name = "Ça, c'est une très longue question " * 4
    xml = quiz(CATEGORY, TRUEFALSE, TRUEFALSE, unnamed,
               TRUEFALSE.replace("True or false", "日本語"), TRUEFALSE.replace("True or false", long_name),
               TRUEFALSE.replace("True or false", "moodle-3"))
    first, second, unnamed_id, japanese, long_id, clash = [q["id"] for q in parse_moodle_xml(xml)]
    assert (first, second) == ("true-or-false", "true-or-false-2")
    assert (unnamed_id, japanese) == ("moodle-3", "moodle-4")  # numbered by position; a name with no a-z0-9
    assert long_id.startswith("ca-c-est-une-tres-longue-question-ca-c-est")
    assert len(long_id) <= 80 and not long_id.endswith("-")
    assert clash == "moodle-3-2"


def test_single_defaults_to_true_and_one_or_zero_are_accepted():
    without = MULTICHOICE.replace("<single>true</single>", "")
    one = MULTICHOICE.replace(">true</single>", ">1</single>")
    zero = MULTICHOICE.replace(">true</single>", ">0</single>")
    kinds = [q["type"] for q in parse_moodle_xml(quiz(without, one, zero))]
    assert kinds == ["single_choice", "single_choice", "multiple_select"]


def multi_question(*fractions: str) -> str:
    """A multiple-response question, one answer a line from its fifth line on."""
    answers = "\n".join(f'<answer fraction="{f}"><text>choice {i}</text></answer>' for i, f in enumerate(fractions))
    return f"""<question type="multichoice">
<name><text>Multi</text></name>
<questiontext><text>Pick the right ones.</text></questiontext>
<single>false</single>
{answers}
</question>"""


def multi(*fractions: str) -> str:
    return quiz(multi_question(*fractions))


@pytest.mark.parametrize(("fractions", "answers", "scoring"), [
    (("50", "50", "-50", "-50"), [0, 1], "partial"),  # Moodle grades exactly as quizapp's partial credit
    (("33.33333", "33.33333", "33.33333", "-33.33333"), [0, 1, 2], "partial"),
    (("33.33", "33.33", "33.34", "-33.33"), [0, 1, 2], "partial"),  # hand-rounded
    (("50", "50", "-100"), [0, 1], "all_or_nothing"),  # any wrong pick scores 0: how we write all-or-nothing
    (("50", "50", "0", "0"), [0, 1], "partial"),  # no penalty in Moodle: the nearest is partial
    (("50", "-50", "50", "-100"), [0, 2], "partial"),  # mixed penalties: partial
    (("100", "-100", "0"), [0], "all_or_nothing"),  # one right answer: both scorings agree; the default
    (("50", "50"), [0, 1], "partial"),  # every choice right
])
def test_multichoice_single_false_is_multiple_select_with_scoring(fractions, answers, scoring):
    (question,) = parse_moodle_xml(multi(*fractions))
    assert question["type"] == "multiple_select"
    assert question["choices"] == [f"choice {i}" for i in range(len(fractions))]
    assert question["answers"] == [f"choice {i}" for i in answers]
    assert question["scoring"] == scoring


def test_single_choice_wrong_answers_may_carry_a_penalty():
    (question,) = parse_moodle_xml(quiz(MULTICHOICE.replace('fraction="0"', 'fraction="-25"')))
    assert question["answer"] == "The correct answer"


def test_bytes_in_any_declared_encoding_and_a_byte_order_mark():
    text = quiz(TRUEFALSE.replace("The sky is blue.", "Le ciel est bleu ? Éé"))
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"),
                 text.replace("UTF-8", "ISO-8859-1").encode("latin-1"),
                 text.replace("UTF-8", "UTF-16").encode("utf-16")):
        (question,) = parse_moodle_xml(data)
        assert question["prompt"] == "Le ciel est bleu ? Éé"


def test_default_source_and_an_empty_quiz():
    (question,) = parse_moodle_xml(quiz(TRUEFALSE), default_source="faq 2")
    assert question["source"] == "faq 2"
    assert parse_moodle_xml("<quiz/>") == []
    assert parse_moodle_xml(quiz(CATEGORY)) == []


def test_imported_questions_pass_the_bank_validator():
    xml = quiz(CATEGORY, MULTICHOICE, TRUEFALSE, SHORTANSWER, multi_question("50", "50", "-50"),
               multi_question("50", "50", "-100"))
    imported = parse_moodle_xml(xml)
    document = parse_bank(bank_around(imported), "imported.yaml")
    assert [q["key"] for q in document.questions] == ["name-of-question", "true-or-false", "short", "multi",
                                                      "multi-2"]
    assert document.questions[3]["spec"]["scoring"] == "partial"
    assert document.questions[4]["spec"]["scoring"] == "all_or_nothing"
    assert document.questions[0]["tags"] == ["Harbour & ships"]


# --- Problems, each naming the element and its line ------------------------------------------------

UNSUPPORTED_EXAMPLES = {
    "matching": """<subquestion format="html"><text>Cat</text><answer><text>Meow</text></answer></subquestion>""",
    "numerical": """<answer fraction="100"><text>23</text><tolerance>0.1</tolerance></answer>""",
    "essay": """<answer fraction="0"><text></text></answer><responseformat>editor</responseformat>""",
    "cloze": "",
    "multianswer": "",
    "calculated": """<answer fraction="100"><text>{a} + {b}</text><tolerance>0.01</tolerance></answer>""",
    "calculatedsimple": "",
    "calculatedmulti": "",
    "ddwtos": """<dragbox><text>cat</text><group>1</group></dragbox>""",
    "gapselect": "",
    "description": "",
    "randomsamatch": "",
    "random": "",
    "ddimageortext": "",
    "ddmarker": "",
    "ordering": "",
}


@pytest.mark.parametrize("kind", UNSUPPORTED_EXAMPLES)
def test_unsupported_types_are_problems_naming_element_and_line(kind):
    xml = quiz(TRUEFALSE, f"""
        <question type="{kind}">
          <name><text>Other</text></name>
          <questiontext format="html"><text>{{1:SHORTANSWER:=Berlin}} is the capital</text></questiontext>
          {UNSUPPORTED_EXAMPLES[kind]}
        </question>""")
    (problem,) = problems(xml)
    assert problem.startswith(f'bank.xml:15: <question type="{kind}"> at line 15: cannot be imported: ')
    assert problem.endswith("(quizapp imports multichoice, truefalse, shortanswer and category)")


def test_an_unknown_type_and_a_missing_type():
    assert problems(quiz('<question type="stack"><questiontext><text>x</text></questiontext></question>',
                         "<question><questiontext><text>x</text></questiontext></question>")) == [
        'bank.xml:3: <question type="stack"> at line 3: cannot be imported: quizapp has no such question type '
        "(quizapp imports multichoice, truefalse, shortanswer and category)",
        "bank.xml:4: <question> at line 4: has no type attribute",
    ]


def test_not_a_quiz_and_unexpected_elements():
    assert problems("<questions/>") == ["bank.xml:1: <questions> at line 1: a Moodle XML file starts with <quiz>"]
    assert problems(quiz("<comment>hi</comment>")) == [
        "bank.xml:3: <comment> at line 3: unexpected element: <quiz> holds only <question> elements"
    ]


def test_xml_syntax_errors_name_the_line_and_column():
    assert problems(quiz(TRUEFALSE.replace("</name>", ""))) == [
        "bank.xml:14: XML syntax error at line 14, column 3: mismatched tag"
    ]
    assert problems("") == ["bank.xml:1: XML syntax error at line 1, column 1: no element found"]


def test_a_single_choice_needs_exactly_one_right_answer_and_no_partial_credit():
    two_right = MULTICHOICE.replace('fraction="0"', 'fraction="100"', 1)
    half = MULTICHOICE.replace('fraction="0"', 'fraction="50"', 1)
    none_right = MULTICHOICE.replace('fraction="100"', 'fraction="0"')
    xml = quiz(two_right, half, none_right)  # questions at lines 3, 22 and 41
    assert problems(xml) == [
        'bank.xml:3: <question type="multichoice"> at line 3: has 2 answers worth 100% (lines 6, 10) but '
        "<single>true</single>: a single-choice question has one right answer (use <single>false</single> for "
        "several)",
        'bank.xml:29: <answer fraction="50"> at line 29 in <question type="multichoice"> at line 22 '
        "('Name of question'): is worth 50%: a single-choice question in quizapp has one right answer and no "
        "partial credit (make it 100 or 0)",
        'bank.xml:41: <question type="multichoice"> at line 41: has no answer worth 100% (fraction="100")',
    ]


def test_multiple_select_weights_must_be_equal_and_add_up_to_100():
    assert problems(multi("50", "30", "20", "-100")) == [
        'bank.xml:3: <question type="multichoice"> at line 3: the right answers carry different weights '
        "(50%, 30%, 20%): quizapp gives each right choice the same share (33.333%)"
    ]
    assert problems(multi("50", "20", "0")) == [
        'bank.xml:3: <question type="multichoice"> at line 3: the right answers are worth 70% together, not 100%'
    ]
    assert problems(multi("0", "-50", "0")) == [
        'bank.xml:3: <question type="multichoice"> at line 3: has no answer worth more than 0%: no right answer'
    ]


def test_answers_that_are_empty_repeated_unnumbered_or_too_few():
    assert problems(multi("100", "abc")) == [
        "bank.xml:8: <answer fraction=\"abc\"> at line 8 in <question type=\"multichoice\"> at line 3 ('Multi'): "
        "fraction='abc' is not a number (a percentage such as 100, 50 or -25)"
    ]
    xml = quiz("""
        <question type="multichoice">
          <questiontext><text>Which?</text></questiontext>
          <answer fraction="100"><text>Same</text></answer>
          <answer fraction="0"><text><![CDATA[<b>Same</b>]]></text></answer>
          <answer fraction="0"><text> </text></answer>
        </question>""", """
        <question type="multichoice">
          <questiontext><text>Only one?</text></questiontext>
          <answer fraction="100"><text>Yes</text></answer>
        </question>""")
    assert problems(xml) == [
        "bank.xml:6: <answer fraction=\"0\"> at line 6 in <question type=\"multichoice\"> at line 3: reads the "
        "same as the answer at line 5 ('Same')",
        "bank.xml:7: <answer fraction=\"0\"> at line 7 in <question type=\"multichoice\"> at line 3: has no text",
        "bank.xml:9: <question type=\"multichoice\"> at line 9: has 1 <answer> elements; it needs at least two",
    ]


def test_truefalse_problems():
    bad_text = TRUEFALSE.replace("<text>true</text>", "<text>Wahr</text>")
    both = TRUEFALSE.replace('fraction="0"', 'fraction="100"')
    assert problems(quiz(bad_text, both)) == [
        "bank.xml:3: <question type=\"truefalse\"> at line 3: exactly one of its answers 'true' and 'false' must "
        "be worth 100%",
        "bank.xml:6: <answer fraction=\"100\"> at line 6 in <question type=\"truefalse\"> at line 3 ('True or false'): "
        "a true/false answer must read 'true' or 'false' (found 'Wahr')",
        "bank.xml:15: <question type=\"truefalse\"> at line 15: exactly one of its answers 'true' and 'false' must "
        "be worth 100%",
    ]


def test_shortanswer_problems():
    partial = SHORTANSWER.replace('fraction="100"', 'fraction="50"', 1)
    wildcard = SHORTANSWER.replace("An alternative answer", "Paris*")
    nothing = SHORTANSWER.replace('fraction="100"', 'fraction="0"')
    punctuation = SHORTANSWER.replace("The correct answer", "?!").replace("An alternative answer", "...")
    assert problems(quiz(partial, wildcard, nothing, punctuation)) == [
        "bank.xml:7: <answer fraction=\"50\"> at line 7 in <question type=\"shortanswer\"> at line 3 ('Short'): "
        "is worth 50%: a short answer in quizapp is right or wrong, with no partial credit (make it 100 or 0)",
        "bank.xml:24: <answer fraction=\"100\"> at line 24 in <question type=\"shortanswer\"> at line 16 "
        "('Short'): 'Paris*' uses the * wildcard, which quizapp does not match; write out each accepted answer "
        "(\\* is a literal asterisk)",
        "bank.xml:29: <question type=\"shortanswer\"> at line 29: has no answer worth 100% (fraction=\"100\")",
        # The bank validator's own rule, checked at import.
        "bank.xml:42: <question type=\"shortanswer\"> at line 42: an accepted answer is only punctuation or spaces",
    ]


def test_a_literal_asterisk_in_a_short_answer():
    (question,) = parse_moodle_xml(quiz(SHORTANSWER.replace("An alternative answer", r"5 \* 3")))
    assert question["accepted"] == ["The correct answer", "5 * 3"]


CAT = """
    <question type="truefalse">
      <questiontext format="html">
        <text><![CDATA[<p>Is this a cat? <img src="@@PLUGINFILE@@/cat.png" alt="cat"/></p>]]></text>
        <file name="cat.png" path="/" encoding="base64">iVBORw0KGgo=</file>
      </questiontext>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
    </question>"""
OLD_IMAGE = """
    <question type="truefalse">
      <questiontext format="html"><text><![CDATA[<p>TEXT</p>]]></text></questiontext>
      <image>cat.png</image>
      <image_base64>iVBORw0KGgo=</image_base64>
      <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
    </question>"""


def test_images_are_reported_and_empty_question_text_is_a_problem():
    # An image once refused the whole file; now the question's report says it could not be carried.
    (cat, old) = read_moodle_xml(quiz(CAT, OLD_IMAGE.replace("TEXT", "Which animal?")))
    assert cat.question["prompt"] == "Is this a cat?"
    assert cat.not_carried == ["an image ('cat', cat.png): plain text cannot hold it"]
    assert old.not_carried == ["an image (cat.png) (<image>): plain text cannot hold it"]
    assert problems(quiz(CAT, OLD_IMAGE.replace("TEXT", " "))) == [
        "bank.xml:10: <question type=\"truefalse\"> at line 10: has no question text "
        "(<questiontext><text>…</text></questiontext>)",
    ]


def test_bad_defaultgrade():
    xml = quiz(TRUEFALSE.replace("</question>", "<defaultgrade>lots</defaultgrade></question>"))
    (problem,) = problems(xml)
    assert problem.startswith("bank.xml:14: <defaultgrade> at line 14 in <question type=\"truefalse\"> at line 3")
    assert problem.endswith(": 'lots' is not a number")


def test_every_problem_of_the_file_is_reported_and_nothing_is_imported():
    xml = quiz(MULTICHOICE, '<question type="matching"/>', TRUEFALSE.replace("<text>true</text>", "<text>x</text>"),
               SHORTANSWER, '<question type="essay"/>')
    found = problems(xml)
    assert [p.split(":")[1] for p in found] == ["22", "23", "26", "48"]
    assert found[0].startswith('bank.xml:22: <question type="matching"> at line 22: cannot be imported')
    assert found[3].startswith('bank.xml:48: <question type="essay"> at line 48: cannot be imported')


# --- Safety: no DTD, so no entity is ever expanded or fetched ---------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz>
  <question type="shortanswer">
    <questiontext format="plain_text"><text>&lol9;</text></questiontext>
    <answer fraction="100"><text>&lol9;</text></answer>
  </question>
</quiz>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<quiz>
  <question type="shortanswer">
    <questiontext format="plain_text"><text>&secret;</text></questiontext>
    <answer fraction="100"><text>x</text></answer>
  </question>
</quiz>
"""


def assert_refused_doctype(found: list[str], line: int, name: str) -> None:
    (problem,) = found
    assert problem.startswith(f"bank.xml:{line}: <!DOCTYPE {name}> at line {line}: a document type declaration "
                              "is refused.")
    assert "billion laughs" in problem and "external entities" in problem


def test_billion_laughs_is_refused_not_expanded():
    started = time.perf_counter()
    assert_refused_doctype(problems(BILLION_LAUGHS), 2, "lolz")
    assert time.perf_counter() - started < 1
    assert_refused_doctype(problems(BILLION_LAUGHS.encode()), 2, "lolz")


def test_an_external_entity_is_refused_not_read():
    found = problems(EXTERNAL_ENTITY)
    assert_refused_doctype(found, 2, "quiz")
    assert "root:" not in found[0]


def test_an_external_dtd_and_any_doctype_at_all_are_refused():
    assert_refused_doctype(problems('<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.com/x.dtd">\n'
                                    "<quiz/>"), 2, "quiz")
    assert_refused_doctype(problems("<!DOCTYPE quiz>\n<quiz/>"), 1, "quiz")


def test_an_undeclared_entity_is_a_syntax_error():
    xml = quiz(TRUEFALSE.replace("The sky is blue.", "The sky is &blue;"))
    assert problems(xml) == ["bank.xml:5: XML syntax error at line 5, column 48: undefined entity"]


# --- Export ------------------------------------------------------------------------------------


def native(qid: str, kind: str, **fields) -> dict:
    return {"id": qid, "type": kind, "prompt": f"Prompt of {qid}?", **fields, "explanation": f"Because of {qid}.",
            "source": "section 1", "difficulty": 1, "tags": [], "points": 1}


def test_export_writes_the_four_shared_types():
    xml, warnings = to_moodle_xml([
        native("capital", "single_choice", choices=["Paris", "Lyon"], answer="Paris"),
        native("goods", "multiple_select", choices=["a", "b", "c", "d"], answers=["a", "b", "c"], scoring="partial"),
        native("sky", "true_false", answer=False),
        native("who", "short_answer", accepted=["council", "5 * 3"]),
    ])
    assert warnings == []
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="multichoice">\n')
    assert xml.count('<question type="multichoice">') == 2
    assert '<questiontext format="plain_text">\n      <text>Prompt of capital?</text>' in xml
    assert '<generalfeedback format="plain_text">\n      <text>Because of capital.</text>' in xml
    assert '<answer fraction="100" format="plain_text">\n      <text>Paris</text>' in xml
    assert xml.count('fraction="33.33333"') == 3 and xml.count('fraction="-33.33333"') == 1
    assert "<single>true</single>" in xml and "<single>false</single>" in xml
    assert '<answer fraction="0" format="plain_text">\n      <text>true</text>' in xml
    assert '<answer fraction="100" format="plain_text">\n      <text>false</text>' in xml
    assert "<usecase>0</usecase>" in xml and r"<text>5 \* 3</text>" in xml
    assert "<defaultgrade>1</defaultgrade>" in xml


def test_export_escapes_text_for_xml():
    question = native("tricky", "single_choice", choices=['<b>x</b> & "y"', "it's"], answer="it's")
    question["prompt"] = "a < b && c > d ]]> done"
    xml, _ = to_moodle_xml([question])
    assert "<text>a &lt; b &amp;&amp; c &gt; d ]]&gt; done</text>" in xml
    assert '<text>&lt;b&gt;x&lt;/b&gt; &amp; "y"</text>' in xml


def test_all_or_nothing_is_written_with_minus_100_and_a_warning():
    xml, warnings = to_moodle_xml([native("strict", "multiple_select", choices=["a", "b", "c"], answers=["a", "b"])])
    assert xml.count('fraction="50"') == 2 and xml.count('fraction="-100"') == 1
    assert warnings == [
        "question 'strict': Moodle has no all-or-nothing multiple choice; it was written with each wrong choice at "
        "-100%, so any wrong pick scores 0, but picking only some of the right choices earns their share"
    ]


def test_shares_missing_from_moodles_grade_list_are_warned_about():
    choices = [f"c{i}" for i in range(12)]
    _, warnings = to_moodle_xml([native("eleven", "multiple_select", choices=choices, answers=choices[:11],
                                        scoring="partial")])
    assert warnings == [
        "question 'eleven': each of its 11 right answers is worth 9.09091%, which Moodle's grade list lacks; "
        "import it in Moodle with 'Nearest grade if not listed'"
    ]


def test_a_typo_tolerance_is_warned_about():
    xml, warnings = to_moodle_xml([native("who", "short_answer", accepted=["Zelenskyy"], tolerance="typo"),
                                   native("exact", "short_answer", accepted=["Zelenskyy"])])
    assert xml.count("<text>Zelenskyy</text>") == 2
    assert warnings == ["question 'who': Moodle XML has no typo tolerance: the accepted answers are written as "
                        "they are, and Moodle marks a typo in them wrong"]


def test_ordering_cloze_and_unknown_types_are_skipped_with_warnings():
    xml, warnings = to_moodle_xml([
        native("order", "ordering", items=["a", "b", "c"]),
        native("gaps", "cloze", text="{1}", blanks=[["x"]]),
        native("odd", "hotspot"),
    ])
    assert "<question" not in xml
    assert warnings == [
        "question 'order' skipped: ordering questions are not written to Moodle XML yet",
        "question 'gaps' skipped: cloze questions are not written yet (Moodle XML can hold them as embedded "
        "answers, type multianswer)",
        "question 'odd' skipped: unknown question type 'hotspot'",
    ]
    assert parse_moodle_xml(xml) == []


def test_control_characters_are_left_out_with_a_warning():
    question = native("ctrl", "true_false", answer=True)
    question["prompt"] = "Bell\x07 rings?"
    xml, warnings = to_moodle_xml([question])
    assert parse_moodle_xml(xml)[0]["prompt"] == "Bell rings?"
    assert warnings == ["question 'ctrl': control characters XML cannot hold were left out of its prompt"]


# --- Round trips -------------------------------------------------------------------------------


def round_trip_questions() -> list[dict]:
    tricky = native("tricky-texts", "single_choice",
                    choices=['A & B', '<b>bold</b>', 'It\'s "quoted"', 'Ünïcödé — 東京', "&amp; literal"],
                    answer='<b>bold</b>')
    tricky["prompt"] = 'Which one: "x < y" & z?\nÇa va? ]]> <![CDATA[ no'
    tricky["explanation"] = "Line one & <two>\nLine «three»"
    tricky["tags"] = ["Harbour & ships", "ünïcödé"]
    tricky["points"] = 4
    return [
        tricky,
        native("partial", "multiple_select", choices=["a", "b", "c", "d"], answers=["a", "c", "d"],
               scoring="partial"),
        native("strict", "multiple_select", choices=["a", "b", "c"], answers=["b", "c"], scoring="all_or_nothing"),
        native("one-of-many", "multiple_select", choices=["a", "b", "c"], answers=["b"], scoring="all_or_nothing"),
        native("yes", "true_false", answer=True),
        native("no", "true_false", answer=False),
        native("short", "short_answer", accepted=["The town council", "council", "5 * 3", "L'Hôtel de ville"]),
        {**native("unexplained", "true_false", answer=True), "explanation": NO_EXPLANATION},
    ]


def test_round_trip_gives_the_same_questions():
    originals = round_trip_questions()
    xml, _warnings = to_moodle_xml(originals)
    assert parse_moodle_xml(xml) == originals
    assert parse_moodle_xml(xml.encode("utf-8")) == originals


def test_round_trip_of_imported_questions_is_stable():
    imported = parse_moodle_xml(quiz(CATEGORY, MULTICHOICE, TRUEFALSE, SHORTANSWER, multi_question("50", "50", "-50")))
    xml, warnings = to_moodle_xml(imported)
    assert warnings == []
    assert parse_moodle_xml(xml) == imported


def test_the_placeholder_explanation_is_not_written_to_moodle():
    xml, _ = to_moodle_xml([{**native("q", "true_false", answer=True), "explanation": NO_EXPLANATION}])
    assert NO_EXPLANATION not in xml
    assert '<generalfeedback format="plain_text">\n      <text />' in xml


def test_round_tripped_questions_pass_the_bank_validator():
    xml, _ = to_moodle_xml(round_trip_questions())
    document = parse_bank(bank_around(parse_moodle_xml(xml)), "imported.yaml")
    assert len(document.questions) == len(round_trip_questions())
