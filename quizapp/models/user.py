"""People who use the app, and the API tokens they hold."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, names, utcnow


class Role(enum.StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"


class User(UserMixin, db.Model):
    """A student or a teacher; a teacher can also take quizzes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.STUDENT,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set for an account whose password a teacher handed out (a reset, or a roster pasted in): every page
    # leads to choosing a password of one's own until it is done.
    must_choose_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # While set, ``password_hash`` holds a one-time password, which stops working at this moment, or once
    # it has been used to sign in.
    one_time_password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    _clean_names = names("display_name")

    @property
    def is_teacher(self) -> bool:
        return self.role is Role.TEACHER

    @property
    def password_mark(self) -> str:
        """A short digest of the password hash, which changes with the password (and reveals nothing of it)."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        """What a session (and a "keep me signed in" cookie) holds: the id and the password's mark, so a new
        password, or a teacher's reset, ends every session begun with the old one."""
        return f"{self.id}:{self.password_mark}"

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role.value})>"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")
