"""Reading an article into its parts, and drafting bank questions from it."""

import copy
import functools
import random
import re
from pathlib import Path

import pytest
import yaml

from quizapp.domain.article import Term, draft_questions, extract_article, salient_terms, split_sentences
from quizapp.domain.bank_format import parse_bank
from quizapp.domain.question_types import question_type
from quizapp.domain.rewording import OPPOSITE_MEANING
from quizapp.domain.term_kinds import kind_of
from quizapp.domain.text import normalise_answer

ROOT = Path(__file__).parents[2]
ARTICLES = Path(__file__).parent.parent / "data" / "articles"
BUNDLED = (ROOT / "questions" / "coalition-of-the-willing.txt").read_text(encoding="utf-8")
HARBOUR = (ARTICLES / "harbour.txt").read_text(encoding="utf-8")


def drafts_of(text, seed=3):
    """The drafts of ``text``, each test with its own copy (drafting a whole article takes a while)."""
    return copy.deepcopy(_drafts_of(text, seed))


@functools.cache
def _drafts_of(text, seed):
    return draft_questions(extract_article(text), random.Random(seed))


def by_id(drafts):
    return {d["id"]: d for d in drafts}


# --------------------------------------------------------------------------- extraction


class TestBundledArticle:
    article = extract_article(BUNDLED, "coalition-of-the-willing.txt")

    def test_no_problems(self):
        assert self.article.problems == []

    def test_sections_match_the_bank(self):
        bank = yaml.safe_load((ROOT / "questions" / "coalition-of-the-willing.yaml").read_text(encoding="utf-8"))
        expected = [(s["number"], s["title"]) for s in bank["source"]["sections"]]
        assert [(n, t) for n, t, _ in self.article.sections] == expected
        assert len(expected) == 5

    def test_section_text_is_the_paragraphs_up_to_the_next_heading(self):
        sections = {n: text for n, _, text in self.article.sections}
        assert sections[1].startswith("The French presidential palace stated")
        assert sections[1].endswith("readiness to act is now firmly established.")
        assert sections[1].count("\n") == 1  # two paragraphs
        assert "The Role of the United States" not in sections[1]
        assert sections[5].endswith("provided that the United States articulates its support clearly.")
        assert "Key Points" not in sections[5]

    def test_key_points(self):
        assert [n for n, _ in self.article.key_points] == [1, 2, 3, 4, 5]
        assert self.article.key_points[0][1] == (
            "Significant progress has been made on security guarantees for Ukraine, pending U.S. confirmation."
        )

    def test_faqs(self):
        assert [(n, q) for n, q, _ in self.article.faqs] == [
            (1, "What are the primary objectives of the Coalition of the Willing?"),
            (2, "Why is U.S. support crucial for the coalition’s initiatives?"),
            (3, "Who are the key participants in the upcoming meeting on Ukraine’s security?"),
        ]
        assert self.article.faqs[2][2].startswith("The meeting will include leaders such as French President")

    def test_without_a_title_line_the_title_comes_from_the_file_name(self):
        assert self.article.title == "Coalition of the willing"
        assert "the file's name" in self.article.report()[1]

    def test_without_a_title_line_or_a_file_name_the_title_is_the_first_sentence_trimmed(self):
        title = extract_article(BUNDLED).title
        assert len(title) <= 120
        assert title.startswith("In a strategic update regarding the support for Ukraine")
        assert title.endswith("…")

    def test_a_short_first_line_without_a_full_stop_is_the_title(self):
        article = extract_article("Security guarantees for Ukraine\n" + BUNDLED, "coalition-of-the-willing.txt")
        assert article.title == "Security guarantees for Ukraine"
        assert (article.sections, article.key_points, article.faqs) == (
            self.article.sections, self.article.key_points, self.article.faqs)

    def test_summary_and_lead(self):
        assert self.article.summary.startswith("The upcoming coalition meeting represents a pivotal moment")
        assert self.article.lead.startswith("In a strategic update")

    def test_to_source_passes_the_validator(self):
        source = self.article.to_source()
        assert [s["title"] for s in source["sections"]][1] == "The Role of the United States"
        assert source["key_points"][3] == {"number": 4, "text": self.article.key_points[3][1]}
        assert set(source["faqs"][0]) == {"number", "question", "answer"}
        document = parse_bank(yaml.safe_dump({
            "version": 1, "id": "source-only", "title": "Source only", "source": source,
            "questions": [{"id": "q", "type": "true_false", "prompt": "p", "answer": True, "explanation": "e",
                           "source": "section 5", "difficulty": 1}],
        }))
        assert len(document.parts) == 5 + 5 + 3


def test_small_article_reads_cleanly():
    article = extract_article(HARBOUR, "harbour.txt")
    assert article.problems == []
    assert article.title == "Harbour"
    assert extract_article(HARBOUR).title == "The harbour of Port Elwin opened in 1901 after ten years of building."
    assert [(n, t) for n, t, _ in article.sections] == [(1, "The Early Years"), (2, "Cargo Today")]
    assert article.sections[1][2].startswith("Ships from Norway")
    assert [n for n, _ in article.key_points] == [1, 2, 3]
    assert article.faqs == [
        (1, "Who paid for the first quay?", "The town council paid for the first quay."),
        (2, "When did the first ship dock?", "The first ship docked in 1901, ten years after work began."),
    ]
    assert article.summary == "The small quay grew into a busy harbour for timber and grain."


@pytest.mark.parametrize(("file", "line", "message"), [
    ("no-key-points.txt", 10, "no key-point table"),
    ("key-point-gap.txt", 14, "key point 4 is out of sequence: key point 3 was expected here"),
    ("empty-faq-answer.txt", 20, "FAQ 2 ('When did the first ship dock?') has no answer"),
    ("missing-subheading.txt", 5, "subheading 2 'Cargo Today' is listed in the table but not found in the body"),
])
def test_malformed_articles_report_one_problem_with_its_line(file, line, message):
    article = extract_article((ARTICLES / file).read_text(encoding="utf-8"), file)
    assert len(article.problems) == 1, article.problems
    problem = article.problems[0]
    assert (problem.file, problem.line) == (file, line)
    assert message in problem.message


def test_malformed_articles_keep_what_they_could_find():
    gap = extract_article((ARTICLES / "key-point-gap.txt").read_text(encoding="utf-8"))
    assert [n for n, _ in gap.key_points] == [1, 2, 4]
    empty = extract_article((ARTICLES / "empty-faq-answer.txt").read_text(encoding="utf-8"))
    assert [n for n, _, _ in empty.faqs] == [1]
    missing = extract_article((ARTICLES / "missing-subheading.txt").read_text(encoding="utf-8"))
    assert [n for n, _, _ in missing.sections] == [1]
    assert extract_article((ARTICLES / "no-key-points.txt").read_text(encoding="utf-8")).key_points == []


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("2 | Ships from Norway", "| Ships from Norway", 13, "a key-point row has no number (key point 2 was expected"),
    ("3 | The old quay is still in daily use. |", "3 |  |", 14, "key point 3 has no text"),
    ("Frequently Asked Questions\n", "", 20, "no 'Frequently Asked Questions' part"),
    ("Article Subheadings |", "Subheadings", 1, "no 'Article Subheadings' table"),
])
def test_other_broken_parts(old, new, line, message):
    article = extract_article(HARBOUR.replace(old, new), "a.txt")
    assert [(p.line, message in p.message) for p in article.problems][:1] == [(line, True)], article.problems


def test_a_row_without_a_number_does_not_shift_the_sequence():
    article = extract_article(HARBOUR.replace("2 | Ships from Norway", "| Ships from Norway"))
    assert len(article.problems) == 1
    assert [n for n, _ in article.key_points] == [1, 3]


def test_extraction_never_raises():
    article = extract_article("")
    assert article.title == "" and article.sections == [] and article.key_points == [] and article.faqs == []
    assert [p.message for p in article.problems] == [
        "no paragraphs, headings, lists or Q:/A: pairs: there is nothing to draft from"]
    assert extract_article("Just a line").title == "Just a line"


# --------------------------------------------------------------------------- sentences and terms


def test_split_sentences_keeps_abbreviations_together():
    paragraph = ("It was confirmed by the U.S. on Monday. U.S. President Donald Trump agreed. "
                 "Dr. Lovell said “yes.” Then she left.")
    assert split_sentences(paragraph) == [
        "It was confirmed by the U.S. on Monday.",
        "U.S. President Donald Trump agreed.",
        "Dr. Lovell said “yes.”",
        "Then she left.",
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Organized by French President Emmanuel Macron and British Prime Minister Keir Starmer, the upcoming "
     "meeting will see participation from around 30 leaders, predominantly from Europe.",
     [("name", "Emmanuel Macron"), ("name", "Keir Starmer"), ("number", "30"), ("name", "Europe")]),
    ("As discussions center around NATO’s role, the anticipation of U.S. involvement remains a pivotal factor.",
     [("acronym", "NATO"), ("acronym", "U.S.")]),
    ("The Coalition of the Willing aims to consolidate Ukraine’s armed forces.",
     [("name", "Coalition of the Willing"), ("name", "Ukraine")]),
    ("President Putin is in China, alongside leaders such as Kim Jong-un of North Korea and Indian Prime "
     "Minister Narendra Modi.",
     [("name", "Putin"), ("name", "China"), ("name", "Kim Jong-un"), ("name", "North Korea"),
      ("name", "Narendra Modi")]),
    ("They will be joined by European Commission President Ursula von der Leyen.",
     [("name", "European Commission"), ("name", "Ursula von der Leyen")]),
    ("Significant progress has been made, and 3,300 troops joined in 1901.",
     [("number", "3,300"), ("number", "1901")]),
    ("Nothing here is salient at all.", []),
])
def test_salient_terms(sentence, expected):
    terms = salient_terms(sentence)
    assert [(t.kind, t.text) for t in terms] == expected
    for term in terms:
        assert sentence[term.start:term.end] == term.text


def test_salient_terms_are_listed_once_and_compare_by_kind_and_text():
    terms = salient_terms("The U.S. and Ukraine met; Ukraine and the U.S. agreed.")
    assert terms == [Term("acronym", "U.S."), Term("name", "Ukraine")]


# --------------------------------------------------------------------------- drafting


def test_drafts_from_the_small_article():
    drafts, notes = drafts_of(HARBOUR)
    assert [d["id"] for d in drafts] == [
        "faq-1-short", "faq-2-choice", "faq-2-short", "kp-1-cloze", "kp-1-false", "kp-2-cloze", "kp-2-false",
        "sec-1-cloze", "sec-2-cloze",
    ]
    # Nothing else in the article is of the town council's kind, so no single choice: another FAQ's
    # answer as a distractor would give both questions away.
    assert any(n.startswith("faq 1: fewer than two wrong answers of the same kind") for n in notes)
    # A true statement of key point 1 would show the cloze's 1901.
    assert any(n.startswith("key point 1: no true statement") and "a false one instead" in n for n in notes)
    assert any(n.startswith("key point 3:") and "no cloze or true/false" in n for n in notes)
    for draft in drafts:
        assert draft["tags"] == ["draft"] and draft["points"] == 1
        assert draft["passage"] in HARBOUR
        assert draft["difficulty"] in (1, 2, 3)


def test_drafting_is_deterministic_for_a_seed():
    assert drafts_of(BUNDLED, seed=11) == drafts_of(BUNDLED, seed=11)
    assert drafts_of(HARBOUR, seed=5) == drafts_of(HARBOUR, seed=5)


TOPIC = {"ukraine", "us", "united states", "european", "coalition of the willing", "ukrainian"}


def test_no_draft_hides_the_articles_topic_or_a_word_of_its_title():
    for seed in range(3):
        drafts, _ = draft_questions(extract_article(BUNDLED, "coalition-of-the-willing.txt"), random.Random(seed))
        hidden = [d["blanks"][0][0] if "blanks" in d else d["accepted"][0] for d in drafts if "blanks" in d or
                  "accepted" in d]
        assert hidden and not {normalise_answer(h) for h in hidden} & TOPIC
    lighthouse = extract_article((ARTICLES / "lighthouse.md").read_text(encoding="utf-8"), "lighthouse.md")
    drafts, _ = draft_questions(lighthouse, random.Random(0))
    assert all("Cape Morrow" not in str(d.get("blanks", d.get("accepted"))) for d in drafts)


def test_a_person_a_year_or_a_number_is_hidden_before_a_country_or_a_word():
    text = "# Mills\n\n- In Spain the mill, built by Anna Kovacs, turned daily.\n- The mill was rebuilt in 1911.\n"
    drafts = by_id(drafts_of(text)[0])
    assert drafts["kp-1-cloze"]["blanks"][0][0] == "Anna Kovacs"
    assert drafts["kp-2-cloze"]["blanks"][0][0] == "1911"


def test_single_choice_key_is_the_answering_clause_and_distractors_swap_like_for_like():
    article = extract_article(BUNDLED, "coalition-of-the-willing.txt")
    for seed in range(3):
        drafts = by_id(draft_questions(article, random.Random(seed))[0])
        choice = drafts["faq-3-choice"]
        assert choice["answer"] == ("The meeting will include leaders such as French President Emmanuel Macron, "
                                    "British Prime Minister Keir Starmer, and Ukrainian President Volodymyr Zelenskyy.")
        assert choice["choices"].count(choice["answer"]) == 1
        assert len({normalise_answer(c) for c in choice["choices"]}) == len(choice["choices"]) >= 3
        assert choice["passage"] == article.faqs[2][2]
    choice = by_id(drafts_of(HARBOUR)[0])["faq-2-choice"]
    assert choice["answer"] == "The first ship docked in 1901, ten years after work began."
    assert "The first ship docked in 1891, ten years after work began." in choice["choices"]  # a year for a year
    orchard = (ARTICLES / "orchard.txt").read_text(encoding="utf-8")
    choice = by_id(drafts_of(orchard)[0])["faq-2-choice"]
    assert sorted(choice["choices"]) == sorted([
        "It exports apple juice and cider to Germany and Sweden.",
        "It exports apple juice and cider to Germany and Denmark.",
        "It exports apple juice and cider to Denmark and Sweden."])  # a country for a country


def test_a_key_that_repeats_the_stem_more_than_its_distractors_is_not_drafted():
    text = ("# Quays\n\nIndian Prime Minister Ravi Rao is in Tokyo. Kenyan Prime Minister Amina Odede is in Lima."
            "\n\nQ: Which French President will open the new harbour?\n"
            "A: French President Anne Morel will open the new harbour.\n")
    drafts, notes = drafts_of(text)
    assert "faq-1-choice" not in by_id(drafts)  # only the key says "French President", as the question does
    assert any(n.startswith("faq 1: the answer repeats 4 of the question's words and no distractor more than 2")
               for n in notes)


def test_distractors_are_the_key_changed_in_one_thing_never_another_faqs_answer():
    article = extract_article(BUNDLED, "coalition-of-the-willing.txt")
    drafts = by_id(draft_questions(article, random.Random(0))[0])
    answers = [normalise_answer(a) for _, _, a in article.faqs]
    for number in (1, 2, 3):
        choice = drafts[f"faq-{number}-choice"]
        key = choice["answer"]
        for distractor in (c for c in choice["choices"] if c != key):
            assert not any(normalise_answer(distractor)[:-1] in a for a in answers)
            changed = set(distractor.split()) ^ set(key.split())
            assert 2 <= len(changed) <= 10, distractor  # one term or word swapped, the rest as the key has it
            assert "Not “" in choice["explanation"]
    assert ("The Coalition of the Willing aims to enhance Russia’s defense capabilities."
            in drafts["faq-1-choice"]["choices"])  # a country for a country
    assert ("The Coalition of the Willing aims to reduce Ukraine’s defense capabilities."
            in drafts["faq-1-choice"]["choices"])  # a word of the opposite sense
    # "European nations" is never "French nations": a continent swaps only for a continent.
    assert not any("French nations" in c for c in drafts["faq-2-choice"]["choices"])
    assert drafts["faq-1-choice"]["explanation"].endswith(
        "Not “reduce”: the article says “enhance”. Not “Russia”: the article says “Ukraine”.")


def test_short_answer_from_a_faq():
    drafts = by_id(drafts_of(BUNDLED)[0])
    short = drafts["faq-3-short"]
    assert short["type"] == "short_answer" and short["source"] == "faq 3"
    assert short["accepted"] == ["Emmanuel Macron", "Macron"]
    assert "French President ___, British Prime Minister" in short["prompt"]
    assert by_id(drafts_of(HARBOUR)[0])["faq-2-short"]["accepted"] == ["1901"]


def test_cloze_from_a_key_point():
    drafts = by_id(drafts_of(BUNDLED)[0])
    article = extract_article(BUNDLED)
    for number, text in article.key_points:
        cloze = drafts[f"kp-{number}-cloze"]
        assert cloze["text"].count("{1}") == 1 and len(cloze["blanks"]) == 1
        assert cloze["text"].replace("{1}", cloze["blanks"][0][0]) == text
        assert cloze["explanation"].startswith(f"Key point {number} says: “{text}”")
        assert cloze["passage"] == text and cloze["source"] == f"key_point {number}"
        spec = {"text": cloze["text"], "blanks": cloze["blanks"]}
        assert question_type("cloze").grade(spec, [cloze["blanks"][0][0]]).score == 1


@pytest.mark.parametrize(("sentence", "accepted"), [
    ("The meeting will see around 30 leaders.", ["30", "thirty"]),
    ("The meeting will include key leaders like Macron.", ["Macron", "Emmanuel Macron"]),
    ("The plan was welcomed by Zelenskyy’s office.",
     ["Zelenskyy", "Volodymyr Zelenskyy", "Zelensky", "Zelenskiy", "Zelenski", "Zelenskyy’s"]),
    ("Leaders condemned Russian aggression.", ["Russian", "Russia", "Russia’s"]),
    ("Talks were held in Kyiv.", ["Kyiv", "Kiev"]),
])
def test_cloze_accepts_a_sensible_variant(sentence, accepted):
    text = BUNDLED.replace(
        "1 | Significant progress has been made on security guarantees for Ukraine, pending U.S. confirmation.",
        f"1 | {sentence}",
    )
    cloze = by_id(drafts_of(text)[0])["kp-1-cloze"]
    assert cloze["blanks"] == [accepted]


def test_one_true_false_per_key_point_true_and_false_in_turn_in_other_words():
    article = extract_article(BUNDLED, "coalition-of-the-willing.txt")
    drafts, notes = draft_questions(article, random.Random(0))
    drafts = by_id(drafts)
    assert [key for key in drafts if key.startswith("kp-") and not key.endswith("cloze")] == [
        "kp-2-false", "kp-3-false", "kp-4-true", "kp-5-false"]
    # Key point 1's cloze asks for "confirmation" (or "approval"): any statement of it would say so.
    assert any(n.startswith("key point 1: every true/false statement") for n in notes)
    assert any(n.startswith("key point 2: no true statement") for n in notes)
    true = drafts["kp-4-true"]
    assert true["answer"] is True and true["prompt"] == (
        "According to the article, the meeting will involve main leaders like Macron, Keir Starmer, and the "
        "Ukrainian President to plan next steps.")  # the cloze asks for Zelenskyy: named by his office
    false = drafts["kp-2-false"]
    assert false["answer"] is False and false["prompt"] == (
        "The Coalition of the Willing intends to scale back Ukraine’s military and send international reassurance "
        "forces.")  # the blank's own word reversed, so the statement does not give it away
    assert false["explanation"].endswith("The statement says “scale back” where the article says “consolidate”.")
    assert drafts["kp-3-false"]["prompt"] == (
        "U.S. backing is unnecessary for European nations to complete their security pledges to Ukraine.")


def test_no_statement_says_an_answer_its_key_points_cloze_accepts():
    for text in (BUNDLED, (ARTICLES / "orchard.txt").read_text(encoding="utf-8"), HARBOUR):
        drafts = by_id(drafts_of(text)[0])
        for key, draft in drafts.items():
            if draft["type"] == "true_false" and f"{key.rsplit('-', 1)[0]}-cloze" in drafts:
                forms = drafts[f"{key.rsplit('-', 1)[0]}-cloze"]["blanks"][0]
                said = f" {normalise_answer(draft['prompt'])} "
                assert not any(f" {normalise_answer(f)} " in said for f in forms), (key, draft["prompt"])


def test_a_true_statement_names_the_person_a_cloze_hides_by_their_office():
    text = ("# The Summit\n\nFrench President Anne Morel met Danish Prime Minister Lars Holm in Oslo.\n\n"
            "- The summit was opened by Morel and Holm.\n")
    drafts = by_id(drafts_of(text)[0])
    hidden = drafts["kp-1-cloze"]["blanks"][0][0]
    assert drafts["kp-1-true"]["prompt"] == "According to the article, the summit was opened by " + (
        "the French President and Lars Holm." if hidden == "Morel" else "Anne Morel and the Danish Prime Minister.")


def test_no_true_false_that_would_give_a_blank_away_or_copy_the_text():
    orchard = (ARTICLES / "orchard.txt").read_text(encoding="utf-8")
    drafts, notes = drafts_of(orchard)
    statements = [d for d in drafts if d["type"] == "true_false"]
    # Each key point is one short clause: a true statement would show its cloze's answer.
    assert [d["id"] for d in statements] == ["kp-1-false", "kp-2-false", "kp-3-false"]
    assert by_id(drafts)["kp-2-false"]["prompt"] == "The first barrels were sold to Germany."
    assert sum("a false one instead" in n for n in notes) == 3


def test_a_false_statement_swaps_like_for_like_in_the_bundled_article():
    article = extract_article(BUNDLED)
    for seed in range(3):
        drafts = by_id(draft_questions(article, random.Random(seed))[0])
        for number, _ in article.key_points:
            kinds = [k for k in ("true", "false") if f"kp-{number}-{k}" in drafts]
            assert len(kinds) <= 1
            if kinds == ["false"]:
                false = drafts[f"kp-{number}-false"]
                swapped, term = re.fullmatch(r".* The statement says “(.+)” where the article says “(.+)”\.",
                                             false["explanation"]).groups()
                assert swapped in false["prompt"] and term not in false["prompt"]
                assert kind_of(term, False) == kind_of(swapped, False) or OPPOSITE_MEANING.get(term) == swapped or (
                    {term, swapped} <= {"Macron", "Starmer", "Zelenskyy", "Donald Trump", "Putin", "Vladimir Putin"})


def test_no_false_statement_without_a_term_of_the_same_kind():
    text = ("# Port Elwin\n\nSalt comes by rail from Poland.\n\n- The quay opened in 1901.\n"
            "- The quay holds 77 boats.\n- Ships from Norway unload timber.\n")
    drafts, notes = drafts_of(text)
    ids = [d["id"] for d in drafts if d["type"] == "true_false"]
    # No other year than 1901 and no other number than 77 (a year is not a number of boats), and a true
    # statement would show the cloze's answer: key points 1 and 2 get none.
    assert ids == ["kp-3-false"]
    assert all(n.endswith("none drafted (add words to the rewording table, or write one)")
               for n in notes if n.startswith(("key point 1:", "key point 2:")))
    assert by_id(drafts)["kp-3-false"]["prompt"] == "Ships from Poland unload timber."


def test_a_cloze_from_each_section_on_a_term_no_other_draft_hides():
    canal = (ARTICLES / "canal.txt").read_text(encoding="utf-8")
    drafts, _ = drafts_of(canal)
    assert [(d["id"], d["blanks"][0][0]) for d in drafts] == [
        ("sec-1-cloze", "1790"), ("sec-2-cloze", "1921"), ("sec-3-cloze", "1988")]
    assert drafts[0]["prompt"].startswith("Fill in the blank from the section “The Stourby canal was dug")
    assert drafts[0]["source"] == "section 1" and drafts[0]["passage"] in canal
    harbour = by_id(drafts_of(HARBOUR)[0])
    taken = {harbour[k]["blanks"][0][0] for k in ("kp-1-cloze", "kp-2-cloze")} | {"1901"}
    assert harbour["sec-2-cloze"]["blanks"][0][0] not in taken


def test_no_two_drafts_ask_for_the_same_answer_under_another_spelling():
    drafts, _ = drafts_of(BUNDLED)
    forms = [{normalise_answer(f) for f in (d["blanks"][0] if "blanks" in d else d["accepted"])}
             for d in drafts if "blanks" in d or "accepted" in d]
    for i, one in enumerate(forms):
        assert not any(one & other for other in forms[i + 1:])  # "Putin" after "Vladimir Putin" gives it away


def test_difficulty_follows_what_makes_a_draft_hard():
    drafts = by_id(drafts_of(BUNDLED)[0])
    assert drafts["kp-1-cloze"]["blanks"][0][0] == "confirmation" and drafts["kp-1-cloze"]["difficulty"] == 3
    assert drafts["faq-3-short"]["accepted"][0] == "Emmanuel Macron" and drafts["faq-3-short"]["difficulty"] == 2
    assert {d["difficulty"] for d in drafts.values() if d["type"] == "true_false"} == {1}
    assert {d["difficulty"] for d in drafts.values() if d["type"] == "single_choice"} == {2}


def test_bundled_drafts_pass_the_validator():
    article = extract_article(BUNDLED)
    drafts, notes = draft_questions(article, random.Random(2024))
    assert len(drafts) >= 3 + 5 * 2 + 5
    document = {
        "version": 1,
        "id": "coalition-drafts",
        "title": "Drafts",
        "source": article.to_source(),
        "questions": drafts,
    }
    bank = parse_bank(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "drafts.yaml",
                      source_text=BUNDLED)
    assert len(bank.questions) == len(drafts)
    assert {q["type"] for q in bank.questions} == {"single_choice", "short_answer", "cloze", "true_false"}


@pytest.mark.parametrize("name", ["harbour.txt", "lighthouse.md", "orchard.txt", "canal.txt"])
def test_small_article_drafts_pass_the_validator(name):
    text = (ARTICLES / name).read_text(encoding="utf-8")
    article = extract_article(text, name)
    drafts, _ = draft_questions(article, random.Random(0))
    document = {"version": 1, "id": "small", "title": article.title, "source": article.to_source(), "questions": drafts}
    assert drafts and len(parse_bank(yaml.safe_dump(document), source_text=text).questions) == len(drafts)


SUMMIT = """# The Summit

## Guests
French President Anne Morel and Danish Prime Minister Lars Holm will attend the summit. They will be joined by \
Dutch King Willem Vos.

## Elsewhere
Indian Prime Minister Ravi Rao is in Tokyo this week. Kenyan President Amina Odede is in Lima.

## Who will attend the summit?
French President Anne Morel and Danish Prime Minister Lars Holm will attend.
"""


def test_a_person_with_an_office_is_swapped_with_office_for_someone_not_named_beside_them():
    choice = by_id(drafts_of(SUMMIT)[0])["faq-1-choice"]
    assert choice["answer"] == "French President Anne Morel and Danish Prime Minister Lars Holm will attend."
    swapped = [c for c in choice["choices"] if "Ravi Rao" in c]
    assert swapped and all(c.count("Indian Prime Minister Ravi Rao") == 1 for c in swapped)
    # Willem Vos is named beside Anne Morel: naming him instead might well be true.
    assert not any("Willem Vos" in c for c in choice["choices"])
