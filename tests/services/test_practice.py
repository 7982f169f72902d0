"""Spaced practice on a real database: cards made and reviewed by every graded answer, the due queue, key
secrecy, answering and self-rating on the practice page, a key changed by a new version, and progress."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from fsrs import Rating, State
from sqlalchemy import func, select

from quizapp.domain import practice as rules
from quizapp.extensions import db
from quizapp.models import PracticeCard, PracticeDay, PracticeReview, Question, Quiz
from quizapp.services import attempts, practice
from quizapp.services.banks import loading
from tests.support.builders import assign, member, raw_for
from tests.support.fixtures import TINY_BANK

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def everything(tiny_bank) -> Quiz:
    return tiny_bank["everything"]


def _question(key: str) -> Question:
    return db.session.scalar(select(Question).where(Question.key == key))


def _take(user, quiz, answers: dict[str, object], at: datetime, seconds: float = 5.0):
    """Answer the quiz's questions (``answers`` by question key: right or wrong texts) ``seconds`` after each
    is shown, starting at ``at``; the attempt."""
    attempt = attempts.start_practice(user, quiz, rng=random.Random(1), now=at).attempt
    moment = at
    for item in list(attempt.items):
        if item.question.key not in answers:
            continue
        attempts.current_item(attempt, moment)
        moment += timedelta(seconds=seconds)
        texts = answers[item.question.key]
        if item.type == "true_false":
            raw = [texts.lower()]
        else:
            raw = raw_for(item, [texts] if isinstance(texts, str) else texts)
        attempts.record_answer(attempt, item.question_id, raw, now=moment)
    return attempt


def _card(user, key: str) -> PracticeCard | None:
    db.session.expire_all()
    return db.session.scalar(select(PracticeCard).where(PracticeCard.user_id == user.id,
                                                        PracticeCard.question_id == _question(key).id))


def test_a_first_graded_answer_makes_the_card_and_each_later_one_reviews_it(make_user, everything):
    ana = make_user("ana")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    _take(ana, everything, {"opened": "1901", "council": "False"}, start)
    opened, council = _card(ana, "opened"), _card(ana, "council")
    assert opened.reps == 1 and council.reps == 1
    assert _card(ana, "runner") is None  # not answered, no card
    reviews = db.session.scalars(select(PracticeReview).where(PracticeReview.user_id == ana.id)
                                 .order_by(PracticeReview.id)).all()
    assert [(r.source, Rating(r.rating), r.new_card) for r in reviews] == [
        ("quiz", Rating.Good, True), ("quiz", Rating.Again, True)]
    assert all(r.answer_id is not None for r in reviews)
    assert reviews[0].state_before is None and reviews[0].state_after == State.Learning
    _take(ana, everything, {"opened": "1901"}, start + timedelta(days=1))
    opened = _card(ana, "opened")
    assert opened.reps == 2 and opened.state == State.Review


def test_an_assignment_answer_reviews_the_card_but_the_question_is_not_offered_while_it_is_open(
        make_user, classroom, everything):
    ana = member(classroom, "ana")
    assignment = assign(classroom, everything)
    attempt = attempts.start_assignment_attempt(ana, assignment)
    item = attempt.items[0]
    attempts.record_answer(attempt, item.question_id, ["1"] if item.type != "true_false" else ["false"])
    card = _card(ana, item.question.key)
    assert card is not None and db.session.scalar(select(PracticeReview.source)) == "assignment"
    later = practice.queue(ana, PARIS, now=datetime.now(UTC) + timedelta(hours=1))
    assert later.due_today == 0 and later.items == [] and later.withheld == 1
    with pytest.raises(practice.KeyWithheld):
        practice.answer(ana, practice.Shown(ana.id, item.question_id, item.version, item.presentation,
                                            datetime.now(UTC), card.last_review, card.reps), ["1"])


def test_the_queue_is_most_overdue_first_mixed_and_within_the_daily_limit(make_user, everything):
    ana = make_user("ana")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    _take(ana, everything, {"opened": "1910", "council": "False", "runner": ["the mayor"]}, start)
    now = start + timedelta(days=3)
    due = practice.queue(ana, PARIS, now=now)
    # The cards due, most overdue first; then the text's questions never answered, within the new limit.
    assert [i.question.key for i in due.items[:3]] == ["opened", "council", "runner"]
    assert all(i.card is not None for i in due.items[:3]) and due.new_offered == 3
    assert {i.question.key for i in due.items[3:]} == {"cargo", "order", "blanks"}
    practice.set_limits(ana, new_per_day=1, reviews_per_day=2)
    limited = practice.queue(ana, PARIS, now=now)
    assert [i.card is not None for i in limited.items] == [True, True, False]


def test_practice_answers_review_the_card_and_a_self_rating_replaces_the_rating(make_user, everything):
    ana = make_user("ana")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    _take(ana, everything, {"opened": "1910"}, start)
    now = start + timedelta(days=1)
    item = practice.queue(ana, PARIS, now=now).items[0]
    shown = practice.show(ana, item, now=now, rng=random.Random(2))
    choices = shown.presentation["choices"]
    result = practice.answer(ana, shown, [str(choices.index("1901") + 1)], now=now + timedelta(seconds=4),
                             fuzzing=False)
    assert result.is_correct and result.review.source == "practice" and result.correct_answer == ["1901"]
    assert result.rating_name == "good"
    with pytest.raises(practice.AlreadyReviewed):
        practice.answer(ana, shown, ["1"], now=now + timedelta(seconds=6))
    rated = practice.rate(ana, result.review.id, "easy", now=now + timedelta(seconds=10), fuzzing=False)
    assert rated.review.source == "self" and Rating(rated.review.rating) == Rating.Easy
    expected = rules.review(rules.review(None, Rating.Again, now - timedelta(days=1) + timedelta(seconds=5),
                                         fuzzing=False), Rating.Easy, now + timedelta(seconds=4), fuzzing=False)
    assert _card(ana, "opened").due == expected.due
    assert db.session.scalar(select(func.count()).select_from(PracticeReview)) == 2


def test_a_new_version_keeps_the_card_unless_the_key_changed(make_user, everything, tmp_path):
    ana = make_user("ana")
    _take(ana, everything, {"opened": "1901", "council": "True"}, datetime(2026, 11, 2, 9, tzinfo=UTC))
    text = TINY_BANK.read_text()
    changed = (text.replace("prompt: When did the harbour open?", "prompt: In which year did the harbour open?")
               .replace("answer: true\n", "answer: false\n"))
    edited = tmp_path / "tiny.yaml"
    edited.write_text(changed)
    (tmp_path / "tiny.txt").write_text((TINY_BANK.parent / "tiny.txt").read_text())
    loading.load_files([edited])
    opened, council = _card(ana, "opened"), _card(ana, "council")
    assert _question("opened").version == 2 and opened.reps == 1 and opened.note == ""
    assert council.reps == 0 and council.stability is None and "changed" in council.note


def test_progress_counts_recall_per_part_seen_questions_forecast_and_streak(make_user, everything):
    ana = make_user("ana")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    _take(ana, everything, {"opened": "1901", "council": "True", "runner": ["town council"]}, start)
    _take(ana, everything, {"opened": "1901"}, start + timedelta(days=1))
    report = practice.progress(ana, PARIS, now=start + timedelta(days=1, hours=1))
    (bank, parts), = report.banks
    by_label = {p.part.label: p for p in parts}
    assert by_label["Key point 1"].seen == 1 and by_label["Key point 1"].questions == 1
    assert by_label["FAQ 1"].seen == 2 and by_label["FAQ 1"].questions == 2
    assert by_label["Key point 2"].recall is None and by_label["Key point 2"].seen == 0
    assert 0.9 < by_label["Key point 1"].recall <= 1
    assert report.streak == 2 and len(report.forecast) == 14 and report.cards == 3
    # Over time: nothing a week ago (no card yet), today's recall at the end.
    kp1 = by_label["Key point 1"]
    assert len(kp1.trend) == len(report.points) == practice.TREND_WEEKS + 1
    assert kp1.trend[0] is None and kp1.trend[-1] == kp1.recall


def test_the_class_report_counts_recall_overdue_students_and_forgotten_questions(classroom, everything):
    ana, ben = member(classroom, "ana"), member(classroom, "ben")
    start = datetime(2026, 10, 1, 9, tzinfo=UTC)
    for i, day in enumerate(range(0, 30, 3)):  # right, right, wrong: the card reaches review and is forgotten
        _take(ana, everything, {"opened": "1910" if i % 3 == 2 else "1901"}, start + timedelta(days=day))
        _take(ben, everything, {"opened": "1901", "council": "True"}, start + timedelta(days=day))
    now = start + timedelta(days=40)
    report = practice.class_practice(classroom, PARIS, now=now)
    (bank, parts), = report.banks
    kp1 = next(p for p in parts if p.part.label == "Key point 1")
    assert kp1.seen == 1 and len(kp1.trend) == practice.TREND_WEEKS + 1 and kp1.recall == kp1.trend[-1]
    assert all(value is not None for value in kp1.trend)
    # Each point: the cards' recall by the end of that school day, as they were then, replayed from the
    # reviews (each card's state then is the one after its last review before); today's, as they are now.
    today = rules.school_day(now, PARIS)
    days = [today - timedelta(days=7 * k) for k in range(practice.TREND_WEEKS, -1, -1)]
    assert report.points == [rules.day_start(day, PARIS) for day in days]
    cards = db.session.scalars(select(PracticeCard).join(Question).where(Question.key == "opened")).all()
    end = rules.day_end(today, PARIS)
    assert kp1.recall == pytest.approx(sum(rules.recall(c.stability, c.last_review, end) for c in cards) / 2)
    for day, value in zip(days, kp1.trend, strict=True):
        end = rules.day_end(day, PARIS)
        states = {}
        for r in db.session.scalars(select(PracticeReview).order_by(PracticeReview.reviewed_at)):
            if r.card.question.key == "opened" and r.reviewed_at <= end:
                states[r.card_id] = (r.stability_after, r.reviewed_at)
        assert value == pytest.approx(sum(rules.recall(s, at, end) for s, at in states.values()) / len(states))
    assert report.overdue[0].user.username == "ana"
    assert report.forgotten[0].question.key == "opened" and report.forgotten[0].lapses > 0


def test_a_practice_set_of_the_weakest_parts_is_assigned_to_the_class_and_listed_nowhere_else(
        classroom, everything):
    ana = member(classroom, "ana")
    start = datetime.now(UTC) - timedelta(days=20)
    _take(ana, everything, {"opened": "1901", "council": "False", "runner": ["the mayor"]}, start)
    _take(ana, everything, {"opened": "1901"}, start + timedelta(days=2))
    bank_id = everything.bank_id
    assignment = practice.assign_weakest(classroom, bank_id, PARIS)
    quiz = assignment.quiz
    assert quiz.sources == ["faq 1", "key_point 1"] and quiz.archived and quiz.title == "Practice: FAQ 1, Key point 1"
    assert assignment.attempts_allowed == 1 and assignment.classroom_id == classroom.id
    attempt = attempts.start_assignment_attempt(ana, assignment)
    assert {i.question.key for i in attempt.items} == {"opened", "council", "runner"}
    from quizapp.services.quizzes import bank_quiz_summaries, quiz_summaries
    assert quiz.id not in {s.quiz.id for s in quiz_summaries(ana)}
    assert quiz.id not in {s.quiz.id for s in bank_quiz_summaries([bank_id])}
    with pytest.raises(practice.Invalid):
        practice.assign_weakest(classroom, bank_id + 999, PARIS)


def test_a_question_withheld_by_an_assignment_is_offered_once_the_assignment_closes(classroom, everything):
    ana = member(classroom, "ana")
    _take(ana, everything, {"opened": "1910"}, datetime.now(UTC) - timedelta(days=2))
    closes = datetime.now(UTC) + timedelta(days=1)
    assign(classroom, everything, closes=closes)
    open_now = practice.queue(ana, PARIS)
    assert open_now.items == [] and open_now.withheld == 1 and open_now.due_today == 0
    after = practice.queue(ana, PARIS, now=closes + timedelta(minutes=1))
    assert after.items[0].question.key == "opened" and after.withheld == 0 and after.new_offered == 5


def test_due_today_ends_at_the_schools_midnight(make_user, everything):
    ana = make_user("ana")
    _take(ana, everything, {"opened": "1910"}, datetime(2026, 6, 1, 9, tzinfo=UTC))
    card = _card(ana, "opened")
    card.state, card.due = int(State.Review), datetime(2026, 6, 10, 22, 30, tzinfo=UTC)  # 00:30 on 11 June, Paris
    db.session.commit()
    late_evening = datetime(2026, 6, 10, 21, 59, tzinfo=UTC)  # 23:59 in Paris
    assert practice.queue(ana, PARIS, now=late_evening).due_today == 0
    assert practice.queue(ana, PARIS, now=late_evening).due_tomorrow == 1
    assert practice.queue(ana, ZoneInfo("UTC"), now=late_evening).due_today == 1  # before midnight in UTC
    after_midnight = datetime(2026, 6, 10, 22, 1, tzinfo=UTC)  # 00:01 in Paris
    due = [i.question.key for i in practice.queue(ana, PARIS, now=after_midnight).items if i.card is not None]
    assert due == ["opened"]
    # A practice answer at 23:59 counts towards that day's limit; at 00:01 the count starts again.
    item = practice.queue(ana, ZoneInfo("UTC"), now=late_evening).items[0]
    shown = practice.show(ana, item, now=late_evening - timedelta(seconds=5))
    practice.answer(ana, shown, ["1"], now=late_evening)
    assert practice.queue(ana, PARIS, now=late_evening).reviewed_today == 1
    assert practice.queue(ana, PARIS, now=after_midnight).reviewed_today == 0


def test_practising_a_key_point_offers_its_unseen_questions_within_the_daily_limit_of_new_ones(make_user, everything):
    ana = make_user("ana")
    _take(ana, everything, {"cargo": ["Timber", "Grain"]}, datetime(2026, 11, 2, 9, tzinfo=UTC))
    part_id = _question("cargo").source_part_id
    now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    offered = practice.queue(ana, PARIS, now=now, mode="part", part_id=part_id)
    assert [(i.question.key, i.card is not None) for i in offered.items] == [("cargo", True), ("order", False)]
    practice.set_limits(ana, new_per_day=0, reviews_per_day=100)
    assert [i.question.key for i in practice.queue(ana, PARIS, now=now, mode="part", part_id=part_id).items] == [
        "cargo"]
    assert practice.queue(ana, PARIS, now=now, mode="ahead").items == []  # due again in minutes: today
    _take(ana, everything, {"cargo": ["Timber", "Grain"]}, now)  # in review now, due in days
    ahead = practice.queue(ana, PARIS, now=now + timedelta(minutes=1), mode="ahead")
    assert [i.question.key for i in ahead.items] == ["cargo"] and ahead.due_today == 0


def test_a_slow_right_answer_is_hard_when_the_class_is_usually_faster(classroom, everything):
    students = [member(classroom, f"s{n}") for n in range(5)]
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    for student in students:
        _take(student, everything, {"opened": "1901"}, start, seconds=4)
    slow = member(classroom, "slow")
    _take(slow, everything, {"opened": "1901"}, start, seconds=30)
    review = db.session.scalar(select(PracticeReview).where(PracticeReview.user_id == slow.id))
    assert Rating(review.rating) == Rating.Hard and review.duration_ms == 30000
    assert practice.usual_seconds(slow.id, _question("opened").id) == 4


def test_two_answers_racing_for_a_new_card_make_one_card_and_keep_both_answers(make_user, everything):
    ana = make_user("ana")
    question = _question("opened")
    at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    first = practice.review_answer(ana.id, question.id, version=1, question_type_name=question.type,
                                   spec=question.spec, is_correct=True, seconds=3, at=at, source="quiz")
    # The second read no card; by the time it writes, the first has made it.
    lost = practice._store_review(ana.id, question.id, None, Rating.Good, at=at, source="quiz", version=1,
                                  fingerprint=practice.fingerprint(question.type, question.spec), seconds=3)
    assert first is not None and lost is None
    assert db.session.scalar(select(func.count()).select_from(PracticeCard)) == 1


def test_a_bank_with_practice_alone_is_archived_rather_than_deleted(make_user, teacher, own_bank):
    from quizapp.services.banks import managing

    ana = make_user("ana")
    question = own_bank.questions[0]
    practice.review_answer(ana.id, question.id, version=question.version, question_type_name=question.type,
                           spec=question.spec, is_correct=True, seconds=3, at=datetime.now(UTC), source="practice")
    assert managing.delete_bank(own_bank) is False and own_bank.archived
    assert db.session.scalar(select(func.count()).select_from(PracticeCard)) == 1


def test_the_stored_history_replays_to_the_cards_state_and_exports_for_the_optimizer(make_user, everything,
                                                                                      runner, tmp_path):
    import json

    from fsrs import ReviewLog

    ana = make_user("ana")
    start = datetime(2026, 9, 1, 9, tzinfo=UTC)
    for day, answer in ((0, "1901"), (1, "1901"), (5, "1910"), (6, "1901"), (20, "1901")):
        _take(ana, everything, {"opened": answer}, start + timedelta(days=day))
    card = _card(ana, "opened")
    replayed = practice.replay(card.id)
    assert (replayed.state, replayed.stability, replayed.difficulty) == (card.state, card.stability, card.difficulty)
    out = tmp_path / "reviews.jsonl"
    result = runner.invoke(args=["practice", "export-reviews", str(out)])
    assert result.exit_code == 0 and "wrote 5 reviews" in result.output
    logs = [ReviewLog.from_dict(json.loads(line)) for line in out.read_text().splitlines()]
    assert [(log.card_id, int(log.rating)) for log in logs] == [(card.id, 3), (card.id, 3), (card.id, 1),
                                                                  (card.id, 3), (card.id, 3)]
    assert logs[0].review_datetime == start + timedelta(seconds=5) and logs[0].review_duration == 5000


def test_a_practice_answers_feedback_is_held_back_once_an_assignment_can_ask_its_question(classroom, everything):
    ana = member(classroom, "ana")
    now = datetime.now(UTC)
    _take(ana, everything, {"opened": "1910"}, now - timedelta(days=2))
    item = next(i for i in practice.queue(ana, PARIS, now=now).items if i.question.key == "opened")
    result = practice.answer(ana, practice.show(ana, item, now=now - timedelta(seconds=3)), ["1"], now=now)
    assert practice.feedback(ana, result.review.id).correct_answer == ["1901"]
    assign(classroom, everything)
    with pytest.raises(practice.KeyWithheld):
        practice.feedback(ana, result.review.id)
    with pytest.raises(practice.KeyWithheld):
        practice.rate(ana, result.review.id, "easy")


def test_a_shown_question_is_answered_only_by_its_student_and_may_carry_their_own_rating(make_user, everything):
    ana, ben = make_user("ana"), make_user("ben")
    now = datetime(2026, 11, 3, 9, tzinfo=UTC)
    _take(ana, everything, {"opened": "1910"}, now - timedelta(days=1))
    item = practice.queue(ana, PARIS, now=now).items[0]
    token = practice.seal(practice.show(ana, item, now=now), "secret")
    shown = practice.unseal(token, "secret")
    with pytest.raises(practice.BadToken):
        practice.answer(ben, shown, ["1"], now=now + timedelta(seconds=3))
    with pytest.raises(practice.BadToken):
        practice.unseal(token[:-2] + "xx", "secret")
    with pytest.raises(practice.Invalid):
        practice.answer(ana, shown, ["1"], now=now + timedelta(seconds=3), rating_name="perfect")
    result = practice.answer(ana, shown, ["1"], now=now + timedelta(seconds=3), rating_name="hard")
    assert result.review.source == "self" and Rating(result.review.rating) == Rating.Hard
    assert db.session.scalar(select(func.count()).select_from(PracticeReview)) == 2


def test_a_key_point_of_a_teachers_bank_is_practised_only_by_students_it_reached(make_user, own_bank):
    ana, ben = make_user("ana"), make_user("ben")
    question = own_bank.questions[0]
    practice.review_answer(ana.id, question.id, version=question.version, question_type_name=question.type,
                           spec=question.spec, is_correct=True, seconds=3, at=datetime.now(UTC), source="assignment")
    assert practice.practice_part(ana, question.source_part_id).id == question.source_part_id
    with pytest.raises(practice.NotFound):
        practice.practice_part(ben, question.source_part_id)


def test_a_card_still_being_learnt_comes_back_when_due_not_straight_away(make_user, everything):
    ana = make_user("ana")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    _take(ana, everything, {"opened": "1910"}, start)  # Again: due in a few minutes
    due = _card(ana, "opened").due
    soon = practice.queue(ana, PARIS, now=due - practice.LEARN_AHEAD - timedelta(minutes=1))
    assert soon.due_today == 0 and soon.later_today == 1 and all(i.card is None for i in soon.items)
    ready = practice.queue(ana, PARIS, now=due - practice.LEARN_AHEAD + timedelta(minutes=1))
    assert ready.due_today == 1 and ready.items[0].question.key == "opened"


def test_a_class_reads_its_stored_days_with_the_same_numbers_as_counted(classroom, everything, runner):
    ana, ben = member(classroom, "ana"), member(classroom, "ben")
    start = datetime.now(UTC) - timedelta(days=35)
    for i, day in enumerate(range(0, 33, 4)):
        _take(ana, everything, {"opened": "1910" if i % 3 == 2 else "1901", "council": "True"},
              start + timedelta(days=day))
        _take(ben, everything, {"opened": "1901", "runner": ["the mayor"] if i % 2 else ["town council"]},
              start + timedelta(days=day))
    result = runner.invoke(args=["practice", "store-days"])
    assert result.exit_code == 0 and "stored 5 days for 1 class" in result.output, result.output
    assert runner.invoke(args=["practice", "store-days"]).output.startswith("stored 0 days")
    # Later the same day: ana answers again, ben meets a question for the first time.
    now = datetime.now(UTC) + timedelta(seconds=30)
    _take(ana, everything, {"opened": "1901"}, now - timedelta(seconds=20))
    _take(ben, everything, {"cargo": ["Coal"]}, now - timedelta(seconds=20))

    zone = ZoneInfo(current_app.config["TIMEZONE"])  # the school's, as the command counts days in

    def figures():
        db.session.expire_all()
        report = practice.class_practice(classroom, zone, now=now)
        return ([(p.part.label, p.seen, [None if v is None else round(v, 9) for v in p.trend])
                 for _bank, parts in report.banks for p in parts],
                [(q.question.key, q.lapses, q.reviews) for q in report.forgotten])

    stored = figures()
    db.session.execute(PracticeDay.__table__.delete())
    db.session.commit()
    assert figures() == stored
    trend = dict((label, values) for label, _seen, values in stored[0])
    assert trend["Key point 2"][:-1] == [None] * 4 and 0 < trend["Key point 2"][-1] < 0.9  # ben's new, wrong card


def test_a_teachers_bank_offers_a_student_only_the_questions_set_to_them(make_user, own_bank):
    ana = make_user("ana")
    question = own_bank.questions[0]
    practice.review_answer(ana.id, question.id, version=question.version, question_type_name=question.type,
                           spec=question.spec, is_correct=False, seconds=3, at=datetime.now(UTC) - timedelta(days=1),
                           source="assignment")
    due = practice.queue(ana, PARIS)
    assert [i.question.id for i in due.items] == [question.id]  # her card, none of the teacher's others
    part = practice.queue(ana, PARIS, mode="part", part_id=question.source_part_id)
    assert [i.question.id for i in part.items] == [question.id]


def test_an_answer_to_an_older_version_leaves_the_new_versions_card_alone(make_user, everything):
    ana = make_user("ana")
    question = _question("council")
    old_spec = dict(question.spec)
    _take(ana, everything, {"council": "True"}, datetime(2026, 11, 2, 9, tzinfo=UTC))
    card = _card(ana, "council")
    keys = {question.id: (2, practice.fingerprint(question.type, {**old_spec, "answer": False}))}
    assert practice.restart_cards(keys, at=datetime(2026, 11, 3, 9, tzinfo=UTC)) == 1
    db.session.commit()
    card = _card(ana, "council")
    assert card.question_version == 2 and card.stability is None and "changed" in card.note
    stale = practice.review_answer(ana.id, question.id, version=1, question_type_name=question.type, spec=old_spec,
                                   is_correct=True, seconds=3, at=datetime(2026, 11, 3, 10, tzinfo=UTC), source="quiz")
    assert stale is None and _card(ana, "council").stability is None


def test_an_answer_read_before_a_rating_of_ones_own_does_not_overwrite_it(make_user, everything):
    ana = make_user("ana")
    now = datetime.now(UTC)
    _take(ana, everything, {"opened": "1910"}, now - timedelta(days=1))
    item = next(i for i in practice.queue(ana, PARIS, now=now).items if i.question.key == "opened")
    result = practice.answer(ana, practice.show(ana, item, now=now - timedelta(seconds=4)), ["1"], now=now)
    question = _question("opened")
    known = practice.read(ana.id, question.id)  # an assignment's answer reads the card...
    practice.rate(ana, result.review.id, "easy", now=now + timedelta(seconds=2))  # ...she rates it meanwhile...
    late = practice.review_answer(ana.id, question.id, version=1, question_type_name=question.type,
                                  spec=question.spec, is_correct=True, seconds=3, at=now + timedelta(seconds=3),
                                  source="assignment", known=known)
    assert late is None  # ...and its review does not overwrite her rating
    assert _card(ana, "opened").due == practice.feedback(ana, result.review.id).card.due


def test_setting_the_same_practice_set_twice_gives_the_one_already_open(classroom, everything):
    ana = member(classroom, "ana")
    _take(ana, everything, {"opened": "1901", "council": "False"}, datetime.now(UTC) - timedelta(days=10))
    first = practice.assign_weakest(classroom, everything.bank_id, PARIS)
    again = practice.assign_weakest(classroom, everything.bank_id, PARIS)
    assert again.id == first.id


def test_several_questions_shown_at_once_are_timed_from_the_answer_before(make_user, everything):
    ana = make_user("ana")
    now = datetime.now(UTC)
    _take(ana, everything, {"opened": "1910", "council": "False"}, now - timedelta(days=1))
    first, second = [practice.show(ana, i, now=now) for i in practice.queue(ana, PARIS, now=now).items[:2]]
    practice.answer(ana, first, ["1"], now=now + timedelta(seconds=40))
    result = practice.answer(ana, second, ["true"] if second.presentation == {} else ["1"],
                             now=now + timedelta(seconds=45))
    assert result.review.duration_ms == 5000
