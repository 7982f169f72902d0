"""Settings that belong to the whole school rather than to one person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, utcnow

# The one row of ``school_settings``.
SCHOOL_ID = 1


class SchoolSettings(db.Model):
    """One row for the school: its time zone (an IANA name such as ``Europe/Paris``), None until a teacher
    chooses it."""

    __tablename__ = "school_settings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    time_zone: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
