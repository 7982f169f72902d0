"""The bundled bank meets its coverage rules and rests on the article's own words."""

from collections import Counter
from pathlib import Path

import pytest

from quizapp.domain.bank_format import read_bank

QUESTIONS = Path(__file__).parent.parent / "questions"
BANK = read_bank(QUESTIONS / "coalition-of-the-willing.yaml")
ARTICLE = " ".join((QUESTIONS / "coalition-of-the-willing.txt").read_text().split())
REFERENCES = Counter(q["source"] for q in BANK.questions)


def test_at_least_forty_questions():
    assert len(BANK.questions) >= 40


@pytest.mark.parametrize(("kind", "count", "minimum"), [("key_point", 5, 3), ("faq", 3, 3), ("section", 5, 2)])
def test_every_part_of_the_article_is_covered(kind, count, minimum):
    listed = sorted(p["number"] for p in BANK.parts if p["kind"] == kind)
    assert listed == list(range(1, count + 1))
    for number in listed:
        assert REFERENCES[f"{kind} {number}"] >= minimum, f"{kind} {number} has too few questions"


def test_at_least_five_question_types():
    assert len({q["type"] for q in BANK.questions}) >= 5


def test_every_question_explains_and_quotes_the_text():
    for question in BANK.questions:
        assert len(question["explanation"]) > 40, question["key"]
        assert question["passage"], f"{question['key']} has no passage"
        assert " ".join(question["passage"].split()) in ARTICLE, question["key"]


def test_section_titles_are_the_articles():
    for part in (p for p in BANK.parts if p["kind"] == "section"):
        assert part["title"] in ARTICLE


def test_choices_are_distinct_from_the_answer_and_plausible():
    for question in BANK.questions:
        spec = question["spec"]
        if "choices" in spec:
            assert len(spec["choices"]) >= 3 or question["type"] == "multiple_select", question["key"]
            assert all(choice.strip() for choice in spec["choices"])


def test_bundled_quizzes_draw_questions():
    for quiz in BANK.quizzes:
        pool = [q for q in BANK.questions
                if (not quiz["sources"] or q["source"] in quiz["sources"])
                and (not quiz["tags"] or set(quiz["tags"]) & set(q["tags"]))]
        assert pool, f"quiz {quiz['key']} matches no question"
