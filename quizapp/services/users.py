"""Accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models import ApiToken, Role, User, utcnow

# Checked against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class UsernameTaken(Exception):
    """Someone already has this username."""


def create_user(username: str, display_name: str, password: str, role: Role = Role.STUDENT) -> User:
    """Add an account with a hashed password; raise UsernameTaken if the name is in use."""
    user = User(
        username=username.strip().lower(),
        display_name=display_name.strip(),
        password_hash=generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"]),
        role=role,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise UsernameTaken(username) from None
    return user


def rename(user: User, display_name: str) -> None:
    """Change the name the user is shown by."""
    user.display_name = display_name
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if ``current`` is the user's password (False, nothing changed, if not). Every API
    token of the user is revoked with it: a password changed because it leaked must take its tokens along."""
    if not check_password_hash(user.password_hash, current):
        return False
    user.password_hash = generate_password_hash(new, method=current_app.config["PASSWORD_HASH_METHOD"])
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()
    return True


def authenticate(username: str, password: str) -> User | None:
    """The user with this username and password, or None."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def bootstrap_teacher() -> tuple[User, str] | None:
    """Create a first teacher with a random password when there is no teacher yet.

    Returns the teacher and the password (shown once, stored only hashed), or None.
    """
    if db.session.scalar(select(User.id).where(User.role == Role.TEACHER).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    username = "teacher"
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        username = f"teacher-{secrets.token_hex(3)}"
    return create_user(username, "Teacher", password, Role.TEACHER), password


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, lifetime: timedelta) -> tuple[str, datetime]:
    """A new API token for ``user``; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + lifetime
    db.session.add(ApiToken(user=user, digest=_digest(token), expires_at=expires_at))
    db.session.commit()
    return token, expires_at


@cache
def _token_statement():
    """Built once: every API request runs it."""
    return (select(User, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.digest == bindparam("digest")))


def user_for_token(token: str) -> User | None:
    """The user holding this unexpired token, or None, in one query."""
    row = db.session.execute(_token_statement(), {"digest": _digest(token)}).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return row.User
