"""Sharing a bank read-only: the teacher it is shared with reads, searches, previews, exports and
copies it, and changes nothing of it; its owner shares by username and stops sharing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, BankShare, Question, Role, User
from quizapp.services.banks import interchange, sharing
from tests.support.pages import page, signed_in


@pytest.fixture
def otto(app, make_user):
    make_user("otto", role=Role.TEACHER)
    return signed_in(app, "otto")


def question(bank, key):
    db.session.expire_all()
    return db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == key))


def shared_with(bank) -> list[str]:
    return [share.teacher.username for share in sharing.shares(bank)]


def errors_beside(text: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-error">(.*?)</ul>', text, re.S)
    assert match, f"no errors beside {name}"
    return match.group(1)


def test_the_owner_shares_a_bank_by_username(tina, otto, own_bank):
    response = tina.post(f"/teach/banks/{own_bank.id}/shares", data={"username": " otto "})
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/banks/{own_bank.id}/shares"
    shown = page(tina.get(f"/teach/banks/{own_bank.id}/shares"))
    assert "Shared with Otto (otto): they can use, copy and download this bank, but not change it." in shown
    assert "Shared read-only with these teachers" in shown and "Stop sharing" in shown
    assert shared_with(own_bank) == ["otto"]

    again = page(tina.post(f"/teach/banks/{own_bank.id}/shares", data={"username": "otto"}, follow_redirects=True))
    assert "This bank is already shared with Otto (otto)." in again
    assert shared_with(own_bank) == ["otto"]


@pytest.mark.parametrize(("username", "message"), [
    ("ana", "No teacher has the username “ana”."),
    ("nobody", "No teacher has the username “nobody”."),
    ("tina", "This bank is yours: share it with another teacher."),
    ("", "Give a teacher's username."),
])
def test_sharing_is_refused_beside_the_field(tina, own_bank, make_user, username, message):
    make_user("ana")
    text = page(tina.post(f"/teach/banks/{own_bank.id}/shares", data={"username": username}), 400)
    assert message in errors_beside(text, "username")
    assert f'value="{username}"' in text  # kept as typed
    assert db.session.scalar(select(func.count()).select_from(BankShare)) == 0


def test_a_shared_teacher_reads_searches_previews_exports_and_copies(tina, otto, own_bank, teacher):
    sharing.share_bank(own_bank, "otto")
    listed = page(otto.get("/teach/banks"))
    shared_part = listed.split("Shared with you")[1]
    assert "Tiny test bank (copy)" in shared_part and "Shared by Tina (tina), read-only" in shared_part

    shown = page(otto.get(f"/teach/banks/{own_bank.id}"))
    assert "Shared with you by Tina (tina), read-only" in shown and "<code>opened</code>" in shown
    for write in ("Import questions", "New question", "Sharing", "Stop sharing", "Edit title", "Delete this bank",
                  'name="questions"', "/archive", "/duplicate", "/edit", "Add tag"):
        assert write not in shown, write
    assert "Copy this bank to change it" in shown

    searched = page(otto.get(f"/teach/banks/{own_bank.id}", query_string={"type": "multiple_select"}))
    assert "<code>cargo</code>" in searched and "<code>opened</code>" not in searched
    opened = question(own_bank, "opened")
    preview = page(otto.get(f"/teach/banks/{own_bank.id}/questions/{opened.id}/preview"))
    assert opened.prompt in preview and ">Edit<" not in preview
    for fmt in interchange.FORMATS:
        assert otto.get(f"/teach/banks/{own_bank.id}/export/{fmt}").status_code == 200, fmt

    response = otto.post(f"/teach/banks/{own_bank.id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id != teacher.id, Bank.owner_id.is_not(None)))
    assert response.headers["Location"] == f"/teach/banks/{copy.id}"
    assert copy.title == "Tiny test bank (copy) (copy)"
    assert "Yours" in page(otto.get(f"/teach/banks/{copy.id}"))
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == copy.id)) == 6


def test_every_change_is_404_for_a_shared_teacher(otto, own_bank):
    sharing.share_bank(own_bank, "otto")
    opened = question(own_bank, "opened")
    base = f"/teach/banks/{own_bank.id}"
    gets = [f"{base}/edit", f"{base}/delete", f"{base}/questions/new", f"{base}/questions/{opened.id}/edit",
            f"{base}/shares", f"{base}/import"]
    posts = {
        f"{base}/edit": {"title": "Mine now"},
        f"{base}/delete": {},
        f"{base}/shares": {"username": "otto"},
        f"{base}/shares/remove": {"teacher_id": "1"},
        f"{base}/import": {},
        f"{base}/questions/new?type=true_false": {"id": "mine", "answer": "true"},
        f"{base}/questions/{opened.id}/edit": {"prompt": "Mine now"},
        f"{base}/questions/{opened.id}/archive": {},
        f"{base}/questions/{opened.id}/duplicate": {},
        f"{base}/questions/bulk": {"questions": str(opened.id), "action": "delete"},
    }
    for url in gets:
        assert otto.get(url).status_code == 404, url
    for url, data in posts.items():
        assert otto.post(url, data=data).status_code == 404, url
    db.session.expire_all()
    assert (own_bank.title, own_bank.archived) == ("Tiny test bank (copy)", False)
    after = question(own_bank, "opened")
    assert (after.version, after.archived, after.prompt) == (1, False, opened.prompt)
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == own_bank.id)) == 6


def test_a_shared_teacher_copies_a_question_into_his_own_bank_only(otto, own_bank, tiny_bank):
    sharing.share_bank(own_bank, "otto")
    bundled = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    his = sharing.copy_bank(bundled, db.session.scalar(select(User).where(User.username == "otto")))
    opened = question(own_bank, "opened")
    preview = page(otto.get(f"/teach/banks/{own_bank.id}/questions/{opened.id}/preview"))
    assert "Into your bank" in preview and his.title in preview

    response = otto.post(f"/teach/banks/{own_bank.id}/questions/{opened.id}/duplicate", data={"into": his.id})
    copy = question(his, "opened-copy")
    assert response.headers["Location"] == f"/teach/banks/{his.id}/questions/{copy.id}/edit"
    assert copy.prompt == opened.prompt and copy.version == 1
    # Into Tina's bank: not his to change.
    assert otto.post(f"/teach/banks/{own_bank.id}/questions/{opened.id}/duplicate",
                     data={"into": own_bank.id}).status_code == 404
    assert question(own_bank, "opened-copy") is None


def test_stop_sharing_takes_the_bank_away(tina, otto, own_bank, make_user):
    sharing.share_bank(own_bank, "otto")
    make_user("sam", role=Role.TEACHER)
    sharing.share_bank(own_bank, "sam")
    otto_id = db.session.scalar(select(User.id).where(User.username == "otto"))
    response = tina.post(f"/teach/banks/{own_bank.id}/shares/remove", data={"teacher_id": otto_id})
    assert response.status_code == 302
    assert "Stopped sharing this bank with Otto (otto)." in page(tina.get(response.headers["Location"]))
    assert shared_with(own_bank) == ["sam"]
    assert otto.get(f"/teach/banks/{own_bank.id}").status_code == 404
    assert own_bank.key not in otto.get("/teach/banks").get_data(as_text=True)
    again = tina.post(f"/teach/banks/{own_bank.id}/shares/remove", data={"teacher_id": otto_id},
                      follow_redirects=True)
    assert "This bank was not shared with that teacher." in page(again)


def test_an_archived_bank_is_hidden_from_those_it_is_shared_with(otto, own_bank):
    sharing.share_bank(own_bank, "otto")
    own_bank.archived = True
    db.session.commit()
    assert otto.get(f"/teach/banks/{own_bank.id}").status_code == 404
    assert own_bank.key not in otto.get("/teach/banks").get_data(as_text=True)


def test_the_banks_page_groups_bundled_own_and_shared(tina, own_bank):
    text = page(tina.get("/teach/banks"))
    # The teacher's own first: the banks they work in.
    own, bundled, shared = (text.split("<h2>Yours</h2>")[1].split("<h2>Bundled</h2>")[0],
                            text.split("<h2>Bundled</h2>")[1].split("<h2>Shared with you</h2>")[0],
                            text.split("<h2>Shared with you</h2>")[1])
    assert "Copy “Tiny test bank”" in bundled and "Duplicate “Tiny test bank (copy)”" in own
    assert "No teacher has shared a bank with you." in shared
