"""Articles written as plain text or Markdown: what is read from each layout, and the plain report of it."""

from pathlib import Path

import pytest

from quizapp.domain.article import extract_article

ARTICLES = Path(__file__).parent.parent / "data" / "articles"


def read(name):
    return extract_article((ARTICLES / name).read_text(encoding="utf-8"), name)


def test_markdown_headings_list_and_question_headings():
    article = read("lighthouse.md")
    assert article.problems == [] and article.layout == "Markdown"
    assert article.title == "The Lighthouse at Cape Morrow"
    assert [(n, t) for n, t, _ in article.sections] == [(1, "Building the Tower"), (2, "The Keepers")]
    # a paragraph wrapped over two lines is one paragraph
    assert article.sections[0][2] == ("The engineer Clara Brandt designed the tower for the Admiralty. "
                                      "Masons from Scotland cut the granite, and the lamp came from France.")
    assert article.key_points[1] == (2, "Clara Brandt designed the tower for the Admiralty.")
    assert len(article.key_points) == 4
    assert article.faqs == [
        (1, "Who designed the tower?", "The engineer Clara Brandt designed it for the Admiralty."),
        (2, "When was the light automated?", "The light was automated in 1962, after the last keeper left."),
    ]
    assert article.lead.startswith("The lighthouse at Cape Morrow was lit in 1874")
    assert article.missing == []


def test_plain_text_headings_bullets_and_q_and_a_pairs():
    article = read("orchard.txt")
    assert article.problems == [] and article.layout == "plain text"
    assert article.title == "The Orchard Cooperative of Vale Hollow"
    assert [t for _, t, _ in article.sections] == ["Founding the Cooperative", "Apples and Markets"]
    assert article.sections[1][2].endswith("Its juice won a prize in Paris in 2019.")
    assert [t for _, t in article.key_points] == [
        "Twelve farmers founded the cooperative in 1952.", "The first barrels were sold to Denmark.",
        "The cooperative exports to Germany and Sweden."]
    assert article.faqs[0] == (1, "Who was the first chairman?", "Martha Quill was the first chairman.")
    assert len(article.faqs) == 2


def test_paragraphs_alone_become_sections_and_the_report_says_what_is_missing():
    article = read("canal.txt")
    assert article.problems == [] and article.missing == ["key points", "FAQs"]
    assert [n for n, _, _ in article.sections] == [1, 2, 3]
    assert article.sections[2][2].startswith("Volunteers from the Stourby Canal Trust")
    report = article.report()
    assert report[0] == "Read as plain text."
    assert "3 sections, from the paragraphs (there are no headings)." in report
    assert any(line.startswith("No key points: a bulleted list") for line in report)
    assert any(line.startswith("No FAQs: 'Q:' and 'A:' lines") for line in report)
    assert article.title == "Canal" and "the file's name" in report[1]


def test_a_question_without_an_answer_is_a_problem_with_its_line():
    article = read("broken-qa.md")
    assert [(p.line, p.message) for p in article.problems] == [(7, "FAQ 2 ('Who runs the ferry?') has no answer")]
    assert article.faqs == [(1, "When does the ferry cross?", "Twice a day, at dawn and dusk.")]


def test_a_markdown_key_point_table_gives_key_points():
    text = ("# Bees\n\nBees make honey in Spain.\n\n| No. | Key point |\n|---|---|\n"
            "| 1 | Bees make honey. |\n| 2 | Spain exports honey. |\n")
    article = extract_article(text)
    assert article.key_points == [(1, "Bees make honey."), (2, "Spain exports honey.")]
    assert article.sources["key_points"] == "the key-point table"


@pytest.mark.parametrize("name", ["harbour.txt", "no-key-points.txt", "empty-faq.txt"])
def test_an_article_with_the_bundled_tables_is_read_in_the_bundled_layout(name):
    assert read(name).layout.startswith("the bundled layout")


def test_a_character_no_bank_can_hold_is_a_problem_with_its_line():
    article = extract_article("# Mills\n\nThe mill\x00 opened in 1911.\n", "mills.md")
    assert [(p.line, p.message) for p in article.problems] == [
        (3, "the article holds the NUL character (\\0): remove it")]
