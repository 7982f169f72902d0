"""Imports that silently replaced or lost content (issue 9): each attack, and what an import does now.

The files are in ``tests/data/interchange``: Moodle XML with HTML, audio, video, an image and Moodle's
multi-answer weights; a second Moodle file reusing the name "Q1"; GIFT with ``[html]`` text and an image;
two files of untitled GIFT questions; two Aiken files; and files with no question at all.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.domain.bank_format import BankError
from quizapp.extensions import db
from quizapp.models import Bank, Question, Role
from quizapp.services.banks import interchange, loading, sharing
from tests.support import DATA, TINY_BANK
from tests.support.pages import page, signed_in

FILES = DATA / "interchange"


@pytest.fixture
def bank(app, teacher):
    """Tina's copy of the tiny bank (``tiny-tina``, six questions)."""
    loading.load_files([TINY_BANK])
    return sharing.copy_bank(db.session.scalar(select(Bank).where(Bank.key == "tiny")), teacher)


def stored(bank) -> dict[str, Question]:
    db.session.expire_all()
    return {q.key: q for q in db.session.scalars(select(Question).where(Question.bank_id == bank.id))}


def run(runner, *args):
    return runner.invoke(args=["banks", "import", *map(str, args)])


# --- made-up ids never replace anything ------------------------------------------------------------------------


def test_a_second_aiken_file_is_added_beside_the_first(app, runner, bank):
    first = run(runner, FILES / "aiken-1.txt", "--into", bank.key)
    assert first.exit_code == 0, first.output
    second = run(runner, FILES / "aiken-2.txt", "--into", bank.key)
    assert second.exit_code == 0, second.output
    # It once overwrote aiken-1 and aiken-2 and said "2 updated".
    assert "2 added, 0 updated, 0 restored, 0 unchanged" in second.output
    questions = stored(bank)
    assert questions["aiken-1"].prompt == "Who runs the harbour?"
    assert questions["aiken-2"].prompt == "Which cargo comes first?"
    assert questions["aiken-3"].prompt == "When did the harbour open?"
    assert questions["aiken-4"].prompt == "What do ships unload last?"
    assert "'aiken-1' is taken in the bank" in second.output


def test_untitled_gift_questions_of_two_files_both_stay(app, bank):
    interchange.import_questions(FILES / "gift-untitled-1.gift", bank.key)
    plan = interchange.import_questions(FILES / "gift-untitled-2.gift", bank.key)
    assert (plan.added, plan.updated) == (2, 0)
    prompts = {q.prompt for q in stored(bank).values() if q.key.startswith("gift-")}
    assert prompts == {"The harbour opened in 1901.", "Ships unload coal.", "The harbour has a lighthouse.",
                       "Grain is unloaded at the harbour."}


def test_made_up_ids_skip_archived_questions_too(app, bank):
    interchange.import_questions(FILES / "aiken-1.txt", bank.key)
    first = stored(bank)["aiken-1"]
    first.archived = True
    db.session.commit()
    plan = interchange.import_questions(FILES / "aiken-2.txt", bank.key)
    assert [q.key for q in plan.of("add")] == ["aiken-3", "aiken-4"]
    assert stored(bank)["aiken-1"].archived and stored(bank)["aiken-1"].prompt == "Who runs the harbour?"


@pytest.mark.parametrize("name", ["aiken-1.txt", "gift-untitled-1.gift", "moodle-html-media.xml", "gift-html.gift"])
def test_importing_the_same_file_twice_doubles_nothing(app, bank, name):
    first = interchange.import_questions(FILES / name, bank.key)
    count = len(stored(bank))
    again = interchange.import_questions(FILES / name, bank.key)
    assert (again.added, again.updated, again.restored, again.unchanged) == (0, 0, 0, len(first.questions))
    assert len(stored(bank)) == count


# --- a name the bank has updates, and says so first ------------------------------------------------------------


def test_a_shared_name_is_an_update_shown_by_id_and_prompt_before_anything_is_written(app, runner, bank):
    interchange.import_questions(FILES / "moodle-html-media.xml", bank.key)
    before = stored(bank)["q1"].prompt
    dry = run(runner, FILES / "moodle-shared-name.xml", "--into", bank.key, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert ("update    q1: The harbour opened in 1901. (was: Listen to the recording: harbour bells How many"
            in dry.output)
    assert "add       moodle-2: Ships unload salt." in dry.output
    assert "1 added, 1 updated, 0 restored, 0 unchanged" in dry.output and "Nothing was written" in dry.output
    assert stored(bank)["q1"].prompt == before and "moodle-2" not in stored(bank)

    as_new = run(runner, FILES / "moodle-shared-name.xml", "--into", bank.key, "--as-new")
    assert as_new.exit_code == 0, as_new.output
    assert "add       q1-2: The harbour opened in 1901. [the bank has 'q1': added as a new question]" in as_new.output
    assert stored(bank)["q1"].prompt == before and stored(bank)["q1-2"].prompt == "The harbour opened in 1901."


def test_an_update_keeps_what_the_file_cannot_say(app, bank):
    opened = stored(bank)["opened"]
    opened.difficulty, opened.tags = 3, ["history"]
    db.session.commit()
    passage, source = opened.passage, opened.source_part.reference
    data = b"::opened:: The harbour opened in 1901, the text says. {T}\n"
    plan = interchange.import_upload(data, "opened.gift", bank.key, "key_point 2")
    assert [(q.action, q.key) for q in plan.questions] == [("update", "opened")]
    opened = stored(bank)["opened"]
    assert opened.prompt == "The harbour opened in 1901, the text says."
    assert (opened.difficulty, opened.tags, opened.passage, opened.source_part.reference) == (
        3, ["history"], passage, source)
    assert opened.explanation != "No explanation was given in the imported file."


# --- restored questions are reported as restored -----------------------------------------------------------------


def test_a_reimport_restores_archived_questions_and_says_so(app, runner, bank):
    interchange.import_questions(FILES / "gift-html.gift", bank.key)
    goods = stored(bank)["goods"]
    goods.archived = True
    db.session.commit()
    result = run(runner, FILES / "gift-html.gift", "--into", bank.key)
    assert result.exit_code == 0, result.output
    # It once said "unchanged" for a question it brought back.
    assert "0 added, 0 updated, 1 restored, 2 unchanged" in result.output
    assert "restore   goods: Which goods do ships unload?" in result.output
    assert not stored(bank)["goods"].archived


# --- HTML, media, and what cannot be carried ---------------------------------------------------------------------


def test_gift_html_becomes_text_and_an_image_is_reported(app, bank):
    plan = interchange.import_questions(FILES / "gift-html.gift", bank.key)
    questions = stored(bank)
    # It was once stored as '<p>How many bells ring at the <b>harbour</b>?</p><p>Answer &amp; …'.
    assert questions["bells"].prompt == "How many bells ring at the harbour?\nAnswer & explain: <3 or more>?"
    assert questions["bells"].spec["choices"] == ["Three", "Two"]
    assert questions["bells"].explanation == "See the bells page (https://example.org/bells)."
    (lost,) = plan.not_carried[1:]
    assert lost.key == "map" and lost.not_carried == ["an image ('harbour map', map.png): plain text cannot hold it"]
    # A question that lost its image is never asked until the teacher has looked at it.
    assert questions["map"].draft and "an image ('harbour map', map.png)" in questions["map"].review_note
    assert not questions["bells"].draft


def test_moodle_audio_video_and_images_are_reported_per_question(app, runner, bank):
    result = run(runner, FILES / "moodle-html-media.xml", "--into", bank.key)
    assert result.exit_code == 0, result.output
    lost = [line for line in result.output.splitlines() if line.startswith("not carried")]
    assert "not carried q1: an audio file linked from 'harbour bells' (harbour bells.mp3): plain text cannot hold it" \
        in lost
    assert "not carried q2: a video (night.mp4): plain text cannot hold it" in lost
    assert "not carried who-runs-it: an image ('the council building', council.png): plain text cannot hold it" in lost
    assert "not carried who-runs-it: hint 1, 'Think of the town hall.': a bank question has no hints" in lost
    assert "not carried cargo-weights: the feedback on the answer 'Coal', 'Coal is not named.': a bank question " \
           "has one explanation" in lost
    questions = stored(bank)
    assert questions["q1"].draft and questions["q2"].draft and questions["who-runs-it"].draft
    assert not questions["cargo-weights"].draft
    assert questions["cargo-weights"].prompt == ("Which goods do ships unload at the harbour & the quay? See the "
                                                 "harbour's page (https://example.org/harbour).")


# --- scoring changes are said -------------------------------------------------------------------------------------


def test_every_scoring_conversion_is_reported_per_question(app, runner, bank):
    result = run(runner, FILES / "moodle-html-media.xml", "--into", bank.key, "--dry-run")
    converted = [line for line in result.output.splitlines() if line.startswith("converted")]
    assert ("converted cargo-weights: the weights 50%, 50%, -100%, -100% became all-or-nothing scoring: picking "
            "only some of the right answers scores 0 here, where Moodle gives each right pick its 50%") in converted
    assert ("converted cargo-weights: its mark of 2.5 became 3 points (quizapp counts whole points, at least 1)"
            in converted)
    assert "converted who-runs-it: its mark of 0.5 became 1 point (quizapp counts whole points, at least 1)" \
        in converted
    assert any(line.startswith("converted who-runs-it: Moodle matched the answers' case") for line in converted)

    gift = interchange.import_questions(FILES / "gift-html.gift", bank.key, dry_run=True)
    (goods,) = [q for q in gift.questions if q.key == "goods"]
    assert goods.converted == [
        "the weights 50%, 50%, -100%, -100% became partial credit: each right pick earns 50% and each wrong pick "
        "takes away 50% here (never below 0), where Moodle's wrong answers weigh -100%"]


@pytest.mark.parametrize("name", ["gift-empty.gift", "moodle-empty.xml"])
def test_a_file_with_no_question_is_a_problem(app, runner, bank, name):
    result = run(runner, FILES / name, "--into", bank.key)
    # It once said "0 added" and went through.
    assert result.exit_code == 1
    assert f"no questions found in {FILES / name}" in result.output and "Nothing was imported." in result.output
    aiken = FILES / "aiken-1.txt"
    with pytest.raises(BankError, match="no questions found in empty.txt"):
        interchange.import_upload(b"\n\n", "empty.txt", bank.key)
    assert aiken.exists() and len(stored(bank)) == 6


# --- bundled banks ----------------------------------------------------------------------------------------------


def test_a_bundled_bank_refuses_imports(app, runner):
    loading.load_files([TINY_BANK])
    result = run(runner, FILES / "aiken-1.txt", "--into", "tiny")
    assert result.exit_code == 1
    assert "'tiny' is a bundled bank" in result.output and "copy it first" in result.output
    # Nothing to lose on the next load of the bundled files (every 'make run').
    (report,) = loading.load_files([TINY_BANK])
    assert report.archived == 0
    assert db.session.scalar(select(func.count()).select_from(Question)) == 6


# --- the upload page: a preview, then a confirmation that cannot be turned elsewhere ------------------------------


def upload(client, bank_id, path, source="section 1"):
    return client.post(f"/teach/banks/{bank_id}/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(path.read_bytes()), path.name), "source": source, "format": ""})


def token_of(preview: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', preview).group(1)


def test_the_upload_page_previews_then_imports(app, bank):
    tina = signed_in(app, "tina")
    interchange.import_questions(FILES / "moodle-html-media.xml", bank.key)
    count = len(stored(bank))
    preview = page(upload(tina, bank.id, FILES / "moodle-shared-name.xml"))
    assert "Will update 1 question" in preview and "Will add 1 question" in preview
    assert "<code>q1</code> The harbour opened in 1901." in preview and "Now: Listen to the recording" in preview
    assert len(stored(bank)) == count  # nothing written yet

    as_new = page(tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(preview), "as_new": "y"}))
    assert "Will add 2 questions" in as_new and "Will update" not in as_new
    response = tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(as_new), "confirm": "y"})
    assert response.status_code == 302
    assert "Imported moodle-shared-name.xml: 2 added, 0 updated, 0 restored, 0 unchanged." in page(
        tina.get(response.headers["Location"]))
    assert stored(bank)["q1-2"].prompt == "The harbour opened in 1901."


def test_the_preview_says_what_is_converted_and_lost(app, bank):
    preview = page(upload(signed_in(app, "tina"), bank.id, FILES / "moodle-html-media.xml"))
    assert "Could not be carried" in preview and "a video (night.mp4)" in preview
    assert "Converted" in preview and "became all-or-nothing scoring" in preview


def test_a_bad_file_on_the_upload_page_names_its_line_and_imports_nothing(app, bank):
    text = page(upload(signed_in(app, "tina"), bank.id, FILES / "gift-empty.gift"), 400)
    assert "Nothing was imported" in text and "gift-empty.gift:1: no questions found in gift-empty.gift" in text


def test_a_confirmation_cannot_be_sent_to_another_bank_or_altered(app, bank, teacher, make_user):
    tina = signed_in(app, "tina")
    other = sharing.copy_bank(bank, teacher)
    preview = page(upload(tina, bank.id, FILES / "aiken-1.txt"))
    token = token_of(preview)
    counts = (len(stored(bank)), len(stored(other)))
    assert tina.post(f"/teach/banks/{other.id}/import", data={"token": token, "confirm": "y"}).status_code == 400
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert tina.post(f"/teach/banks/{bank.id}/import", data={"token": tampered, "confirm": "y"}).status_code == 400
    make_user("otto", role=Role.TEACHER)
    otto = signed_in(app, "otto")
    assert otto.post(f"/teach/banks/{bank.id}/import", data={"token": token, "confirm": "y"}).status_code == 404
    assert (len(stored(bank)), len(stored(other))) == counts


def test_a_bank_changed_since_the_preview_is_previewed_again(app, bank):
    tina = signed_in(app, "tina")
    preview = page(upload(tina, bank.id, FILES / "aiken-1.txt"))
    interchange.import_questions(FILES / "aiken-2.txt", bank.key)  # meanwhile, aiken-1 and aiken-2 are taken
    response = tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(preview), "confirm": "y"})
    again = page(response, 409)
    assert "The bank changed since the preview" in again and "<code>aiken-3</code> Who runs the harbour?" in again
    assert "aiken-3" not in stored(bank)
    response = tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(again), "confirm": "y"})
    assert response.status_code == 302 and stored(bank)["aiken-3"].prompt == "Who runs the harbour?"


def test_an_old_preview_imports_nothing(app, bank, monkeypatch):
    from quizapp.teacher import import_forms

    tina = signed_in(app, "tina")
    preview = page(upload(tina, bank.id, FILES / "aiken-1.txt"))
    monkeypatch.setattr(import_forms, "TOKEN_LIFETIME", -1)  # every token is now too old
    response = tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(preview), "confirm": "y"})
    assert response.status_code == 302
    assert "over an hour old, so nothing was imported" in page(tina.get(response.headers["Location"]))
    assert len(stored(bank)) == 6


def test_a_large_file_goes_through_the_preview_whole(app, bank):
    """A file over a megabyte travels back in the confirmation, within what the route takes."""
    words = " ".join(f"harbour{n}" for n in range(400))  # text that compresses little
    blocks = [f"::big-{n}:: Question {n}: {words[n:] + words[:n]} {{=Answer {n} ~Wrong {n}}}" for n in range(300)]
    data = "\n\n".join(blocks).encode()
    assert len(data) > 1024 * 1024
    tina = signed_in(app, "tina")
    # Encoded here, in memory: the test client would spool a body this large to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), "big.gift"), "source": "section 1",
                                       "format": ""})
    preview = page(tina.post(f"/teach/banks/{bank.id}/import", data=body,
                             content_type=f"multipart/form-data; boundary={boundary}"))
    assert "Will add 300 questions" in preview
    response = tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(preview), "confirm": "y"})
    assert response.status_code == 302
    assert len(stored(bank)) == 6 + 300


def test_choices_kept_in_order_and_markdown_are_said(app, bank):
    xml = b"""<?xml version="1.0"?><quiz><question type="multichoice"><name><text>Order</text></name>
      <questiontext format="markdown"><text>Which is **right**?</text></questiontext>
      <shuffleanswers>0</shuffleanswers><single>true</single>
      <answer fraction="100"><text>This one</text></answer><answer fraction="-50"><text>All of the above</text></answer>
    </question></quiz>"""
    (planned,) = interchange.plan_upload(xml, "order.xml", bank.key).questions
    assert planned.converted == [
        "Markdown text was kept as written, its marks (such as **bold**) included: a bank shows text as it is",
        "Moodle kept its choices in the order written; a quiz here shuffles them unless it says not to",
        "a wrong answer's negative mark (-50%) was dropped: a wrong answer scores 0 here"]
    (gift,) = interchange.plan_upload(b"::md::[markdown]Is **this** bold? {T}", "md.gift", bank.key).questions
    assert gift.converted[0].startswith("Markdown text was kept as written")


def test_a_part_of_the_text_gone_since_the_preview_imports_nothing(app, bank):
    from quizapp.models import SourcePart

    tina = signed_in(app, "tina")
    preview = page(upload(tina, bank.id, FILES / "aiken-1.txt", source="key_point 2"))
    part = db.session.scalar(select(SourcePart).where(SourcePart.bank_id == bank.id, SourcePart.kind == "key_point",
                                                      SourcePart.number == 2))
    part.number = 9
    db.session.commit()
    for button in ("confirm", "as_new"):
        text = page(tina.post(f"/teach/banks/{bank.id}/import", data={"token": token_of(preview), button: "y"}), 400)
        assert "Nothing was imported" in text and "unknown source reference 'key_point 2'" in text
    assert len(stored(bank)) == 6


def test_the_preview_finds_what_the_import_would_refuse(app, bank):
    """A NUL in a question was previewed as "will add", then refused on confirming: the preview runs the
    same checks of the bank after import."""
    data = b"::nul1:: What is\x00 this? {=yes ~no}\n"
    with pytest.raises(BankError) as error:
        interchange.plan_upload(data, "nul.gift", bank.key)
    assert "nul.gift" in str(error.value)
    assert db.session.scalar(select(func.count()).select_from(Question).where(Question.key == "nul1")) == 0
