"""Spaced practice: memory cards fed by every graded answer, the daily queue, and progress over time.

A student's card for a question is made by their first graded answer to it, wherever it is given: a practice
quiz, an assignment, a live game (``live_results``) or practice itself. Each later graded answer reviews it
(``review_answer``), rated as ``domain.practice.rating_for_answer`` says, in the unit of work that stores the
answer. The scheduler is the ``fsrs`` package's, behind ``domain.practice``.

Keys stay secret (``key_secrecy``): a question whose key is withheld from the student, because an assignment
that can ask it is still open for them, is never offered for practice, due or not, until it is shown.

Days are the school's: "due today" is due before the student's next midnight in the school's time zone,
which callers pass in (``zone``), as the pages show times in it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import zip_longest
from typing import Any
from zoneinfo import ZoneInfo

from fsrs import Rating, ReviewLog, State
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import JSON, Float, and_, bindparam, case, delete, exists, false, func, insert, or_, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from quizapp.domain import practice as rules
from quizapp.domain.drawing import Candidate, eligible
from quizapp.domain.errors import Conflict, Forbidden, Invalid, NotFound
from quizapp.domain.question_types import Grade, question_type
from quizapp.extensions import db
from quizapp.models import (
    Answer,
    Assignment,
    Attempt,
    Bank,
    BankShare,
    Classroom,
    Membership,
    PracticeCard,
    PracticeDay,
    PracticeReview,
    PracticeSettings,
    Question,
    Quiz,
    SourcePart,
    User,
    utcnow,
)
from quizapp.services.banks import writing
from quizapp.services.classrooms import create_assignment
from quizapp.services.key_secrecy import withheld_keys
from quizapp.services.unit_of_work import transactional, unit_of_work

PACE_SAMPLE = 200
"""How many recent timed answers a question's usual time is the median of."""

PACE_SCAN = 1000
"""How many of a question's latest answers are looked through for the student's classmates'."""

SELF_RATING_WINDOW = timedelta(hours=1)
"""How long after a practice answer the student may replace its rating with their own."""

TOKEN_MAX_AGE = 6 * 3600
"""Seconds a shown practice question may wait for its answer."""

NOTE_KEY_CHANGED = "The answer to this question changed on {day}, so its schedule started again."


class PracticeError(Conflict):
    """A practice request that cannot be taken now; the message says why."""

    code = "practice_error"


class AlreadyReviewed(PracticeError):
    """The card was reviewed since the question was shown (another tab, a double submit)."""

    code = "already_reviewed"


class QuestionChanged(PracticeError):
    """The question changed, or was put away, since it was shown."""

    code = "question_changed"


class KeyWithheld(Forbidden):
    """The question's key is withheld from the student (``key_secrecy``): it is not offered for practice."""

    code = "key_withheld"


class BadToken(Invalid):
    """A shown question's token is missing, forged, or too old."""

    code = "bad_token"


# Reviews: the write path ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CardRow:
    """A card as the write path reads it (plain columns: it runs on every answer)."""

    id: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    question_version: int
    key_fingerprint: str

    @property
    def memory(self) -> rules.Memory | None:
        """The scheduler's state, None for a card (re)started and not reviewed since."""
        if self.stability is None:
            return None
        return rules.Memory(self.state, self.step, self.stability, self.difficulty, self.due, self.last_review)


_CARD_COLUMNS = ("id", "state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
                 "question_version", "key_fingerprint")


class seconds_list(FunctionElement):
    """SQL: the values of a column as one JSON list (an aggregate): a few hundred answer times read as one
    value of a row that reads other things too."""

    type = JSON()
    inherit_cache = True


@compiles(seconds_list, "sqlite")
def _seconds_list_sqlite(element, compiler, **kw):
    return f"json_group_array({compiler.process(element.clauses, **kw)})"


@compiles(seconds_list, "postgresql")
def _seconds_list_postgresql(element, compiler, **kw):
    return f"coalesce(json_agg({compiler.process(element.clauses, **kw)}), '[]'::json)"


def _latest_seconds(student, classmates: bool) -> ColumnElement:
    """SQL: the latest ``PACE_SAMPLE`` answer times (a JSON list) to the question (``:question_id``) by the
    students of ``student``'s classes (``classmates``), or by ``student`` to any question; the answer
    ``:answer_id`` left out. Tables aliased: the subquery stands alone inside whatever statement reads it."""
    answer, attempt = aliased(Answer), aliased(Attempt)
    if classmates:
        # Among the question's latest answers (so that a student in no class, whose classmates answered none,
        # reads a few hundred rows, not every answer the question ever had), those of classmates: per answer,
        # two index lookups, and a class of thousands is never listed.
        newest = aliased(Answer)
        recent = (select(newest.id).where(newest.question_id == bindparam("question_id"))
                  .order_by(newest.id.desc()).limit(PACE_SCAN).scalar_subquery())
        mine, theirs = aliased(Membership), aliased(Membership)
        query = (select(answer.seconds.label("seconds")).join(attempt, attempt.id == answer.attempt_id)
                 .where(answer.id != bindparam("answer_id"), answer.id.in_(recent), exists().where(
                     theirs.user_id == attempt.user_id, mine.classroom_id == theirs.classroom_id,
                     mine.user_id == student)))
    else:
        query = (select(answer.seconds.label("seconds")).join(attempt, attempt.id == answer.attempt_id)
                 .where(answer.id != bindparam("answer_id"), attempt.user_id == student))
    latest = query.order_by(answer.id.desc()).limit(PACE_SAMPLE).subquery()
    return select(seconds_list(latest.c.seconds)).scalar_subquery()


def read_columns(student) -> list[ColumnElement]:
    """What reviewing an answer reads, as columns to add to the statement that reads the answer's attempt
    (``attempts``): the card, outer-joined by ``card_join``, and the answer times its rating compares with.
    ``student`` is the SQL for the student's id; the question is ``:question_id``."""
    return [*(getattr(PracticeCard, c).label(f"card_{c}") for c in _CARD_COLUMNS),
            _latest_seconds(student, classmates=True).label("class_seconds"),
            _latest_seconds(student, classmates=False).label("own_seconds")]


def card_join(student) -> tuple[type[PracticeCard], ColumnElement[bool]]:
    """The outer join of the student's card for ``:question_id``, for ``read_columns``."""
    return PracticeCard, and_(PracticeCard.user_id == student, PracticeCard.question_id == bindparam("question_id"))


@dataclass(frozen=True)
class PracticeRead:
    """What reviewing an answer needs, read with the answer's attempt: the card (None: none yet) and the
    usual time to answer (``usual_seconds``)."""

    card: CardRow | None
    usual: float | None

    @classmethod
    def of(cls, values) -> PracticeRead:
        """From a row holding ``read_columns`` (a mapping)."""
        card = CardRow(*(values[f"card_{c}"] for c in _CARD_COLUMNS)) if values["card_id"] is not None else None
        return cls(card, _usual(values["class_seconds"], values["own_seconds"]))


def _usual(class_seconds: list[float] | None, own_seconds: list[float] | None) -> float | None:
    usual = rules.median(class_seconds or [])
    return usual if usual is not None else rules.median(own_seconds or [])


@cache
def _read_statement():
    student = bindparam("user_id")
    return select(User.id, *read_columns(student)).select_from(User).outerjoin(*card_join(student)).where(
        User.id == student)


def read(user_id: int, question_id: int, answer_id: int | None = None) -> PracticeRead:
    """``PracticeRead`` on its own, in one statement, for a review not read with its answer."""
    values = db.session.connection().execute(_read_statement(), {
        "user_id": user_id, "question_id": question_id, "answer_id": answer_id or -1}).one()._mapping
    return PracticeRead.of(values)


def usual_seconds(user_id: int, question_id: int, answer_id: int | None = None) -> float | None:
    """The question's median answer time in the student's classes (its latest ``PACE_SAMPLE`` answers there);
    failing enough of those, the student's own median time; None when neither has ``rules.PACE_MINIMUM``."""
    return read(user_id, question_id, answer_id).usual


@dataclass(frozen=True)
class Reviewed:
    """A review just stored: its id, the rating, and the card's new due time."""

    review_id: int
    card_id: int
    rating: Rating
    due: datetime
    new_card: bool


def fingerprint(type_name: str, spec: dict[str, Any]) -> str:
    """The fingerprint of a question's key (``rules.key_fingerprint``)."""
    return rules.key_fingerprint(type_name, question_type(type_name).correct_answer(spec))


def review_answer(user_id: int, question_id: int, *, version: int, question_type_name: str,
                  spec: dict[str, Any], is_correct: bool, seconds: float | None, at: datetime, source: str,
                  answer_id: int | None = None, known: PracticeRead | None = None,
                  fuzzing: bool = True) -> Reviewed | None:
    """Review (or make) the student's card for a graded answer, in the caller's unit of work: the answer's
    store and its review commit together. ``version``, ``question_type_name`` and ``spec`` are the question's
    as it was graded; ``known``, the card and usual time when the caller read them with the answer's attempt
    (then two statements: the card's upsert and the review's insert). None when a concurrent answer to the
    same card won the race: the answer stands, and the card keeps that other review."""
    known = known or read(user_id, question_id, answer_id)
    memory = known.card.memory if known.card else None
    rating = rules.rating_for_answer(is_correct, seconds, known.usual, memory is not None and memory.in_review)
    return _store_review(user_id, question_id, known.card, rating, at=at, source=source, version=version,
                         fingerprint=fingerprint(question_type_name, spec),
                         seconds=seconds, answer_id=answer_id, fuzzing=fuzzing)


def _store_review(user_id: int, question_id: int, card: CardRow | None, rating: Rating, *, at: datetime,
                  source: str, version: int, fingerprint: str, seconds: float | None,
                  answer_id: int | None = None, response: list[str] | None = None, score: float | None = None,
                  fuzzing: bool = True) -> Reviewed | None:
    """Apply one review to the card (made here if ``card`` is None) and store the review: two statements.
    The card is written only if it is still as read (its ``reps``), so two reviews racing for it cannot
    both apply."""
    connection = db.session.connection()
    if card is not None and version < card.question_version:
        # An answer to a version older than the card's (an attempt begun before the question changed): the
        # card is the new version's; the answer stands, but does not review it.
        return None
    restarted = card is not None and card.key_fingerprint != fingerprint
    # Graded against a key other than the card's: what the student remembered is not this key.
    memory = None if restarted or card is None else card.memory
    after = rules.review(memory, rating, at, fuzzing)
    card_id = connection.execute(_upsert_card_statement(), {
        "user_id": user_id, "question_id": question_id, "state": after.state, "step": after.step,
        "stability": after.stability, "difficulty": after.difficulty, "due": after.due,
        "last_review": after.last_review, "question_version": version, "key_fingerprint": fingerprint,
        "reps": 1 if restarted or card is None else card.reps + 1,
        "lapses": 0 if restarted or card is None else card.lapses + int(rules.is_lapse(memory, rating)),
        # The note stays through the first review after a restart, and goes with the next.
        "note": NOTE_KEY_CHANGED.format(day=at.date().isoformat()) if restarted else "",
        "created_at": at, "read_reps": -1 if card is None else card.reps,
        "read_stability": -1.0 if card is None or card.stability is None else card.stability,
    }).scalar()
    if card_id is None:
        return None
    review_id = connection.execute(_insert_review_statement(), {
        "card_id": card_id, "user_id": user_id, "answer_id": answer_id, "rating": int(rating), "source": source,
        "reviewed_at": at, "duration_ms": None if seconds is None else round(seconds * 1000),
        "new_card": memory is None, "response": response, "score": score,
        "state_before": memory.state if memory else None, "step_before": memory.step if memory else None,
        "stability_before": memory.stability if memory else None,
        "difficulty_before": memory.difficulty if memory else None,
        "due_before": memory.due if memory else None, "last_review_before": memory.last_review if memory else None,
        "state_after": after.state, "step_after": after.step, "stability_after": after.stability,
        "difficulty_after": after.difficulty, "due_after": after.due,
    }).scalar()
    return Reviewed(review_id, card_id, rating, after.due, memory is None)


@cache
def _upsert_card_statement():
    """The card made, or updated if it is still as read (``:read_reps`` and ``:read_stability``; -1 when
    there was none): RETURNING its id, or nothing when another review got there first."""
    table = PracticeCard.__table__
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    columns = ["user_id", "question_id", "state", "step", "stability", "difficulty", "due", "last_review",
               "question_version", "key_fingerprint", "reps", "lapses", "note", "created_at"]
    statement = dialect_insert(table).values({c: bindparam(c, type_=table.c[c].type) for c in columns})
    changing = columns[2:-1]
    # A rating of one's own changes the card but not its reps: the stability read tells it apart.
    return statement.on_conflict_do_update(
        index_elements=["user_id", "question_id"], set_={c: statement.excluded[c] for c in changing},
        where=and_(table.c.reps == bindparam("read_reps"),
                   func.coalesce(table.c.stability, -1.0) == bindparam("read_stability")),
    ).returning(table.c.id)


@cache
def _insert_review_statement():
    table = PracticeReview.__table__
    return insert(table).returning(table.c.id)


def restart_cards(keys: dict[int, tuple[int, str]], at: datetime | None = None) -> int:
    """Start again every card of these questions (by id: the new version and its key's ``fingerprint``),
    whose key has just changed: the next review is the first, and the student is told why. In the caller's
    unit of work; how many were."""
    if not keys:
        return 0
    at = at or utcnow()
    table = PracticeCard.__table__
    restarted = 0
    for question_id, (version, key) in keys.items():
        restarted += db.session.execute(
            update(table).where(table.c.question_id == question_id)
            .values(state=int(State.Learning), step=0, stability=None, difficulty=None, due=at, reps=0, lapses=0,
                    question_version=version, key_fingerprint=key,
                    note=NOTE_KEY_CHANGED.format(day=at.date().isoformat()))
        ).rowcount
    return restarted


# Shown questions ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A practice question as it was shown: to whom, which, which version, its choices' order, when, and the
    card's last review then (None: no card yet). Signed into the page (``seal``), so showing writes nothing;
    the answer checks that it is the student's own (a token passed to a classmate would let them answer,
    and read the key of, a question their own queue never offered) and that the card has not been reviewed
    since."""

    user_id: int
    question_id: int
    version: int
    presentation: dict[str, Any]
    shown_at: datetime
    last_review: datetime | None
    reps: int


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="quizapp.practice.shown")


def seal(shown: Shown, secret: str) -> str:
    return _serializer(secret).dumps({
        "u": shown.user_id, "q": shown.question_id, "v": shown.version, "p": shown.presentation,
        "t": shown.shown_at.isoformat(), "l": shown.last_review.isoformat() if shown.last_review else None,
        "r": shown.reps,
    })


def unseal(token: str, secret: str, max_age: int = TOKEN_MAX_AGE) -> Shown:
    """The shown question a token names: BadToken if it is not one of ours, or too old."""
    try:
        data = _serializer(secret).loads(token or "", max_age=max_age)
        return Shown(int(data["u"]), int(data["q"]), int(data["v"]), dict(data["p"]), datetime.fromisoformat(data["t"]),
                     datetime.fromisoformat(data["l"]) if data["l"] else None, int(data["r"]))
    except SignatureExpired:
        raise BadToken("This question was shown too long ago; here is the next one.") from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise BadToken("This answer does not belong to a question shown to you.") from None


# The queue -----------------------------------------------------------------------------------------------

MODES = ("due", "ahead", "part")


@dataclass
class QueueItem:
    """A question offered for practice, with its card (None: never answered yet)."""

    question: Question
    card: PracticeCard | None


@dataclass
class Queue:
    """What a student has to practise now, and what is coming."""

    items: list[QueueItem]
    due_today: int
    due_tomorrow: int
    due_week: int
    reviewed_today: int
    new_today: int
    limits: rules.Limits
    later_today: int = 0
    """Cards still being learnt that come back later today, not yet due (``LEARN_AHEAD``)."""
    withheld: int = 0
    """Questions left out because their keys are withheld: due ones, or (``part`` mode) the part's."""

    @property
    def reviews_left(self) -> int:
        return max(0, self.limits.reviews_per_day - self.reviewed_today)

    @property
    def new_left(self) -> int:
        return max(0, self.limits.new_per_day - self.new_today)

    @property
    def new_offered(self) -> int:
        """Of the items, the questions never answered before."""
        return sum(1 for item in self.items if item.card is None)


def limits(user: User) -> rules.Limits:
    settings = db.session.get(PracticeSettings, user.id)
    if settings is None:
        return rules.Limits()
    return rules.Limits(settings.new_per_day, settings.reviews_per_day)


@transactional
def set_limits(user: User, new_per_day: int, reviews_per_day: int) -> rules.Limits:
    for name, value in (("new_per_day", new_per_day), ("reviews_per_day", reviews_per_day)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= rules.Limits.MAXIMUM:
            raise Invalid(f"{name} must be a whole number from 0 to {rules.Limits.MAXIMUM}.")
    settings = db.session.get(PracticeSettings, user.id)
    if settings is None:
        settings = PracticeSettings(user_id=user.id)
        db.session.add(settings)
    settings.new_per_day, settings.reviews_per_day = new_per_day, reviews_per_day
    return rules.Limits(new_per_day, reviews_per_day)


def _active() -> ColumnElement[bool]:
    """Questions that may be offered: neither archived nor drafts, in a bank that is not put away."""
    return and_(Question.archived.is_(False), Question.draft.is_(False), Bank.archived.is_(False))


PRACTICE_SOURCES = ("practice", "self")


LEARN_AHEAD = timedelta(minutes=20)
"""How early a card still being learnt (due again in minutes) comes back: Anki's learn-ahead limit. A card in
review is due all its day."""


def _identity():
    return func.coalesce(Question.lineage, Question.id)


def queue(user: User, zone: ZoneInfo, now: datetime | None = None, mode: str = "due",
          part_id: int | None = None, size: int = 50) -> Queue:
    """The student's practice: in ``due`` mode the cards due now, most overdue first, mixed across banks
    (a card in review is due all its day; one still being learnt, from ``LEARN_AHEAD`` before its time),
    within the daily limit of reviews, then questions never answered from the texts the student has begun,
    within the daily limit of new ones; ``ahead``, the cards due later, soonest first; ``part``, the cards
    of one key point, FAQ or section, least remembered first, then its questions never answered, within the
    daily limit of new ones. Questions whose keys are withheld are left out; the counts say how many."""
    now = now or utcnow()
    today = rules.school_day(now, zone)
    end_today = rules.day_end(today, zone)
    withheld = withheld_keys(user.id, now)
    held = _identity().in_(list(withheld.identities)) if withheld else false()
    due_now = or_(and_(PracticeCard.state == int(State.Review), PracticeCard.due < end_today),
                  PracticeCard.due <= now + LEARN_AHEAD)
    # With the counts, in the same statement: what the student did on the practice page today, and their
    # limits (a statement each, on every practice page, otherwise).
    done = (select(PracticeReview.id).where(PracticeReview.user_id == user.id,
                                            PracticeReview.reviewed_at >= rules.day_start(today, zone),
                                            PracticeReview.source.in_(PRACTICE_SOURCES)))
    reviewed = select(func.count()).select_from(done.where(PracticeReview.new_card.is_(False)).subquery())
    fresh = select(func.count()).select_from(done.where(PracticeReview.new_card.is_(True)).subquery())
    settings = select(PracticeSettings.new_per_day, PracticeSettings.reviews_per_day).where(
        PracticeSettings.user_id == user.id)
    counts = db.session.execute(
        select(reviewed.scalar_subquery(), fresh.scalar_subquery(),
               settings.with_only_columns(PracticeSettings.new_per_day).scalar_subquery(),
               settings.with_only_columns(PracticeSettings.reviews_per_day).scalar_subquery(),
               func.count().filter(due_now, ~held),
               func.count().filter(PracticeCard.due < end_today, ~due_now, ~held),
               func.count().filter(PracticeCard.due < end_today, held),
               func.count().filter(PracticeCard.due >= end_today,
                                   PracticeCard.due < rules.day_end(today + timedelta(days=1), zone)),
               func.count().filter(PracticeCard.due >= end_today,
                                   PracticeCard.due < rules.day_end(today + timedelta(days=7), zone)))
        .select_from(PracticeCard).join(Question, Question.id == PracticeCard.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(PracticeCard.user_id == user.id, _active())
    ).one()
    reviewed, new, new_per_day, reviews_per_day, *counts = counts
    user_limits = rules.Limits() if new_per_day is None else rules.Limits(new_per_day, reviews_per_day)
    result = Queue([], counts[0], counts[3], counts[4], reviewed, new, user_limits, later_today=counts[1])
    cards = (select(PracticeCard, Question).join(Question, Question.id == PracticeCard.question_id)
             .join(Bank, Bank.id == Question.bank_id).where(PracticeCard.user_id == user.id, _active(), ~held)
             .options(joinedload(Question.source_part)))
    if mode == "due":
        room = min(size, result.reviews_left)
        result.withheld = counts[2]
        query = cards.where(due_now).order_by(PracticeCard.due, PracticeCard.id)
    elif mode == "ahead":
        room = size
        query = cards.where(PracticeCard.due > now, ~due_now).order_by(PracticeCard.due, PracticeCard.id)
    elif mode == "part":
        if part_id is None:
            raise Invalid("Choose a key point, FAQ or section to practise.")
        room = size
        result.withheld = db.session.scalar(
            select(func.count()).select_from(Question).join(Bank, Bank.id == Question.bank_id)
            .where(Question.source_part_id == part_id, _active(), held))
        query = cards.where(Question.source_part_id == part_id).order_by(
            PracticeCard.stability.is_(None).desc(), PracticeCard.stability, PracticeCard.due)
    else:
        raise Invalid(f"Unknown practice mode {mode!r}.")
    if room > 0:
        result.items.extend(QueueItem(question, card) for card, question in db.session.execute(query.limit(room)))
    if mode != "ahead":
        _add_new(result, user, held, size, part_id if mode == "part" else None)
    return result


def _add_new(result: Queue, user: User, held, size: int, part_id: int | None) -> None:
    """Questions the student has never answered, after the cards, within the daily limit of new ones: of one
    part (``part_id``), or of the texts the student has begun, taken from each text in turn; none of those
    ``held`` (SQL: withheld from the student)."""
    room = min(size - len(result.items), result.new_left)
    if room <= 0:
        return
    seen = select(PracticeCard.question_id).where(PracticeCard.user_id == user.id)
    # Only the texts anyone may practise (the bundled ones) and the student's own: a teacher's bank reaches a
    # student through the questions set to them, and its others stay the teacher's until then.
    query = (select(Question).join(Bank, Bank.id == Question.bank_id)
             .where(_active(), Question.id.not_in(seen), ~held, or_(Bank.owner_id.is_(None), Bank.owner_id == user.id))
             .options(joinedload(Question.source_part)))
    if part_id is not None:
        query = query.where(Question.source_part_id == part_id)
    else:
        begun = (select(Question.bank_id).join(PracticeCard, PracticeCard.question_id == Question.id)
                 .where(PracticeCard.user_id == user.id).distinct())
        query = query.where(Question.bank_id.in_(begun))
    by_bank: dict[int, list[Question]] = defaultdict(list)
    for question in db.session.scalars(query.order_by(Question.bank_id, Question.source_part_id, Question.id)
                                       .limit(10 * room)):
        by_bank[question.bank_id].append(question)
    # One from each text in turn: mixed across texts, each in the order of its parts.
    fresh = [q for batch in zip_longest(*by_bank.values()) for q in batch if q is not None][:room]
    result.items.extend(QueueItem(question, None) for question in fresh)


def show(user: User, item: QueueItem, now: datetime | None = None, rng: random.Random | None = None) -> Shown:
    """Show a queued question: its choices in a fresh order, the time, and the card as it is."""
    question = item.question
    presentation = question_type(question.type).present(question.spec, rng or random.SystemRandom(), True)
    return Shown(user.id, question.id, question.version, presentation, now or utcnow(),
                 item.card.last_review if item.card else None, item.card.reps if item.card else 0)


def practice_part(user: User, part_id: int) -> SourcePart:
    """A key point, FAQ or section the student may practise: of a bundled bank or their own, or of a bank
    they have cards in (a teacher's bank reaches a student through an assignment). NotFound otherwise, and
    for a bank put away, as if it did not exist."""
    part = db.session.get(SourcePart, part_id)
    if part is None or part.bank.archived:
        raise NotFound("No such key point, FAQ or section.")
    if part.bank.owner_id not in (None, user.id) and not db.session.scalar(
            select(exists().where(PracticeCard.user_id == user.id, PracticeCard.question_id == Question.id,
                                  Question.bank_id == part.bank_id))):
        raise NotFound("No such key point, FAQ or section.")
    return part


# Answering on the practice page ------------------------------------------------------------------------

@dataclass
class PracticeFeedback:
    """A practice answer's feedback: always with the key, explanation and passage (the question is offered
    only when its key may be shown)."""

    review: PracticeReview
    question: Question
    card: PracticeCard
    presentation: dict[str, Any] = field(default_factory=dict)
    part_withheld: bool = False
    """The text of the question's key point, FAQ or section is held back: another question drawn from it is
    withheld from the student (``key_secrecy``)."""

    def __post_init__(self):
        if not self.presentation:  # the choices as stored, when the order shown is not known
            self.presentation = question_type(self.question.type).present(self.question.spec, random.Random(0),
                                                                          False)

    @property
    def rating_name(self) -> str:
        return rules.RATING_NAMES[Rating(self.review.rating)]

    @property
    def correct_answer(self) -> list[str]:
        return question_type(self.question.type).correct_answer(self.question.spec)

    @property
    def is_correct(self) -> bool:
        return bool(self.review.score is not None and self.review.score >= 1)

    @property
    def choices(self) -> list[dict[str, Any]]:
        shown = question_type(self.question.type).public(self.question.spec, self.presentation).get("choices", [])
        key = set(self.correct_answer)
        response = self.review.response or []
        return [{"text": c["text"], "picked": c["text"] in response, "right": c["text"] in key} for c in shown]

    @property
    def sentence(self) -> list[dict[str, Any]]:
        if self.question.type != "cloze":
            return []
        return question_type("cloze").filled(self.question.spec, self.review.response or [])

    @property
    def can_rate(self) -> bool:
        return self.review.source in PRACTICE_SOURCES


def _refuse_withheld(user_id: int, question: Question, now: datetime) -> bool:
    """KeyWithheld if the question's key is withheld from the student; else whether its part's text is."""
    withheld = withheld_keys(user_id, now)
    if withheld.covers(question):
        raise KeyWithheld("This question is in an assignment still open for you: practise it once its answers "
                          "are shown.")
    part = question.source_part
    return bool(withheld) and (part.bank_id, part.reference) in withheld.source_parts()


def answer(user: User, shown: Shown, raw: list[str], now: datetime | None = None, rating_name: str | None = None,
           fuzzing: bool = True) -> PracticeFeedback:
    """Grade a practice answer to a question shown (``Shown``), review its card with the rating the answer
    gives (or, with ``rating_name``, the student's own, stored as theirs), and return the feedback. Refused
    if the question was shown to someone else (BadToken), changed or was put away since it was shown, if its
    key is withheld, or if the card was reviewed since (``AlreadyReviewed``)."""
    now = now or utcnow()
    if shown.user_id != user.id:
        raise BadToken("This answer does not belong to a question shown to you.")
    chosen = None
    if rating_name is not None:
        chosen = rules.RATINGS_BY_NAME.get(rating_name)
        if chosen is None:
            raise Invalid("Rate your recall as again, hard, good or easy.")
    question = db.session.get(Question, shown.question_id)
    if question is None or question.archived or question.draft or question.bank.archived:
        raise QuestionChanged("This question was put away by its teacher; here is the next one.")
    if question.version != shown.version:
        raise QuestionChanged("This question changed since it was shown; here it is again as it is now.")
    _refuse_withheld(user.id, question, now)
    kind = question_type(question.type)
    response = kind.parse(shown.presentation, raw)
    grade: Grade = kind.grade(question.spec, response)
    # From when it was shown, or from the student's last practice answer if later: a client given several
    # questions at once answers them one after another.
    previous = db.session.scalar(select(func.max(PracticeReview.reviewed_at)).where(
        PracticeReview.user_id == user.id, PracticeReview.reviewed_at >= shown.shown_at,
        PracticeReview.source.in_(PRACTICE_SOURCES)))
    seconds = max(0.0, (now - max(shown.shown_at, previous or shown.shown_at)).total_seconds())
    with unit_of_work():
        known = read(user.id, question.id)
        card = known.card
        if (card.reps if card else 0) != shown.reps or (card.last_review if card else None) != shown.last_review:
            raise AlreadyReviewed("You have answered this question since it was shown; here is the next one.")
        memory = card.memory if card else None
        rating = chosen or rules.rating_for_answer(grade.is_correct, seconds, known.usual,
                                                   memory is not None and memory.in_review)
        done = _store_review(user.id, question.id, card, rating, at=now, source="self" if chosen else "practice",
                             version=question.version, fingerprint=fingerprint(question.type, question.spec),
                             seconds=seconds, response=response, score=grade.score, fuzzing=fuzzing)
        if done is None:
            raise AlreadyReviewed("You have answered this question since it was shown; here is the next one.")
    return feedback(user, done.review_id, shown.presentation)


def feedback(user: User, review_id: int, presentation: dict[str, Any] | None = None,
             now: datetime | None = None) -> PracticeFeedback:
    """A practice review's feedback, for its student only (NotFound otherwise, as if it did not exist).
    KeyWithheld while an assignment open for the student can ask the question (one set after the answer)."""
    review = db.session.get(PracticeReview, review_id)
    if review is None or review.user_id != user.id or review.source not in PRACTICE_SOURCES:
        raise NotFound("No such practice answer.")
    card = db.session.get(PracticeCard, review.card_id)
    return PracticeFeedback(review, card.question, card, presentation or {},
                            part_withheld=_refuse_withheld(user.id, card.question, now or utcnow()))


def rate(user: User, review_id: int, rating_name: str, now: datetime | None = None,
         fuzzing: bool = True) -> PracticeFeedback:
    """Replace a practice answer's rating with the student's own (Again, Hard, Good, Easy), as Anki users
    rate their recall after seeing the answer: the card is scheduled again from its state before the
    answer. Only for the card's latest review, within ``SELF_RATING_WINDOW``."""
    now = now or utcnow()
    rating = rules.RATINGS_BY_NAME.get(rating_name)
    if rating is None:
        raise Invalid("Rate your recall as again, hard, good or easy.")
    with unit_of_work():
        review = db.session.get(PracticeReview, review_id, with_for_update=True)
        if review is None or review.user_id != user.id or review.source not in PRACTICE_SOURCES:
            raise NotFound("No such practice answer.")
        card = db.session.get(PracticeCard, review.card_id, with_for_update=True)
        part_withheld = _refuse_withheld(user.id, card.question, now)
        latest = db.session.scalar(select(func.max(PracticeReview.id)).where(PracticeReview.card_id == card.id))
        if latest != review.id or now - review.reviewed_at > SELF_RATING_WINDOW:
            raise PracticeError("This answer can no longer be rated: the question has been reviewed again since, "
                                "or too long ago.")
        before = None if review.new_card or review.stability_before is None else rules.Memory(
            review.state_before, review.step_before, review.stability_before, review.difficulty_before,
            review.due_before, review.last_review_before)
        after = rules.review(before, rating, review.reviewed_at, fuzzing)
        card.lapses += int(rules.is_lapse(before, rating)) - int(rules.is_lapse(before, Rating(review.rating)))
        card.state, card.step, card.stability = after.state, after.step, after.stability
        card.difficulty = after.difficulty
        card.due, card.last_review = after.due, after.last_review
        review.rating, review.source = int(rating), "self"
        review.state_after, review.step_after, review.stability_after = after.state, after.step, after.stability
        review.difficulty_after, review.due_after = after.difficulty, after.due
    return PracticeFeedback(review, card.question, card, part_withheld=part_withheld)


# Progress ------------------------------------------------------------------------------------------------

TREND_WEEKS = 4
LIST_LENGTH = 10
LAPSE_MINIMUM = 3
"""Reviews of a question's cards after their first before its lapse rate is listed."""


class recall_at(FunctionElement):
    """SQL: a card's predicted recall at a moment, as ``rules.recall`` computes it: ``(1 + factor * t / S) **
    decay`` for ``t`` days since its last review. Arguments: stability, last review, moment."""

    type = Float()
    inherit_cache = True


@compiles(recall_at, "sqlite")
def _recall_sqlite(element, compiler, **kw):
    stability, last_review, moment = (compiler.process(c, **kw) for c in element.clauses)
    factor, decay = rules.recall_curve()
    return f"pow(1 + {factor!r} * max(0, julianday({moment}) - julianday({last_review})) / {stability}, {decay!r})"


@compiles(recall_at, "postgresql")
def _recall_postgresql(element, compiler, **kw):
    stability, last_review, moment = (compiler.process(c, **kw) for c in element.clauses)
    factor, decay = rules.recall_curve()
    # date_part, not extract: extract returns numeric on PostgreSQL 14+, and the whole formula would then
    # run in arbitrary precision, twice as slow over a class's cards.
    return (f"power(1 + {factor!r} * greatest(0, date_part('epoch', {moment} - {last_review}) / 86400) "
            f"/ {stability}, {decay!r})")


@dataclass
class PartProgress:
    """What a student (or a class) remembers of one key point, FAQ or section: the mean predicted recall of
    its cards, how many of its questions have been seen, and, while the part's text could give away a key
    still withheld from the student, its label alone (``titled`` False)."""

    part: SourcePart
    recall: float | None
    seen: int
    questions: int
    titled: bool = True
    trend: list[float | None] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.part.label}: {self.part.title}" if self.titled else self.part.label

    @property
    def withheld(self) -> str | None:
        return None if self.titled else ("its text is held back while a quiz on it is still open for you, because "
                                         "the text could give an answer away")

    @property
    def chart_row(self) -> dict:
        note = f"{self.seen} of {self.questions} questions seen"
        return {"label": self.label, "value": self.recall, "note": note}


@dataclass
class Progress:
    """A student's practice progress: per bank the parts' predicted recall by the end of the school day,
    today and the same weekday of each of the last weeks (``points``: those days, as they began, oldest
    first, today last: ``PartProgress.trend``), a forecast of reviews due over the next days, the streak of
    practice days, and what is due today. By the end of the day: what the student still remembers tonight
    unless they practise, since recall falls by whole days after a review."""

    banks: list[tuple[Bank, list[PartProgress]]]
    forecast: list[tuple[date, int]]
    streak: int
    due_today: int
    cards: int
    practised_today: bool
    points: list[datetime] = field(default_factory=list)

    @property
    def forecast_rows(self) -> list[dict]:
        return [{"label": day.strftime("%a %d %b"), "value": count, "day": day} for day, count in self.forecast]


STREAK_HORIZON = timedelta(days=400)


def _parts_with_counts(bank_ids: Iterable[int]) -> list[tuple[SourcePart, int]]:
    """The parts of these banks with how many questions each may ask, in bank and part order."""
    counted = (select(Question.source_part_id, func.count(Question.id).label("questions"))
               .where(Question.bank_id.in_(list(bank_ids)), Question.archived.is_(False), Question.draft.is_(False))
               .group_by(Question.source_part_id).subquery())
    return list(db.session.execute(
        select(SourcePart, func.coalesce(counted.c.questions, 0)).outerjoin(counted, counted.c.source_part_id ==
                                                                           SourcePart.id)
        .where(SourcePart.bank_id.in_(list(bank_ids)))
        .order_by(SourcePart.bank_id, SourcePart.kind, SourcePart.number)
    ))


def progress(user: User, zone: ZoneInfo, now: datetime | None = None, days: int = 14,
             weeks: int = TREND_WEEKS) -> Progress:
    """The student's progress (``Progress``) over the banks they have cards in: recall per part today and at
    the start of each week back, counted as for a class, so a student and their teacher read the same
    numbers."""
    now = now or utcnow()
    today = rules.school_day(now, zone)
    trend_days = _trend_days(today, weeks)
    recall = _by_part(_recall_at([user.id], [rules.day_end(d, zone) for d in trend_days]))
    dues = list(db.session.scalars(
        select(PracticeCard.due).join(Question, Question.id == PracticeCard.question_id)
        .join(Bank, Bank.id == Question.bank_id).where(PracticeCard.user_id == user.id, _active())))
    withheld_keys_now = withheld_keys(user.id, now)
    withheld = withheld_keys_now.source_parts() if recall.bank_ids else set()
    if withheld_keys_now:  # a question held back is not due for the student, who cannot practise it
        dues = list(db.session.scalars(
            select(PracticeCard.due).join(Question, Question.id == PracticeCard.question_id)
            .join(Bank, Bank.id == Question.bank_id)
            .where(PracticeCard.user_id == user.id, _active(),
                   _identity().not_in(list(withheld_keys_now.identities)))))
    end_today = rules.day_end(today, zone)
    practised = {rules.school_day(at, zone) for at in db.session.scalars(
        select(PracticeReview.reviewed_at).where(PracticeReview.user_id == user.id,
                                                 PracticeReview.reviewed_at >= now - STREAK_HORIZON))}
    return Progress(
        banks=_parts_progress(recall, withheld),
        forecast=rules.forecast(dues, now, zone, days),
        streak=rules.streak(practised, today),
        due_today=sum(1 for due in dues if due < end_today),
        cards=len(dues),
        practised_today=today in practised,
        points=[rules.day_start(day, zone) for day in trend_days],
    )


# A class's practice, for its teacher -------------------------------------------------------------------



@dataclass(frozen=True)
class OverdueStudent:
    user: User
    overdue: int
    oldest_due: datetime


@dataclass(frozen=True)
class ForgottenQuestion:
    question: Question
    lapses: int
    reviews: int
    asked_in: tuple[Assignment, ...] = ()
    """The class's assignments whose quiz can ask the question: where its item statistics are."""

    @property
    def rate(self) -> float:
        return self.lapses / self.reviews if self.reviews else 0.0


@dataclass
class ClassPractice:
    """A class's practice: per bank, each part's predicted recall by the end of the school day, today and
    the same weekday of each of the last weeks (``points``: those days, as they began, oldest first, today
    last); the students with the most overdue cards; the questions most often forgotten."""

    points: list[datetime]
    banks: list[tuple[Bank, list[PartProgress]]]
    overdue: list[OverdueStudent]
    forgotten: list[ForgottenQuestion]
    students: int

    def weakest(self, bank_id: int, count: int = 2) -> list[PartProgress]:
        """The parts of a bank with the lowest recall today (seen by the class at all)."""
        for bank, parts in self.banks:
            if bank.id == bank_id:
                return sorted((p for p in parts if p.recall is not None), key=lambda p: p.recall)[:count]
        return []


def _trend_days(today: date, weeks: int) -> list[date]:
    """The school days a trend is read at: ``weeks`` weeks back, one a week, oldest first, then today."""
    return [today - timedelta(days=7 * k) for k in range(weeks, -1, -1)]


@dataclass
class QuestionRecall:
    """One question's cards (of a student, or of a class's students) at a moment: how many there were, their
    summed predicted recall, and their lapses and reviews after the first."""

    bank_id: int
    part_id: int
    cards: int = 0
    recall_sum: float = 0.0
    lapses: int = 0
    reviews: int = 0


def _card_rows(students, *columns):
    """The cards of ``students`` (ids, or SQL selecting them) that have been reviewed since they were last
    started, on questions that may be asked, grouped by question: ``columns`` aggregated over each."""
    card = PracticeCard
    return db.session.execute(
        select(card.question_id, Question.bank_id, Question.source_part_id, *columns)
        .join(Question, Question.id == card.question_id).join(Bank, Bank.id == Question.bank_id)
        .where(card.user_id.in_(students), card.stability.is_not(None), _active())
        .group_by(card.question_id, Question.bank_id, Question.source_part_id)
    ).all()


def _recall_at(students, moments: list[datetime],
               as_of: list[datetime] | None = None) -> list[dict[int, QuestionRecall]]:
    """Per question, at each of ``moments``, the cards of ``students`` as they were at the matching moment of
    ``as_of`` (by default the same) and their summed recall at the moment, counted by the database
    (``recall_at``): one pass over the cards for all the moments (a card last reviewed by then is as it is
    now), and one over the reviews since the first (a card reviewed after then was as it was before its
    first review since). A moment to come, with the cards as they are now, is a forecast."""
    if not moments:
        return []
    as_of = as_of or moments
    card, review = PracticeCard, PracticeReview
    covered = [(func.sum(case((card.last_review <= then, recall_at(card.stability, card.last_review, at)))),
                func.count(case((card.last_review <= then, 1)))) for at, then in zip(moments, as_of, strict=True)]
    first_since = [and_(review.reviewed_at > then, review.last_review_before <= then) for then in as_of]
    since = [(func.sum(case((first, recall_at(review.stability_before, review.last_review_before, at)))),
              func.count(case((first, 1)))) for first, at in zip(first_since, moments, strict=True)]
    before = {row[0]: row[1:] for row in db.session.execute(
        select(card.question_id, *(c for pair in since for c in pair)).join(card, card.id == review.card_id)
        .where(review.user_id.in_(students), review.reviewed_at > min(as_of), review.stability_before.is_not(None))
        .group_by(card.question_id))}
    found: list[dict[int, QuestionRecall]] = [{} for _ in moments]
    for question_id, bank_id, part_id, lapsed, reps, *values in _card_rows(
            students, func.sum(card.lapses), func.sum(card.reps - 1), *(c for pair in covered for c in pair)):
        extra = before.get(question_id, (0,) * (2 * len(moments)))
        for k in range(len(moments)):
            cards = int(values[2 * k + 1] or 0) + int(extra[2 * k + 1] or 0)
            if cards:
                found[k][question_id] = QuestionRecall(
                    bank_id, part_id, cards, float(values[2 * k] or 0) + float(extra[2 * k] or 0),
                    int(lapsed or 0), int(reps or 0))
    return found


def _today_from_stored(students, start: datetime, end: datetime, stored: dict[int, QuestionRecall],
                       computed_at: datetime) -> dict[int, QuestionRecall]:
    """Today's figures (the cards as they are now, by the day's ``end``) from those stored as the day began
    (``store_day``) and the reviews since its ``start``: a card reviewed today counts its recall from its
    state now instead of from its state at the start, a card made today is added, and the reviews and
    lapses since the figures were stored (``computed_at``) are counted in."""
    review, card = PracticeReview, PracticeCard
    existed = review.last_review_before <= start
    since_stored = review.reviewed_at > computed_at
    lapse = and_(since_stored, review.rating == int(Rating.Again), review.state_before == int(State.Review))
    now_recall = recall_at(card.stability, card.last_review, end)
    found = {q: QuestionRecall(**vars(r)) for q, r in stored.items()}
    for question_id, bank_id, part_id, lost, refreshed, made, again, lapsed in db.session.execute(
        select(card.question_id, Question.bank_id, Question.source_part_id,
               func.sum(case((existed, recall_at(review.stability_before, review.last_review_before, end)))),
               func.sum(case((and_(or_(existed, review.new_card), card.stability.is_not(None)), now_recall))),
               func.count(case((review.new_card, 1))),
               func.count(case((and_(since_stored, ~review.new_card), 1))), func.count(case((lapse, 1))))
        .join(card, card.id == review.card_id)
        .join(Question, Question.id == card.question_id).join(Bank, Bank.id == Question.bank_id)
        .where(review.user_id.in_(students), review.reviewed_at > start, _active())
        .group_by(card.question_id, Question.bank_id, Question.source_part_id)
    ):
        row = found.setdefault(question_id, QuestionRecall(bank_id, part_id))
        row.recall_sum += float(refreshed or 0) - float(lost or 0)
        row.cards += int(made or 0)
        row.reviews += int(again or 0)
        row.lapses += int(lapsed or 0)
    return found


@dataclass
class _Recall:
    """Recall per part at each point of a trend, how many of its questions have cards today, and today's
    figures per question."""

    trend: dict[int, list[float | None]]
    seen: dict[int, int]
    today: dict[int, QuestionRecall]
    bank_ids: list[int]


def _by_part(points: list[dict[int, QuestionRecall]]) -> _Recall:
    """Per-question figures at each point (the last is today) summed by part."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(points))
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(points))
    for k, rows in enumerate(points):
        for row in rows.values():
            sums[row.part_id][k] += row.recall_sum
            counts[row.part_id][k] += row.cards
    today = points[-1]
    seen: dict[int, int] = defaultdict(int)
    for row in today.values():
        seen[row.part_id] += 1
    trend = {part: [sums[part][k] / counts[part][k] if counts[part][k] else None for k in range(len(points))]
             for part in sums}
    return _Recall(trend, seen, today, sorted({r.bank_id for rows in points for r in rows.values()}))


def _parts_progress(recall: _Recall,
                    withheld: set[tuple[int, str]] = frozenset()) -> list[tuple[Bank, list[PartProgress]]]:
    """Every part of the banks with cards, with its recall today, its trend and its questions seen."""
    banks = {b.id: b for b in db.session.scalars(select(Bank).where(Bank.id.in_(recall.bank_ids)))}
    by_bank: dict[int, list[PartProgress]] = defaultdict(list)
    for part, questions in _parts_with_counts(recall.bank_ids):
        trend = recall.trend.get(part.id, [])
        by_bank[part.bank_id].append(PartProgress(
            part, trend[-1] if trend else None, recall.seen.get(part.id, 0), questions,
            titled=(part.bank_id, part.reference) not in withheld, trend=trend))
    return [(banks[b], by_bank[b]) for b in recall.bank_ids]


# A class's figures at the start of each day, stored once ---------------------------------------------------

def _members(classroom_id: int):
    return select(Membership.user_id).where(Membership.classroom_id == classroom_id).scalar_subquery()


@transactional
def store_day(classroom, day: date, zone: ZoneInfo, now: datetime | None = None) -> int:
    """Store the class's figures per question for the school ``day`` (``PracticeDay``), in place of any
    stored before; how many rows. Once the day is over, as it ended (final); while it runs, the cards as the
    day began, counted at its end (``_today_from_stored`` adds the day's reviews when the page is read).
    The day must have begun."""
    now = now or utcnow()
    start, end = rules.day_start(day, zone), rules.day_end(day, zone)
    if start > now:
        raise Invalid("A day's figures are stored once it has begun.")
    (rows,) = _recall_at(_members(classroom.id), [end], [end if end <= now else start])
    db.session.execute(delete(PracticeDay).where(PracticeDay.classroom_id == classroom.id, PracticeDay.day == day))
    if rows:
        db.session.execute(insert(PracticeDay), [
            {"classroom_id": classroom.id, "day": day, "question_id": question_id, "cards": r.cards,
             "recall_sum": r.recall_sum, "lapses": r.lapses, "reviews": r.reviews, "computed_at": now}
            for question_id, r in rows.items()])
    return len(rows)


def store_days(zone: ZoneInfo, now: datetime | None = None, weeks: int = TREND_WEEKS) -> tuple[int, int]:
    """For every class with students, store the figures of the days its practice page reads (today and one
    a week back) that are not stored yet, or were stored before the day was over, each day in a unit of its
    own: ``flask practice store-days``, run after midnight. (days stored, classes)."""
    now = now or utcnow()
    days = _trend_days(rules.school_day(now, zone), weeks)
    stored = {(classroom_id, day): computed for classroom_id, day, computed in db.session.execute(
        select(PracticeDay.classroom_id, PracticeDay.day, func.min(PracticeDay.computed_at))
        .where(PracticeDay.day.in_(days)).group_by(PracticeDay.classroom_id, PracticeDay.day))}
    classes = db.session.scalars(select(Classroom).where(Classroom.id.in_(select(Membership.classroom_id)))).all()
    made = 0
    for classroom in classes:
        for day in days:
            computed = stored.get((classroom.id, day))
            if computed is None or (computed < rules.day_end(day, zone) <= now):
                store_day(classroom, day, zone, now)
                made += 1
    return made, len(classes)


def _stored(classroom_id: int, days: list[date],
            zone: ZoneInfo) -> tuple[dict[date, dict[int, QuestionRecall]], datetime | None]:
    """The class's stored figures of these days, per question that may be asked (a past day only as it
    ended, stored after; today's as it began), and when today's were stored."""
    found: dict[date, dict[int, QuestionRecall]] = {}
    provisional: set[date] = set()
    today, computed_today = days[-1], None
    for day, question_id, bank_id, part_id, cards, total, lapsed, reviews, computed in db.session.execute(
        select(PracticeDay.day, PracticeDay.question_id, Question.bank_id, Question.source_part_id,
               PracticeDay.cards, PracticeDay.recall_sum, PracticeDay.lapses, PracticeDay.reviews,
               PracticeDay.computed_at)
        .join(Question, Question.id == PracticeDay.question_id).join(Bank, Bank.id == Question.bank_id)
        .where(PracticeDay.classroom_id == classroom_id, PracticeDay.day.in_(days), _active())
    ):
        if day != today and computed < rules.day_end(day, zone):
            provisional.add(day)
        if day == today:
            computed_today = min(computed, computed_today or computed)
        found.setdefault(day, {})[question_id] = QuestionRecall(bank_id, part_id, cards, total, lapsed, reviews)
    return {day: rows for day, rows in found.items() if day not in provisional}, computed_today


def class_practice(classroom, zone: ZoneInfo, now: datetime | None = None, weeks: int = TREND_WEEKS) -> ClassPractice:
    """``ClassPractice`` for the class's members: recall per part today and at the start of each week back,
    the students with the most overdue cards, the questions most often forgotten. A day's figures stored
    by ``store_day`` are read; those not stored are counted from the cards and reviews (the same numbers,
    slower for a large class)."""
    now = now or utcnow()
    today = rules.school_day(now, zone)
    days = _trend_days(today, weeks)
    members = _members(classroom.id)
    stored, computed_today = _stored(classroom.id, days, zone)
    missing = [day for day in days if day not in stored]
    counted = dict(zip(missing, _recall_at(members, [rules.day_end(d, zone) for d in missing]), strict=True))
    if today in stored:
        counted[today] = _today_from_stored(members, rules.day_start(today, zone), rules.day_end(today, zone),
                                            stored.pop(today), computed_today)
    # Only the texts the class's teacher may read: a student of several classes has cards of other teachers'
    # banks too, whose key points and questions are theirs.
    readable = set(db.session.scalars(select(Bank.id).where(or_(
        Bank.owner_id.is_(None), Bank.owner_id == classroom.teacher_id,
        Bank.id.in_(select(BankShare.bank_id).where(BankShare.teacher_id == classroom.teacher_id))))))
    recall = _by_part([{q: r for q, r in (stored.get(day) or counted.get(day, {})).items() if r.bank_id in readable}
                       for day in days])
    card = PracticeCard
    # Off the (user, due, question) index alone: the few questions that may not be asked are left out by id.
    inactive = select(Question.id).join(Bank, Bank.id == Question.bank_id).where(~_active())
    overdue_rows = db.session.execute(
        select(card.user_id, func.count(), func.min(card.due))
        .where(card.user_id.in_(members), card.due < now, card.question_id.not_in(inactive))
        .group_by(card.user_id).order_by(func.count().desc(), func.min(card.due)).limit(LIST_LENGTH)
    ).all()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([r[0] for r in overdue_rows])))}
    lapses = sorted(((q, r.lapses, r.reviews) for q, r in recall.today.items()
                     if r.lapses and r.reviews >= LAPSE_MINIMUM), key=lambda q: (-q[1] / q[2], -q[1], q[0]))
    top = lapses[:LIST_LENGTH]
    questions = {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_([q[0] for q in top]))
        .options(joinedload(Question.bank), joinedload(Question.source_part)))}
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom.id)
        .options(joinedload(Assignment.quiz)).order_by(Assignment.id))) if top else []
    return ClassPractice(
        points=[rules.day_start(day, zone) for day in days],
        banks=_parts_progress(recall),
        overdue=[OverdueStudent(users[u], n, oldest) for u, n, oldest in overdue_rows],
        forgotten=[ForgottenQuestion(questions[q], n, reps, _asked_in(assignments, questions[q]))
                   for q, n, reps in top],
        students=db.session.scalar(select(func.count()).select_from(Membership)
                                   .where(Membership.classroom_id == classroom.id)),
    )


def _asked_in(assignments: list[Assignment], question: Question) -> tuple[Assignment, ...]:
    """Those of the class's ``assignments`` whose quiz can ask ``question``, as drawing reads its filters."""
    candidate = [Candidate(id=question.id, reference=question.source_part.reference,
                           tags=tuple(question.tags or ()), key=question.key)]
    return tuple(a for a in assignments if a.quiz.bank_id == question.bank_id
                 and eligible(candidate, a.quiz.sources, a.quiz.tags, a.quiz.question_keys))


PRACTICE_SET_DAYS = 7
PRACTICE_SET_PARTS = 2


@transactional
def assign_weakest(classroom, bank_id: int, zone: ZoneInfo, now: datetime | None = None,
                   parts: int = PRACTICE_SET_PARTS, days: int = PRACTICE_SET_DAYS) -> Assignment:
    """Set the class a practice set: every question of the ``parts`` key points, FAQs or sections of the bank
    the class remembers least today, open from now for ``days`` days, one attempt (so its feedback shows
    the keys as it goes). Its quiz is made archived: it belongs to this assignment alone, and no list of
    quizzes, bank file or export shows it. Invalid when the class has no recall to go on in that bank."""
    now = now or utcnow()
    weakest = class_practice(classroom, zone, now, weeks=0).weakest(bank_id, parts)
    if not weakest:
        raise Invalid("Nobody in this class has practised this text yet, so there is no weakest key point.")
    references = [p.part.reference for p in weakest]
    # Pressed twice (or by two tabs): the set already open for the class is the one.
    already = db.session.scalar(
        select(Assignment).join(Quiz, Quiz.id == Assignment.quiz_id)
        .where(Assignment.classroom_id == classroom.id, Assignment.archived_at.is_(None),
               Assignment.closes_at > now, Quiz.bank_id == bank_id, Quiz.key.like(f"practice-set-{classroom.id}-%"))
        .order_by(Assignment.id.desc()).limit(1))
    if already is not None and sorted(already.quiz.sources) == sorted(references):
        return already
    taken = db.session.scalar(select(func.count()).select_from(Quiz).where(
        Quiz.bank_id == bank_id, Quiz.key.like(f"practice-set-{classroom.id}-%")))
    bank = weakest[0].part.bank
    quiz = writing.class_quiz(bank, f"practice-set-{classroom.id}-{taken + 1}",
                              "Practice: " + ", ".join(p.part.label for p in weakest),
                              f"The parts of “{bank.source_title}” the class remembers least.", references)
    closes = rules.day_end(rules.school_day(now, zone) + timedelta(days=days - 1), zone)
    return create_assignment(classroom, quiz, now, closes, attempts_allowed=1)


# The history -------------------------------------------------------------------------------------------

def review_logs(batch: int = 5000) -> Iterator[ReviewLog]:
    """Every review as the ``fsrs`` package's ``ReviewLog`` (card, rating, time, milliseconds), oldest first:
    what its optimizer refits the scheduler's parameters from."""
    rows = db.session.execute(
        select(PracticeReview.card_id, PracticeReview.rating, PracticeReview.reviewed_at, PracticeReview.duration_ms)
        .order_by(PracticeReview.reviewed_at, PracticeReview.id).execution_options(yield_per=batch))
    for card_id, rating, reviewed_at, duration_ms in rows:
        yield ReviewLog(card_id, Rating(rating), rules.as_utc(reviewed_at), duration_ms)


def replay(card_id: int) -> rules.Memory | None:
    """The card's state replayed from its stored reviews since it was last (re)started, without fuzzing:
    stability and difficulty come out as stored (fuzzing moves only the due time)."""
    reviews = db.session.execute(
        select(PracticeReview.rating, PracticeReview.reviewed_at, PracticeReview.new_card)
        .where(PracticeReview.card_id == card_id).order_by(PracticeReview.reviewed_at, PracticeReview.id)).all()
    memory = None
    for rating, reviewed_at, new_card in reviews:
        memory = rules.review(None if new_card else memory, Rating(rating), reviewed_at, fuzzing=False)
    return memory
