"""The school's own settings: its time zone."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import SCHOOL_ID, SchoolSettings
from quizapp.services.unit_of_work import unit_of_work


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, sorted; the "posix/" and "right/" copies left out."""
    return tuple(sorted(name for name in available_timezones()
                        if not name.startswith(("posix/", "right/")) and name != "localtime"))


def time_zone() -> str | None:
    """The time zone the school chose, or None while no teacher has chosen one."""
    settings = db.session.get(SchoolSettings, SCHOOL_ID)
    return settings.time_zone if settings is not None else None


def set_time_zone(name: str) -> None:
    """Make ``name`` (one of ``zone_names``) the school's time zone, for everyone's times from now on."""
    if name not in zone_names():
        raise ValueError(f"unknown time zone {name!r}")
    # One unit of work per try: two first teachers at once both add the row; the second's commit fails
    # and rolls back, and its next try finds the row the first made.
    for _ in range(2):
        try:
            with unit_of_work():
                settings = db.session.get(SchoolSettings, SCHOOL_ID)
                if settings is None:
                    settings = SchoolSettings(id=SCHOOL_ID)
                    db.session.add(settings)
                settings.time_zone = name
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not save the school's time zone")
