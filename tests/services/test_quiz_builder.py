"""The quiz builder: picked questions or a random N by part of the text and tag, in a teacher's own bank
only; and who sees which quiz (students practise the bundled banks' quizzes; a teacher's reach students
as assignments)."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import func, select

from quizapp.domain.bank_format import parse_bank
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, Feedback, Question, Quiz, Role
from quizapp.services import attempts
from quizapp.services.banks import authoring, quiz_builder, sharing, writing
from tests.support.api_client import assert_error
from tests.support.builders import assign, bank_around, member
from tests.support.pages import csrf_token, page, signed_in


@pytest.fixture
def own_bank(teacher, tiny_bank):
    """Tina's copy of the tiny bank, with its quizzes "everything" (all six) and "two-grain" (2 on key point 2)."""
    return sharing.copy_bank(bundled(), teacher)


@pytest.fixture
def tina(app, teacher):
    return signed_in(app, "tina")


def bundled() -> Bank:
    return db.session.scalar(select(Bank).where(Bank.key == "tiny"))


def quiz_in(bank, key) -> Quiz:
    db.session.expire_all()
    return db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.key == key))


def quizzes_of(bank) -> list[tuple[str, bool]]:
    db.session.expire_all()
    return db.session.execute(select(Quiz.key, Quiz.archived).where(Quiz.bank_id == bank.id).order_by(Quiz.id)).all()


def form(**fields) -> dict:
    data = {"title": "Harbour basics", "description": "", "mode": "pick", "questions": ["opened", "council"],
            "count": "", "shuffle": "y", "feedback": "after_each"}
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def build(bank, **fields) -> Quiz:
    plan = quiz_builder.QuizPlan(**{"title": "Built", "picked": ["opened"], **fields})
    return quiz_builder.save_quiz(bank, plan)


def drawn(quiz, user, seed: int) -> list[str]:
    attempt = attempts.start_attempt(user, quiz, random.Random(seed))
    return [item.question.key for item in attempt.items]


def words(html: str) -> str:
    """The page's text without its tags, spaces run together."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(" :", ":").replace(" ,", ",").split())


def checked(text: str, name: str) -> set[str]:
    """The values of the ticked checkboxes (or radio buttons) called ``name``."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', text)
    return {re.search(r'value="([^"]*)"', i).group(1) for i in inputs if " checked" in i}


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_says_what_each_quiz_asks(tina, own_bank):
    build(own_bank, title="One on cargo", picking=False, count=1, sources=["key_point 2"])
    build(own_bank, title="Two picked", picked=["council", "opened"], shuffle=False, feedback=Feedback.AT_END)
    text = words(page(tina.get(f"/teach/banks/{own_bank.id}/quizzes")))
    assert "Asks all 6 matching questions" in text  # everything
    assert "Asks 1 of 2 matching questions, drawn at random" in text
    assert "From Key point 2 · any tag" in text
    assert "Asks these 2 questions: council, opened" in text
    assert "Questions and choices in order · feedback only at the end" in text
    assert "New quiz" in text and "Edit “Two picked”" in text and "Archive “Two picked”" in text
    authoring.archive_question(db.session.scalar(select(Question).where(Question.bank_id == own_bank.id,
                                                                         Question.key == "council")))
    text = words(page(tina.get(f"/teach/banks/{own_bank.id}/quizzes")))
    assert "Asks this one question: opened" in text  # an archived pick is not named


def test_the_bank_page_links_to_its_quizzes(tina, own_bank):
    assert f'href="/teach/banks/{own_bank.id}/quizzes"' in page(tina.get(f"/teach/banks/{own_bank.id}"))


# --- building a quiz --------------------------------------------------------------------------------


def test_a_quiz_of_picked_questions_asks_exactly_those(tina, own_bank, make_user):
    response = tina.post(f"/teach/banks/{own_bank.id}/quizzes/new",
                         data=form(questions=["council", "opened", "order"], shuffle=None, feedback="at_end"))
    quiz = quiz_in(own_bank, "harbour-basics")
    # Back to the bank's quizzes, at the new quiz's card (which offers to set it to a class).
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teach/banks/{own_bank.id}/quizzes?saved={quiz.id}#quiz-{quiz.id}"
    assert "Added the quiz “Harbour basics”" in page(tina.get(response.headers["Location"]))
    assert quiz.title == "Harbour basics" and quiz.question_keys == ["council", "opened", "order"]
    assert (quiz.count, quiz.sources, quiz.tags, quiz.shuffle, quiz.feedback) == (None, [], [], False, Feedback.AT_END)
    ana = make_user("ana")
    assert {tuple(drawn(quiz, ana, seed)) for seed in range(5)} == {("council", "opened", "order")}

    quiz.shuffle = True
    db.session.commit()
    orders = {tuple(drawn(quiz, ana, seed)) for seed in range(12)}
    assert len(orders) > 1 and all(sorted(order) == ["council", "opened", "order"] for order in orders)


def test_a_random_quiz_draws_n_by_part_of_the_text_and_tag(tina, own_bank, make_user):
    response = tina.post(f"/teach/banks/{own_bank.id}/quizzes/new", data=form(
        title="Cargo check", mode="random", questions=["opened"], count="1", sources=["key_point 2", "section 1"],
        tags=["cargo"]))
    assert response.status_code == 302
    quiz = quiz_in(own_bank, "cargo-check")
    assert quiz.question_keys == [] and quiz.count == 1  # the picks of the other mode are ignored
    assert quiz.sources == ["key_point 2", "section 1"] and quiz.tags == ["cargo"]
    ana = make_user("ana")
    draws = [drawn(quiz, ana, seed) for seed in range(12)]
    assert all(len(d) == 1 for d in draws) and {d[0] for d in draws} == {"cargo", "order"}


def test_an_empty_count_asks_every_matching_question(tina, own_bank):
    response = tina.post(f"/teach/banks/{own_bank.id}/quizzes/new",
                         data=form(title="FAQ", mode="random", sources=["faq 1"]))
    assert response.status_code == 302
    quiz = quiz_in(own_bank, "faq")
    assert quiz.count is None and quiz.sources == ["faq 1"]
    assert "Asks all 2 matching questions" in page(tina.get(f"/teach/banks/{own_bank.id}/quizzes"))


INVALID = {
    "no title": ({"title": "  "}, "title", "Give the quiz a title."),
    "nothing picked": ({"questions": []}, "questions", "Pick at least one question."),
    "unknown pick": ({"questions": ["opened", "nope"]}, "questions",
                     "“nope” cannot be asked: it is a draft, archived, or not in this bank."),
    "title too long": ({"title": "T" * 201}, "title", "Keep the title to 200 characters or fewer."),
    "description too long": ({"description": "D" * 2001}, "description",
                             "Keep the description to 2,000 characters or fewer."),
    "count of 0": ({"mode": "random", "count": "0", "sources": ["key_point 2"]}, "count",
                   "Give a whole number of 1 or more"),
    "count not a number": ({"mode": "random", "count": "two", "sources": ["key_point 2"]}, "count",
                           "Give a whole number of 1 or more"),
    "more than the pool": ({"mode": "random", "count": "3", "sources": ["key_point 2"]}, "count",
                           "These parts of the text and tags match 2 questions: ask 2 or fewer"),
    "more than the bank": ({"mode": "random", "count": "7"}, "count", "This bank has 6 questions: ask 6 or fewer"),
    "nothing matches": ({"mode": "random", "sources": ["faq 1"], "tags": ["cargo"]}, "sources",
                        "No question of this bank is drawn from these parts of the text and carries these tags"),
    "unknown part": ({"mode": "random", "sources": ["faq 9"]}, "sources",
                     "Tick parts of the text from the list: one ticked is no longer in this bank's text."),
    "unknown tag": ({"mode": "random", "tags": ["nowhere"]}, "tags",
                    "Tick tags from the list: one ticked is no longer on any question."),
    "no mode": ({"mode": "both"}, "mode", "Choose the questions you pick, or a random number of them."),
    "no feedback": ({"feedback": "never"}, "feedback", "Choose when students see how each answer went."),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_a_refused_quiz_says_why_beside_the_field_and_keeps_the_input(tina, own_bank, case):
    fields, name, message = INVALID[case]
    before = quizzes_of(own_bank)
    data = form(**{"title": "Keep me", "description": "Typed with care", "feedback": "at_end", **fields})
    text = page(tina.post(f"/teach/banks/{own_bank.id}/quizzes/new", data=data), 400)
    assert "The quiz was not saved: see the messages beside the fields." in text
    error = re.search(rf'<ul class="errors" id="{name}-error">(.*?)</ul>', text, re.S)
    assert error and message in error.group(1), text[-3000:]
    for words in ("Not a valid choice", "not a valid choice", "Field ", "This field is required", "Invalid "):
        assert words not in text
    assert quizzes_of(own_bank) == before
    if fields.get("title") is None:
        assert 'value="Keep me"' in text
    if fields.get("description") is None:
        assert "Typed with care" in text
    assert checked(text, "feedback") == ({"at_end"} if "feedback" not in fields else set())
    assert checked(text, "shuffle") == {"y"}
    assert checked(text, "mode") == ({data["mode"]} if data["mode"] in ("pick", "random") else set())
    assert checked(text, "questions") == set(data["questions"]) & {"opened", "council", "cargo", "runner", "order",
                                                                   "blanks"}
    assert checked(text, "sources") == set(data.get("sources", [])) & {"key_point 1", "key_point 2", "faq 1",
                                                                       "section 1"}
    assert checked(text, "tags") == set(data.get("tags", [])) - {"nowhere"}
    if data.get("count"):
        assert f'value="{data["count"]}"' in text


def test_one_submission_shows_every_problem(tina, own_bank):
    text = page(tina.post(f"/teach/banks/{own_bank.id}/quizzes/new",
                          data=form(title="", mode="random", count="9", sources=["key_point 2"])), 400)
    assert "Give the quiz a title." in text
    assert "These parts of the text and tags match 2 questions: ask 2 or fewer" in text


def test_the_form_lists_askable_questions_with_what_filters_match(tina, own_bank):
    db.session.execute(Question.__table__.update().where(Question.bank_id == own_bank.id, Question.key == "runner")
                       .values(draft=True))
    db.session.commit()
    text = page(tina.get(f"/teach/banks/{own_bank.id}/quizzes/new"))
    assert checked(text, "mode") == {"pick"} and checked(text, "shuffle") == {"y"}
    assert checked(text, "feedback") == {"after_each"} and checked(text, "questions") == set()
    for key in ("opened", "cargo", "council", "order", "blanks"):
        assert f'value="{key}"' in text
    assert 'value="runner"' not in text  # a draft is not asked
    assert "When did the harbour open?" in text and "Key point 1" in text and "multiple select" in text
    assert "Key point 2: Ships unload timber and grain. (2)" in text and "cargo (2)" in text
    refused = page(tina.post(f"/teach/banks/{own_bank.id}/quizzes/new", data=form(questions=["runner"])), 400)
    assert "“runner” cannot be asked: it is a draft, archived, or not in this bank." in refused


def test_the_list_to_pick_from_narrows_by_the_bank_filters_keeping_what_is_ticked(tina, own_bank):
    def listed(text):
        return set(re.findall(r'name="questions" type="checkbox" value="([^"]+)"', text))

    url = f"/teach/banks/{own_bank.id}/quizzes/new"
    before = quizzes_of(own_bank)
    narrowed = page(tina.post(url, data=form(title="Typed", questions=["opened"], find_tag="cargo", show="y")))
    assert listed(narrowed) == {"opened", "cargo", "order"} and checked(narrowed, "questions") == {"opened"}
    assert "3 of 6 questions listed" in narrowed and "nothing is saved until you press" in narrowed
    assert 'value="Typed"' in narrowed and quizzes_of(own_bank) == before
    assert listed(page(tina.post(url, data=form(questions=[], find_source="faq 1", show="y")))) == {"council", "runner"}
    assert listed(page(tina.post(url, data=form(questions=[], find_type="cloze", find_text="BLANKS", show="y")))) == {
        "blanks"}
    assert listed(page(tina.post(url, data=form(questions=[], find_text="why not", show="y")))) == set()
    # Saving with a filter still set saves what is ticked.
    assert tina.post(url, data=form(questions=["opened", "cargo"], find_tag="cargo")).status_code == 302
    assert quiz_in(own_bank, "harbour-basics").question_keys == ["opened", "cargo"]


def test_a_picked_question_archived_meanwhile_is_refused(own_bank):
    question = db.session.scalar(select(Question).where(Question.bank_id == own_bank.id, Question.key == "order"))
    question.archived = True
    db.session.commit()
    with pytest.raises(quiz_builder.QuizPlanError) as refused:
        build(own_bank, picked=["opened", "order"])
    assert refused.value.fields == {
        "questions": ["“order” cannot be asked: it is a draft, archived, or not in this bank."]}


def test_the_form_needs_its_csrf_token(tina, own_bank, csrf):
    url = f"/teach/banks/{own_bank.id}/quizzes/new"
    before = quizzes_of(own_bank)
    assert tina.post(url, data=form()).status_code == 400
    assert quizzes_of(own_bank) == before
    token = csrf_token(page(tina.get(url)))
    assert tina.post(url, data={**form(), "csrf_token": token}).status_code == 302
    assert quiz_in(own_bank, "harbour-basics") is not None


def test_keys_come_from_the_title_and_stay_unique_in_the_bank(own_bank):
    assert build(own_bank, title="Everything").key == "everything-2"  # the copy has "everything" already
    assert build(own_bank, title="Éléments: où, quand?").key == "elements-ou-quand"
    assert build(own_bank, title="???").key == "quiz"
    assert build(own_bank, title="!!!").key == "quiz-2"


def test_editing_a_quiz_shows_it_keeps_its_key_and_changes_what_it_asks(tina, own_bank):
    quiz = quiz_in(own_bank, "two-grain")
    url = f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/edit"
    text = page(tina.get(url))
    assert 'value="Two on cargo"' in text and checked(text, "mode") == {"random"}
    assert checked(text, "sources") == {"key_point 2"} and 'value="2"' in text

    response = tina.post(url, data=form(title="Picked now", questions=["cargo", "opened"], feedback="at_end"))
    assert response.status_code == 302
    assert "Saved the quiz “Picked now”." in page(tina.get(response.headers["Location"]))
    quiz = quiz_in(own_bank, "two-grain")
    assert quiz.title == "Picked now" and quiz.question_keys == ["cargo", "opened"]
    assert (quiz.count, quiz.sources, quiz.feedback) == (None, [], Feedback.AT_END)

    # Picks keep the order they had (a bank file may have set it); new ones follow.
    tina.post(url, data=form(title="Picked now", questions=["opened", "blanks", "cargo"]))
    assert quiz_in(own_bank, "two-grain").question_keys == ["cargo", "opened", "blanks"]

    refused = page(tina.post(url, data=form(title="", questions=["opened"])), 400)
    assert "Give the quiz a title." in refused and quiz_in(own_bank, "two-grain").title == "Picked now"


def test_a_changed_default_quiz_takes_a_key_of_its_own_and_outlives_the_next_load(tina, teacher):
    writing.store(None, parse_bank(bank_around([{
        "id": "q1", "type": "true_false", "prompt": "Is it?", "answer": True, "explanation": "It is.",
        "source": "section 1", "difficulty": 1}]), "imported.yaml"))
    bank = sharing.copy_bank(db.session.scalar(select(Bank).where(Bank.key == "imported")), teacher)
    default = quiz_in(bank, "all-questions")
    url = f"/teach/banks/{bank.id}/quizzes/{default.id}/edit"
    assert "saving it gives it an id of its own" in page(tina.get(url))
    assert tina.post(url, data=form(title="Only at the end", questions=["q1"], feedback="at_end")).status_code == 302
    db.session.expire_all()
    quiz = db.session.get(Quiz, default.id)
    assert quiz.key == "only-at-the-end" and quiz.feedback is Feedback.AT_END

    question = db.session.scalar(select(Question).where(Question.bank_id == bank.id))
    authoring.save_question(bank, "true_false", {**authoring.form_data(question), "prompt": "Is it so?"}, question)
    assert quizzes_of(bank) == [("only-at-the-end", False)]
    quiz = quiz_in(bank, "only-at-the-end")
    assert (quiz.title, quiz.feedback, quiz.question_keys) == ("Only at the end", Feedback.AT_END, ["q1"])


def test_archiving_a_quiz_takes_it_out_of_the_list_and_the_assignment_form(tina, own_bank, classroom):
    quiz = quiz_in(own_bank, "two-grain")
    assignment = assign(classroom, quiz)
    response = tina.post(f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/archive")
    assert response.status_code == 302
    text = page(tina.get(response.headers["Location"]))
    assert "Archived the quiz “Two on cargo”" in text and "Edit “Two on cargo”" not in text
    assert quiz_in(own_bank, "two-grain").archived
    assert db.session.get(Assignment, assignment.id).quiz_id == quiz.id  # the assignment set keeps it
    offered = page(tina.get(f"/teach/classes/{classroom.id}/assignments/new"))
    assert f'value="{quiz.id}"' not in offered
    assert tina.get(f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/edit").status_code == 404
    assert tina.post(f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/archive").status_code == 404


def test_archived_quizzes_stay_archived_when_the_bank_next_changes(tina, own_bank):
    for key in ("everything", "two-grain"):
        tina.post(f"/teach/banks/{own_bank.id}/quizzes/{quiz_in(own_bank, key).id}/archive")
    question = db.session.scalar(select(Question).where(Question.bank_id == own_bank.id, Question.key == "opened"))
    authoring.save_question(own_bank, "single_choice", {**authoring.form_data(question), "prompt": "When?"}, question)
    assert quizzes_of(own_bank) == [("everything", True), ("two-grain", True)]


def test_a_quiz_titled_like_the_default_one_keeps_what_it_asks(tina, own_bank):
    built = build(own_bank, title="All questions", picked=["opened"], feedback=Feedback.AT_END)
    assert built.key != "all-questions"
    for key in ("everything", "two-grain"):
        tina.post(f"/teach/banks/{own_bank.id}/quizzes/{quiz_in(own_bank, key).id}/archive")
    question = db.session.scalar(select(Question).where(Question.bank_id == own_bank.id, Question.key == "cargo"))
    authoring.save_question(own_bank, "multiple_select", {**authoring.form_data(question), "prompt": "Which?"},
                            question)
    quiz = quiz_in(own_bank, built.key)
    assert (quiz.archived, quiz.question_keys, quiz.feedback) == (False, ["opened"], Feedback.AT_END)


# --- whose bank ---------------------------------------------------------------------------------------


def test_another_teachers_bank_is_not_found(app, own_bank, make_user):
    make_user("otto", role=Role.TEACHER)
    otto = signed_in(app, "otto")
    quiz = quiz_in(own_bank, "everything")
    before = quizzes_of(own_bank)
    base = f"/teach/banks/{own_bank.id}/quizzes"
    assert otto.get(base).status_code == 404
    assert otto.get(f"{base}/new").status_code == 404
    assert otto.post(f"{base}/new", data=form()).status_code == 404
    assert otto.get(f"{base}/{quiz.id}/edit").status_code == 404
    assert otto.post(f"{base}/{quiz.id}/edit", data=form()).status_code == 404
    assert otto.post(f"{base}/{quiz.id}/archive").status_code == 404
    assert quizzes_of(own_bank) == before and quiz_in(own_bank, "everything").title == "Everything"


def test_a_bundled_banks_quizzes_are_shown_but_not_changed(tina, teacher, tiny_bank):
    bank, quiz = bundled(), tiny_bank["everything"]
    text = page(tina.get(f"/teach/banks/{bank.id}/quizzes"))
    assert "Everything" in text and "Two on cargo" in text and "This bank is read-only" in text
    assert "New quiz" not in text and "/edit" not in text and "/archive" not in text
    base = f"/teach/banks/{bank.id}/quizzes"
    assert tina.get(f"{base}/new").status_code == 404
    assert tina.post(f"{base}/new", data=form()).status_code == 404
    assert tina.post(f"{base}/{quiz.id}/edit", data=form()).status_code == 404
    assert tina.post(f"{base}/{quiz.id}/archive").status_code == 404
    assert quizzes_of(bank) == [("everything", False), ("two-grain", False)]


def test_a_quiz_of_one_bank_is_not_edited_through_another(tina, teacher, own_bank):
    other = sharing.copy_bank(bundled(), teacher)
    quiz = quiz_in(other, "everything")
    assert tina.get(f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/edit").status_code == 404
    assert tina.post(f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/archive").status_code == 404
    assert not quiz_in(other, "everything").archived


def test_students_cannot_reach_the_builder(app, own_bank, make_user):
    make_user("ana")
    ana = signed_in(app, "ana")
    quiz = quiz_in(own_bank, "everything")
    assert ana.get(f"/teach/banks/{own_bank.id}/quizzes").status_code == 403
    assert ana.post(f"/teach/banks/{own_bank.id}/quizzes/new", data=form()).status_code == 403
    assert ana.post(f"/teach/banks/{own_bank.id}/quizzes/{quiz.id}/archive").status_code == 403
    assert not quiz_in(own_bank, "everything").archived


# --- who sees which quiz -----------------------------------------------------------------------------


@pytest.fixture
def private_quiz(own_bank):
    return build(own_bank, title="Tina's own", picked=["opened", "council"])


def test_students_practise_only_the_bundled_banks_quizzes(app, private_quiz, make_user):
    make_user("ana")
    ana = signed_in(app, "ana")
    listed = page(ana.get("/quizzes"))
    assert "Start “Everything”" in listed and "Tina's own" not in listed
    assert listed.count("Start “Everything”") == 1  # not tina's copy of it either
    assert ana.post(f"/quizzes/{private_quiz.id}/start").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_the_api_lists_and_starts_only_the_bundled_banks_quizzes(private_quiz, log_in, tiny_bank):
    ana = log_in("ana")
    listed = ana.get("/quizzes").get_json()["quizzes"]
    assert sorted(q["id"] for q in listed) == sorted(q.id for q in tiny_bank.values())
    assert all(q["bank"] == "Tiny test bank" and q["feedback"] == "after_each" for q in listed)
    assert_error(ana.post(f"/quizzes/{private_quiz.id}/attempts"), 404, "not_found")


def test_an_archived_bundled_bank_is_not_practised(app, tiny_bank, make_user):
    bank = bundled()
    bank.archived = True
    db.session.commit()
    make_user("ana")
    ana = signed_in(app, "ana")
    assert "Everything" not in page(ana.get("/quizzes"))
    assert ana.post(f"/quizzes/{tiny_bank['everything'].id}/start").status_code == 404


def test_a_teacher_may_try_out_their_own_quiz(tina, private_quiz):
    assert "Start “Tina's own”" in page(tina.get("/quizzes"))
    response = tina.post(f"/quizzes/{private_quiz.id}/start")
    assert response.status_code == 302 and response.headers["Location"].startswith("/attempts/")


def test_a_teachers_quiz_reaches_students_through_an_assignment(app, tina, classroom, private_quiz):
    offered = page(tina.get(f"/teach/classes/{classroom.id}/assignments/new"))
    # Grouped by bank: each bank's quizzes under its title.
    assert re.search(r"""<optgroup label="Tiny test bank \(copy\)">(<option[^>]*>[^<]*</option>)*"""
                     r"""<option value="\d+">Tina's own \(2 questions\)""", offered)
    assert re.search(r'<optgroup label="Tiny test bank"><option value="\d+">Everything \(6 questions\)', offered)
    response = tina.post(f"/teach/classes/{classroom.id}/assignments/new", data={
        "quiz_id": str(private_quiz.id), "opens_at": "2020-01-01T09:00", "closes_at": "2099-01-01T09:00",
        "counting": "best"})
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    member(classroom, "ana")
    ana = signed_in(app, "ana")
    assert "Tina's own" in page(ana.get("/classes"))
    started = ana.post(f"/assignments/{assignment.id}/start")
    assert started.status_code == 302 and started.headers["Location"].startswith("/attempts/")
    # Not offered for practice: only listed among the quizzes set by her teachers.
    quizzes = page(ana.get("/quizzes"))
    assert "Start “Tina's own”" not in quizzes
    assert "Tina's own" not in quizzes[quizzes.index('id="practice-heading"'):]


def test_a_teacher_cannot_assign_another_teachers_private_quiz(app, private_quiz, make_user, tiny_bank):
    from quizapp.services import classrooms

    otto = make_user("otto", role=Role.TEACHER)
    room = classrooms.create_classroom(otto, "Otto's class")
    client = signed_in(app, "otto")
    offered = page(client.get(f"/teach/classes/{room.id}/assignments/new"))
    assert "Tina's own" not in offered and f'value="{private_quiz.id}"' not in offered
    assert "Everything (6 questions)" in offered
    refused = client.post(f"/teach/classes/{room.id}/assignments/new", data={
        "quiz_id": str(private_quiz.id), "opens_at": "2020-01-01T09:00", "closes_at": "2099-01-01T09:00",
        "counting": "best"})
    assert refused.status_code in (400, 404)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_a_saved_quiz_can_be_set_to_a_class_from_its_card(app, tina, classroom, private_quiz):
    """After saving, the quizzes page offers each of the teacher's classes; the link opens the assign form
    with the quiz already chosen."""
    cards = page(tina.get(f"/teach/banks/{private_quiz.bank_id}/quizzes"))
    card = cards[cards.index(f'id="quiz-{private_quiz.id}"'):]
    link = f"/teach/classes/{classroom.id}/assignments/new?quiz_id={private_quiz.id}"
    assert "Set it to a class:" in card and link in card
    form = page(tina.get(link))
    assert f'<option selected value="{private_quiz.id}">' in form or f'value="{private_quiz.id}" selected' in form
    other = page(tina.get(f"/teach/classes/{classroom.id}/assignments/new?quiz_id=999999"))
    assert "selected" not in other.split('id="quiz_id"', 1)[1].split("</select>", 1)[0]
