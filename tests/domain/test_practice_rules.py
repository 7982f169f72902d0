"""The spaced-practice rules: the scheduler gives the ``fsrs`` package's own due dates (fixed clock, no
fuzzing), graded answers map to ratings, times reach it in the one zone it takes, and school days end at
the school's midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating, Scheduler, State

from quizapp.domain import practice as rules

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
AGAIN, HARD, GOOD, EASY = Rating.Again, Rating.Hard, Rating.Good, Rating.Easy


def _package(ratings: list[tuple[Rating, timedelta]]) -> list[datetime]:
    """Due dates from the package itself, each review at the previous due date plus the delay given."""
    scheduler = Scheduler(desired_retention=rules.DESIRED_RETENTION, enable_fuzzing=False)
    card, at, dues = Card(card_id=1, due=START), START, []
    for rating, delay in ratings:
        at = max(at, card.due) + delay
        card, _ = scheduler.review_card(card, rating, at)
        dues.append(card.due)
    return dues


def _ours(ratings: list[tuple[Rating, timedelta]]) -> list[datetime]:
    memory, at, dues = None, START, []
    for rating, delay in ratings:
        at = max(at, memory.due if memory else START) + delay
        memory = rules.review(memory, rating, at, fuzzing=False)
        dues.append(memory.due)
    return dues


SEQUENCES = [
    [(GOOD, timedelta())],
    [(GOOD, timedelta()), (GOOD, timedelta())],
    [(AGAIN, timedelta()), (GOOD, timedelta()), (GOOD, timedelta()), (GOOD, timedelta(days=1))],
    [(GOOD, timedelta()), (GOOD, timedelta()), (AGAIN, timedelta(days=1)), (GOOD, timedelta()), (EASY, timedelta())],
    [(EASY, timedelta()), (HARD, timedelta(days=3)), (GOOD, timedelta(hours=5)), (AGAIN, timedelta(days=30)),
     (HARD, timedelta()), (GOOD, timedelta()), (EASY, timedelta(days=2))],
]


@pytest.mark.parametrize("ratings", SEQUENCES, ids=lambda r: "-".join(x.name for x, _ in r))
def test_due_dates_after_a_sequence_of_ratings_are_the_packages_own(ratings):
    assert _ours(ratings) == _package(ratings)


def test_the_anchor_example_learning_then_review_then_relearning():
    first = rules.review(None, GOOD, START, fuzzing=False)
    assert first.state == State.Learning and first.due - START == timedelta(minutes=10)
    second = rules.review(first, GOOD, first.due, fuzzing=False)
    assert second.state == State.Review and second.due - first.due == timedelta(days=2)
    third = rules.review(second, AGAIN, second.due, fuzzing=False)
    assert third.state == State.Relearning and third.due - second.due == timedelta(minutes=10)
    assert rules.is_lapse(second, AGAIN) and not rules.is_lapse(first, AGAIN) and not rules.is_lapse(None, AGAIN)


def test_recall_is_the_packages_retrievability_at_whole_days_and_falls_in_between():
    memory = rules.review(rules.review(None, GOOD, START, fuzzing=False), GOOD, START + timedelta(minutes=10),
                          fuzzing=False)
    package = Scheduler(enable_fuzzing=False)
    for days in (0, 1, 3, 10):
        moment = memory.last_review + timedelta(days=days)
        assert rules.recall(memory.stability, memory.last_review, moment) == pytest.approx(
            package.get_card_retrievability(memory.card(), moment))
    # Within a day it falls too: a wrong answer this morning is not remembered at 100% tonight.
    wrong = rules.review(None, AGAIN, START, fuzzing=False)
    tonight = rules.recall(wrong.stability, wrong.last_review, START + timedelta(hours=14))
    assert tonight < 0.85 and rules.recall(wrong.stability, wrong.last_review, START) == 1.0
    forgotten = rules.review(memory, AGAIN, memory.due, fuzzing=False)
    assert rules.recall(forgotten.stability, forgotten.last_review, forgotten.last_review + timedelta(days=3)) \
        == pytest.approx(0.76, abs=0.01)
    assert rules.recall(None, None, START) == 0.0
    factor, decay = rules.recall_curve()
    assert (1 + factor * 1.5 / memory.stability) ** decay == pytest.approx(
        rules.recall(memory.stability, memory.last_review, memory.last_review + timedelta(days=1.5)))


@pytest.mark.parametrize(("correct", "seconds", "usual", "in_review", "rating"), [
    (False, 2.0, 10.0, True, AGAIN),     # wrong, however fast
    (False, None, None, False, AGAIN),
    (True, 12.0, 10.0, True, HARD),      # right but slower than usual
    (True, 10.0, 10.0, False, GOOD),     # right, at the usual pace
    (True, 5.0, 10.0, False, GOOD),      # fast, but the card is still being learnt
    (True, 5.0, 10.0, True, EASY),       # fast, on a card in review
    (True, 5.1, 10.0, True, GOOD),       # not quite fast enough
    (True, 60.0, None, True, GOOD),      # nobody's usual time to go on
])
def test_a_graded_answer_gives_its_rating(correct, seconds, usual, in_review, rating):
    assert rules.rating_for_answer(correct, seconds, usual, in_review) == rating


def test_the_usual_time_is_a_median_of_enough_answers():
    assert rules.median([4, 1, 3]) is None
    assert rules.median([5, 1, 4, 2, 3]) == 3
    assert rules.median([6, 1, 5, 2, 4, 3]) == 3.5


@pytest.mark.parametrize("zone", [None, UTC, ZoneInfo("UTC"), ZoneInfo("Etc/UTC"), PARIS])
def test_times_reach_the_scheduler_in_the_one_zone_it_takes(zone):
    moment = datetime(2026, 3, 2, 8, 0) if zone is None else datetime(2026, 3, 2, 8, 0, tzinfo=zone)
    normalised = rules.as_utc(moment)
    assert normalised.tzinfo is UTC
    rules.review(None, GOOD, moment)  # accepted whatever the zone it came in


def test_a_review_at_2359_and_one_at_0001_school_time_fall_on_two_school_days():
    late = datetime(2026, 6, 10, 23, 59, tzinfo=PARIS)
    early = datetime(2026, 6, 11, 0, 1, tzinfo=PARIS)
    assert rules.school_day(late.astimezone(UTC), PARIS) == date(2026, 6, 10)
    assert rules.school_day(early.astimezone(UTC), PARIS) == date(2026, 6, 11)
    # Two minutes apart in UTC (21:59 and 22:01), but two practice days: a streak of two.
    assert rules.streak([date(2026, 6, 10), date(2026, 6, 11)], date(2026, 6, 11)) == 2
    assert rules.day_end(date(2026, 6, 10), PARIS) == datetime(2026, 6, 10, 22, 0, tzinfo=UTC)


def test_days_end_at_the_schools_midnight_across_a_change_of_clocks():
    # The night the clocks go forward in Paris (29 March 2026) the day is 23 hours long.
    start, end = rules.day_start(date(2026, 3, 29), PARIS), rules.day_end(date(2026, 3, 29), PARIS)
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC) and end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_a_streak_counts_back_from_today_or_yesterday():
    today = date(2026, 6, 11)
    days = [today - timedelta(days=n) for n in (1, 2, 3, 5)]
    assert rules.streak(days, today) == 3          # not broken until today ends
    assert rules.streak(days + [today], today) == 4
    assert rules.streak([today - timedelta(days=2)], today) == 0
    assert rules.streak([], today) == 0


def test_the_forecast_counts_overdue_cards_today_and_stops_after_its_days():
    now = datetime(2026, 6, 10, 21, 0, tzinfo=UTC)  # 23:00 in Paris
    dues = [now - timedelta(days=3), now + timedelta(minutes=30), now + timedelta(minutes=90),
            now + timedelta(days=13, hours=-2), now + timedelta(days=20)]
    forecast = rules.forecast(dues, now, PARIS, days=14)
    assert len(forecast) == 14 and forecast[0] == (date(2026, 6, 10), 2)   # overdue + 23:30 tonight
    assert forecast[1] == (date(2026, 6, 11), 1)                            # 00:30 tomorrow in Paris
    assert sum(count for _day, count in forecast) == 4                      # the one in 20 days is past the end


def test_a_key_fingerprint_follows_the_key_not_its_wording():
    assert rules.key_fingerprint("single_choice", ["1901"]) == rules.key_fingerprint("single_choice", ["1901"])
    assert rules.key_fingerprint("single_choice", ["1901"]) != rules.key_fingerprint("single_choice", ["1910"])
    assert rules.key_fingerprint("true_false", ["True"]) != rules.key_fingerprint("single_choice", ["True"])
