"""Moments said relative to now, in the school's calendar days."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.domain.relative_time import relative_time

PARIS = ZoneInfo("Europe/Paris")
# 20:00 in Paris (UTC+1 in December).
NOW = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(("offset", "said"), [
    (timedelta(seconds=20), "in under a minute"),
    (timedelta(minutes=1), "in 1 minute"),
    (timedelta(minutes=45), "in 45 minutes"),
    (timedelta(hours=1), "in 1 hour"),
    (timedelta(hours=3, minutes=59), "in 3 hours"),
    (timedelta(hours=5), "in 5 hours"),  # 01:00 the next day: hours, not "tomorrow"
    (timedelta(hours=13), "tomorrow at 09:00"),
    (timedelta(days=1, hours=12), "in 2 days"),  # 08:00 two mornings later
    (timedelta(days=6), "in 6 days"),
    (timedelta(seconds=-20), "just now"),
    (timedelta(minutes=-1), "1 minute ago"),
    (timedelta(hours=-2), "2 hours ago"),
    (timedelta(hours=-15), "today at 05:00"),
    (timedelta(hours=-21), "yesterday at 23:00"),
    (timedelta(days=-3), "3 days ago"),
])
def test_said_as_people_say_it(offset, said):
    assert relative_time(NOW + offset, NOW, PARIS) == said


def test_days_are_the_schools_days():
    # 20:00 in Paris is 04:00 the next day in Tokyo: 09:00 Paris tomorrow is 17:00 Tokyo, the same day there.
    moment = NOW + timedelta(hours=13)
    assert relative_time(moment, NOW, PARIS) == "tomorrow at 09:00"
    assert relative_time(moment, NOW, ZoneInfo("Asia/Tokyo")) == "today at 17:00"
