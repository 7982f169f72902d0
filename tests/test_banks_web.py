"""Teachers' bank pages: bundled banks read-only, copies their own; search, export, import."""

import io

from conftest import page, signed_in
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, Question


def bundled(tiny_bank):
    return db.session.scalar(select(Bank).where(Bank.key == "tiny"))


def test_bundled_banks_are_read_only_and_can_be_copied(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    bank = bundled(tiny_bank)
    listed = page(tina.get("/teach/banks"))
    assert "Tiny test bank" in listed and "Bundled, read-only" in listed
    shown = page(tina.get(f"/teach/banks/{bank.id}"))
    assert "Import questions" not in shown
    assert tina.post(f"/teach/banks/{bank.id}/import", data={}).status_code == 404

    response = tina.post(f"/teach/banks/{bank.id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id))
    assert response.headers["Location"] == f"/teach/banks/{copy.id}"
    assert copy.key == "tiny-tina" and copy.title == "Tiny test bank (copy)"
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == copy.id)) == 6
    assert "Import questions" in page(tina.get(f"/teach/banks/{copy.id}"))


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


def test_importing_a_file_into_an_own_bank(app, teacher, tiny_bank):
    tina = signed_in(app, "tina")
    tina.post(f"/teach/banks/{bundled(tiny_bank).id}/copy")
    copy = db.session.scalar(select(Bank).where(Bank.owner_id == teacher.id))
    response = upload(tina, copy.id, "::salt:: Which cargo comes last? {=Salt ~Timber ~Grain}\n")
    assert response.status_code == 302
    assert "Imported: 1 added, 0 updated." in page(tina.get(response.headers["Location"]))
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
