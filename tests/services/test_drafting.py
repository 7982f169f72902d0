"""Banks drafted from an article: what a check finds, the bank of drafts it makes, accepting and
discarding drafts, and re-importing a changed article (the comparison itself is pure domain code)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from quizapp.domain.article import extract_article
from quizapp.domain.article_changes import Part, article_parts, compare_parts, review_note
from quizapp.domain.bank_format import BankError
from quizapp.extensions import db
from quizapp.models import Answer, AttemptItem, Bank, Question, Quiz, SourcePart
from quizapp.services import attempts, quizzes
from quizapp.services.banks import drafting

ARTICLES = Path(__file__).parent.parent / "data" / "articles"
DAY = date(2026, 11, 28)
HARBOUR_DRAFTS = ["faq-1-short", "faq-2-choice", "faq-2-short", "kp-1-cloze", "kp-1-false", "kp-2-cloze",
                  "kp-2-false", "sec-1-cloze", "sec-2-cloze"]


def article(name: str) -> str:
    return (ARTICLES / name).read_text(encoding="utf-8")


HARBOUR = article("harbour.txt")
REVISED = article("harbour-revised.txt")
# FAQ 2 and key point 3 taken out.
SHORTENED = HARBOUR.replace("3 | The old quay is still in daily use. |\n", "").split("Question: When did")[0]


@pytest.fixture
def harbour_bank(teacher):
    return drafting.create_bank(teacher, HARBOUR, "harbour.txt")


def fresh(bank) -> dict[str, Question]:
    db.session.expire_all()
    return {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}


def parts_of(bank) -> dict[str, SourcePart]:
    db.session.expire_all()
    return {p.reference: p for p in db.session.scalars(select(SourcePart).where(SourcePart.bank_id == bank.id))}


def snapshot(bank):
    """Everything a re-import could change about a bank."""
    db.session.expire_all()
    questions = db.session.execute(
        select(Question.id, Question.key, Question.version, Question.draft, Question.review_note, Question.archived,
               Question.prompt).where(Question.bank_id == bank.id).order_by(Question.id)).all()
    parts = db.session.execute(select(SourcePart.kind, SourcePart.number, SourcePart.title, SourcePart.body)
                               .where(SourcePart.bank_id == bank.id).order_by(SourcePart.id)).all()
    return questions, parts


# --------------------------------------------------------------------------- comparing parts (domain)


def test_compare_parts_by_kind_and_number():
    stored = [Part("key_point", 1, "One."), Part("key_point", 2, "Two."), Part("faq", 1, "Q?", "A."),
              Part("section", 1, "Start", "Text.")]
    found = [Part("section", 1, "Start", "Text."), Part("key_point", 1, "One."), Part("key_point", 2, "Two, now."),
             Part("key_point", 3, "Three.")]
    changes = compare_parts(stored, found)
    assert [(c.reference, c.status) for c in changes] == [
        ("key_point 1", "unchanged"), ("key_point 2", "changed"), ("key_point 3", "added"), ("faq 1", "removed"),
        ("section 1", "unchanged")]
    assert changes[1].old.title == "Two." and changes[1].new.title == "Two, now."
    assert changes[3].new is None and changes[3].label == "FAQ 1"


def test_spacing_alone_is_no_change_and_a_section_without_stored_text_is_compared_by_title():
    changes = compare_parts(
        [Part("faq", 1, "Who?", "The  council."), Part("section", 1, "Start"), Part("section", 2, "End", "Old.")],
        [Part("faq", 1, " Who? ", "The council.\n"), Part("section", 1, "Start", "Now text."),
         Part("section", 2, "End", "New.")])
    assert [c.status for c in changes] == ["unchanged", "unchanged", "changed"]


def test_article_parts_are_stored_as_a_bank_stores_them():
    parts = article_parts(extract_article(HARBOUR))
    assert [p.reference for p in parts] == ["key_point 1", "key_point 2", "key_point 3", "faq 1", "faq 2",
                                            "section 1", "section 2"]
    assert parts[3] == Part("faq", 1, "Who paid for the first quay?", "The town council paid for the first quay.")
    assert parts[6].title == "Cargo Today" and parts[6].body.startswith("Ships from Norway")


def test_review_notes_say_what_changed_and_when():
    changed, removed = compare_parts(
        [Part("key_point", 2, "Ships from Norway."), Part("faq", 1, "Who?", "The council.")],
        [Part("key_point", 2, "Ships from Sweden.")])
    assert review_note(changed, DAY) == ("Key point 2 changed when the article was re-imported on 28 Nov 2026: "
                                         "it now reads “Ships from Sweden.” (before: “Ships from Norway.”).")
    assert review_note(removed, date(2027, 1, 5)) == (
        "FAQ 1 is no longer in the article re-imported on 5 Jan 2027 (it read “Who? The council.”): "
        "keep, change or archive this question.")
    long = compare_parts([Part("section", 1, "S", "word " * 200)], [Part("section", 1, "S", "other " * 200)])[0]
    assert len(review_note(long, DAY)) < 800 and "…" in review_note(long, DAY)


# --------------------------------------------------------------------------- checking an article


def test_preview_of_a_good_article_lists_its_parts_and_drafts():
    found = drafting.preview(HARBOUR, "harbour.txt")
    assert found.ok and found.problems == []
    assert [(n, t) for n, t, _ in found.article.sections] == [(1, "The Early Years"), (2, "Cargo Today")]
    assert [n for n, _ in found.article.key_points] == [1, 2, 3]
    assert [q for _, q, _ in found.article.faqs] == ["Who paid for the first quay?", "When did the first ship dock?"]
    assert [d["id"] for d in found.drafts] == HARBOUR_DRAFTS
    assert all(d["draft"] is True and "draft" not in d.get("tags", []) for d in found.drafts)
    assert any(n.startswith("key point 3:") for n in found.notes)


@pytest.mark.parametrize(("file", "line", "message"), [
    ("no-key-points.txt", 10, "no key-point table"),
    ("key-point-gap.txt", 14, "key point 4 is out of sequence: key point 3 was expected here"),
    ("empty-faq-answer.txt", 20, "FAQ 2 ('When did the first ship dock?') has no answer"),
    ("empty-faq.txt", 17, "the FAQ part has no 'Question: …' lines"),
])
def test_preview_names_each_problem_with_its_line(file, line, message):
    found = drafting.preview(article(file), file)
    assert not found.ok
    (problem,) = found.problems
    assert (problem.file, problem.line) == (file, line) and problem.message.startswith(message)


def test_an_upload_that_is_not_utf8_is_named_with_its_line():
    assert drafting.decode_article("\ufeffTitle\nline".encode(), "a.txt") == "Title\nline"
    with pytest.raises(BankError) as caught:
        drafting.decode_article("Title\nCafé\n".encode("latin-1"), "a.txt")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("a.txt", 2)
    assert "not UTF-8 text: byte 0xe9" in problem.message
    with pytest.raises(BankError) as caught:
        drafting.decode_article(b"\xef\xbb\xbfab\n\xe9", "b.txt")
    assert caught.value.problems[0].line == 2


# --------------------------------------------------------------------------- a new bank of drafts


def test_a_bank_is_created_with_every_question_a_draft_linked_to_its_part(teacher, harbour_bank):
    bank = harbour_bank
    assert bank.owner_id == teacher.id
    assert bank.key == "harbour"
    assert bank.title == bank.source_title == "Harbour"  # named after its file: it has no title line
    parts = parts_of(bank)
    assert parts["key_point 2"].title == "Ships from Norway unload timber at the north quay."
    assert parts["faq 1"].body == "The town council paid for the first quay."
    assert parts["section 2"].body.startswith("Ships from Norway unload timber")
    questions = fresh(bank)
    assert list(questions) == HARBOUR_DRAFTS
    for key, question in questions.items():
        assert question.draft and not question.review_note and question.tags == []
        kind, number = key.split("-")[:2]
        part = {"faq": "faq", "kp": "key_point", "sec": "section"}[kind]
        assert question.source_part.reference == f"{part} {number}"
        assert question.passage and " ".join(question.passage.split()) in " ".join(HARBOUR.split())


def test_bank_ids_stay_unique(teacher, harbour_bank):
    again = drafting.create_bank(teacher, HARBOUR, "harbour.txt")
    assert again.key == harbour_bank.key + "-2" and again.id != harbour_bank.id


@pytest.mark.parametrize("file", ["no-key-points.txt", "key-point-gap.txt", "empty-faq-answer.txt", "empty-faq.txt"])
def test_a_malformed_article_makes_no_bank(teacher, file):
    with pytest.raises(BankError) as caught:
        drafting.create_bank(teacher, article(file), file)
    assert caught.value.problems
    assert db.session.scalar(select(func.count()).select_from(Bank)) == 0


def test_drafts_are_not_drawn_into_any_attempt_until_accepted(make_user, harbour_bank):
    ana = make_user("ana")
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == harbour_bank.id))
    assert quizzes.candidates(harbour_bank.id) == []
    assert quiz.id not in {s.quiz.id for s in quizzes.quiz_summaries(ana)}
    with pytest.raises(attempts.EmptyQuiz):
        attempts.start_attempt(ana, quiz)
    drafting.accept(fresh(harbour_bank)["kp-1-cloze"])
    attempt = attempts.start_attempt(ana, quiz)
    assert [item.question.key for item in attempt.items] == ["kp-1-cloze"]


# --------------------------------------------------------------------------- accepting and discarding


def test_accept_publishes_a_draft_and_clears_a_review_note(harbour_bank):
    questions = fresh(harbour_bank)
    questions["kp-1-false"].review_note = "Key point 1 changed."
    db.session.commit()
    drafting.accept(questions["kp-1-cloze"])
    drafting.accept(questions["kp-1-false"])
    questions = fresh(harbour_bank)
    for key in ("kp-1-cloze", "kp-1-false"):
        assert (questions[key].draft, questions[key].review_note, questions[key].version) == (False, "", 1)
    assert drafting.review_counts(harbour_bank) == drafting.ReviewCounts(drafts=7, needing_review=0)


def test_a_discarded_draft_is_deleted(harbour_bank):
    assert drafting.discard(fresh(harbour_bank)["faq-2-short"]) is True
    assert "faq-2-short" not in fresh(harbour_bank)


def test_only_a_draft_can_be_discarded(harbour_bank):
    question = fresh(harbour_bank)["faq-1-short"]
    drafting.accept(question)
    with pytest.raises(drafting.NotADraft):
        drafting.discard(question)
    assert not fresh(harbour_bank)["faq-1-short"].archived


def test_a_draft_that_was_somehow_asked_is_archived_not_deleted(make_user, harbour_bank):
    question = fresh(harbour_bank)["kp-1-cloze"]
    drafting.accept(question)
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == harbour_bank.id))
    attempts.start_attempt(make_user("ana"), quiz)
    question = fresh(harbour_bank)["kp-1-cloze"]
    question.draft = True
    db.session.commit()
    assert drafting.discard(question) is False
    assert fresh(harbour_bank)["kp-1-cloze"].archived
    assert db.session.scalar(select(func.count()).select_from(AttemptItem)) == 1


def test_accept_all_and_the_review_groups(harbour_bank):
    questions = fresh(harbour_bank)
    drafting.accept(questions["kp-2-cloze"])
    questions["kp-2-cloze"].review_note = "Key point 2 changed."
    db.session.commit()
    groups = drafting.awaiting_review(harbour_bank)
    assert [(part.reference, [q.key for q in qs]) for part, qs in groups] == [
        ("key_point 1", ["kp-1-cloze", "kp-1-false"]), ("key_point 2", ["kp-2-cloze", "kp-2-false"]),
        ("faq 1", ["faq-1-short"]), ("faq 2", ["faq-2-choice", "faq-2-short"]),
        ("section 1", ["sec-1-cloze"]), ("section 2", ["sec-2-cloze"])]
    assert drafting.review_counts(harbour_bank) == drafting.ReviewCounts(drafts=8, needing_review=1)
    assert drafting.accept_all(harbour_bank) == 9
    assert drafting.awaiting_review(harbour_bank) == []
    assert drafting.review_counts(harbour_bank).total == 0
    assert len(quizzes.candidates(harbour_bank.id)) == 9


# --------------------------------------------------------------------------- re-importing a changed article


def test_reimport_marks_only_the_changed_parts_questions_and_replaces_their_drafts(harbour_bank):
    questions = fresh(harbour_bank)
    for key in ("kp-2-cloze", "kp-1-cloze", "faq-2-choice"):
        drafting.accept(questions[key])
    before = fresh(harbour_bank)
    untouched = {k: (q.id, q.version, q.prompt) for k, q in before.items() if k.startswith(("kp-1", "faq-1"))}

    report = drafting.reimport(harbour_bank, REVISED, "harbour-v2.txt", today=DAY)

    assert [c.reference for c in report.changed] == ["key_point 2", "faq 2"]
    assert [c.reference for c in report.added] == ["key_point 4"]
    assert report.removed == [] and len(report.unchanged) == 5
    assert report.marked == ["faq-2-choice", "kp-2-cloze"]
    assert sorted(report.drafts_removed) == ["faq-2-short", "kp-2-false"]
    # No fresh draft stands beside a question the teacher kept (kp-2-cloze, faq-2-choice): it is marked instead.
    # Key point 4 gets no true/false: a true one would give the cloze's 240 away, and a false one has no
    # other number to swap in.
    assert sorted(report.drafts_added) == ["faq-2-short", "kp-2-false", "kp-4-cloze"]
    after = fresh(harbour_bank)
    marked = after["kp-2-cloze"]
    assert marked.review_note == (
        "Key point 2 changed when the article was re-imported on 28 Nov 2026: it now reads “Ships from Sweden "
        "unload timber at the south quay.” (before: “Ships from Norway unload timber at the north quay.”).")
    assert (marked.draft, marked.version, marked.id) == (False, 1, before["kp-2-cloze"].id)
    assert after["faq-2-choice"].review_note.startswith("FAQ 2 changed when the article was re-imported")
    for key in ("kp-2-false", "faq-2-short"):
        assert after[key].draft and after[key].id != before[key].id and not after[key].review_note
    assert after["kp-2-false"].prompt == "Ships from Norway unload timber at the south quay."
    assert "kp-2-cloze-2" not in after and "faq-2-choice-2" not in after
    assert after["kp-4-cloze"].draft and after["kp-4-cloze"].source_part.reference == "key_point 4"
    assert {k: (q.id, q.version, q.prompt) for k, q in after.items() if k.startswith(("kp-1", "faq-1"))} == untouched
    assert all(not q.review_note for k, q in after.items() if k.startswith(("kp-1", "faq-1")))
    parts = parts_of(harbour_bank)
    assert parts["key_point 2"].title == "Ships from Sweden unload timber at the south quay."
    assert parts["key_point 4"].title == "The harbour now employs 240 people."
    assert parts["faq 2"].body == "The first ship docked in 1901, when the Lovell quay was finished."


def test_a_part_gone_from_the_article_is_kept_while_questions_point_at_it(harbour_bank):
    drafting.accept(fresh(harbour_bank)["faq-2-choice"])
    quiz = Quiz(bank_id=harbour_bank.id, key="picked", title="Picked", question_keys=["faq-2-short", "kp-1-cloze"])
    db.session.add(quiz)
    db.session.commit()

    report = drafting.reimport(harbour_bank, SHORTENED, today=DAY)

    assert [c.reference for c in report.removed] == ["key_point 3", "faq 2"]
    assert report.parts_deleted == ["key_point 3"]
    assert report.marked == ["faq-2-choice"] and report.drafts_removed == ["faq-2-short"]
    assert report.drafts_added == []
    parts = parts_of(harbour_bank)
    assert "key_point 3" not in parts
    assert parts["faq 2"].title == "When did the first ship dock?"  # kept, with the text it had
    after = fresh(harbour_bank)
    assert "faq-2-short" not in after
    assert after["faq-2-choice"].review_note == (
        "FAQ 2 is no longer in the article re-imported on 28 Nov 2026 (it read “When did the first ship dock? "
        "The first ship docked in 1901, ten years after work began.”): keep, change or archive this question.")
    db.session.refresh(quiz)
    assert quiz.question_keys == ["kp-1-cloze"]


def test_reimporting_the_same_article_changes_nothing(harbour_bank):
    before = snapshot(harbour_bank)
    report = drafting.reimport(harbour_bank, HARBOUR, today=DAY)
    assert not report.anything and report.marked == [] and report.drafts_added == []
    assert snapshot(harbour_bank) == before


@pytest.mark.parametrize("file", ["no-key-points.txt", "key-point-gap.txt", "empty-faq-answer.txt", "empty-faq.txt"])
def test_a_malformed_reimport_changes_nothing(harbour_bank, file):
    drafting.accept(fresh(harbour_bank)["kp-1-cloze"])
    before = snapshot(harbour_bank)
    with pytest.raises(BankError) as caught:
        drafting.reimport(harbour_bank, article(file), file, today=DAY)
    assert caught.value.problems and all(p.file == file for p in caught.value.problems)
    assert snapshot(harbour_bank) == before


def test_the_plan_of_a_reimport_is_what_it_does_and_changes_nothing(harbour_bank):
    drafting.accept(fresh(harbour_bank)["kp-2-cloze"])
    before = snapshot(harbour_bank)
    plan = drafting.plan_reimport(harbour_bank, REVISED, today=DAY)
    assert snapshot(harbour_bank) == before
    done = drafting.reimport(harbour_bank, REVISED, today=DAY)
    assert (plan.marked, plan.drafts_removed, plan.drafts_added, plan.changes) == (
        done.marked, done.drafts_removed, done.drafts_added, done.changes)


def test_a_question_answered_before_the_reimport_keeps_its_answers_and_version(make_user, harbour_bank):
    drafting.accept(fresh(harbour_bank)["kp-2-cloze"])
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == harbour_bank.id))
    attempt = attempts.start_attempt(make_user("ana"), quiz)
    attempts.record_answer(attempt, attempt.items[0].question_id, ["Norway"])
    drafting.reimport(harbour_bank, REVISED, today=DAY)
    question = fresh(harbour_bank)["kp-2-cloze"]
    assert question.version == 1 and question.review_note.startswith("Key point 2 changed")
    assert db.session.scalar(select(Answer.question_version)) == 1


# --------------------------------------------------------------------------- the command line


def test_the_command_line_drafts_carry_the_draft_mark(runner, tmp_path):
    path = tmp_path / "harbour.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    out = tmp_path / "harbour.yaml"
    result = runner.invoke(args=["banks", "draft", str(path), "--id", "harbour", "--output", str(out)])
    assert result.exit_code == 0, result.output
    questions = yaml.safe_load(out.read_text(encoding="utf-8"))["questions"]
    assert [q["id"] for q in questions] == HARBOUR_DRAFTS
    assert all(q["draft"] is True and q["tags"] == ["draft"] for q in questions)
    assert "draft: true" in result.output


@pytest.mark.parametrize("article", ["harbour.txt", "lighthouse.md", "orchard.txt", "canal.txt",
                                     "coalition-of-the-willing.txt"])
def test_a_drafted_bank_validates_and_lints_clean_wherever_it_is_written(runner, tmp_path, article):
    source = tmp_path / "articles" / article
    source.parent.mkdir()
    folder = ARTICLES if (ARTICLES / article).exists() else Path(__file__).parents[2] / "questions"
    source.write_text((folder / article).read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "banks" / "drafted.yaml"
    out.parent.mkdir()
    result = runner.invoke(args=["banks", "draft", str(source), "--id", "drafted", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "found: Read as" in result.output
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert document["source"]["file"] == f"../articles/{article}"
    assert document["title"] == extract_article(source.read_text(encoding="utf-8"), article).title
    checked = runner.invoke(args=["banks", "validate", str(out)])
    assert checked.exit_code == 0, checked.output
    linted = runner.invoke(args=["banks", "lint", str(out)])
    assert linted.exit_code == 0 and linted.output.strip().endswith(
        f"no warnings ({len(document['questions'])} questions)"), linted.output
