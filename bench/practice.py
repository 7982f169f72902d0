"""Spaced practice benchmark: a class of 5,000 students with 100 memory cards each and a year of reviews.

Builds the class with bench/leaderboard.py's bulk loader (students, memberships, assignments of the bundled
"Quick ten", answers), loads two more copies of the bundled bank so that there are over 100 questions, and
gives every student 100 cards over them with a year of review history. The histories are replayed with the
app's own scheduler (``quizapp.domain.practice.review``, the ``fsrs`` package): a few thousand of them,
each card taking one, shifted by up to two days. Then it times, through the services, a student's due queue
(``practice.queue``), a student's progress (``practice.progress``), the class's practice for its teacher
(``practice.class_practice``), and an answer's path (``attempts.record_answer``) with its card update and
without it. See bench/README.md.

    .venv/bin/python bench/practice.py                     # SQLite, /tmp/quizapp-practice-bench.sqlite
    .venv/bin/python bench/practice.py --reuse             # the same file again, without building it
    .venv/bin/python bench/practice.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_practice
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (ROOT, BENCH):  # `python bench/practice.py` without an installed quizapp
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import leaderboard as boards_bench  # noqa: E402  (bench/leaderboard.py: database setup and bulk loader)
from fsrs import Rating  # noqa: E402
from sqlalchemy import bindparam, create_engine, delete, event, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import joinedload  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.domain import practice as rules  # noqa: E402
from quizapp.domain.question_types import question_type  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.formatting import school_zone  # noqa: E402
from quizapp.models import (  # noqa: E402
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Classroom,
    Membership,
    PracticeCard,
    PracticeDay,
    PracticeReview,
    Question,
    Quiz,
    User,
)
from quizapp.services import attempts, practice  # noqa: E402
from quizapp.services.banks import loading  # noqa: E402
from quizapp.services.unit_of_work import unit_of_work  # noqa: E402

QUEUE_TARGET_MS = 20.0
CLASS_TARGET_MS = 300.0
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "quizapp-practice-bench.sqlite"
BANK_FILE = ROOT / "questions" / "coalition-of-the-willing.yaml"
ZONE = "Europe/London"
YEAR = timedelta(days=365)
SOURCES = (("practice", 0.45), ("quiz", 0.3), ("assignment", 0.2), ("live", 0.05))
CARD_CHUNK = 20_000  # cards per batch (with their reviews)

log = boards_bench.log


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


# --------------------------------------------------------------------------- review histories


@dataclass
class History:
    """One card's year, replayed with the app's scheduler: its reviews (times in seconds before ``now``,
    positive = past) and its state after the last one."""

    reviews: list[tuple]  # (ago_s, rating, source, seconds, before: Memory | None, after: Memory, lapse)
    final: rules.Memory
    lapses: int


def simulate(rng: random.Random, now: datetime, diligence: float) -> History:
    """A card made by a graded answer some time in the last year, then reviewed when the student comes back
    to it: late by a delay that depends on how diligent they are, sometimes given up on (so it stays
    overdue). Each review is remembered with the scheduler's predicted recall, rated as answers rate."""
    made = now - YEAR * rng.random() ** 0.8  # a few more cards from recent months
    at = made
    memory: rules.Memory | None = None
    reviews, lapses = [], 0
    while at < now:
        if memory is None:
            remembered = rng.random() < 0.6
        else:
            p = rules.recall(memory.stability, memory.last_review, at)
            remembered = rng.random() < p
        if not remembered:
            rating = Rating.Again
        else:
            rating = rng.choices((Rating.Hard, Rating.Good, Rating.Easy), (0.15, 0.75, 0.10))[0]
        after = rules.review(memory, rating, at, fuzzing=True)
        lapse = rules.is_lapse(memory, rating)
        lapses += int(lapse)
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        reviews.append(((now - at).total_seconds(), int(rating), source, round(rng.lognormvariate(2.5, 0.6), 1),
                        memory, after))
        memory = after
        if rng.random() > diligence:  # given up on (for now): the card waits, overdue
            break
        wait = rules.as_utc(after.due) - at
        if wait < timedelta(hours=12):  # a learning step: later the same session, or the next day
            at = at + wait + timedelta(minutes=rng.choice((0, 1, 5, 30, 60 * 20)))
        else:
            late = timedelta(days=rng.expovariate(diligence * 1.5) * 2)  # mean a day or two late
            at = rules.as_utc(after.due) + late
    return History(reviews, memory, lapses)


def histories(rng: random.Random, now: datetime, count: int) -> list[list[History]]:
    """``count`` histories in five groups, from the least diligent students to the most."""
    groups = [0.78, 0.85, 0.9, 0.94, 0.97]
    return [[simulate(rng, now, d) for _ in range(count // len(groups))] for d in groups]


# --------------------------------------------------------------------------- building


def bank_copies(folder: Path, copies: int) -> list[Path]:
    """The bundled bank under other ids, so the class has more questions than a student's 100 cards."""
    document = yaml.safe_load(BANK_FILE.read_text())
    paths = []
    for n in range(2, copies + 2):
        copy = dict(document, id=f"{document['id']}-{n}", title=f"{document['title']} ({n})")
        path = folder / f"{copy['id']}.yaml"
        path.write_text(yaml.safe_dump(copy, allow_unicode=True, sort_keys=False))
        shutil.copy(BANK_FILE.with_suffix(".txt"), folder / BANK_FILE.with_suffix(".txt").name)
        paths.append(path)
    return paths


def build(app, target: boards_bench.Target, args, rng: random.Random) -> dict:
    started = time.perf_counter()
    args_board = SimpleNamespace(students=args.students, answers=args.answers, assignments=args.assignments)
    # leaderboard.py's own consistency check compares an attempt's score with the sum of its answers'
    # points, which it stores unrounded: with some seeds a hundredth apart. The class is what is used here.
    checked, boards_bench.check = boards_bench.check, lambda *_args, **_kwargs: None
    try:
        built = boards_bench.build(app, target, args_board, rng)
    finally:
        boards_bench.check = checked
    t = time.perf_counter()
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        loading.load_files(bank_copies(Path(folder), args.bank_copies))
        questions = [(q.id, q.version, q.type, q.spec) for q in db.session.scalars(
            select(Question).where(Question.archived.is_(False), Question.draft.is_(False)).order_by(Question.id))]
        db.session.remove()
        db.engine.dispose()
    log(f"  {args.bank_copies} more copies of the bundled bank: {len(questions)} questions: "
        f"{time.perf_counter() - t:.1f} s")
    if len(questions) < args.cards:
        sys.exit(f"{len(questions)} questions for {args.cards} cards a student: use more --bank-copies")
    fingerprints = {qid: practice.fingerprint(kind, spec) for qid, _v, kind, spec in questions}
    versions = {qid: version for qid, version, _k, _s in questions}
    question_ids = list(versions)

    t = time.perf_counter()
    now = datetime.now(UTC)
    library = histories(rng, now, args.histories)
    replayed = sum(len(h.reviews) for group in library for h in group)
    log(f"  {args.histories:,} card histories replayed with the scheduler ({replayed:,} reviews): "
        f"{time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    engine = boards_bench.bulk_engine(target)
    card_t, review_t = PracticeCard.__table__, PracticeReview.__table__
    card_rows, review_rows = [], []
    counts = {"cards": 0, "reviews": 0}
    card_id = review_id = 0

    def flush(connection) -> None:
        boards_bench.insert_rows(connection, card_t, card_rows)
        for part in boards_bench.chunks(review_rows, 50_000):
            boards_bench.insert_rows(connection, review_t, part)
        counts["cards"] += len(card_rows)
        counts["reviews"] += len(review_rows)
        card_rows.clear(), review_rows.clear()

    with engine.begin() as connection:
        for uid in built.student_ids:
            group = library[min(len(library) - 1, int(rng.random() * len(library)))]
            for qid in rng.sample(question_ids, args.cards):
                history = rng.choice(group)
                shift = timedelta(seconds=rng.random() * 2 * 86400)  # up to two days earlier
                card_id += 1
                final = history.final
                first_at = now - timedelta(seconds=history.reviews[0][0]) - shift
                card_rows.append({
                    "id": card_id, "user_id": uid, "question_id": qid, "state": final.state, "step": final.step,
                    "stability": final.stability, "difficulty": final.difficulty, "due": final.due - shift,
                    "last_review": final.last_review - shift, "reps": len(history.reviews),
                    "lapses": history.lapses, "question_version": versions[qid],
                    "key_fingerprint": fingerprints[qid], "note": "", "created_at": first_at,
                })
                for ago, rating, source, seconds, before, after in history.reviews:
                    review_id += 1
                    on_page = source == "practice"
                    review_rows.append({
                        "id": review_id, "card_id": card_id, "user_id": uid, "rating": rating, "source": source,
                        "reviewed_at": now - timedelta(seconds=ago) - shift,
                        "duration_ms": round(seconds * 1000), "new_card": before is None,
                        "score": (0.0 if rating == Rating.Again else 1.0) if on_page else None,
                        "state_before": before.state if before else None,
                        "step_before": before.step if before else None,
                        "stability_before": before.stability if before else None,
                        "difficulty_before": before.difficulty if before else None,
                        "due_before": before.due - shift if before else None,
                        "last_review_before": (before.last_review - shift
                                               if before and before.last_review else None),
                        "state_after": after.state, "step_after": after.step,
                        "stability_after": after.stability, "difficulty_after": after.difficulty,
                        "due_after": after.due - shift,
                    })
            if len(card_rows) >= CARD_CHUNK:
                flush(connection)
        flush(connection)
        if target.kind == "postgresql":
            for table in (card_t, review_t):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                        f"(SELECT max(id) FROM {table.name}))"))
    engine.dispose()
    log(f"  {counts['cards']:,} cards, {counts['reviews']:,} reviews "
        f"({counts['reviews'] / max(1, counts['cards']):.1f} a card): {time.perf_counter() - t:.1f} s")
    if target.kind == "postgresql":
        t = time.perf_counter()
        maintenance = create_engine(target.url, isolation_level="AUTOCOMMIT")
        with maintenance.connect() as connection:
            connection.execute(text("VACUUM ANALYZE practice_card"))
            connection.execute(text("VACUUM ANALYZE practice_review"))
        maintenance.dispose()
        log(f"  VACUUM ANALYZE of the practice tables: {time.perf_counter() - t:.1f} s")
    seconds = time.perf_counter() - started
    log(f"built in {seconds:.0f} s")
    return {"seconds": seconds, "classroom_id": built.classroom_id}


# --------------------------------------------------------------------------- measuring


@dataclass
class Figures:
    name: str
    samples_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    target_ms: float | None = None
    note: str = ""

    def row(self) -> str:
        if not self.samples_ms:
            return f"{self.name:<44} {self.note}"
        p95 = percentile(self.samples_ms, 95)
        verdict = "" if self.target_ms is None else ("yes" if p95 < self.target_ms else "NO")
        target = "" if self.target_ms is None else f"< {self.target_ms:g}"
        return (f"{self.name:<44} {len(self.samples_ms):>5} {statistics.median(self.samples_ms):>8.2f} "
                f"{p95:>8.2f} {max(self.samples_ms):>8.2f} {statistics.median(self.cpu_ms):>7.2f} "
                f"{statistics.mean(self.statements):>8.1f} {target:>7} {verdict:>4}  {self.note}")


HEADER = (f"{'':<44} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7} {'queries':>8} "
          f"{'target':>7} {'met':>4}")


class Counter:
    """Statements sent to the database (an engine event), and with ``keep`` their text and parameters."""

    def __init__(self, engine):
        self.count = 0
        self.keep = False
        self.kept: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _many):
        self.count += 1
        if self.keep:
            self.kept.append((statement, parameters))


def timed(figures: Figures, counter: Counter, call):
    counter.count = 0
    cpu = time.process_time()
    began = time.perf_counter()
    result = call()
    figures.samples_ms.append((time.perf_counter() - began) * 1000)
    figures.cpu_ms.append((time.process_time() - cpu) * 1000)
    figures.statements.append(counter.count)
    return result


def raw_response(item, right: bool, rng: random.Random) -> list[str]:
    """A response to an attempt's item as a page sends it: right, or one of a few plausible wrong ones."""
    kind = question_type(item.type)
    texts = kind.correct_answer(item.spec) if right else rng.choice(boards_bench.wrong_responses(item.type,
                                                                                                  item.spec))
    if item.type == "true_false":
        return [texts[0].lower()]
    shown = item.presentation.get("choices") or item.presentation.get("items")
    return [str(shown.index(t) + 1) for t in texts] if shown else list(texts)


def measure_reads(app, counter: Counter, classroom_id: int, args, rng: random.Random, zone) -> list[Figures]:
    queue = Figures("practice.queue (due), a student", target_ms=QUEUE_TARGET_MS)
    progress = Figures("practice.progress, a student")
    klass = Figures("practice.class_practice, the class", target_ms=CLASS_TARGET_MS)
    with app.app_context():
        students = list(db.session.scalars(select(Membership.user_id).where(
            Membership.classroom_id == classroom_id)))
        db.session.remove()
    picked = [rng.choice(students) for _ in range(args.warmup + args.requests)]
    sizes, withheld, due = [], [], []
    for n, uid in enumerate(picked):
        with app.app_context():
            user = db.session.get(User, uid)
            figures = queue if n >= args.warmup else Figures("warm-up")
            result = timed(figures, counter, lambda user=user: practice.queue(user, zone))
            sizes.append(len(result.items))
            withheld.append(result.withheld)
            due.append(result.due_today)
            db.session.rollback()
            figures = progress if n >= args.warmup else Figures("warm-up")
            timed(figures, counter, lambda user=user: practice.progress(user, zone))
            db.session.remove()
    queue.note = (f"p50: {statistics.median(due):.0f} due today, {statistics.median(sizes):.0f} items, "
                  f"{statistics.median(withheld):.0f} withheld")
    counted = Figures("practice.class_practice, days not stored")
    with app.app_context():
        db.session.execute(delete(PracticeDay).where(PracticeDay.classroom_id == classroom_id))
        db.session.commit()
        db.session.remove()
    for _ in range(args.counted_requests):
        with app.app_context():
            classroom = db.session.get(Classroom, classroom_id)
            timed(counted, counter, lambda c=classroom: practice.class_practice(c, zone))
            db.session.remove()
    stored = Figures("flask practice store-days (5 days)")
    with app.app_context():
        timed(stored, counter, lambda: practice.store_days(zone))
        db.session.remove()
    stored.note = "once a day, from cron; the page below reads what it stores"
    counted.note = "what the page costs when store-days has not run"
    for n in range(1 + args.class_requests):
        with app.app_context():
            classroom = db.session.get(Classroom, classroom_id)
            figures = klass if n else Figures("warm-up")
            result = timed(figures, counter, lambda c=classroom: practice.class_practice(c, zone))
            if n == 0:
                klass.note = (f"{result.students:,} students, {sum(len(p) for _, p in result.banks)} parts, "
                              f"{len(result.overdue)} overdue listed, {len(result.forgotten)} forgotten listed")
            db.session.remove()
    return [queue, progress, counted, stored, klass]


def measure_answers(app, counter: Counter, classroom_id: int, args, rng: random.Random) -> list[Figures]:
    """Answers to practice quizzes (of a copy of the bundled bank) and to the class's open assignment (of the
    bundled bank), three ways in turns: ``attempts.record_answer`` as the pages and the API
    call it; the same steps without the card update (the item's read, the guarded insert, the commit:
    ``record_answer``'s own code path with ``practice.review_answer`` left out); and the same steps with it,
    timing ``review_answer`` on its own inside the transaction."""
    real = Figures("attempts.record_answer (with card update)")
    without = Figures("answer steps without the card update")
    with_steps = Figures("answer steps with the card update")
    review = Figures("  of which practice.review_answer")
    with app.app_context():
        students = list(db.session.scalars(select(Membership.user_id).where(
            Membership.classroom_id == classroom_id)))
        # A quiz of a copied bank: the class's assignments (the bundled bank's) withhold the original's keys.
        quiz_id = db.session.scalar(select(Quiz.id).join(Bank, Bank.id == Quiz.bank_id)
                                    .where(Bank.key != "coalition-of-the-willing", Quiz.key == "quick-ten")
                                    .order_by(Quiz.id))
        # and the class's open assignment, whose questions the class has answered 300,000 times (the pace
        # that rates an answer is read from those answers).
        assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.classroom_id == classroom_id)
                                          .order_by(Assignment.id.desc()))
        db.session.remove()
    plan = []  # (attempt_id, question_id, raw)
    answers_needed = 3 * (args.answers_timed + args.warmup)
    order = rng.sample(students, len(students))
    while len(plan) < answers_needed:
        with app.app_context():
            user = db.session.get(User, order.pop())
            if len(plan) % 20 < 10:
                attempt = attempts.start_practice(user, db.session.get(Quiz, quiz_id), rng=rng).attempt
            else:
                attempt = attempts.start_assignment_attempt(user, db.session.get(Assignment, assignment_id), rng=rng)
            answered = set(db.session.scalars(select(Answer.question_id).where(Answer.attempt_id == attempt.id)))
            for item in attempt.items:
                if item.question_id not in answered:
                    plan.append((attempt.id, item.question_id, raw_response(item, rng.random() < 0.7, rng)))
            db.session.commit()
            db.session.remove()
    plan = plan[:answers_needed]
    ways = [real, without, with_steps]
    for n, (attempt_id, question_id, raw) in enumerate(plan):
        way = ways[n % 3]
        figures = way if n >= 3 * args.warmup else Figures("warm-up")
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            if way is real:
                timed(figures, counter, lambda a=attempt, q=question_id, r=raw: attempts.record_answer(a, q, r))
            else:
                inner = None if way is without else review if figures is way else Figures("warm-up")
                timed(figures, counter, lambda a=attempt, q=question_id, r=raw, i=inner: answer_steps(
                    a, q, r, counter, i))
            db.session.remove()
    review.note = "(inside the transaction of the row above)"
    real.note = "as the pages call it: with its feedback's reads"
    without.note = "as before practice: read, grade, guarded insert, commit"
    with_steps.note = "the read with the card, + practice.review_answer's two writes"
    return [real, without, with_steps, review]


@cache
def _read_without_card():
    """The read an answer made before practice: ``attempts._item_read_statement`` without the card and the
    answer times (``practice.read_columns``): what the answer path costs with no card to update."""
    columns, joins = attempts._item_columns()
    statement = select(*columns, attempts._assignment_open(Attempt.user_id)).select_from(Attempt)
    for target, on in joins:
        statement = statement.outerjoin(target, on)
    return (statement.where(Attempt.id == bindparam("attempt_id"))
            .options(joinedload(AttemptItem.question).joinedload(Question.source_part)))


def answer_steps(attempt: Attempt, question_id: int, raw: list[str], counter: Counter,
                 review: Figures | None) -> None:
    """``attempts.record_answer``'s path when nothing is wrong, step by step. Without ``review``, as it was
    before practice: the read without the card, the guarded insert, the commit. With it, as it is: the read
    with the card and the answer times, the insert, the card's review (timed on its own, its statements
    counted apart), the commit."""
    now = datetime.now(UTC)
    if review is None:
        item = db.session.execute(_read_without_card(), {"attempt_id": attempt.id, "question_id": question_id,
                                                         "now": now}).one()[0]
        known = None
    else:
        read = attempts._read_item(attempt, question_id, now)
        item, known = read.item, read.practice
    kind = question_type(item.type)
    grade = kind.grade(item.spec, kind.parse(item.presentation, raw))
    shown_at = item.presented_at or attempt.started_at
    values = {
        "attempt_id": attempt.id, "question_id": item.question_id, "question_version": item.version,
        "response": kind.parse(item.presentation, raw), "is_correct": grade.is_correct, "score": grade.score,
        "points_awarded": round(grade.score * item.points, 2), "seconds": max(0.0, (now - shown_at).total_seconds()),
        "answered_at": now,
    }
    with unit_of_work():
        answer_id = attempts.insert_if_open(values)
        if review is not None and answer_id is not None:
            outer = counter.count
            cpu = time.process_time()
            began = time.perf_counter()
            counter.count = 0
            practice.review_answer(
                attempt.user_id, item.question_id, version=item.version, question_type_name=item.type,
                spec=item.spec, is_correct=grade.is_correct, seconds=values["seconds"], at=now,
                source="quiz" if attempt.assignment_id is None else "assignment", answer_id=answer_id,
                known=known)
            review.samples_ms.append((time.perf_counter() - began) * 1000)
            review.cpu_ms.append((time.process_time() - cpu) * 1000)
            review.statements.append(counter.count)
            counter.count += outer


# --------------------------------------------------------------------------- plans


def explain(app, counter: Counter, target_kind: str, classroom_id: int, zone) -> None:
    """The plan of each statement of one due queue and one class practice (EXPLAIN QUERY PLAN on SQLite,
    EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL)."""
    with app.app_context():
        uid = db.session.scalar(select(Membership.user_id).where(Membership.classroom_id == classroom_id)
                                .order_by(Membership.id).offset(2500).limit(1))
        calls = [("practice.queue", lambda: practice.queue(db.session.get(User, uid), zone)),
                 ("practice.class_practice",
                  lambda: practice.class_practice(db.session.get(Classroom, classroom_id), zone))]
        for name, call in calls:
            counter.kept, counter.keep = [], True
            call()
            counter.keep = False
            db.session.rollback()
            connection = db.session.connection()
            log(f"\n==== plans of {name} ({len(counter.kept)} statements)")
            for statement, parameters in counter.kept:
                log("\n-- " + " ".join(statement.split())[:600])
                prefix = "EXPLAIN QUERY PLAN " if target_kind == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
                rows = connection.exec_driver_sql(prefix + statement, parameters).all()
                for row in rows:
                    log("   " + (" | ".join(str(c) for c in row[-1:]) if target_kind == "sqlite" else str(row[0])))
            db.session.rollback()
        db.session.remove()


# --------------------------------------------------------------------------- main


def counts_of(app) -> dict[str, int]:
    with app.app_context():
        result = {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in (
            ("students in the class", Membership), ("questions", Question), ("cards", PracticeCard),
            ("reviews", PracticeReview))}
        db.session.remove()
    return result


def app_for(url: str):
    return create_app({"TESTING": True, "SECRET_KEY": "practice bench", "SQLALCHEMY_DATABASE_URI": url,
                       "TIMEZONE": ZONE})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help=f"default: a SQLite file, {DEFAULT_SQLITE}")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database as it is (built by an earlier run) instead of building it")
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--cards", type=int, default=100, help="cards a student")
    parser.add_argument("--answers", type=int, default=300_000, help="answers of the class's assignments")
    parser.add_argument("--assignments", type=int, default=10)
    parser.add_argument("--bank-copies", type=int, default=2, help="copies of the bundled bank (41 questions each)")
    parser.add_argument("--histories", type=int, default=5000, help="card histories replayed with the scheduler")
    parser.add_argument("--requests", type=int, default=200, help="timed due queues (and progress)")
    parser.add_argument("--class-requests", type=int, default=20, help="timed class practices")
    parser.add_argument("--counted-requests", type=int, default=3,
                        help="timed class practices with no day stored (each reads every card)")
    parser.add_argument("--answers-timed", type=int, default=200, help="timed answers of each kind")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--explain", action="store_true", help="print the plans of the queue's and class's queries")
    parser.add_argument("--skip-answers", action="store_true", help="time the reads only (answers write rows)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    url = args.database_url or f"sqlite:///{DEFAULT_SQLITE}"
    parsed = make_url(url)
    kind = parsed.get_backend_name()
    if kind == "postgresql" and "bench" not in (parsed.database or ""):
        sys.exit(f"refusing to reset {parsed.database!r}: give a database whose name contains 'bench'")
    load = os.getloadavg()
    log(f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    build_seconds = None
    if not args.reuse:
        if kind == "sqlite" and parsed.database and Path(parsed.database).exists():
            Path(parsed.database).unlink()
        target = boards_bench.prepare_database(url, keep=True)
        app = app_for(target.url)
        log(f"building {target.kind} {target.where or url}")
        built = build(app, target, args, rng)
        build_seconds, classroom_id = built["seconds"], built["classroom_id"]
    else:
        target = boards_bench.Target(url, kind)
        app = app_for(url)
    with app.app_context():
        classroom_id = db.session.scalar(select(Classroom.id).order_by(Classroom.id))
        engine = db.engine
        version = boards_bench.server_version(target)
        zone = school_zone()
        db.session.remove()
    counts = counts_of(app)
    counter = Counter(engine)
    if args.explain:
        explain(app, counter, target.kind, classroom_id, zone)
    reads = measure_reads(app, counter, classroom_id, args, rng, zone)
    writes = [] if args.skip_answers else measure_answers(app, counter, classroom_id, args, rng)

    log("")
    load = os.getloadavg()
    log(f"database: {target.kind} {version}; {url if kind == 'sqlite' else make_url(url).render_as_string()}")
    log("rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items())
        + f" ({counts['reviews'] / max(1, counts['cards']):.1f} reviews a card)")
    log(f"build: {'reused' if build_seconds is None else f'{build_seconds:.0f} s'}; zone {zone.key}; "
        f"load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    log(HEADER)
    log("-" * len(HEADER))
    for figures in reads + writes:
        log(figures.row())
    log("cpu ms: this process's CPU per call (on PostgreSQL the server's share is not in it); queries: "
        "statements per call (the commit not counted)")
    if writes:
        real, without, with_steps, review = writes
        extra_ms = statistics.median(with_steps.samples_ms) - statistics.median(without.samples_ms)
        extra_q = statistics.mean(with_steps.statements) - statistics.mean(without.statements)
        extra_cpu = statistics.median(with_steps.cpu_ms) - statistics.median(without.cpu_ms)
        alone = statistics.median(review.samples_ms)
        log(f"the card update adds to an answer: {extra_q:+.1f} statements, {extra_ms:+.2f} ms and {extra_cpu:+.2f} "
            f"cpu ms (p50 with - p50 without); review_answer alone p50 {alone:.2f} ms "
            f"(cpu {statistics.median(review.cpu_ms):.2f}), p95 {percentile(review.samples_ms, 95):.2f} ms, "
            f"{statistics.mean(review.statements):.1f} statements: "
            f"{100 * alone / statistics.median(real.samples_ms):.0f}% of record_answer's p50")
    queue, _progress, _counted, _stored, klass = reads
    log(f"practice: {target.kind} queue_p95_ms={percentile(queue.samples_ms, 95):.1f} "
        f"class_p95_ms={percentile(klass.samples_ms, 95):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
