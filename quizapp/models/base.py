"""Column types shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import validates
from sqlalchemy.types import TypeDecorator

from quizapp.domain.text import clean_name


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python.

    PostgreSQL keeps the zone; SQLite hands back naive values, which are UTC by
    construction, so the zone is put back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Points(TypeDecorator):
    """Points as exact hundredths in the database (an integer column), a number in Python.

    Floats summed in SQL drift (a total of 38.999999 for 39); integers do not, so every score, total
    and standing adds up exactly, on SQLite and PostgreSQL alike. A value is rounded to the hundredth
    when stored: partial credit of 2/3 of a point is 0.67.
    """

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else round(float(value) * 100)

    def process_result_value(self, value, dialect):
        return None if value is None else int(value) / 100


def names(*columns: str):
    """A model's validator keeping these columns as ``clean_name`` writes them (no bidirectional controls,
    no surrounding spaces), however a name arrives: a form, the API, a bank file, a command."""

    @validates(*columns)
    def clean(self, _key: str, value: str | None) -> str | None:
        return clean_name(value) if isinstance(value, str) else value

    return clean
