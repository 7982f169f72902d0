"""Teachers' bank pages: bundled banks read-only, copies their own; search, export, import."""

import io
import re

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, Question
from tests.support.pages import page, signed_in


def bundled(tiny_bank):
    return db.session.scalar(select(Bank).where(Bank.key == "tiny"))


def test_bundled_banks_are_read_only_and_can_be_copied(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = bundled(tiny_bank)
    listed = page(tina.get("/teach/banks"))
    assert "Tiny test bank" in listed and "Bundled with the app, read-only" in listed
    shown = page(tina.get(f"/teach/banks/{bank.id}"))
    assert "Import" not in shown and f"/teach/banks/{bank.id}/import" not in shown
    assert tina.get(f"/teach/banks/{bank.id}/import").status_code == 404
    assert tina.post(f"/teach/banks/{bank.id}/import", data={}).status_code == 404

    response = tina.post(f"/teach/banks/{bank.id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id))
    assert response.headers["Location"] == f"/teach/banks/{copy.id}"
    assert copy.key == "tiny-tina" and copy.title == "Tiny test bank (copy)"
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == copy.id)) == 6
    assert f'href="/teach/banks/{copy.id}/import">Import</a>' in page(tina.get(f"/teach/banks/{copy.id}"))
    assert "Import questions" in page(tina.get(f"/teach/banks/{copy.id}/import"))


def test_another_teachers_copy_is_not_found(app, teacher, tiny_bank, make_user):
    tina = signed_in(app, "tina")
    tina.post(f"/teach/banks/{bundled(tiny_bank).id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id))
    from quizapp.models import Role

    make_user("otto", role=Role.TEACHER)
    otto = signed_in(app, "otto")
    assert otto.get(f"/teach/banks/{copy.id}").status_code == 404
    assert "tiny-tina" not in otto.get("/teach/banks").get_data(as_text=True)


def test_questions_are_filtered(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = bundled(tiny_bank)

    def ids(**filters):
        text = page(tina.get(f"/teach/banks/{bank.id}", query_string=filters))
        keys = ("opened", "cargo", "council", "runner", "order", "blanks")
        return [key for key in keys if f"<code>{key}</code>" in text]

    assert ids() == ["opened", "cargo", "council", "runner", "order", "blanks"]
    assert ids(type="multiple_select") == ["cargo"]
    assert ids(source="faq 1") == ["council", "runner"]
    assert ids(tag="cargo") == ["cargo", "order"]
    assert ids(difficulty="3") == ["order"]
    assert ids(q="harbour open") == ["opened"]


def test_export_downloads(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = bundled(tiny_bank)
    yaml_file = tina.get(f"/teach/banks/{bank.id}/export/yaml")
    assert yaml_file.status_code == 200 and "id: tiny" in yaml_file.get_data(as_text=True)
    assert 'filename="tiny.yaml"' in yaml_file.headers["Content-Disposition"]
    gift = tina.get(f"/teach/banks/{bank.id}/export/gift")
    # The ordering and the two-blank cloze cannot go, and GIFT keeps one tag per question.
    assert "::opened::" in gift.get_data(as_text=True) and int(gift.headers["X-Not-Exported"]) >= 2
    assert "::order::" not in gift.get_data(as_text=True)
    assert tina.get(f"/teach/banks/{bank.id}/export/docx").status_code == 404


def upload(client, bank_id, text, filename="extra.gift", source="key_point 2"):
    return client.post(f"/teach/banks/{bank_id}/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), filename), "source": source, "format": ""})


def confirm(client, bank_id, preview: str, button: str = "confirm"):
    """Send the preview's form back: ``confirm`` imports, ``as_new`` / ``as_update`` show it again."""
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview).group(1)
    return client.post(f"/teach/banks/{bank_id}/import", data={"token": token, button: "y"})


def test_importing_a_file_into_an_own_bank(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    tina.post(f"/teach/banks/{bundled(tiny_bank).id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id))
    # The upload shows what the import would do and writes nothing; confirming it imports.
    preview = page(upload(tina, copy.id, "::salt:: Which cargo comes last? {=Salt ~Timber ~Grain}\n"))
    assert "Will add 1 question" in preview and "<code>salt</code> Which cargo comes last?" in preview
    assert db.session.scalar(select(Question).where(Question.bank_id == copy.id, Question.key == "salt")) is None
    response = confirm(tina, copy.id, preview)
    assert response.status_code == 302
    assert "Imported extra.gift: 1 added, 0 updated, 0 restored, 0 unchanged." in page(
        tina.get(response.headers["Location"]))
    added = db.session.scalar(select(Question).where(Question.bank_id == copy.id, Question.key == "salt"))
    assert added.source_part.reference == "key_point 2"


def test_a_broken_upload_names_its_line_and_imports_nothing(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    tina.post(f"/teach/banks/{bundled(tiny_bank).id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id))
    text = page(upload(tina, copy.id, "::ok:: Fine? {T}\n\n::bad:: Unclosed {=a ~b\n"), 400)
    assert "Nothing was imported" in text and "extra.gift:3:" in text
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == copy.id)) == 6
    assert "Choose a file to import." in page(tina.post(f"/teach/banks/{copy.id}/import", data={}), 400)


def test_students_cannot_reach_the_bank_pages(app, tiny_bank, make_user):
    make_user("ana")
    assert signed_in(app, "ana").get("/teach/banks").status_code == 403


# --- managing banks and their questions -----------------------------------------------------------


def own_copy(teacher, tiny_bank):
    from quizapp.services.banks import sharing

    return sharing.copy_bank(bundled(tiny_bank), teacher)


def test_editing_a_banks_title_and_description(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    form = page(tina.get(f"/teach/banks/{bank.id}/edit"))
    assert 'value="Tiny test bank (copy)"' in form
    text = page(tina.post(f"/teach/banks/{bank.id}/edit", data={"title": "  ", "description": "Kept as typed"}), 400)
    assert "Give the bank a title." in text and "Kept as typed" in text
    response = tina.post(f"/teach/banks/{bank.id}/edit", data={"title": "Harbour, year 9", "description": "Mine."})
    assert response.headers["Location"] == f"/teach/banks/{bank.id}"
    shown = page(tina.get(f"/teach/banks/{bank.id}"))
    assert "<h1>Harbour, year 9</h1>" in shown and "Mine." in shown
    db.session.expire_all()
    assert (bank.title, bank.description) == ("Harbour, year 9", "Mine.")
    assert tina.get(f"/teach/banks/{bundled(tiny_bank).id}/edit").status_code == 404


def test_duplicating_an_own_bank(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    assert "Duplicate this bank" in page(tina.get(f"/teach/banks/{bank.id}/edit"))
    response = tina.post(f"/teach/banks/{bank.id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id, Bank.id != bank.id))
    assert response.headers["Location"] == f"/teach/banks/{copy.id}"
    assert copy.title == "Tiny test bank (copy) (copy)" and copy.key != bank.key
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == copy.id)) == 6


def test_a_copy_of_a_bank_with_the_longest_title_still_fits(app, teacher, tiny_bank):
    bank = own_copy(teacher, tiny_bank)
    bank.title = "T" * 200
    db.session.commit()
    response = signed_in(app, "tina").post(f"/teach/banks/{bank.id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id, Bank.id != bank.id))
    assert response.status_code == 302 and copy.title == "T" * 193 + " (copy)"


def test_deleting_a_bank_nobody_used_deletes_it_with_its_questions_quizzes_and_shares(app, teacher, tiny_bank,
                                                                                     make_user):
    from quizapp.models import BankShare, Quiz, Role, SourcePart
    from quizapp.services.banks import sharing

    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    make_user("otto", role=Role.TEACHER)
    sharing.share_bank(bank, "otto")
    asked = page(tina.get(f"/teach/banks/{bank.id}/delete"))
    assert "deleted for good" in asked and "Delete the bank" in asked
    bank_id = bank.id
    response = tina.post(f"/teach/banks/{bank_id}/delete")
    assert response.headers["Location"] == "/teach/banks"
    assert "Deleted the bank “Tiny test bank (copy)”." in page(tina.get("/teach/banks"))
    db.session.expire_all()
    for table in (Question, Quiz, SourcePart, BankShare):
        assert db.session.scalar(select(func.count()).select_from(table).where(table.bank_id == bank_id)) == 0
    assert db.session.get(Bank, bank_id) is None
    assert tina.get(f"/teach/banks/{bank_id}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == bundled(
        tiny_bank).id)) == 6


def test_a_bank_students_have_had_is_archived_not_deleted(app, teacher, tiny_bank, make_user):
    import random

    from quizapp.models import AttemptItem, Quiz
    from quizapp.services import attempts, quizzes

    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == "everything"))
    attempt = attempts.start_attempt(make_user("ana"), quiz, random.Random(1))
    assert "<strong>archived</strong>, not deleted" in page(tina.get(f"/teach/banks/{bank.id}/delete"))
    response = tina.post(f"/teach/banks/{bank.id}/delete")
    listed = page(tina.get(response.headers["Location"]))
    assert "Archived the bank “Tiny test bank (copy)” instead of deleting it" in listed
    assert "tiny-tina" not in listed
    db.session.expire_all()
    assert db.session.get(Bank, bank.id).archived
    assert tina.get(f"/teach/banks/{bank.id}").status_code == 404
    assert tina.get(f"/teach/banks/{bank.id}/delete").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(AttemptItem)
                             .where(AttemptItem.attempt_id == attempt.id)) == 6
    assert quizzes.get_quiz(quiz.id) is None  # no longer offered to set or practise
    assert db.session.get(Quiz, quiz.id).archived


def test_a_bank_with_an_assigned_quiz_is_archived(app, teacher, tiny_bank, classroom):
    from quizapp.models import Quiz
    from tests.support.builders import assign

    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    assign(classroom, db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == "everything")))
    tina.post(f"/teach/banks/{bank.id}/delete")
    db.session.expire_all()
    assert db.session.get(Bank, bank.id).archived


def test_duplicating_a_question_opens_the_copy_to_edit(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    opened = db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == "opened"))
    response = tina.post(f"/teach/banks/{bank.id}/questions/{opened.id}/duplicate")
    copy = db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == "opened-copy"))
    assert response.headers["Location"] == f"/teach/banks/{bank.id}/questions/{copy.id}/edit"
    form = page(tina.get(response.headers["Location"]))
    assert "Copied “opened” as “opened-copy”: change it here." in form and "*1901" in form
    assert (copy.prompt, copy.spec, copy.tags, copy.version, copy.source_part.reference) == (
        opened.prompt, opened.spec, opened.tags, 1, "key_point 1")
    tina.post(f"/teach/banks/{bank.id}/questions/{opened.id}/duplicate")
    keys = db.session.scalars(select(Question.key).where(Question.bank_id == bank.id,
                                                         Question.key.like("opened%"))).all()
    assert sorted(keys) == ["opened", "opened-copy", "opened-copy-2"]
    assert tina.post(f"/teach/banks/{bundled(tiny_bank).id}/questions/{opened.id}/duplicate").status_code == 404


def test_copying_a_question_into_a_bank_without_its_part_of_the_text_is_refused(app, teacher, tiny_bank):
    import yaml

    from quizapp.domain.bank_format import parse_bank
    from quizapp.services.banks import writing

    tina = signed_in(app, "tina")
    document = {"version": 1, "id": "other", "title": "Other", "source": {"title": "Other", "sections": [
        {"number": 1, "title": "Only"}]}, "questions": [{"id": "q", "type": "true_false", "prompt": "Yes?",
                                                          "answer": True, "explanation": "Yes.", "source": "section 1",
                                                          "difficulty": 1}]}
    writing.store(None, parse_bank(yaml.safe_dump(document), "other"), owner_id=teacher.id)
    other = db.session.scalar(select(Bank).where(Bank.key == "other"))
    source = bundled(tiny_bank)
    opened = db.session.scalar(select(Question).where(Question.bank_id == source.id, Question.key == "opened"))
    response = tina.post(f"/teach/banks/{source.id}/questions/{opened.id}/duplicate", data={"into": other.id})
    assert response.headers["Location"] == f"/teach/banks/{source.id}/questions/{opened.id}/preview"
    shown = page(tina.get(response.headers["Location"]))
    assert "The question was not copied into “Other”: unknown source reference 'key_point 1'" in shown
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == other.id)) == 1


def test_draft_and_review_badges_and_the_status_filter(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    found = {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}
    found["cargo"].draft = True
    found["order"].review_note = "Key point 2 changed: check the items."
    db.session.commit()
    shown = page(tina.get(f"/teach/banks/{bank.id}"))
    assert '<span class="badge draft">Draft</span>' in shown
    assert '<span class="badge review" title="Key point 2 changed: check the items.">Needs review</span>' in shown
    assert shown.count(">Draft</span>") == 1 and shown.count(">Needs review</span>") == 1

    def keys(status):
        text = page(tina.get(f"/teach/banks/{bank.id}", query_string={"status": status}))
        return [key for key in ("opened", "cargo", "council", "runner", "order", "blanks")
                if f"<code>{key}</code>" in text]

    assert keys("") == ["opened", "cargo", "council", "runner", "order", "blanks"]
    assert keys("draft") == ["cargo"]
    assert keys("review") == ["order"]
    assert keys("published") == ["opened", "council", "runner", "order", "blanks"]
    assert tina.get(f"/teach/banks/{bank.id}", query_string={"status": "lost"}).status_code == 400


def test_the_list_of_banks_says_what_each_holds_and_what_can_be_done(app, teacher, tiny_bank, count_queries):
    tina = signed_in(app, "tina")
    bank = own_copy(teacher, tiny_bank)
    for question in db.session.scalars(select(Question).where(Question.bank_id == bank.id).limit(2)):
        question.draft = True
    db.session.commit()
    text = page(tina.get("/teach/banks"))
    own, rest = text.split("<h2>Yours</h2>")[1].split("<h2>Bundled</h2>")
    words = " ".join(re.sub(r"<[^>]+>", "", own).split())
    assert "6 questions (2 are drafts to review) · 2 quizzes" in words
    for tab in ("questions/new", "quizzes", "import", "shares", "download"):
        assert f'href="/teach/banks/{bank.id}/{tab}"' in own, tab
    bundled_part = " ".join(re.sub(r"<[^>]+>", "", rest.split("<h2>Shared with you</h2>")[0]).split())
    assert "6 questions · 2 quizzes" in bundled_part and "drafts" not in bundled_part
    assert "/import" not in rest and "/shares" not in rest and "questions/new" not in rest

    # Counted for every bank at once: more banks, no more statements.
    counts = []
    for copies in (1, 4):
        while db.session.scalar(select(func.count()).select_from(Bank).where(Bank.owner_id == teacher.id)) < copies:
            own_copy(teacher, tiny_bank)
        with count_queries() as queries:
            assert tina.get("/teach/banks").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts
