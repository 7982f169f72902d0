"""The results page leads with the score, says what to revise by part of the text, shows the mistakes
alone on request, and starts a practice attempt of just those mistakes; a good result is cheered."""

from __future__ import annotations

import re

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services import attempts
from tests.support.builders import assign, member, raw_for
from tests.support.pages import page, signed_in
from tests.web.test_quiz_flow import RIGHT

WRONG = {"opened": ["1910"], "cargo": ["Coal"], "council": "false", "runner": ["the mayor"],
         "order": ["Salt", "Grain", "Timber"], "blanks": ["1899", "stone"]}


def _finish(student, quiz, right: set[str]) -> Attempt:
    """An attempt at ``quiz`` with the questions whose ids are in ``right`` answered right, the rest wrong."""
    attempt = attempts.start_attempt(student, quiz)
    for item in attempt.items:
        key = item.question.key
        response = raw_for(item, (RIGHT if key in right else WRONG)[key])
        attempts.record_answer(attempt, item.question_id, response)
    return attempts.finish_attempt(attempt)


def test_the_score_leads_and_the_weakest_part_comes_first(client, student, tiny_bank):
    attempt = _finish(student, tiny_bank["everything"], right={"opened", "council", "runner"})
    html = page(client.get(f"/attempts/{attempt.id}/results"))
    assert html.index('id="percentage"') < html.index("What to revise") < html.index('id="review"')
    table = html[html.index("What to revise"):html.index('id="review"')]
    labels = re.findall(r"<span class=\"part\">([^<]+)</span>", table)
    assert labels[0].startswith("Key point 2") and labels[-1].startswith(("Key point 1", "FAQ 1"))


def test_mistakes_only_shows_just_the_questions_not_right(client, student, tiny_bank):
    attempt = _finish(student, tiny_bank["everything"], right={"opened", "council", "runner"})
    everything = page(client.get(f"/attempts/{attempt.id}/results"))
    mistakes = page(client.get(f"/attempts/{attempt.id}/results?show=mistakes"))
    assert everything.count('<li value="') == 6 and mistakes.count('<li value="') == 3
    assert "When did the harbour open?" in everything and "When did the harbour open?" not in mistakes
    assert "Show every question" in mistakes and "Show mistakes only" in everything


def test_practise_my_mistakes_asks_just_those_questions(client, student, tiny_bank):
    attempt = _finish(student, tiny_bank["everything"], right={"opened", "council", "runner"})
    wrong = set(attempts.mistakes(attempt))
    assert len(wrong) == 3
    html = page(client.get(f"/attempts/{attempt.id}/results"))
    assert "Practise my 3 mistakes" in html
    response = client.post(f"/attempts/{attempt.id}/mistakes")
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert {i.question_id for i in db.session.get(Attempt, new_id).items} == wrong


def test_a_perfect_attempt_is_cheered_and_has_no_mistakes_to_practise(client, student, tiny_bank):
    attempt = _finish(student, tiny_bank["everything"],
                      right={"opened", "cargo", "council", "runner", "order", "blanks"})
    html = page(client.get(f"/attempts/{attempt.id}/results"))
    assert 'class="score-card great"' in html and "Perfect!" in html
    assert "Practise my" not in html and "Show mistakes only" not in html
    response = client.post(f"/attempts/{attempt.id}/mistakes")
    assert response.status_code == 302 and response.headers["Location"].endswith("/results")


def test_mistakes_of_someone_elses_or_an_unfinished_attempt_are_refused(client, student, tiny_bank, make_user):
    other = _finish(make_user("otto"), tiny_bank["everything"], right=set())
    assert client.post(f"/attempts/{other.id}/mistakes").status_code == 403
    unfinished = attempts.start_attempt(student, tiny_bank["two-grain"])
    assert client.post(f"/attempts/{unfinished.id}/mistakes").status_code == 404
    assert db.session.query(Attempt).count() == 2


def test_no_mistakes_practice_while_the_quiz_is_set_to_the_class(app, classroom, tiny_bank):
    """The assignment is still open: practising its questions would show their keys."""
    from tests.support.builders import assign, member
    from tests.support.pages import signed_in

    assignment = assign(classroom, tiny_bank["everything"])
    ana = member(classroom, "ana")
    attempt = attempts.start_assignment_attempt(ana, assignment)
    attempts.finish_attempt(attempt)
    client = signed_in(app, "ana")
    assert "Practise my" not in page(client.get(f"/attempts/{attempt.id}/results"))
    response = client.post(f"/attempts/{attempt.id}/mistakes")
    assert response.headers["Location"] == f"/attempts/{attempt.id}/results"
    assert "set to your class" in page(client.get(response.headers["Location"]))
    assert db.session.query(Attempt).count() == 1


def _cloze_first(student, quiz, blanks: list[str]) -> Attempt:
    attempt = attempts.start_attempt(student, quiz)
    item = next(i for i in attempt.items if i.question.key == "blanks")
    attempts.record_answer(attempt, item.question_id, blanks)
    return attempt


def _filled(html: str) -> str:
    start = html.index('<p class="cloze filled">')
    return html[start:html.index("</p>", start)]


def test_feedback_on_a_cloze_fills_the_sentence_in_and_marks_each_blank(client, student, tiny_bank):
    """The sentence as the text has it, with the student's words in the blanks: a right one marked right,
    a wrong one marked wrong and followed by the text's word ("The harbour opened in {1} and ships
    unload {2}.")."""
    attempt = _cloze_first(student, tiny_bank["everything"], ["1901", "stone"])
    position = next(i.position for i in attempt.items if i.question.key == "blanks")
    sentence = _filled(page(client.get(f"/attempts/{attempt.id}/feedback/{position}")))
    words = re.sub(r"<[^>]+>", "", sentence)
    assert re.sub(r"\s+", " ", words).strip() == (
        "The harbour opened in ✓1901 (right) and ships unload ✗stone (wrong) the text says timber.")
    assert 'class="filled-blank right"' in sentence and 'class="filled-blank wrong"' in sentence


def test_the_results_review_fills_the_cloze_sentence_in_too(client, student, tiny_bank):
    attempt = _cloze_first(student, tiny_bank["everything"], ["1899", "Wood"])
    attempts.finish_attempt(attempt)
    sentence = _filled(page(client.get(f"/attempts/{attempt.id}/results")))
    assert "✗1899" in re.sub(r"<[^>]+>", "", sentence) and "✓Wood" in re.sub(r"<[^>]+>", "", sentence)


def test_no_sentence_is_filled_in_while_the_key_is_withheld(app, classroom, tiny_bank):
    """Marking each blank right or wrong, or giving the text's word, would tell the key."""
    assignment = assign(classroom, tiny_bank["everything"], attempts_allowed=2)
    ana = member(classroom, "ana")
    client = signed_in(app, "ana")
    attempt = attempts.start_assignment_attempt(ana, assignment)
    item = next(i for i in attempt.items if i.question.key == "blanks")
    attempts.record_answer(attempt, item.question_id, ["1901", "stone"])
    feedback = page(client.get(f"/attempts/{attempt.id}/feedback/{item.position}"))
    assert "Wrong" in feedback or "Partly right" in feedback
    assert "cloze filled" not in feedback and "timber" not in feedback
