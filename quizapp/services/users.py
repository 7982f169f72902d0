"""Accounts and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models import ApiToken, Role, User, utcnow
from quizapp.services.unit_of_work import transactional, unit_of_work

# Checked against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")

# A one-time password: three groups of four characters without look-alikes (no 0/O, 1/I/L, 5/S), about
# 58 random bits, read aloud or copied from paper without doubt. Typed in any case, with or without dashes.
ONE_TIME_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
ONE_TIME_GROUPS, ONE_TIME_GROUP_LENGTH = 3, 4
ONE_TIME_PASSWORD_LIFETIME = timedelta(days=7)
# A slow hash guards passwords people choose, which are guessable; a one-time password is 58 random bits,
# out of reach of guessing even at a lighter cost, which a class list of 100 (one hash each) needs: scrypt
# takes ~0.1-0.4 s a hash, and 100 of them would outlast the server's request timeout.
ONE_TIME_HASH_METHOD = "pbkdf2:sha256:5000"
_SPACES_AND_DASHES = re.compile(r"[\s\-‐-―]+")


class UsernameTaken(Exception):
    """Someone already has this username."""


class OneTimePasswordExpired(Exception):
    """The one-time password is right, but too old to sign in with."""


def user_for_session(session_id: str) -> User | None:
    """The user a sign-in session names (``User.get_id``: id and password mark), unless the password
    changed since the session began."""
    user_id, _, mark = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.password_mark, mark):
        return None
    return user


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def new_one_time_password() -> str:
    """A fresh one-time password, as it is shown: ``K7QM-4XPT-9HRW``."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_GROUP_LENGTH))
                    for _ in range(ONE_TIME_GROUPS))


def _one_time_form(typed: str) -> str:
    """A typed one-time password as it was hashed: upper case, without spaces or dashes."""
    return _SPACES_AND_DASHES.sub("", typed).upper()


def give_one_time_password(user: User, now: datetime | None = None) -> str:
    """Put a one-time password in place of the user's password and return it. It only sets the user's
    fields (the user may not be in the session yet): the caller's unit of work writes them.

    The old password stops working; the one-time password works for one sign-in within
    ONE_TIME_PASSWORD_LIFETIME, after which the user must choose a password before anything else.
    """
    password = new_one_time_password()
    user.password_hash = generate_password_hash(_one_time_form(password), method=ONE_TIME_HASH_METHOD)
    user.one_time_password_expires_at = (now or utcnow()) + ONE_TIME_PASSWORD_LIFETIME
    user.must_choose_password = True
    return password


@transactional
def create_user(username: str, display_name: str, password: str, role: Role = Role.STUDENT) -> User:
    """Add an account with a hashed password; raise UsernameTaken if the name is in use."""
    user = User(
        username=username.strip().lower(),
        display_name=display_name.strip(),
        password_hash=_hash(password),
        role=role,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        raise UsernameTaken(username) from None
    return user


@transactional
def rename(user: User, display_name: str) -> None:
    """Change the name the user is shown by."""
    user.display_name = display_name


@transactional
def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if ``current`` is the user's password (False, nothing changed, if not). Every API
    token of the user is revoked with it: a password changed because it leaked must take its tokens along."""
    if not check_password_hash(user.password_hash, current):
        return False
    _set_password(user, new)
    return True


@transactional
def choose_password(user: User, new: str) -> None:
    """Set the password of an account that had to choose one (after a one-time password), and revoke
    its API tokens."""
    _set_password(user, new)


def _set_password(user: User, new: str) -> None:
    user.password_hash = _hash(new)
    user.must_choose_password = False
    user.one_time_password_expires_at = None
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


@transactional
def revoke_tokens(user: User) -> None:
    """Every API token of the user stops working (in the caller's unit of work, if it has one)."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def authenticate(username: str, password: str, *, one_time: bool = False,
                 now: datetime | None = None) -> User | None:
    """The user with this username and password, or None.

    An account holding a one-time password signs in with it only where ``one_time`` is allowed (the
    sign-in page, which then leads to choosing a password; never the API), once: using it replaces it
    with no password at all. A right one-time password past its time raises OneTimePasswordExpired.
    """
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    expires_at = user.one_time_password_expires_at
    if expires_at is None:
        return user if check_password_hash(user.password_hash, password) else None
    if not one_time:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, _one_time_form(password)):
        return None
    if expires_at <= (now or utcnow()):
        raise OneTimePasswordExpired(user.username)
    # Used up: nothing signs in as this account again until its owner chooses a password. Only the request
    # that swaps the hash it checked gets in; two sign-ins racing with the same code let one through.
    with unit_of_work():
        used = db.session.execute(
            update(User).where(User.id == user.id, User.password_hash == user.password_hash)
            .values(password_hash="!used one-time password", one_time_password_expires_at=None)
            .execution_options(synchronize_session=False)
        )
    if used.rowcount != 1:
        return None
    db.session.refresh(user)
    return user


@transactional
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


def token_digest(token: str) -> str:
    """What is stored of an API token, to look it up by (``attempts.read_for_answer``)."""
    return _digest(token)


@transactional
def issue_token(user: User, lifetime: timedelta) -> tuple[str, datetime]:
    """A new API token for ``user``; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + lifetime
    db.session.add(ApiToken(user=user, digest=_digest(token), expires_at=expires_at))
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
