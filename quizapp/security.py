"""What every response carries for the browser's protection, what every request may hold, and the rate
limits on signing in, registering and answering.

The Content-Security-Policy allows scripts, styles and images from the app's own origin only: no
inline script or style attribute runs, and no other site may frame the app.

Every request is checked at the edge, before any view: a body larger than ``MAX_CONTENT_LENGTH``
(``UPLOAD_MAX_CONTENT_LENGTH`` for the routes that take files) is a 413; JSON nested deeper than any
body of ours is a 400; a NUL or a lone surrogate anywhere (the path, the query, the form and its file
names, JSON at any depth, HTTP Basic credentials) is a 400 (``invalid_text``), since no text column can
hold it. The fields of the forms in ``FORMS`` are let through instead: their form says so beside the
field (``quizapp.forms``).

Signing in follows OWASP's authentication guidance: failed sign-ins are counted (never successful
ones) per account and address, per account, and per address, and a browser the account signed in
from before is recognised by a cookie, so that nobody can keep a student out of the browser she uses;
a browser she never used (and the API) can be made to wait: see ``SignInThrottle`` and the README.
The counts live in the rate limiter's store: memory by default (per server process) or
``RATELIMIT_STORAGE_URI``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

from flask import Flask, current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItem, parse_many
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests
from wtforms.fields import HiddenField, SubmitField

from quizapp.domain.text import unstorable_character
from quizapp.errors import InvalidInput
from quizapp.extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# --- What a request may hold ------------------------------------------------------------------------

# The routes that take a file: a bank to import, an article to draft from (whose text, up to 512 K
# characters, may take 2 MB as UTF-8).
UPLOAD_ENDPOINTS = frozenset({"teacher.import_into_bank", "teacher.new_bank_from_article",
                              "teacher.update_from_article"})
# Far deeper than any body the API takes (two levels), far shallower than the parser's recursion limit.
DEEPEST_JSON = 32
FORM_MIMETYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# The page forms whose every visible field is checked by ``quizapp.forms.Form``, by endpoint ("module:Class",
# imported when first needed). Text no field can hold is named beside the field there instead of a 400 page.
FORMS = {
    "auth.login": "quizapp.auth.forms:LoginForm",
    "auth.register": "quizapp.auth.forms:RegisterForm",
    "auth.account": "quizapp.auth.forms:NameForm",
    "auth.change_password": "quizapp.auth.forms:PasswordForm",
    "auth.choose_password": "quizapp.auth.forms:ChoosePasswordForm",
    "auth.school_time_zone": "quizapp.auth.forms:SchoolZoneForm",
    "student.join": "quizapp.student.forms:JoinForm",
    "teacher.index": "quizapp.teacher.forms:ClassroomForm",
    "teacher.edit_bank": "quizapp.teacher.forms:BankForm",
    "teacher.share_bank": "quizapp.teacher.forms:ShareForm",
    "teacher.bulk_questions": "quizapp.teacher.forms:BulkQuestionsForm",
    "teacher.new_question": "quizapp.teacher.forms:QuestionForm",
    "teacher.edit_question": "quizapp.teacher.forms:QuestionForm",
    "teacher.new_assignment": "quizapp.teacher.forms:AssignmentForm",
    "teacher.edit_assignment": "quizapp.teacher.forms:AssignmentForm",
    "teacher.add_students": "quizapp.teacher.roster_forms:RosterForm",
    "teacher.new_quiz": "quizapp.teacher.quiz_forms:QuizForm",
    "teacher.edit_quiz": "quizapp.teacher.quiz_forms:QuizForm",
    "teacher.new_bank_from_article": "quizapp.teacher.draft_forms:ArticleForm",
    "teacher.update_from_article": "quizapp.teacher.draft_forms:ArticleForm",
    "teacher.new_live_game": "quizapp.teacher.live_forms:HostForm",
    "live.join": "quizapp.live.forms:PlayForm",
}
_form_fields: dict[str, frozenset[str]] = {}


def checked_fields(endpoint: str | None) -> frozenset[str]:
    """The names of the visible fields the endpoint's form checks itself."""
    if endpoint not in FORMS:
        return frozenset()
    if endpoint not in _form_fields:
        import importlib

        from wtforms.fields.core import UnboundField

        module, _, name = FORMS[endpoint].partition(":")
        form = getattr(importlib.import_module(module), name)
        _form_fields[endpoint] = frozenset(
            attribute for attribute in dir(form)
            if isinstance(value := getattr(form, attribute), UnboundField)
            and not issubclass(value.field_class, HiddenField | SubmitField))
    return _form_fields[endpoint]


def _limit_body_size() -> None:
    """Refuse a body larger than the route takes before anything reads it."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        size = current_app.config["UPLOAD_MAX_CONTENT_LENGTH"]
        request.max_content_length = size
        request.max_form_memory_size = size
    largest = request.max_content_length
    if largest is not None and request.content_length is not None and request.content_length > largest:
        raise RequestEntityTooLarge()


def _shown(name: str) -> str:
    """A name from the request, quoted for a message (and cut short: it may be anything)."""
    return repr(name[:40] + ("…" if len(name) > 40 else ""))


def _json_texts(data: Any) -> Iterator[tuple[str, str]]:
    """(what to call it, text) for every text of a JSON document, keys included; without recursion, and
    refusing a document nested deeper than DEEPEST_JSON."""
    stack = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > DEEPEST_JSON:
            raise InvalidInput("nested_too_deeply",
                               f"The JSON body nests more than {DEEPEST_JSON} levels deep; no request needs that.")
        if isinstance(value, str):
            yield f"The JSON body at {_shown(where or '/')}", value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield f"A key of the JSON body at {_shown(where or '/')}", key
                stack.append((item, f"{where}/{key}", depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}/{i}", depth + 1) for i, item in enumerate(value))


def _texts() -> Iterator[tuple[str, str, str | None]]:
    """(what to call it, text, the form field it is the value of) for every text of the request a view
    may read."""
    yield "The address", request.path, None
    for name, values in request.args.lists():
        yield "A name in the query", name, None
        for value in values:
            yield f"The query's {_shown(name)}", value, None
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        yield "The username", auth.username or "", None
        yield "The password", auth.password or "", None
    if request.mimetype in FORM_MIMETYPES:
        for name, values in request.form.lists():
            yield "A field's name", name, None
            for value in values:
                yield f"The field {_shown(name)}", value, name
        for name, upload in request.files.items(multi=True):
            yield "A file field's name", name, None
            yield f"The name of the file sent as {_shown(name)}", upload.filename or "", None
    elif request.is_json:
        try:
            data = request.get_json(silent=True)
        except RecursionError:
            raise InvalidInput("nested_too_deeply", "The JSON body nests too deeply; no request needs that.") \
                from None
        for where, value in _json_texts(data):
            yield where, value, None


def _refuse_unstorable_text() -> None:
    """A 400 for a NUL or lone surrogate anywhere, but in the fields a form names it beside."""
    checked = checked_fields(request.endpoint) if not request.path.startswith("/api/") else frozenset()
    for where, text, field in _texts():
        problem = unstorable_character(text)
        if problem is not None and field not in checked:
            raise InvalidInput("invalid_text", f"{where} holds {problem}, which no text here can hold. "
                                               "Remove it and try again.")


# --- Rate limits ------------------------------------------------------------------------------------

def person_key() -> str:
    """Who is answering: the API token sent (limits are checked before the token is looked up), or the
    signed-in person, else the address."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "from:" + (request.remote_addr or "unknown")


def address_key() -> str:
    return "from:" + (request.remote_addr or "unknown")


def answer_limit() -> str:
    return current_app.config["ANSWER_RATE_LIMIT"]


def register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def limit_answers(view):
    """At most ANSWER_RATE_LIMIT posted answers per person: a 429 with Retry-After past it.

    Counted with limits in the rate limiter's store, as the sign-in throttle is, rather than through
    Flask-Limiter's decorator: on the hottest route its resolution of the limits that might apply (twice a
    request) cost about 0.3 ms of CPU per answer, a tenth of an answer (bench/README.md)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method == "POST" and limiter.enabled:
            key, counter = person_key(), _counter()
            for item in _parsed(answer_limit()):
                if not counter.hit(item, "answers", key):
                    reset = counter.get_window_stats(item, "answers", key).reset_time
                    raise TooManyRequests(retry_after=max(1, int(reset - time.time()) + 1))
        return view(*args, **kwargs)

    wrapper.counts_its_own_limit = True
    return wrapper


def wrong_pin_wait() -> int | None:
    """Seconds this address must wait before trying another game PIN, or None. Six digits are few: wrong
    PINs are counted per address (PIN_RATE_LIMIT), never right ones."""
    if not limiter.enabled:
        return None
    counter, key = _counter(), address_key()
    for item in _parsed(current_app.config["PIN_RATE_LIMIT"]):
        if not counter.test(item, "pin", key):
            return max(1, int(counter.get_window_stats(item, "pin", key).reset_time - time.time()) + 1)
    return None


def live_answer_wait(player_id: int) -> int | None:
    """Count a live game's answer against ANSWER_RATE_LIMIT, per player (a socket event has no route for
    ``limit_answers``): seconds to wait when over it, else None. One answer a question is all that counts;
    this stops a phone flooding the server with refused ones."""
    if not limiter.enabled:
        return None
    counter, key = _counter(), f"live-player:{player_id}"
    for item in _parsed(answer_limit()):
        if not counter.hit(item, "answers", key):
            return max(1, int(counter.get_window_stats(item, "answers", key).reset_time - time.time()) + 1)
    return None


def count_wrong_pin() -> None:
    if limiter.enabled:
        for item in _parsed(current_app.config["PIN_RATE_LIMIT"]):
            _counter().hit(item, "pin", address_key())


@limiter.request_filter
def _counted_by_the_view() -> bool:
    """Flask-Limiter leaves alone the routes that count their own limit (``limit_answers``): it has nothing
    to check there, and finding that out cost as much as the count."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "counts_its_own_limit", False)


@lru_cache(maxsize=16)
def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    """``"120 per minute; 1000 per day"`` as limits' items, parsed once."""
    return tuple(parse_many(limits))


def limit_password_changes(view):
    """At most PASSWORD_CHANGE_RATE_LIMIT tries per person: a session left open is no way to guess the
    current password."""
    return limiter.limit(lambda: current_app.config["PASSWORD_CHANGE_RATE_LIMIT"], key_func=person_key,
                         methods=["POST"])(view)


def limit_registering(view):
    """At most REGISTER_RATE_LIMIT accounts asked for (every POST of the form) per address."""
    return limiter.limit(register_limit, key_func=address_key, methods=["POST"])(view)


DEVICE_COOKIE = "sign_in_device"
DEVICE_COOKIE_DAYS = 365
# A shared classroom computer: the cookie remembers this many accounts, the latest kept.
DEVICE_ACCOUNTS = 40


@dataclass(frozen=True)
class SignInAttempt:
    """Who tries to sign in as whom: the username tried (case and spaces aside), the address it comes
    from, and the browser's id when it holds a device cookie for that username."""

    username: str
    address: str
    device: str | None

    @classmethod
    def from_request(cls) -> SignInAttempt | None:
        """The attempt this request makes; None without a username (nothing is guessed then)."""
        auth = request.authorization
        username = auth.username if auth is not None and auth.type == "basic" else request.form.get("username")
        if not isinstance(username, str) or not username.strip():
            return None
        # Keyed-hashed: the key stays short whatever is sent, and neither the store nor the cookie shows
        # which usernames were tried.
        name = hmac.new(current_app.secret_key.encode(), username.strip().casefold().encode(),
                        hashlib.sha256).hexdigest()[:32]
        device = _device_cookie()
        known = device is not None and name in device["accounts"]
        return cls(name, request.remote_addr or "unknown", device["id"] if known else None)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="sign-in-device")


def _device_cookie() -> dict | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("id"), str) and isinstance(value.get("accounts"), list)):
        return None
    return value


def _remember_device(response, attempt: SignInAttempt) -> None:
    """Mark this browser as one ``attempt.username`` signed in from."""
    device = _device_cookie() or {"id": secrets.token_urlsafe(16), "accounts": []}
    accounts = [a for a in device["accounts"] if a != attempt.username] + [attempt.username]
    value = _serializer().dumps({"id": device["id"], "accounts": accounts[-DEVICE_ACCOUNTS:]})
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


def _counter() -> FixedWindowRateLimiter:
    """Fixed windows in the rate limiter's store (whatever strategy its own limits use): a window starts at
    the first failure, and a forgiven failure is taken back out of it."""
    return FixedWindowRateLimiter(limiter.storage)


class SignInThrottle:
    """Failed sign-ins, counted three ways; an attempt over any of its limits is refused (429 with
    Retry-After) before the password is checked.

    - Per account and address (``SIGN_IN_RATE_LIMIT``): the tight limit, which slows someone guessing one
      account's password. A browser the account signed in from before (it holds the device cookie) is
      counted by itself instead of by address, so a guesser behind the same school address cannot keep
      the real student out either.
    - Per account, from anywhere (``SIGN_IN_ACCOUNT_RATE_LIMIT``): looser, against guessing one account from
      many addresses. It never applies to a browser the account signed in from before.
    - Per address, whatever the username (``SIGN_IN_ADDRESS_RATE_LIMIT``): against one address trying one
      password at many accounts. A failure is forgiven when the same account then signs in from there
      (a typo), so only guesses that never came right count; nor does it apply to a recognised browser.

    A successful sign-in is never counted; it forgives that account's failures from that address or browser.
    """

    def __init__(self, attempt: SignInAttempt):
        self.attempt = attempt
        a = attempt
        pair = ("device", a.device, a.username) if a.device else ("pair", a.address, a.username)
        config = current_app.config
        self.counts: list[tuple[str, tuple[str, ...]]] = [(config["SIGN_IN_RATE_LIMIT"], pair)]
        if a.device is None:
            self.counts += [(config["SIGN_IN_ACCOUNT_RATE_LIMIT"], ("account", a.username)),
                            (config["SIGN_IN_ADDRESS_RATE_LIMIT"], ("address", a.address))]
        # Failures are counted against every layer, also from a recognised browser.
        self.failure_counts = [*self.counts[:1], (config["SIGN_IN_ACCOUNT_RATE_LIMIT"], ("account", a.username)),
                               (config["SIGN_IN_ADDRESS_RATE_LIMIT"], ("address", a.address))]

    @staticmethod
    def _items(limits: str) -> list[RateLimitItem]:
        return parse_many(limits)

    def wait(self) -> int | None:
        """Seconds to wait before trying again, or None when the attempt may go ahead."""
        waits = []
        for limits, key in self.counts:
            for item in self._items(limits):
                if not _counter().test(item, "sign-in", *key):
                    reset = _counter().get_window_stats(item, "sign-in", *key).reset_time
                    waits.append(max(1, int(reset - time.time()) + 1))
        return max(waits) if waits else None

    def failed(self) -> None:
        for limits, key in self.failure_counts:
            for item in self._items(limits):
                _counter().hit(item, "sign-in", *key)

    def succeeded(self) -> None:
        """Forgive this account's failures from this address or browser, wherever they were counted."""
        (pair_limits, pair), *_ = self.counts
        pair_items = self._items(pair_limits)
        # The shortest window of the pair's limits says how many failures came just before.
        shortest = min(pair_items, key=lambda item: item.get_expiry())
        failures = shortest.amount - _counter().get_window_stats(shortest, "sign-in", *pair).remaining
        for item in pair_items:
            _counter().clear(item, "sign-in", *pair)
        if not failures:
            return
        for limits, key in self.failure_counts[1:]:
            for item in self._items(limits):
                counted = item.amount - _counter().get_window_stats(item, "sign-in", *key).remaining
                if counted:
                    _counter().hit(item, "sign-in", *key, cost=-min(failures, counted))


def limit_sign_in(view):
    """Throttle posted sign-ins (the form and ``POST /api/v1/tokens``) by their failures: see
    ``SignInThrottle``. Showing the form is never limited; a response below 400 is a success."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        # The sign-in page sends someone already signed in on without checking any password; the API
        # checks the password whatever session cookie comes with it.
        signed_in_page = not request.path.startswith("/api/") and current_user.is_authenticated
        if request.method != "POST" or not limiter.enabled or signed_in_page:
            return view(*args, **kwargs)
        attempt = SignInAttempt.from_request()
        if attempt is None:
            return view(*args, **kwargs)
        throttle = SignInThrottle(attempt)
        wait = throttle.wait()
        if wait is not None:
            raise TooManyRequests(retry_after=wait)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code < 400:
            throttle.succeeded()
            if not request.path.startswith("/api/"):
                _remember_device(response, attempt)
        else:
            throttle.failed()
        return response

    return wrapper


def register(app: Flask) -> None:
    """Check every request at the edge (before CSRF, the rate limiter and the views read it), and add the
    security headers to every response."""
    app.before_request(_limit_body_size)
    app.before_request(_refuse_unstorable_text)

    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
