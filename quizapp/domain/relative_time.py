"""A moment said relative to now, as people say it: "in 3 hours", "tomorrow at 09:00", "2 days ago".

Within twelve hours it counts hours; beyond, the school's calendar days: at 20:00 a quiz closing at 01:00
closes "in 5 hours", one closing at 09:00 the next morning "tomorrow at 09:00", and one closing at 08:00 two
mornings later "in 2 days", however many hours that is.
"""

from datetime import datetime
from zoneinfo import ZoneInfo


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'s' if count != 1 else ''}"


def relative_time(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """``moment`` said relative to ``now``: minutes and hours within the next or last twelve hours,
    "today", "tomorrow" or "yesterday" with the time, then whole calendar days."""
    seconds = (moment - now).total_seconds()
    future = seconds >= 0
    minutes = int(abs(seconds) // 60)
    if minutes < 1:
        return "in under a minute" if future else "just now"
    if minutes < 60:
        return f"in {_plural(minutes, 'minute')}" if future else f"{_plural(minutes, 'minute')} ago"
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    days = (local.date() - today).days
    hours = minutes // 60
    if hours < 12:
        return f"in {_plural(hours, 'hour')}" if future else f"{_plural(hours, 'hour')} ago"
    at = local.strftime("%H:%M")
    named = {0: "today", 1: "tomorrow", -1: "yesterday"}
    if days in named:
        return f"{named[days]} at {at}"
    return f"in {_plural(days, 'day')}" if days > 0 else f"{_plural(-days, 'day')} ago"

