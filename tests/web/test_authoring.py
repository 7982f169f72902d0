"""Writing questions in the browser: every rule of the bank validator, beside the field it is about;
saving as a file load does (a change is a new version, answers keep theirs); archive and preview."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from quizapp.domain.authoring import field_for, form_from_question, new_key, question_from_form
from quizapp.domain.bank_format import BankError, parse_bank
from quizapp.extensions import db
from quizapp.models import Answer, Bank, Question, Quiz, Role
from quizapp.services import attempts
from quizapp.services.banks import authoring
from tests.support.builders import bank_around, raw_for
from tests.support.pages import page, signed_in


def question(bank, key):
    db.session.expire_all()
    return db.session.scalar(select(Question).where(Question.bank_id == bank.id, Question.key == key))


def form(**fields):
    data = {"id": "new-one", "prompt": "Which year?", "explanation": "The text says so.", "source": "key_point 1",
            "passage": "", "difficulty": "2", "tags": "history, dates", "points": "1"}
    data.update(fields)
    return data


VALID = {
    "single_choice": ({"choices": "1899\n*1901\n1910"}, {"choices": ["1899", "1901", "1910"], "answer": "1901"}),
    "multiple_select": ({"choices": "*Timber\n*Grain\nCoal", "scoring": "partial"},
                        {"choices": ["Timber", "Grain", "Coal"], "answers": ["Timber", "Grain"], "scoring": "partial"}),
    "true_false": ({"answer": "false"}, {"answer": False}),
    "short_answer": ({"accepted": "the council\n town council \n"}, {"accepted": ["the council", "town council"]}),
    "ordering": ({"items": "Timber\nGrain\nSalt"}, {"items": ["Timber", "Grain", "Salt"]}),
    "cloze": ({"text": "Opened in {1}, unloading {2}.", "blanks": "1901\ntimber | wood"},
              {"text": "Opened in {1}, unloading {2}.", "blanks": [["1901"], ["timber", "wood"]]}),
}


@pytest.mark.parametrize("kind", list(VALID))
def test_a_valid_form_adds_the_question(tina, own_bank, kind):
    fields, spec = VALID[kind]
    response = tina.post(f"/teach/banks/{own_bank.id}/questions/new?type={kind}", data=form(**fields))
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/banks/{own_bank.id}"
    added = question(own_bank, "new-one")
    assert added.type == kind and added.spec == spec and added.version == 1
    assert (added.prompt, added.difficulty, added.tags, added.source_part.reference) == (
        "Which year?", 2, ["history", "dates"], "key_point 1")
    assert "Added the question “new-one”" in page(tina.get(response.headers["Location"]))


def errors_beside(text: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-error">(.*?)</ul>', text, re.S)
    assert match, f"no errors beside {name}"
    return match.group(1)


# Every message the form can show, in the form's words: no field names of the bank file, no quotes of
# what the validator found.
INVALID = [
    ("single_choice", {"choices": "1899\n1901\n1910"}, "choices", "Mark the correct choice by starting it with *."),
    ("single_choice", {"choices": "*1901\n1901\n1910"}, "choices",
     "“1901” is listed twice: make each choice different."),
    ("single_choice", {"choices": "*1901"}, "choices", "Give at least two choices, one per line."),
    ("single_choice", {"choices": ""}, "choices", "Give at least two choices, one per line."),
    ("single_choice", {"choices": "*1901\n*1910"}, "choices", "Mark only one choice as correct"),
    ("multiple_select", {"choices": "Timber\nGrain"}, "choices",
     "Mark at least one correct choice by starting it with *."),
    ("multiple_select", {"scoring": "most"}, "scoring", "Choose all or nothing, or partial credit."),
    ("short_answer", {"accepted": "  \n"}, "accepted", "Type at least one accepted answer, one per line."),
    ("short_answer", {"accepted": "?!"}, "accepted", "Each accepted answer needs a letter or a digit"),
    ("ordering", {"items": "Timber\nGrain"}, "items", "Give at least three items, one per line, in their right order."),
    ("ordering", {"items": "Timber\nGrain\nTimber"}, "items", "An item is listed twice: make each item different."),
    ("cloze", {"text": "In {1} and {3}.", "blanks": "1901\ntimber"}, "text",
     "Put each blank {1} to {2} in the text once, one for each line of blanks (the text has {1}, {3})."),
    ("cloze", {"text": "  ", "blanks": "1901"}, "text", "Write the text, with its blanks as {1}, {2}, …"),
    ("cloze", {"text": "In {1}.", "blanks": ""}, "blanks", "Give the accepted answers for each blank"),
    ("true_false", {"answer": "maybe"}, "answer", "Choose true or false."),
    ("true_false", {"difficulty": "4"}, "difficulty", "Choose a difficulty: 1 (easy), 2 or 3 (hard)."),
    ("true_false", {"difficulty": "hard"}, "difficulty", "Choose a difficulty: 1 (easy), 2 or 3 (hard)."),
    ("true_false", {"points": "0"}, "points", "Give the points as a whole number, 1 or more."),
    ("true_false", {"points": "two"}, "points", "Give the points as a whole number, 1 or more."),
    ("true_false", {"points": str(2**31)}, "points", f"Give at most {2**31 - 1} points."),
    ("true_false", {"id": "New One"}, "id", "Use only lowercase letters, digits and hyphens, with no spaces"),
    ("true_false", {"id": "a" * 81}, "id", "Keep the id to 80 characters or fewer."),
    ("true_false", {"id": "opened"}, "id", "Another question of this bank has the id “opened”: choose another"),
    ("true_false", {"prompt": "  "}, "prompt", "Write the question."),
    ("true_false", {"explanation": ""}, "explanation", "Write the explanation students see once they have answered."),
    ("true_false", {"source": "faq 9"}, "source", "Choose the part of the text the question is drawn from."),
    ("true_false", {"source": ""}, "source", "Choose the part of the text the question is drawn from."),
]
# What a validator says that must never reach a teacher through the form.
VALIDATOR_WORDS = ("'", "must be", "non-empty", "found ", "Field must", "Not a valid choice", "This field is required",
                   "Invalid value", "duplicate")


@pytest.mark.parametrize(("kind", "fields", "name", "message"), INVALID)
def test_an_invalid_form_is_shown_again_with_the_message_beside_the_field(tina, own_bank, kind, fields, name,
                                                                           message):
    data = form(**{**VALID[kind][0], **fields})
    before = {q.key: q.version for q in db.session.scalars(select(Question).where(Question.bank_id == own_bank.id))}
    text = page(tina.post(f"/teach/banks/{own_bank.id}/questions/new?type={kind}", data=data), 400)
    beside = errors_beside(text, name)
    assert message in beside
    assert not any(words in beside for words in VALIDATOR_WORDS), beside
    assert "The question was not saved: see the messages beside the fields." in text
    typed = data[name].strip()
    if typed and name not in ("answer", "scoring", "difficulty", "source"):
        assert typed in text  # what was typed is still there
    db.session.expire_all()
    after = {q.key: q.version for q in db.session.scalars(select(Question).where(Question.bank_id == own_bank.id))}
    assert after == before  # nothing written
    assert "duplicate question id" not in text  # said once, without a file's line numbers


def test_correct_answer_not_among_the_choices_goes_beside_the_choices():
    """The form's star notation cannot write it, but the message would land beside the choices."""
    entry = {"id": "q", "type": "single_choice", "prompt": "P", "choices": ["a", "b"], "answer": "c",
             "explanation": "E", "source": "section 1", "difficulty": 1}
    with pytest.raises(BankError) as caught:
        parse_bank(bank_around([entry]))
    [problem] = caught.value.problems
    assert "is not among the choices" in problem.message and field_for(problem, 0, "single_choice") == "choices"
    assert str(problem) == f"<bank>:{problem.line}: {problem.message}"  # unchanged by the path


def test_form_text_and_questions_round_trip():
    for kind, (fields, spec) in VALID.items():
        entry, problems = question_from_form(kind, form(**fields))
        assert not problems and {k: entry[k] for k in spec} == spec
        again, _ = question_from_form(kind, form_from_question(entry))
        assert again == entry


def answered(own_bank, make_user):
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == own_bank.id, Quiz.key == "everything"))
    attempt = attempts.start_attempt(make_user("ana"), quiz, random.Random(1))
    item = next(i for i in attempt.items if i.question.key == "opened")
    attempts.record_answer(attempt, item.question_id, raw_for(item, ["1901"]))
    return item.question_id


def test_editing_a_question_with_answers_makes_a_new_version_and_keeps_the_answers(tina, own_bank, make_user):
    question_id = answered(own_bank, make_user)
    url = f"/teach/banks/{own_bank.id}/questions/{question_id}/edit"
    shown = page(tina.get(url))
    assert "1 answer was graded against version 1" in shown and "keeps its grading" in shown
    assert "*1901" in shown and 'readonly' in shown

    data = form(id="renamed", prompt="In which year did the harbour open?", choices="1899\n1901\n*1910",
                difficulty="1", tags="history", source="key_point 1")
    response = tina.post(url, data=data)
    assert response.status_code == 302
    changed = question(own_bank, "opened")  # the id stays: it names the versions
    assert changed.id == question_id and changed.version == 2 and changed.spec["answer"] == "1910"
    assert changed.prompt == "In which year did the harbour open?"
    [stored] = db.session.scalars(select(Answer).where(Answer.question_id == question_id)).all()
    assert (stored.question_version, stored.is_correct, stored.score, stored.response) == (1, True, 1.0, ["1901"])
    assert "Saved a new version of the question “opened”" in page(tina.get(f"/teach/banks/{own_bank.id}"))

    shown = page(tina.get(url))
    assert "graded against version" not in shown  # none yet against version 2


def test_an_edit_that_fails_changes_nothing(tina, own_bank):
    opened = question(own_bank, "opened")
    url = f"/teach/banks/{own_bank.id}/questions/{opened.id}/edit"
    text = page(tina.post(url, data=form(id="opened", choices="1899\n1901\nmistyped answer")), 400)
    assert "Mark the correct choice" in errors_beside(text, "choices") and "mistyped answer" in text
    assert question(own_bank, "opened").version == 1


def test_a_passage_must_quote_the_banks_source_text(tina, own_bank):
    assert own_bank.source_text.startswith("The harbour")  # kept from the bundled bank's source file
    url = f"/teach/banks/{own_bank.id}/questions/new?type=single_choice"
    text = page(tina.post(url, data=form(choices="1899\n*1901", passage="The harbour opened in 1066.")), 400)
    assert "Copy the passage word for word from the text" in errors_beside(text, "passage")
    assert question(own_bank, "new-one") is None
    quoted = form(choices="1899\n*1901", passage="The harbour  opened\nin 1901.")  # spacing aside
    assert tina.post(url, data=quoted).status_code == 302


def test_a_change_that_is_only_filing_is_saved_without_a_new_version(tina, own_bank):
    opened = question(own_bank, "opened")
    url = f"/teach/banks/{own_bank.id}/questions/{opened.id}/edit"
    data = {**authoring.form_data(opened), "tags": "harbour, renamed", "difficulty": "3"}
    response = tina.post(url, data=data)
    assert "Saved the question “opened”." in page(tina.get(response.headers["Location"]))
    assert question(own_bank, "opened").version == 1 and question(own_bank, "opened").tags == ["harbour", "renamed"]
    response = tina.post(url, data={**data, "prompt": "In which year did it open?"})
    assert "Saved a new version of the question “opened”." in page(tina.get(response.headers["Location"]))
    assert question(own_bank, "opened").version == 2


def test_archiving(tina, own_bank, make_user):
    question_id = answered(own_bank, make_user)
    response = tina.post(f"/teach/banks/{own_bank.id}/questions/{question_id}/archive")
    assert response.status_code == 302
    shown = page(tina.get(f"/teach/banks/{own_bank.id}"))
    assert "Archived the question “opened”" in shown and "its 1 answer is kept" in shown
    assert "<code>opened</code>" not in shown
    assert question(own_bank, "opened").archived
    assert db.session.scalar(select(Answer).where(Answer.question_id == question_id)) is not None
    assert tina.get(f"/teach/banks/{own_bank.id}/questions/{question_id}/edit").status_code == 404

    council = question(own_bank, "council")
    tina.post(f"/teach/banks/{own_bank.id}/questions/{council.id}/archive")
    assert "it had no answers" in page(tina.get(f"/teach/banks/{own_bank.id}"))
    assert question(own_bank, "council").archived
    # An archived question's id is not free for a new one (its answers name it).
    text = page(tina.post(f"/teach/banks/{own_bank.id}/questions/new?type=true_false",
                          data=form(id="council", answer="true")), 400)
    assert "An archived question of this bank has the id “council”" in errors_beside(text, "id")


@pytest.mark.parametrize(("key", "correct"), [("opened", "1901"), ("order", "Salt"), ("blanks", "wood"),
                                              ("council", "True")])
def test_preview_shows_the_question_and_its_feedback(tina, own_bank, key, correct):
    shown = question(own_bank, key)
    text = page(tina.get(f"/teach/banks/{own_bank.id}/questions/{shown.id}/preview"))
    assert shown.prompt in text and "Correct answer" in text and shown.explanation in text
    assert correct in text or key == "blanks"
    assert re.search(r"<button[^>]*disabled", text) and "student/attempts" not in text


def test_bank_page_links(tina, own_bank, tiny_bank):
    own = page(tina.get(f"/teach/banks/{own_bank.id}"))
    assert "Add a question" in own and "/edit" in own and "/archive" in own and "/preview" in own
    bundled = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    read_only = page(tina.get(f"/teach/banks/{bundled.id}"))
    assert "Add a question" not in read_only and "/edit" not in read_only and "/archive" not in read_only
    assert "/preview" in read_only


def test_new_question_form_per_type(tina, own_bank):
    text = page(tina.get(f"/teach/banks/{own_bank.id}/questions/new?type=cloze"))
    assert "Text with blanks" in text and "Choices" not in text and "Key point 1: The harbour opened" in text
    assert tina.get(f"/teach/banks/{own_bank.id}/questions/new?type=essay").status_code == 404


def test_bundled_banks_cannot_be_changed(tina, tiny_bank, teacher):
    bundled = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    opened = question(bundled, "opened")
    base = f"/teach/banks/{bundled.id}/questions"
    assert tina.get(f"{base}/new?type=true_false").status_code == 404
    assert tina.post(f"{base}/new?type=true_false", data=form(answer="true")).status_code == 404
    assert tina.get(f"{base}/{opened.id}/edit").status_code == 404
    assert tina.post(f"{base}/{opened.id}/edit", data=form(choices="*1899\n1901")).status_code == 404
    assert tina.post(f"{base}/{opened.id}/archive").status_code == 404
    assert tina.get(f"{base}/{opened.id}/preview").status_code == 200
    after = question(bundled, "opened")
    assert (after.version, after.archived, after.spec["answer"]) == (1, False, "1901")
    assert question(bundled, "new-one") is None


def test_another_teachers_bank_is_not_found(app, own_bank, make_user):
    make_user("otto", role=Role.TEACHER)
    otto = signed_in(app, "otto")
    opened = question(own_bank, "opened")
    base = f"/teach/banks/{own_bank.id}/questions"
    assert otto.get(f"{base}/new").status_code == 404
    assert otto.post(f"{base}/new?type=true_false", data=form(answer="true")).status_code == 404
    assert otto.get(f"{base}/{opened.id}/edit").status_code == 404
    assert otto.post(f"{base}/{opened.id}/edit", data=form(choices="*1899\n1901")).status_code == 404
    assert otto.get(f"{base}/{opened.id}/preview").status_code == 404
    assert otto.post(f"{base}/{opened.id}/archive").status_code == 404
    after = question(own_bank, "opened")
    assert (after.version, after.archived) == (1, False) and question(own_bank, "new-one") is None


def test_a_question_of_another_bank_is_not_found_under_this_one(tina, own_bank, tiny_bank):
    bundled = db.session.scalar(select(Bank).where(Bank.key == "tiny"))
    elsewhere = question(bundled, "opened")
    assert tina.get(f"/teach/banks/{own_bank.id}/questions/{elsewhere.id}/edit").status_code == 404
    assert tina.post(f"/teach/banks/{own_bank.id}/questions/{elsewhere.id}/archive").status_code == 404


def test_new_key_is_readable_and_unique():
    assert new_key("true_false", "key_point 2", set()) == "key-point-2-1"
    assert new_key("true_false", "key_point 2", {"key-point-2-1", "key-point-2-2", "key-point-20-1"}) == "key-point-2-3"
    assert new_key("true_false", "key_point 2", {"key-point-2-2"}) == "key-point-2-3"
    assert new_key("true_false", "key_point 2", {"key-point-2-1", "key-point-2-3"}) == "key-point-2-4"
    assert new_key("cloze", "", set()) == "cloze-1"  # no part chosen: the type names it
    assert new_key("short_answer", "nonsense", {"short-answer-1"}) == "short-answer-2"


def test_a_question_saved_without_an_id_is_given_one(tina, own_bank):
    url = f"/teach/banks/{own_bank.id}/questions/new?type=true_false"
    shown = page(tina.get(url))
    assert re.search(r'<details class="advanced">\s*<summary>Advanced</summary>', shown)  # closed: nothing to do
    assert re.search(r'<input[^>]*id="id"[^>]*value=""', shown)
    # Archived questions keep their ids, so a made-up one never takes theirs either.
    tina.post(url, data=form(id="key-point-1-1", answer="true"))
    tina.post(f"/teach/banks/{own_bank.id}/questions/{question(own_bank, 'key-point-1-1').id}/archive")
    response = tina.post(url, data=form(id="", answer="true"))
    assert response.status_code == 302
    assert "Added the question “key-point-1-2”." in page(tina.get(response.headers["Location"]))
    response = tina.post(url, data=form(id="  ", answer="false", source="faq 1"))
    assert question(own_bank, "faq-1-1").spec == {"answer": False}
    # An edit keeps the id, whatever the form sends.
    edited = question(own_bank, "faq-1-1")
    tina.post(f"/teach/banks/{own_bank.id}/questions/{edited.id}/edit",
              data=form(id="", answer="true", source="key_point 2"))
    assert question(own_bank, "faq-1-1").id == edited.id and question(own_bank, "faq-1-1").spec == {"answer": True}


def test_the_advanced_section_opens_when_the_id_has_a_problem(tina, own_bank):
    url = f"/teach/banks/{own_bank.id}/questions/new?type=true_false"
    text = page(tina.post(url, data=form(id="Bad Id", answer="true")), 400)
    assert re.search(r'<details class="advanced" open>\s*<summary>Advanced</summary>', text)
    text = page(tina.post(url, data=form(id="", prompt="", answer="true")), 400)
    assert '<details class="advanced">' in text  # a problem elsewhere leaves it closed


def test_the_typo_tolerance_is_a_checkbox_of_the_typed_types_only(tina, own_bank):
    for kind in ("short_answer", "cloze"):
        text = page(tina.get(f"/teach/banks/{own_bank.id}/questions/new?type={kind}"))
        assert 'type="checkbox"' in text and "Accept one typo in long words" in text
        assert 'aria-describedby="tolerance-help"' in text and "never a word with a digit" in text
    assert "Accept one typo" not in page(tina.get(f"/teach/banks/{own_bank.id}/questions/new?type=single_choice"))
    fields, spec = VALID["cloze"]
    response = tina.post(f"/teach/banks/{own_bank.id}/questions/new?type=cloze", data=form(**fields, tolerance="y"))
    assert response.status_code == 302
    assert question(own_bank, "new-one").spec == {**spec, "tolerance": "typo"}
    entry, _ = question_from_form("single_choice", form(choices="*a\nb", tolerance="y"))
    assert "tolerance" not in entry


def test_turning_the_typo_tolerance_on_makes_a_new_version_and_regrades_nothing(tina, own_bank, make_user):
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == own_bank.id, Quiz.key == "everything"))
    attempt = attempts.start_attempt(make_user("ana"), quiz, random.Random(1))
    item = next(i for i in attempt.items if i.question.key == "runner")
    attempts.record_answer(attempt, item.question_id, raw_for(item, ["town councill"]))
    url = f"/teach/banks/{own_bank.id}/questions/{item.question_id}/edit"
    assert 'name="tolerance" type="checkbox" value="y">' in page(tina.get(url)).replace(' checked', '')
    data = form(prompt="Who runs the harbour?", accepted="The town council\ntown council", source="faq 1",
                difficulty="1", tags="", explanation="The council does.")
    assert tina.post(url, data={**data, "tolerance": "y"}).status_code == 302
    changed = question(own_bank, "runner")
    assert (changed.version, changed.spec["tolerance"]) == (2, "typo")
    assert "checked" in re.search(r'<input[^>]*name="tolerance"[^>]*>', page(tina.get(url))).group()
    [stored] = db.session.scalars(select(Answer).where(Answer.question_id == item.question_id)).all()
    assert (stored.question_version, stored.is_correct) == (1, False), "not regraded by itself"
    # A new attempt is graded with the tolerance: the same typo is now right.
    again = attempts.start_attempt(make_user("ben"), quiz, random.Random(1))
    item = next(i for i in again.items if i.question.key == "runner")
    attempts.record_answer(again, item.question_id, raw_for(item, ["the town councill"]))
    [fresh] = db.session.scalars(select(Answer).where(Answer.attempt_id == again.id,
                                                      Answer.question_id == item.question_id)).all()
    assert (fresh.question_version, fresh.is_correct) == (2, True)
    # Unticked, it is off again: another version.
    assert tina.post(url, data=data).status_code == 302
    changed = question(own_bank, "runner")
    assert changed.version == 3 and "tolerance" not in changed.spec
