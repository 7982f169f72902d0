"""The answer key of a question never reaches the student before the answer is recorded, for each of the six
types, through the pages and the API: the question page, the API's question, the attempt. A quiz that
keeps its feedback for the end, and an assignment with attempts left, keep the key after the answer too.

Each question's key is a distinctive string (for choice types, whose right choice is necessarily shown,
the page and the API must carry no marker of which is right), and so are its explanation, its passage and
the key point it is drawn from, which can give the answer away.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import yaml
from sqlalchemy import select

from quizapp.domain.bank_format import parse_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Quiz, User, utcnow
from quizapp.services import attempts, users
from quizapp.services.banks import writing
from tests.support.api_client import bearer
from tests.support.builders import bank_around, member
from tests.support.pages import page, signed_in

TYPES = ["single_choice", "multiple_select", "true_false", "short_answer", "ordering", "cloze"]
CHOICES = ["Choice Amber", "Choice Birch", "Choice Cedar", "Choice Dune"]
ORDER = ["Item Kestrel", "Item Lapwing", "Item Merlin", "Item Nightjar"]
KEYS = {  # what only the key holds, never shown before the answer (choice types: see WRONG_ANSWER)
    "short_answer": ["Accepted Quokka", "Accepted Wombat"],
    "cloze": ["Blank Xylophone", "Blank Yodel", "Blank Zither"],
}


def entry(kind: str, **fields) -> dict:
    return {"id": kind.replace("_", "-"), "type": kind, "prompt": f"Prompt of the {kind} question?",
            "explanation": f"Explanation-secret-{kind}", "passage": f"Passage-secret-{kind}",
            "source": "key_point 1", "difficulty": 1, **fields}


def secrets(kind: str) -> list[str]:
    """What gives a question's key away, besides the choice texts."""
    return [f"Explanation-secret-{kind}", f"Passage-secret-{kind}", "Keypoint-secret", "Section-secret",
            *KEYS.get(kind, [])]


QUESTIONS = [
    entry("single_choice", choices=CHOICES, answer=CHOICES[1]),
    entry("multiple_select", choices=CHOICES, answers=[CHOICES[1], CHOICES[3]]),
    entry("true_false", answer=False),
    entry("short_answer", accepted=KEYS["short_answer"]),
    entry("ordering", items=ORDER),
    entry("cloze", prompt="Fill in the blanks.", text="Before {1} then {2}.",
          blanks=[KEYS["cloze"][:1], KEYS["cloze"][1:]]),
]
# A wrong answer of each type, as choice or item texts or typed words, so a shown answer is never the key.
WRONG = {"single_choice": [CHOICES[0]], "multiple_select": [CHOICES[0]], "true_false": "true",
         "short_answer": ["Guess"], "ordering": list(reversed(ORDER)), "cloze": ["Guess", "Guess"]}
# The keys of a question as the student's API view is allowed to have them.
QUESTION_VIEW = {"question_id", "position", "total", "type", "type_label", "prompt", "points", "choices",
                 "multiple", "scoring", "items", "segments", "blanks"}
MARKERS = re.compile(r"correct|verdict|checked|selected|data-key|answer-key|aria-checked", re.IGNORECASE)


@pytest.fixture
def bank(app):
    """A bundled bank of one question of each type, with three quizzes of all six, shuffled: feedback after
    each, feedback at the end, and one to assign."""
    document = yaml.safe_load(bank_around(QUESTIONS, {
        "title": "Secrets", "sections": [{"number": 1, "title": "Section-secret"}],
        "key_points": [{"number": 1, "text": "Keypoint-secret"}]}))
    document["quizzes"] = [{"id": "after-each", "title": "After each"},
                           {"id": "at-end", "title": "At the end", "feedback": "at_end"},
                           {"id": "assigned", "title": "Assigned"}]
    writing.store(None, parse_bank(yaml.safe_dump(document), "secrets.yaml"))
    bank = db.session.scalar(select(Bank).where(Bank.key == "imported"))
    return {q.key: q for q in db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id))}


def assert_no_key(text: str, kind: str, where: str, markers: bool = True) -> None:
    leaked = [s for s in secrets(kind) if s in text]
    assert not leaked, f"{where}: the {kind} question's key is given away by {leaked}"
    if markers:
        # The HTML or JSON around the question marks no choice as the right one.
        found = MARKERS.findall(text)
        assert not found, f"{where}: {kind}: {found}"


def shown_order(text: str) -> list[str]:
    """The ordering items in the order a page or JSON first lists them."""
    return sorted(ORDER, key=text.index)


def item_of(attempt_id: int, question_id: int):
    return next(i for i in db.session.get(Attempt, attempt_id).items if i.question_id == question_id)


def raw_wrong(item) -> list[str]:
    wrong = WRONG[item.type]
    shown = item.presentation.get("choices") or item.presentation.get("items")
    if item.type == "true_false":
        return [wrong]
    return [str(shown.index(t) + 1) for t in wrong] if shown else list(wrong)


def question_page(client, attempt_id: int):
    text = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    question_id = int(re.search(r'name="question_id" type="hidden" value="(\d+)"', text).group(1))
    return text, item_of(attempt_id, question_id)


def check_question_page(text: str, item) -> None:
    """The form: no key, no marker; no explanation, passage or source; an ordering not in its order."""
    start = text.index('<form method="post" action="/attempts/')
    form = text[start:text.index("</form>", start)]
    assert_no_key(text, item.type, "question page", markers=False)
    assert_no_key(form, item.type, "question form")
    if item.type == "ordering":
        assert shown_order(form) != ORDER


def check_api_question(question: dict, item) -> None:
    assert set(question) <= QUESTION_VIEW, f"the API's question carries {set(question) - QUESTION_VIEW}"
    text = json.dumps(question)
    assert_no_key(text, item.type, "API question")
    if item.type == "ordering":
        assert [i["text"] for i in question["items"]] != ORDER


def api_token(username: str) -> dict:
    user = db.session.scalar(select(User).where(User.username == username))
    return bearer(users.issue_token(user, timedelta(hours=1))[0])


def check_attempt_json(client, attempt_id: int, headers: dict) -> None:
    body = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()
    for kind in TYPES:
        assert_no_key(json.dumps(body), kind, "API attempt")


# --- before the answer: every quiz, every type, pages and API ---------------------------------------


@pytest.mark.parametrize("quiz_key", ["after-each", "at-end"])
def test_the_question_page_gives_no_key_before_the_answer(app, bank, make_user, quiz_key):
    make_user("ana")
    ana = signed_in(app, "ana")
    started = ana.post(f"/quizzes/{bank[quiz_key].id}/start")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    seen = set()
    for _ in TYPES:
        text, item = question_page(ana, attempt_id)
        check_question_page(text, item)
        # A reload shows the same question, still without its key.
        again, _ = question_page(ana, attempt_id)
        check_question_page(again, item)
        seen.add(item.type)
        answered = ana.post(f"/attempts/{attempt_id}/answer",
                            data={"question_id": item.question_id, "response": raw_wrong(item)})
        assert answered.status_code == 302
        if quiz_key == "at-end":
            # Saved, and nothing said about it: the next page is the next question (or the end).
            assert answered.headers["Location"] == f"/attempts/{attempt_id}"
            after = ana.get(f"/attempts/{attempt_id}/feedback/{item.position}")
            assert after.status_code == 302 and after.headers["Location"] == f"/attempts/{attempt_id}"
            for kind in TYPES:
                assert_no_key(ana.get("/history").get_data(as_text=True), kind, "history")
    assert seen == set(TYPES)
    if quiz_key == "at-end":
        done = ana.get(f"/attempts/{attempt_id}").get_data(as_text=True)
        assert "All questions answered" in done
        for kind in TYPES:
            assert_no_key(done, kind, "all answered")


@pytest.mark.parametrize("quiz_key", ["after-each", "at-end"])
def test_the_api_gives_no_key_before_the_answer(app, bank, make_user, quiz_key):
    make_user("ana")
    headers = api_token("ana")
    client = app.test_client()
    attempt = client.post(f"/api/v1/quizzes/{bank[quiz_key].id}/attempts", headers=headers).get_json()
    assert_no_key(json.dumps(attempt), "cloze", "API start")
    seen = set()
    while (question := client.get(f"/api/v1/attempts/{attempt['id']}/question",
                                  headers=headers).get_json()["question"]) is not None:
        item = item_of(attempt["id"], question["question_id"])
        check_api_question(question, item)
        check_attempt_json(client, attempt["id"], headers)
        seen.add(item.type)
        response = client.post(f"/api/v1/attempts/{attempt['id']}/answers", headers=headers,
                               json={"question_id": item.question_id, "response": raw_wrong(item)})
        assert response.status_code == 201
        if quiz_key == "at-end":
            held = response.get_json()
            assert set(held) == {"question_id", "position", "total", "response", "seconds", "feedback"}
            assert_no_key(json.dumps(held), item.type, "API answer held for the end", markers=False)
            check_attempt_json(client, attempt["id"], headers)
            refused = client.get(f"/api/v1/attempts/{attempt['id']}/result", headers=headers)
            assert refused.status_code == 409
            assert_no_key(refused.get_data(as_text=True), item.type, "API result before the end")
    assert seen == set(TYPES)
    # Once finished, the key is shown: the test above would catch nothing if it never were.
    result = client.post(f"/api/v1/attempts/{attempt['id']}/finish", headers=headers).get_json()
    text = json.dumps(result)
    assert all(s in text for s in KEYS["short_answer"][:1] + KEYS["cloze"][:1] + ["Explanation-secret-ordering"])


# --- after the answer, with attempts left at an assignment ---------------------------------------------


@pytest.fixture
def assignment(bank, teacher, classroom):
    from quizapp.services import classrooms

    member(classroom, "ana")
    now = utcnow()
    return classrooms.create_assignment(classroom, bank["assigned"], now - timedelta(days=1),
                                        now + timedelta(days=1), None, 2)


def test_with_attempts_left_the_pages_keep_the_key_after_the_answer(app, assignment):
    ana = signed_in(app, "ana")
    started = ana.post(f"/assignments/{assignment.id}/start")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    for _ in TYPES:
        text, item = question_page(ana, attempt_id)
        check_question_page(text, item)
        answered = ana.post(f"/attempts/{attempt_id}/answer",
                            data={"question_id": item.question_id, "response": raw_wrong(item)})
        feedback = page(ana.get(answered.headers["Location"]))
        assert "Correct answer" not in feedback and "once it closes" in feedback
        assert_no_key(feedback, item.type, "feedback with attempts left", markers=False)
        if item.type == "ordering":  # the answer shown is the student's, not the key
            assert shown_order(feedback[feedback.index("Your answer"):]) != ORDER
    ana.post(f"/attempts/{attempt_id}/finish")
    results = page(ana.get(f"/attempts/{attempt_id}/results"))
    assert "Correct answer" not in results and "once it closes" in results
    for kind in TYPES:
        assert_no_key(results, kind, "results with attempts left", markers=False)
    # The last attempt allowed shows the key: so the checks above are about the rule, not a broken page.
    second = int(ana.post(f"/assignments/{assignment.id}/start").headers["Location"].rsplit("/", 1)[1])
    ana.post(f"/attempts/{second}/finish")
    assert "Explanation-secret-cloze" in page(ana.get(f"/attempts/{attempt_id}/results"))


def test_with_attempts_left_the_api_keeps_the_key_after_the_answer(app, assignment):
    headers = api_token("ana")
    client = app.test_client()
    attempt = client.post(f"/api/v1/assignments/{assignment.id}/attempts", headers=headers).get_json()
    while (question := client.get(f"/api/v1/attempts/{attempt['id']}/question",
                                  headers=headers).get_json()["question"]) is not None:
        item = item_of(attempt["id"], question["question_id"])
        check_api_question(question, item)
        feedback = client.post(f"/api/v1/attempts/{attempt['id']}/answers", headers=headers,
                               json={"question_id": item.question_id, "response": raw_wrong(item)}).get_json()
        assert feedback["key_withheld"] is True and feedback["correct_answer"] is None
        assert_no_key(json.dumps(feedback), item.type, "API feedback with attempts left", markers=False)
        check_attempt_json(client, attempt["id"], headers)
    result = client.post(f"/api/v1/attempts/{attempt['id']}/finish", headers=headers).get_json()
    assert result["key_withheld"] is True
    for kind in TYPES:
        assert_no_key(json.dumps(result), kind, "API result with attempts left", markers=False)
    again = client.get(f"/api/v1/attempts/{attempt['id']}/result", headers=headers).get_json()
    assert again == result | {"seconds": again["seconds"]}


def test_the_key_stays_hidden_on_a_class_page_and_leaderboard_with_attempts_left(app, assignment):
    """The pages around an assignment (the class, its leaderboards) show no question at all."""
    ana = signed_in(app, "ana")
    attempt_id = int(ana.post(f"/assignments/{assignment.id}/start").headers["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    for item in attempt.items:
        attempts.record_answer(attempt, item.question_id, raw_wrong(item))
    attempts.finish_attempt(attempt)
    for path in ("/classes", f"/classes/{assignment.classroom_id}", f"/classes/{assignment.classroom_id}/leaderboard",
                 f"/assignments/{assignment.id}/leaderboard", "/history"):
        text = page(ana.get(path))
        for kind in TYPES:
            assert_no_key(text, kind, path, markers=False)
    # Mastery names the key point by its label alone until the key may be seen: after the last attempt.
    assert "Key point 1" in page(ana.get(f"/classes/{assignment.classroom_id}"))
    second = int(ana.post(f"/assignments/{assignment.id}/start").headers["Location"].rsplit("/", 1)[1])
    ana.post(f"/attempts/{second}/finish")
    assert "Keypoint-secret" in page(ana.get(f"/classes/{assignment.classroom_id}"))
