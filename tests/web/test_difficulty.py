"""Correcting a question's difficulty from an assignment's item statistics.

The domain rule (``suggested_difficulty``): 1 (easy) from 75% of points earned, 2 from 40%, 3 (hard) below,
and nothing below the attempts the statistics need. The page: the difficulty as set, and where the answers
suggest another a sentence saying so, with a button for the owner of the question's bank only. Changing it is
filing: the question keeps its version, key and answers.

The class of five in test_statistics_web.py takes "Everything" from the teacher's copy of the tiny bank:
opened (set 1, all right: agrees), cargo (set 2, all right: suggests 1), council (set 1, all right: agrees),
runner (set 1, 40% right: suggests 2), order (set 3, all right: suggests 1), blanks (set 2, 60%: agrees).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.domain.statistics import (
    EASY_DIFFICULTY_FACILITY,
    MEDIUM_DIFFICULTY_FACILITY,
    MIN_ATTEMPTS_FOR_FLAGS,
    AttemptRecord,
    ItemStats,
    QuestionInfo,
    analyse_items,
    suggested_difficulty,
)
from quizapp.extensions import db
from quizapp.models import Answer, Question, Quiz, Role
from quizapp.services import difficulty
from quizapp.services.banks import sharing
from tests.support import PASSWORD
from tests.support.api_client import Student, basic, bearer
from tests.support.pages import signed_in
from tests.web.test_statistics_web import _class_takes, _question, words

# --- the rule -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("facility", "expected"), [
    (1.0, 1), (0.75, 1), (0.7499, 2), (0.5, 2), (0.40, 2), (0.3999, 3), (0.0, 3)])
def test_the_suggestion_follows_the_facility_thresholds(facility, expected):
    assert suggested_difficulty(facility, MIN_ATTEMPTS_FOR_FLAGS) == expected


def test_the_thresholds_are_the_documented_ones():
    assert (EASY_DIFFICULTY_FACILITY, MEDIUM_DIFFICULTY_FACILITY) == (0.75, 0.40)


@pytest.mark.parametrize("attempts", [0, 1, MIN_ATTEMPTS_FOR_FLAGS - 1])
def test_no_suggestion_below_the_attempts_the_statistics_need(attempts):
    assert suggested_difficulty(0.1, attempts) is None
    assert suggested_difficulty(1.0, attempts) is None


def test_no_suggestion_without_a_facility():
    assert suggested_difficulty(None, 100) is None


def test_item_stats_carry_the_suggestion_from_the_minimum_on():
    def item(attempts: int, facility: float) -> ItemStats:
        return ItemStats(1, attempts, facility, None, None, {}, ())

    assert item(MIN_ATTEMPTS_FOR_FLAGS - 1, 0.2).suggested_difficulty is None
    assert item(MIN_ATTEMPTS_FOR_FLAGS, 0.2).suggested_difficulty == 3
    assert item(MIN_ATTEMPTS_FOR_FLAGS, 0.6).suggested_difficulty == 2
    # Measured over the attempts that asked the question, as its facility is.
    records = [AttemptRecord(n, n, 1, 2, {1: 1.0, 2: 0.0} if n <= 2 else {1: 1.0}, {}) for n in range(1, 7)]
    always, twice = analyse_items(records, [QuestionInfo(1), QuestionInfo(2)])
    assert always.suggested_difficulty == 1 and twice.suggested_difficulty is None


# --- the page -------------------------------------------------------------------------------------


@pytest.fixture
def own_quiz(teacher, tiny_bank):
    """"Everything" from the teacher's copy of the tiny bank, hers to change."""
    copy = sharing.copy_bank(tiny_bank["everything"].bank, teacher)
    return db.session.scalar(select(Quiz).where(Quiz.bank_id == copy.id, Quiz.key == "everything"))


def _difficulties(quiz) -> dict[str, tuple[int, int]]:
    """(difficulty, version) of each question of the quiz's bank, by key."""
    db.session.expire_all()
    return {q.key: (q.difficulty, q.version) for q in db.session.scalars(
        select(Question).where(Question.bank_id == quiz.bank_id))}


def _answers() -> list[tuple]:
    return db.session.execute(select(Answer.id, Answer.question_id, Answer.question_version, Answer.score,
                                     Answer.response).order_by(Answer.id)).all()


def test_the_owner_reads_the_suggestion_with_a_button_for_each_and_for_all(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    text = words(signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}"))
    assert "Set as 1 (easy); the class scored 40% on it, which suggests 2. Set difficulty to 2" in text  # runner
    assert "Set as 2; the class scored 100% on it, which suggests 1 (easy). Set difficulty to 1" in text  # cargo
    assert "Set as 3 (hard); the class scored 100% on it, which suggests 1 (easy). Set difficulty to 1" in text  # order
    assert text.count("Set difficulty to") == 3, "none where the answers agree with the difficulty set"
    # Each button says which question it sets, so a screen reader's list of buttons tells them apart.
    assert len(set(re.findall(r"Set difficulty to \d for question \d+", text))) == 3
    assert "Correct the difficulty of 3 questions" in text
    assert text.index("Correct the difficulty of 3 questions") < text.index("Per question: facility is the share")


def test_too_few_attempts_suggest_nothing(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz, ["ana", "ben"])
    text = words(signed_in(app, "tina").get(f"/teach/assignments/{assignment.id}"))
    assert "which suggests" not in text and "Set difficulty to" not in text
    assert "Correct the difficulty" not in text
    assert "1 (easy)" in text and "3 (hard)" in text, "the difficulty as set is shown even so"


def test_a_bundled_bank_gets_the_sentence_and_no_button(app, classroom, tiny_bank):
    bundled = _class_takes(classroom, tiny_bank["everything"])
    text = words(signed_in(app, "tina").get(f"/teach/assignments/{bundled.id}"))
    assert "Set as 1 (easy); the class scored 40% on it, which suggests 2." in text
    assert "Its bank ships with the app and cannot be changed here" in text
    assert "Set difficulty to" not in text and "Correct the difficulty" not in text


def test_a_bank_shared_with_the_teacher_gets_the_sentence_and_no_button(app, make_user, classroom, tiny_bank):
    """Another teacher's bank, shared with tina: hers to use, not to change."""
    otto = make_user("otto", role=Role.TEACHER)
    copy = sharing.copy_bank(tiny_bank["everything"].bank, otto)
    sharing.share_bank(copy, "tina")
    shared_quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == copy.id, Quiz.key == "everything"))
    shared = _class_takes(classroom, shared_quiz)
    text = words(signed_in(app, "tina").get(f"/teach/assignments/{shared.id}"))
    assert "which suggests 2." in text and "only its owner can change it" in text
    assert "Set difficulty to" not in text and "Correct the difficulty" not in text


def test_setting_the_difficulty_is_filing_no_new_version_nor_changed_answers(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    runner = _question(own_quiz, "runner")
    before, answers = _difficulties(own_quiz), _answers()
    spec = dict(runner.spec)
    client = signed_in(app, "tina")
    response = client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/difficulty",
                           data={"difficulty": "2"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teach/assignments/{assignment.id}#item-{runner.id}")
    after = _difficulties(own_quiz)
    assert after["runner"] == (2, before["runner"][1]), "the difficulty changed, the version did not"
    assert {k: v for k, v in after.items() if k != "runner"} == {k: v for k, v in before.items() if k != "runner"}
    assert db.session.get(Question, runner.id).spec == spec
    assert _answers() == answers
    text = words(client.get(f"/teach/assignments/{assignment.id}"))
    assert "Changed the difficulty of 1 question: question runner from 1 (easy) to 2." in text
    assert "Set difficulty to 2" not in text and "Correct the difficulty of 2 questions" in text


def test_a_difficulty_off_the_scale_or_without_the_token_changes_nothing(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    runner = _question(own_quiz, "runner")
    before = _difficulties(own_quiz)
    client = signed_in(app, "tina")
    for sent in ({"difficulty": "4"}, {"difficulty": "0"}, {"difficulty": "easy"}, {}):
        response = client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/difficulty", data=sent)
        assert response.status_code == 302
    assert _difficulties(own_quiz) == before
    assert "That difficulty could not be read" in words(client.get(f"/teach/assignments/{assignment.id}"))
    with pytest.raises(difficulty.CannotChangeDifficulty):
        difficulty.set_difficulty(classroom.teacher, db.session.get(Question, runner.id), 5)
    assert _difficulties(own_quiz) == before


def test_only_the_classs_teacher_and_the_banks_owner_may_change_it(app, make_user, classroom, own_quiz, tiny_bank):
    assignment = _class_takes(classroom, own_quiz)
    make_user("otto", role=Role.TEACHER)
    runner = _question(own_quiz, "runner")
    before = _difficulties(own_quiz)
    one = f"/teach/assignments/{assignment.id}/questions/{runner.id}/difficulty"
    every = f"/teach/assignments/{assignment.id}/difficulty"
    for url in (one, every):
        assert signed_in(app, "otto").post(url, data={"difficulty": "2"}).status_code == 404
        assert signed_in(app, "ben").post(url, data={"difficulty": "2"}).status_code == 403
        assert app.test_client().post(url, data={"difficulty": "2"}).status_code == 302  # to sign in
    # A question the assignment did not ask is not to be reached through it.
    bundled = db.session.scalar(select(Question).where(Question.bank_id == tiny_bank["everything"].bank_id,
                                                       Question.key == "runner"))
    other = f"/teach/assignments/{assignment.id}/questions/{bundled.id}/difficulty"
    assert signed_in(app, "tina").post(other, data={"difficulty": "2"}).status_code == 404
    assert _difficulties(own_quiz) == before


def test_the_teacher_is_told_why_a_bundled_question_stays_as_it_is(app, classroom, tiny_bank):
    assignment = _class_takes(classroom, tiny_bank["everything"])
    runner = _question(tiny_bank["everything"], "runner")
    client = signed_in(app, "tina")
    response = client.post(f"/teach/assignments/{assignment.id}/questions/{runner.id}/difficulty",
                           data={"difficulty": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, runner.id).difficulty == 1
    assert "cannot be changed. Its bank ships with the app" in words(client.get(f"/teach/assignments/{assignment.id}"))


def test_the_bulk_button_corrects_every_suggestion_at_once(app, classroom, own_quiz):
    assignment = _class_takes(classroom, own_quiz)
    before, answers = _difficulties(own_quiz), _answers()
    client = signed_in(app, "tina")
    response = client.post(f"/teach/assignments/{assignment.id}/difficulty")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/teach/assignments/{assignment.id}#questions")
    after = _difficulties(own_quiz)
    versions = {key: version for key, (_, version) in before.items()}
    assert after == {**before, "cargo": (1, versions["cargo"]), "runner": (2, versions["runner"]),
                     "order": (1, versions["order"])}
    assert _answers() == answers
    text = words(client.get(f"/teach/assignments/{assignment.id}"))
    assert ("Changed the difficulty of 3 questions: question cargo from 2 to 1 (easy); question runner from "
            "1 (easy) to 2; question order from 3 (hard) to 1 (easy).") in text
    assert "Set difficulty to" not in text and "Correct the difficulty" not in text
    # Sent again (a second tab), it finds nothing left to change.
    client.post(f"/teach/assignments/{assignment.id}/difficulty")
    assert "No difficulty needed changing" in words(client.get(f"/teach/assignments/{assignment.id}"))


def test_the_bulk_button_leaves_banks_the_teacher_cannot_change(app, classroom, tiny_bank):
    assignment = _class_takes(classroom, tiny_bank["everything"])
    before = _difficulties(tiny_bank["everything"])
    signed_in(app, "tina").post(f"/teach/assignments/{assignment.id}/difficulty")
    assert _difficulties(tiny_bank["everything"]) == before


def test_a_failed_change_is_rolled_back(app, classroom, own_quiz):
    _class_takes(classroom, own_quiz)
    cargo, runner = _question(own_quiz, "cargo"), _question(own_quiz, "runner")
    before = _difficulties(own_quiz)
    with pytest.raises(difficulty.CannotChangeDifficulty):
        difficulty.correct_difficulties(classroom.teacher, [(cargo, 1), (runner, 7)])
    assert _difficulties(own_quiz) == before


# --- the API --------------------------------------------------------------------------------------


def test_the_api_statistics_carry_the_difficulty_and_the_suggestion(app, classroom, own_quiz, api, spec):
    assignment = _class_takes(classroom, own_quiz)
    token = api.post("/tokens", headers=basic("tina", PASSWORD)).get_json()["token"]
    statistics = Student(api, bearer(token)).get(f"/assignments/{assignment.id}/statistics").get_json()
    got = {q["question_id"]: (q["difficulty"], q["suggested_difficulty"]) for q in statistics["questions"]}
    assert got == {"opened": (1, 1), "cargo": (2, 1), "council": (1, 1), "runner": (1, 2), "order": (3, 1),
                   "blanks": (2, 2)}


def test_the_api_suggests_nothing_below_the_attempts_needed(app, classroom, own_quiz, api, spec):
    few = _class_takes(classroom, own_quiz, ["ana", "ben"])
    token = api.post("/tokens", headers=basic("tina", PASSWORD)).get_json()["token"]
    statistics = Student(api, bearer(token)).get(f"/assignments/{few.id}/statistics").get_json()
    assert {q["suggested_difficulty"] for q in statistics["questions"]} == {None}
    assert {q["difficulty"] for q in statistics["questions"]} == {1, 2, 3}


def test_the_openapi_document_describes_the_difficulty_fields(spec):
    item = spec.document["components"]["schemas"]["Statistics"]["properties"]["questions"]["items"]
    assert {"difficulty", "suggested_difficulty"} <= set(item["required"])
    assert item["properties"]["difficulty"]["enum"] == [1, 2, 3]
    assert item["properties"]["suggested_difficulty"]["enum"] == [1, 2, 3, None]
