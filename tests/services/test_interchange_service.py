"""Exporting stored banks and importing other formats into them, through the CLI."""

import yaml
from sqlalchemy import func, select

from quizapp.domain.bank_format import parse_bank, read_bank
from quizapp.extensions import db
from quizapp.models import Bank, Question
from quizapp.services.banks import interchange, loading, sharing, writing
from tests.support import ROOT, TINY_BANK


def own_tiny(teacher) -> Bank:
    """A teacher's copy of the tiny bank (``tiny-tina``), as imports go into a teacher's own bank."""
    loading.load_files([TINY_BANK])
    return sharing.copy_bank(db.session.scalar(select(Bank).where(Bank.key == "tiny")), teacher)


def same_bank(a, b) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in
               ("key", "title", "description", "source_title", "parts", "questions", "quizzes"))


def test_yaml_export_then_import_gives_the_same_bank(app):
    for path in (TINY_BANK, ROOT / "questions" / "coalition-of-the-willing.yaml"):
        loading.load_files([path])
        original = read_bank(path)
        text, warnings = interchange.export_bank(original.key, "yaml")
        assert warnings == [] and text.startswith("# yaml-language-server: $schema=bank.schema.json")
        assert same_bank(parse_bank(text, "exported.yaml"), original), path.name


def test_exported_yaml_loads_back_changing_nothing(app):
    loading.load_files([TINY_BANK])
    text, _ = interchange.export_bank("tiny", "yaml")
    report = writing.store(None, parse_bank(text, "exported.yaml"))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 6)


def test_gift_export_reports_what_it_cannot_hold(app, runner, tmp_path):
    loading.load_files([TINY_BANK])
    out = tmp_path / "tiny.gift"
    result = runner.invoke(args=["banks", "export", "tiny", "--format", "gift", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "not exported: order:" in result.output
    assert "::opened::" in out.read_text() and "::order::" not in out.read_text()


def test_import_gift_into_a_bank(app, runner, tmp_path, teacher):
    # Into a teacher's copy: importing into a bundled bank is refused (test_import_integrity.py).
    bank = own_tiny(teacher)
    gift = tmp_path / "extra.gift"
    gift.write_text("::salt:: Which cargo does the text name last? {=Salt ~Timber ~Grain}\n\n"
                    "::opened:: The harbour opened in 1901. {T}\n", encoding="utf-8")
    result = runner.invoke(args=["banks", "import", str(gift), "--into", bank.key, "--source", "key_point 2"])
    assert result.exit_code == 0, result.output
    # The report counts the file's questions (the bank's other five are not the import's business).
    assert "1 added, 1 updated, 0 restored, 0 unchanged" in result.output
    assert "update    opened: The harbour opened in 1901." in result.output
    salt = db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == "salt"))
    assert salt.type == "single_choice" and salt.source_part.reference == "key_point 2"
    opened = db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == "opened"))
    assert opened.type == "true_false" and opened.version == 2


def test_a_broken_file_imports_nothing_and_names_the_line(app, runner, tmp_path, teacher):
    bank = own_tiny(teacher)
    gift = tmp_path / "broken.gift"
    gift.write_text("::ok:: Fine? {T}\n\n::bad:: Unclosed {=a ~b\n", encoding="utf-8")
    result = runner.invoke(args=["banks", "import", str(gift), "--into", bank.key])
    assert result.exit_code == 1
    assert f"{gift}:3:" in result.output and "Nothing was imported." in result.output
    assert db.session.scalar(select(func.count()).select_from(Question)) == 12


def test_an_unknown_source_for_imported_questions_is_refused(app, runner, tmp_path, teacher):
    bank = own_tiny(teacher)
    aiken = tmp_path / "one.txt"
    aiken.write_text("Who runs the harbour?\nA. The council\nB. The navy\nANSWER: A\n", encoding="utf-8")
    result = runner.invoke(args=["banks", "import", str(aiken), "--into", bank.key, "--source", "faq 9"])
    assert result.exit_code == 1 and "unknown source reference 'faq 9'" in result.output


def test_exporting_an_unknown_bank_says_so(runner):
    result = runner.invoke(args=["banks", "export", "nope"])
    assert result.exit_code != 0 and "no bank with the id 'nope'" in result.output


def test_moodle_xml_export_of_the_bundled_bank_imports_back(app, tmp_path):
    loading.load_files([ROOT / "questions"])
    text, warnings = interchange.export_bank("coalition-of-the-willing", "moodle-xml")
    assert warnings  # ordering and multi-blank cloze questions cannot go
    path = tmp_path / "bank.xml"
    path.write_text(text, encoding="utf-8")
    questions = interchange.read_questions(path, None, "section 1")
    assert len(questions) > 30 and all(q["type"] != "ordering" for q in questions)
    assert yaml.safe_dump(questions)


def test_csv_export_lists_every_question_with_its_key(app, runner):
    import csv
    import io

    loading.load_files([TINY_BANK])
    result = runner.invoke(args=["banks", "export", "tiny", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == ["opened", "cargo", "council", "runner", "order", "blanks"]
    cargo = rows[1]
    assert cargo["choices"] == "Timber | Grain | Coal | Oil" and cargo["correct answer"] == "Timber | Grain"
    assert rows[5]["prompt"] == "The harbour opened in {1} and ships unload {2}."


def test_draft_a_bank_from_an_article_then_validate_and_load_it(app, runner, tmp_path):
    import shutil

    article = tmp_path / "article.txt"
    shutil.copy(ROOT / "questions" / "coalition-of-the-willing.txt", article)
    out = tmp_path / "drafts.yaml"
    result = runner.invoke(args=["banks", "draft", str(article), "--id", "drafted", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["banks", "validate", str(out)]).exit_code == 0
    (report,) = loading.load_files([out])
    assert report.added >= 15
    assert all("draft" in q.tags for q in db.session.scalars(select(Question)))


def test_drafting_from_a_text_with_no_key_points_or_faqs_says_why(runner, tmp_path):
    article = tmp_path / "plain.txt"
    article.write_text("Just a title\nIt is all.\n", encoding="utf-8")
    result = runner.invoke(args=["banks", "draft", str(article), "--id", "x", "--output", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "nothing to draft questions from" in result.output
    assert "1 section, from the paragraphs" in result.output and "No key points: a bulleted list" in result.output


def test_a_typo_tolerance_survives_a_yaml_round_trip_and_a_reload_is_no_new_version(app, tmp_path):
    text = TINY_BANK.read_text().replace("    accepted: [The town council, town council]\n",
                                         "    accepted: [The town council, town council]\n    tolerance: typo\n")
    assert "tolerance: typo" in text
    path = tmp_path / "tiny.yaml"
    path.write_text(text)
    (tmp_path / "tiny.txt").write_text((TINY_BANK.parent / "tiny.txt").read_text())
    loading.load_files([path])
    exported, warnings = interchange.export_bank("tiny", "yaml")
    assert warnings == [] and "tolerance: typo" in exported
    report = writing.store(None, parse_bank(exported, "exported.yaml"))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 6)
    # Turned off in the file, it is a change to the key: a new version.
    report = writing.store(None, parse_bank(exported.replace("  tolerance: typo\n", ""), "exported.yaml"))
    assert report.updated == 1
    runner_question = db.session.scalar(select(Question).where(Question.key == "runner"))
    assert runner_question.version == 2 and "tolerance" not in runner_question.spec
