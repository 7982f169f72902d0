"""Question banks, the parts of their source text, and their questions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.base import UTCDateTime, names, utcnow

if TYPE_CHECKING:
    from quizapp.models.user import User

SOURCE_KINDS = ("key_point", "faq", "section")
KIND_LABELS = {"key_point": "Key point", "faq": "FAQ", "section": "Section"}


class Bank(db.Model):
    """A set of questions drawn from one source text. Banks loaded from files on the server
    (the bundled ones) have no owner and are read-only in the app; a teacher's copy or own
    bank is theirs to change."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source_title: Mapped[str] = mapped_column(String(300))
    source_text: Mapped[str] = mapped_column(Text, default="", server_default="",
                                             doc="The source's full text, when known: passages must quote it.")
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived: Mapped[bool] = mapped_column(default=False, server_default=false(),
                                           doc="Put away by its owner: hidden, its answers kept.")

    parts: Mapped[list[SourcePart]] = relationship(
        back_populates="bank", cascade="all, delete-orphan", order_by="SourcePart.id"
    )
    questions: Mapped[list[Question]] = relationship(back_populates="bank", order_by="Question.id")
    shares: Mapped[list[BankShare]] = relationship(back_populates="bank", cascade="all, delete-orphan",
                                                   order_by="BankShare.id")

    _clean_names = names("title", "source_title")


class BankShare(db.Model):
    """A teacher's bank shared read-only with another teacher, who may use, copy and export it."""

    __table_args__ = (UniqueConstraint("bank_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank: Mapped[Bank] = relationship(back_populates="shares")
    teacher: Mapped[User] = relationship()


class SourcePart(db.Model):
    """A key point, FAQ or section of a bank's source, which questions point at."""

    __table_args__ = (UniqueConstraint("bank_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")

    bank: Mapped[Bank] = relationship(back_populates="parts")

    @property
    def reference(self) -> str:
        """The reference as written in a bank file, e.g. ``key_point 3``."""
        return f"{self.kind} {self.number}"

    @property
    def label(self) -> str:
        """The reference as shown to people, e.g. ``Key point 3``."""
        return f"{KIND_LABELS[self.kind]} {self.number}"


class Question(db.Model):
    """One question; ``spec`` holds what its type needs (choices, answers, blanks).

    ``version`` goes up whenever a reload changes the question, and each answer
    records the version it was graded against. A ``draft`` (drafted from an article) is not
    asked until its teacher accepts or edits it; a non-empty ``review_note`` says why a
    question needs its teacher's eye (its key point or FAQ changed on re-import).
    """

    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(32))
    prompt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    passage: Mapped[str] = mapped_column(Text, default="")
    source_part_id: Mapped[int] = mapped_column(ForeignKey("source_part.id"), index=True)
    difficulty: Mapped[int] = mapped_column(default=1)
    points: Mapped[int] = mapped_column(default=1)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    archived: Mapped[bool] = mapped_column(default=False)
    draft: Mapped[bool] = mapped_column(default=False, server_default=false())
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    lineage: Mapped[int | None] = mapped_column(
        index=True, doc="The id of the original this question was copied from (through any number of copies); "
                        "None for an original. A copy shares its original's key secrecy.")

    bank: Mapped[Bank] = relationship(back_populates="questions")

    @property
    def identity(self) -> int:
        """The id shared by this question and every copy of it."""
        return self.lineage or self.id
    source_part: Mapped[SourcePart] = relationship()
