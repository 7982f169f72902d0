"""Jinja filters for numbers, durations and times in the school's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, g

from quizapp.domain.assignment_feedback import ATTEMPT_CASES, assignment_feedback
from quizapp.domain.points import points_text
from quizapp.domain.relative_time import relative_time
from quizapp.services import school


def duration(seconds: float | None) -> str:
    """Seconds as ``1 min 05 s``."""
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def score(value: float | None) -> str:
    """Points as ``points_text`` writes them; a dash for none."""
    return "–" if value is None else points_text(value)


def pct(value: float | None) -> str:
    """A percentage, one decimal at most."""
    return "–" if value is None else f"{score(round(value, 1))}%"


def pct_share(value: float | None) -> str:
    """A share from 0 to 1 as a percentage."""
    return "–" if value is None else pct(100 * value)


def chosen_school_zone() -> str | None:
    """The zone a teacher chose for the school, or None; read from the database once per request."""
    if "chosen_school_zone" not in g:
        g.chosen_school_zone = school.time_zone()
    return g.chosen_school_zone


def school_zone() -> ZoneInfo:
    """The zone the school chose, or the TIMEZONE setting until a teacher has (or if this machine does not
    know the chosen one, say after a move to a host without that zone's data: every page shows times)."""
    chosen = chosen_school_zone()
    if chosen:
        try:
            return ZoneInfo(chosen)
        except (ZoneInfoNotFoundError, ValueError):
            current_app.logger.warning("unknown school time zone %r; using TIMEZONE", chosen)
    return ZoneInfo(current_app.config["TIMEZONE"])


def school_zone_name() -> str:
    """The name of the zone times are typed and shown in, for forms that take a time."""
    return school_zone().key


def forget_school_zone() -> None:
    """Read the zone again at its next use (it has just been changed)."""
    g.pop("chosen_school_zone", None)


def local_time(moment: datetime | None, with_zone: bool = True) -> str:
    """A UTC moment as the school reads it: ``2026-11-28 14:05 (Europe/Paris)``."""
    if moment is None:
        return "–"
    zone = school_zone()
    text = moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return f"{text} ({zone.key})" if with_zone else text


def relative(moment: datetime | None, now: datetime) -> str:
    """A UTC moment relative to ``now`` in the school's days: ``in 3 hours``, ``tomorrow at 09:00``."""
    return "–" if moment is None else relative_time(moment, now, school_zone())


def from_local(naive: datetime) -> datetime:
    """A time typed in the school's zone, as timezone-aware UTC."""
    return naive.replace(tzinfo=school_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """A UTC time as the naive time in the school's zone, to the minute, that a date-and-time field shows."""
    return moment.astimezone(school_zone()).replace(tzinfo=None, second=0, microsecond=0)


def register(app: Flask) -> None:
    app.add_template_filter(duration)
    app.add_template_filter(score)
    app.add_template_filter(pct)
    app.add_template_filter(pct_share)
    app.add_template_filter(local_time, "local")
    app.add_template_filter(relative)
    app.add_template_global(assignment_feedback)
    app.add_template_global(school_zone_name)
    app.add_template_global(ATTEMPT_CASES, "attempt_cases")
