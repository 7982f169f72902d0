"""The pages for banks drafted from an article: check and create, review (accept, edit, discard),
update from a changed article; all for the teacher's own banks only."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.extensions import db
from quizapp.models import Bank, Question, Role
from quizapp.services.banks import authoring, drafting
from tests.support.pages import csrf_token, page, signed_in

ARTICLES = Path(__file__).parent.parent / "data" / "articles"
HARBOUR = (ARTICLES / "harbour.txt").read_text(encoding="utf-8")
REVISED = (ARTICLES / "harbour-revised.txt").read_text(encoding="utf-8")
NEW = "/teach/banks/from-article"
MALFORMED = [
    ("no-key-points.txt", "Line 10: no key-point table"),
    ("key-point-gap.txt", "Line 14: key point 4 is out of sequence: key point 3 was expected here"),
    ("empty-faq-answer.txt", "Line 20: FAQ 2 ('When did the first ship dock?') has no answer"),
    ("empty-faq.txt", "Line 17: the FAQ part has no 'Question: …' lines"),
]


@pytest.fixture
def harbour_bank(teacher):
    return drafting.create_bank(teacher, HARBOUR, "harbour.txt")


def questions(bank) -> dict[str, Question]:
    db.session.expire_all()
    return {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}


def bank_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Bank))


def textarea(text: str) -> str:
    match = re.search(r'<textarea[^>]*name="text"[^>]*>\n?(.*?)</textarea>', text, re.S)
    assert match, "no article text box"
    return match.group(1)


# --------------------------------------------------------------------------- check, then create


def test_the_banks_page_links_to_the_article_page(tina):
    assert 'href="/teach/banks/from-article"' in page(tina.get("/teach/banks"))
    shown = page(tina.get(NEW))
    assert "New bank from an article" in shown and 'name="text"' in shown and 'type="file"' in shown


def test_checking_a_good_article_shows_what_was_found_and_keeps_the_text(tina):
    shown = page(tina.post(NEW, data={"text": HARBOUR, "check": "y"}))
    assert "The harbour of Port Elwin opened in 1901 after ten years of building." in shown
    assert "2 sections" in shown and "The Early Years" in shown and "Cargo Today" in shown
    assert "3 key points" in shown and "Ships from Norway unload timber at the north quay." in shown
    assert "2 FAQs" in shown and "Who paid for the first quay?" in shown
    assert "Create bank with 9 draft questions" in shown and "nothing is missing" in shown
    assert "key point 3: no name, number, acronym or rare word to hide" in shown
    assert textarea(shown).strip() == HARBOUR.strip()
    assert bank_count() == 0


@pytest.mark.parametrize(("file", "message"), MALFORMED)
def test_a_malformed_article_is_shown_with_its_problems_and_its_text(tina, file, message):
    text = (ARTICLES / file).read_text(encoding="utf-8")
    shown = page(tina.post(NEW, data={"text": text, "check": "y"}), 400)
    assert message in shown
    assert "Create bank with" not in shown and "nothing is missing" not in shown
    assert textarea(shown).strip() == text.strip()
    page(tina.post(NEW, data={"text": text, "confirm": "y"}), 400)
    assert bank_count() == 0


def test_a_malformed_article_still_shows_what_was_found(tina):
    shown = page(tina.post(NEW, data={"text": (ARTICLES / "no-key-points.txt").read_text(), "check": "y"}), 400)
    assert "0 key points" in shown and "2 FAQs" in shown and "2 sections" in shown


def test_an_uploaded_article_is_checked_and_its_text_travels_on(tina):
    data = {"file": (io.BytesIO(HARBOUR.encode("utf-8")), "harbour.md"), "text": "ignored", "check": "y"}
    shown = page(tina.post(NEW, data=data, content_type="multipart/form-data"))
    assert "Create bank with 9 draft questions" in shown
    assert textarea(shown).strip() == HARBOUR.strip()
    assert 'name="name" type="hidden" value="harbour.md"' in shown


@pytest.mark.parametrize(("payload", "filename", "message"), [
    ("Title\nCafé au lait\n".encode("latin-1"), "cafe.txt",
     "Line 2: the file is not UTF-8 text: byte 0xe9 cannot be read"),
    (b"%PDF-1.4", "article.pdf", "Upload a .txt or .md file."),
    (b"x" * (512 * 1024 + 1), "big.txt", "The file is over 512 KB."),
])
def test_an_upload_that_cannot_be_read_is_refused_clearly(tina, payload, filename, message):
    # Encoded here, in memory: the test client would spool a large body to a file it leaves open.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(payload), filename), "check": "y"})
    response = tina.post(NEW, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert message in page(response, 400)


def test_nothing_to_check_goes_back_to_the_form(tina):
    response = tina.post(NEW, data={"text": "  ", "check": "y"})
    assert response.status_code == 302 and response.headers["Location"] == NEW
    assert "Paste the article's text or choose its file" in page(tina.get(NEW))


def test_creating_the_bank_makes_drafts_and_opens_the_review_page(tina, teacher):
    response = tina.post(NEW, data={"text": HARBOUR, "name": "harbour.txt", "confirm": "y"})
    bank = db.session.scalar(select(Bank))
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/banks/{bank.id}/drafts"
    assert bank.owner_id == teacher.id and bank.description == "Drafted from an article (harbour.txt)."
    assert all(q.draft for q in questions(bank).values()) and len(questions(bank)) == 9
    shown = page(tina.get(response.headers["Location"]))
    assert "Created “Harbour”" in shown and "9 draft questions" in shown


def test_the_teacher_may_name_the_bank(tina, teacher):
    assert 'name="title"' in page(tina.post(NEW, data={"text": HARBOUR, "check": "y"}))
    tina.post(NEW, data={"text": HARBOUR, "name": "harbour.txt", "confirm": "y", "title": "  Port Elwin, week 3 "})
    bank = db.session.scalar(select(Bank))
    assert (bank.title, bank.key) == ("Port Elwin, week 3", "port-elwin-week-3")


def test_the_whole_flow_with_csrf_on(app, teacher, csrf):
    tina = app.test_client()
    login = tina.get("/auth/login").get_data(as_text=True)
    tina.post("/auth/login", data={"username": "tina", "password": "correct horse battery",
                                   "csrf_token": csrf_token(login)})
    assert tina.post(NEW, data={"text": HARBOUR, "check": "y"}).status_code == 400  # no token
    checked = page(tina.post(NEW, data={"text": HARBOUR, "check": "y",
                                        "csrf_token": csrf_token(page(tina.get(NEW)))}))
    response = tina.post(NEW, data={"text": textarea(checked), "name": "", "confirm": "y",
                                    "csrf_token": csrf_token(checked)})
    assert response.status_code == 302
    bank = db.session.scalar(select(Bank))
    review = page(tina.get(f"/teach/banks/{bank.id}/drafts"))
    draft = questions(bank)["kp-1-cloze"]
    assert tina.post(f"/teach/banks/{bank.id}/questions/{draft.id}/accept").status_code == 400
    tina.post(f"/teach/banks/{bank.id}/questions/{draft.id}/accept", data={"csrf_token": csrf_token(review)})
    assert not questions(bank)["kp-1-cloze"].draft


# --------------------------------------------------------------------------- reviewing drafts


def test_the_bank_page_counts_what_awaits_review(tina, harbour_bank):
    shown = page(tina.get(f"/teach/banks/{harbour_bank.id}"))
    assert "9 drafts not yet asked, 0 questions needing review" in shown
    assert f'href="/teach/banks/{harbour_bank.id}/drafts"' in shown
    assert f'href="/teach/banks/{harbour_bank.id}/update-from-article"' in shown


def test_the_review_page_shows_each_draft_under_its_part(tina, harbour_bank):
    shown = page(tina.get(f"/teach/banks/{harbour_bank.id}/drafts"))
    headings = re.findall(r"<h2 id=\"part-\d+\">(.*?)</h2>", shown)
    assert headings == ["Key point 1: The harbour of Port Elwin opened in 1901.",
                        "Key point 2: Ships from Norway unload timber at the north quay.",
                        "FAQ 1: Who paid for the first quay?", "FAQ 2: When did the first ship dock?",
                        "Section 1: The Early Years", "Section 2: Cargo Today"]
    assert "The town council paid for the first quay." in shown  # the FAQ's answer, above its questions
    single = questions(harbour_bank)["faq-2-choice"]
    item = shown.split(f'id="question-{single.id}"')[1].split('id="question-')[0]
    assert "When did the first ship dock?" in item
    assert "The first ship docked in 1901, ten years after work began. <strong>(right)" in item
    assert "Explanation:" in item and '<blockquote class="passage">' in item
    assert f'href="/teach/banks/{harbour_bank.id}/questions/{single.id}/edit"' in item
    assert "Accept all 9" in shown and shown.count(">Discard</button>") == 9


def test_accept_discard_and_accept_all(tina, harbour_bank):
    drafts = questions(harbour_bank)
    base = f"/teach/banks/{harbour_bank.id}"
    response = tina.post(f"{base}/questions/{drafts['kp-1-cloze'].id}/accept")
    assert response.status_code == 302 and response.headers["Location"] == f"{base}/drafts"
    assert not questions(harbour_bank)["kp-1-cloze"].draft
    assert "Accepted the draft “kp-1-cloze”" in page(tina.get(f"{base}/drafts"))

    tina.post(f"{base}/questions/{drafts['faq-2-short'].id}/discard")
    assert "faq-2-short" not in questions(harbour_bank)
    assert "Discarded the draft “faq-2-short”" in page(tina.get(f"{base}/drafts"))

    tina.post(f"{base}/questions/{drafts['kp-1-cloze'].id}/discard")  # published now: not a draft
    assert "kp-1-cloze" in questions(harbour_bank)
    assert "is not a draft" in page(tina.get(f"{base}/drafts"))

    tina.post(f"{base}/drafts/accept-all")
    assert not any(q.draft for q in questions(harbour_bank).values())
    shown = page(tina.get(f"{base}/drafts"))
    assert "Accepted 7 questions" in shown and "Nothing awaits review in this bank" in shown


def test_editing_a_draft_publishes_it_and_clears_a_review_note(tina, harbour_bank):
    drafts = questions(harbour_bank)
    drafts["kp-1-false"].draft = False
    drafts["kp-1-false"].review_note = "Key point 1 changed."
    db.session.commit()
    for key, says in (("kp-1-cloze", "saving it publishes it"), ("kp-1-false", "Saving it marks it reviewed")):
        question = questions(harbour_bank)[key]
        edit = f"/teach/banks/{harbour_bank.id}/questions/{question.id}/edit"
        assert says in page(tina.get(edit))
        response = tina.post(f"{edit}?type={question.type}", data=authoring.form_data(question))
        assert response.status_code == 302, page(response, 400)
        assert response.headers["Location"].endswith(f"/teach/banks/{harbour_bank.id}/drafts")
        after = questions(harbour_bank)[key]
        assert (after.draft, after.review_note) == (False, "")
    assert questions(harbour_bank)["kp-2-false"].draft  # the others stay drafts


def test_a_question_needing_review_is_shown_with_its_note_and_can_be_marked_reviewed(tina, harbour_bank):
    question = questions(harbour_bank)["kp-1-false"]
    question.draft = False
    question.review_note = "Key point 1 changed when the article was re-imported."
    db.session.commit()
    shown = page(tina.get(f"/teach/banks/{harbour_bank.id}/drafts"))
    item = shown.split(f'id="question-{question.id}"')[1]
    assert "Needs review" in item and "Key point 1 changed when the article was re-imported." in item
    assert "Mark reviewed" in item.split("</li>")[0] and "Discard" not in item.split("</li>")[0]
    tina.post(f"/teach/banks/{harbour_bank.id}/questions/{question.id}/accept")
    assert questions(harbour_bank)["kp-1-false"].review_note == ""
    assert "Marked “kp-1-false” as reviewed." in page(tina.get(f"/teach/banks/{harbour_bank.id}/drafts"))


# --------------------------------------------------------------------------- updating from a changed article


def test_updating_from_a_changed_article_shows_the_plan_then_the_report(tina, harbour_bank):
    drafting.accept(questions(harbour_bank)["kp-2-cloze"])
    url = f"/teach/banks/{harbour_bank.id}/update-from-article"
    assert "Update from a changed article" in page(tina.get(url))
    plan = page(tina.post(url, data={"text": REVISED, "check": "y"}))
    assert "What updating the bank will change" in plan and "Update the bank" in plan
    assert ("Key point 2</strong> now reads “Ships from Sweden unload timber at the south quay.” "
            '<span class="meta">(before: “Ships from Norway unload timber at the north quay.”)') in plan
    assert "Key point 4" in plan and "<code>kp-2-cloze</code>" in plan
    assert questions(harbour_bank)["kp-2-cloze"].review_note == ""

    report = page(tina.post(url, data={"text": textarea(plan), "name": "harbour-v2.txt", "confirm": "y"}))
    assert "Updated “" in report and "What the update changed" in report
    assert "1 published question drawn from a changed or removed part was marked as needing review" in report
    note = questions(harbour_bank)["kp-2-cloze"].review_note
    today = date.today()
    assert note.startswith(f"Key point 2 changed when the article was re-imported on {today.day} {today:%b %Y}")
    review = page(tina.get(f"/teach/banks/{harbour_bank.id}/drafts"))
    assert note in review and "Key point 4: The harbour now employs 240 people." in review


def test_an_unchanged_article_updates_nothing(tina, harbour_bank):
    url = f"/teach/banks/{harbour_bank.id}/update-from-article"
    shown = page(tina.post(url, data={"text": HARBOUR, "check": "y"}))
    assert "there is nothing to update" in shown and "Update the bank" not in shown


@pytest.mark.parametrize(("file", "message"), MALFORMED)
def test_a_malformed_changed_article_changes_nothing(tina, harbour_bank, file, message):
    url = f"/teach/banks/{harbour_bank.id}/update-from-article"
    text = (ARTICLES / file).read_text(encoding="utf-8")
    before = [(q.key, q.draft, q.review_note, q.prompt) for q in questions(harbour_bank).values()]
    for step in ("check", "confirm"):
        shown = page(tina.post(url, data={"text": text, step: "y"}), 400)
        assert message in shown and "The bank was not updated" in shown
        assert textarea(shown).strip() == text.strip()
    assert [(q.key, q.draft, q.review_note, q.prompt) for q in questions(harbour_bank).values()] == before


# --------------------------------------------------------------------------- whose bank


def routes_of(bank, question) -> list[tuple[str, str]]:
    base = f"/teach/banks/{bank.id}"
    return [("GET", f"{base}/drafts"), ("GET", f"{base}/update-from-article"),
            ("POST", f"{base}/update-from-article"), ("POST", f"{base}/questions/{question.id}/accept"),
            ("POST", f"{base}/questions/{question.id}/discard"), ("POST", f"{base}/drafts/accept-all")]


def test_another_teachers_bank_is_not_found(app, make_user, harbour_bank):
    make_user("otto", role=Role.TEACHER)
    otto = signed_in(app, "otto")
    question = questions(harbour_bank)["kp-1-cloze"]
    for method, url in routes_of(harbour_bank, question):
        data = {"text": REVISED, "confirm": "y"} if method == "POST" else None
        assert otto.open(url, method=method, data=data).status_code == 404, (method, url)
    assert all(q.draft for q in questions(harbour_bank).values()) and len(questions(harbour_bank)) == 9
    assert harbour_bank.key not in page(otto.get(NEW))


def test_a_bundled_bank_is_not_found(tina, tiny_bank):
    bank = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    question = db.session.scalars(select(Question).where(Question.bank_id == bank.id)).first()
    for method, url in routes_of(bank, question):
        assert tina.open(url, method=method).status_code == 404, (method, url)


def test_a_student_is_refused(app, student, harbour_bank):
    client = signed_in(app, "student")
    question = questions(harbour_bank)["kp-1-cloze"]
    for method, url in [("GET", NEW), ("POST", NEW), *routes_of(harbour_bank, question)]:
        assert client.open(url, method=method).status_code == 403, (method, url)


def test_checking_a_markdown_article_says_what_was_found_and_what_was_not(tina, teacher):
    text = (ARTICLES / "lighthouse.md").read_text(encoding="utf-8")
    shown = page(tina.post(NEW, data={"text": text, "check": "y"}))
    assert "Read as Markdown." in shown
    assert "The title “The Lighthouse at Cape Morrow” is taken from the first heading." in shown
    assert "2 sections, from the headings." in shown and "2 FAQs, from the headings that ask a question." in shown
    assert "nothing is missing" in shown
    canal = (ARTICLES / "canal.txt").read_text(encoding="utf-8")
    shown = page(tina.post(NEW, data={"text": canal, "check": "y"}))
    assert "No key points: a bulleted list" in shown and "No FAQs:" in shown and "nothing is missing" not in shown
    tina.post(NEW, data={"text": text, "name": "lighthouse.md", "confirm": "y"})
    bank = db.session.scalar(select(Bank))
    assert bank.title == "The Lighthouse at Cape Morrow" and questions(bank)
