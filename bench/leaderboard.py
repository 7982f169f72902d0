"""Leaderboard benchmark: a class of 5,000 students with 1,000,000 stored answers.

Builds the data with bulk inserts, then times the leaderboard pages and API routes through the
Flask test client, signed in as a student ranked well outside the top 10 (so the "your place"
row is part of every answer). See bench/README.md.

    .venv/bin/python bench/leaderboard.py                      # fresh SQLite file under /tmp
    .venv/bin/python bench/leaderboard.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/quizapp_bench
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/leaderboard.py` without an installed quizapp
    sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import Table, create_engine, event, func, select, text  # noqa: E402
from sqlalchemy.engine import Connection, Engine, make_url  # noqa: E402
from werkzeug.exceptions import HTTPException  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.domain.drawing import draw  # noqa: E402
from quizapp.domain.question_types import question_type  # noqa: E402
from quizapp.domain.standings import Outcome, counted_result  # noqa: E402
from quizapp.extensions import db  # noqa: E402
from quizapp.models import (  # noqa: E402
    Answer,
    Assignment,
    AssignmentResult,
    Attempt,
    AttemptItem,
    Classroom,
    Counting,
    Membership,
    NameDisplay,
    Question,
    Quiz,
    Role,
    User,
)
from quizapp.services import standings  # noqa: E402
from quizapp.services.banks import loading  # noqa: E402
from quizapp.services.quizzes import candidates  # noqa: E402
from quizapp.services.results import refresh_result  # noqa: E402

PASSWORD = "bench password"
HASH_METHOD = "pbkdf2:sha256:1000"
TARGET_MS = 50.0
QUIZ_KEY = "quick-ten"
# Which attempt counts, assignment by assignment (cycled): mostly best, some last, some average.
COUNTING_CYCLE = [Counting.BEST, Counting.BEST, Counting.LAST, Counting.BEST, Counting.AVERAGE]
ATTEMPT_CHUNK = 2_000  # attempts per batch of inserts (x10 items and x10 answers)
ROW_CHUNK = 10_000  # rows per executemany for the smaller tables
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}

FIRST = (
    "Ana", "Ben", "Chloé", "Dara", "Elif", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Marta", "Nils",
    "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tom", "Uma", "Vera", "Wen", "Xavi", "Yara", "Zoe", "Ali", "Bea",
    "Cem", "Dan", "Eva", "Finn", "Gia", "Hugo", "Iris", "Jan", "Kim", "Leo", "Mia", "Noa", "Otto", "Pau", "Rui",
    "Sara", "Teo", "Una", "Vito", "Will", "Yuki", "Zeno",
)
LAST = (
    "Almeida", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Horvat", "Ivanova", "Jensen",
    "Kowalski", "López", "Müller", "Nowak", "Olsen", "Popescu", "Quint", "Rossi", "Schmidt", "Tanaka", "Ueda",
    "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Novak", "Santos", "Meyer", "Silva", "Kovač", "Lind", "Moreau",
    "Nagy", "Petrov",
)


def log(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------- database setup


@dataclass
class Target:
    url: str
    kind: str  # "sqlite" or "postgresql"
    cleanup: Callable[[], None] = lambda: None
    where: str = ""


def prepare_database(url_arg: str | None, keep: bool) -> Target:
    """A fresh, empty database: a new SQLite file, or a PostgreSQL database with its schema reset."""
    if url_arg is None:
        folder = tempfile.mkdtemp(prefix="quizapp-bench-")
        path = Path(folder) / "bench.sqlite"
        cleanup = (lambda: None) if keep else (lambda: shutil.rmtree(folder, ignore_errors=True))
        return Target(f"sqlite:///{path}", "sqlite", cleanup, str(path) + ("" if keep else " (deleted at the end)"))
    url = make_url(url_arg)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            sys.exit("give SQLite a file path: the load and the app use separate connections")
        if Path(url.database).exists():
            sys.exit(f"{url.database} exists: give the path of a new SQLite file (the benchmark fills it).")
        return Target(url_arg, "sqlite", where=url.database or "")
    if backend != "postgresql":
        sys.exit(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    name = url.database
    if not name or name in PROTECTED_DATABASES:
        sys.exit(f"refusing to use the database {name!r}: name a database of its own, e.g. quizapp_bench")
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            connection.execute(text(f"CREATE DATABASE {maintenance.dialect.identifier_preparer.quote(name)}"))
            log(f"created database {name}")
    maintenance.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return Target(url.render_as_string(hide_password=False), "postgresql",
                  where=url.render_as_string(hide_password=True) + " (schema reset; left in place)")


def bulk_engine(target: Target) -> Engine:
    """An engine for loading only: on SQLite, durability and journaling are off for its connections.

    The app's own engine (used for the measurements) keeps SQLite's defaults.
    """
    engine = create_engine(target.url)
    if target.kind == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            for pragma in ("journal_mode=MEMORY", "synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()
    return engine


def chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def insert_rows(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows at once: sqlite3's executemany, or COPY on PostgreSQL.

    Each value goes through its column's own SQLAlchemy bind processing (UTC datetimes, JSON,
    enums), so the rows are stored exactly as ``insert(table)`` would store them; only the
    per-row statement machinery of Core is skipped, which is most of the cost at this size.
    """
    if not rows:
        return
    dialect = connection.dialect
    keys = list(rows[0])
    processors = [table.c[k].type._cached_bind_processor(dialect) for k in keys]
    plan = list(zip(keys, processors, strict=True))
    values = [tuple(proc(row[k]) if proc else row[k] for k, proc in plan) for row in rows]
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(k) for k in keys)
    if dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor, cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in keys)
        connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", values)


# --------------------------------------------------------------------------- building the data


@dataclass
class QuestionModel:
    """What the generator needs of a question: presentations, and graded responses."""

    id: int
    version: int
    points: int
    difficulty: int
    type: str
    spec: dict
    presentations: list[dict]
    right: list[str]
    wrong: list[tuple[list[str], float]]  # response, grade (some wrong answers earn partial credit)


def wrong_responses(kind: str, spec: dict) -> list[list[str]]:
    """Plausible wrong (or partly right) responses, stored the way the app stores them."""
    if kind == "single_choice":
        return [[c] for c in spec["choices"] if c != spec["answer"]]
    if kind == "multiple_select":
        right = [c for c in spec["choices"] if c in spec["answers"]]
        wrong = [c for c in spec["choices"] if c not in spec["answers"]]
        options = [[w] for w in wrong]
        if len(right) > 1:
            options += [right[:-1], right[1:]]  # partly right
        if wrong:
            options.append(sorted(right[:1] + wrong[:1], key=spec["choices"].index))
        return options or [[spec["choices"][0]]]
    if kind == "true_false":
        return [["False" if spec["answer"] else "True"]]
    if kind == "short_answer":
        return [["I don't know"], ["something else"]]
    if kind == "ordering":
        items = list(spec["items"])
        return [items[::-1], items[1:2] + items[:1] + items[2:]]
    if kind == "cloze":
        right = [accepted[0] for accepted in spec["blanks"]]
        options = [["?"] * len(right)]
        for i in range(len(right)):
            options.append(right[:i] + ["?"] + right[i + 1:])
        return options
    raise ValueError(kind)


def question_models(questions: list[Question], rng: random.Random) -> dict[int, QuestionModel]:
    models = {}
    for q in questions:
        kind = question_type(q.type)
        right = kind.correct_answer(q.spec)
        assert kind.grade(q.spec, right).score == 1.0, q.key
        wrong = [(r, kind.grade(q.spec, r).score) for r in wrong_responses(q.type, q.spec)]
        presentations = [kind.present(q.spec, rng, True) for _ in range(6)]
        models[q.id] = QuestionModel(q.id, q.version, q.points, q.difficulty, q.type, q.spec, presentations,
                                     right, wrong)
    return models


@dataclass
class Built:
    classroom_id: int
    assignment_ids: list[int]
    student_ids: list[int]
    usernames: dict[int, str]
    results: dict[tuple[int, int], tuple]  # (assignment_id, user_id) -> (score, max_score, seconds, finished_at)
    counts: dict[str, int] = field(default_factory=dict)
    phases: list[tuple[str, float]] = field(default_factory=list)


def attempts_per_pair(pairs: int, total: int, diligence: list[float], rng: random.Random) -> list[int]:
    """Spread ``total`` attempts over the (assignment, student) pairs: most students take each
    assignment (95% of pairs get a first attempt), the keener ones come back more often."""
    counts = [0] * pairs
    first = min(total, round(0.95 * pairs))
    takers = rng.sample(range(pairs), first)
    for p in takers:
        counts[p] = 1
    rest = total - first
    if rest and takers:
        weights = [diligence[p] for p in takers]
        for p in rng.choices(takers, weights=weights, k=rest):
            counts[p] += 1
    return counts


def build(app, target: Target, args, rng: random.Random) -> Built:
    phases: list[tuple[str, float]] = []

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        phases.append((name, now - since))
        log(f"  {name}: {now - since:.1f} s")
        return now

    t = time.perf_counter()
    with app.app_context():
        upgrade()
        loading.load_files([ROOT / "questions"])
        quiz = db.session.scalar(select(Quiz).where(Quiz.key == QUIZ_KEY))
        pool = candidates(quiz.bank_id)
        questions = list(db.session.scalars(select(Question).where(Question.bank_id == quiz.bank_id)))
        qmodels = question_models(questions, rng)
        quiz_id, quiz_count, quiz_shuffle, quiz_sources, quiz_tags = (
            quiz.id, quiz.count, quiz.shuffle, quiz.sources, quiz.tags)
        next_user_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
        db.session.remove()
        # The app's pooled connections keep a SQLite file in WAL mode; the bulk engine below switches
        # the journal mode, which needs the file to itself.
        db.engine.dispose()
    t = phase("migrations + bundled bank", t)

    n_students, n_assignments = args.students, args.assignments
    per_attempt = len(draw(pool, sources=quiz_sources, tags=quiz_tags, count=quiz_count, shuffle=quiz_shuffle,
                           rng=rng))
    total_attempts = math.ceil(args.answers / per_attempt)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=7 * n_assignments + 7)
    password_hash = generate_password_hash(PASSWORD, method=HASH_METHOD)  # one hash, shared by everyone

    engine = bulk_engine(target)
    users_t, classroom_t, membership_t = User.__table__, Classroom.__table__, Membership.__table__
    assignment_t, attempt_t, item_t, answer_t = (Assignment.__table__, Attempt.__table__, AttemptItem.__table__,
                                                 Answer.__table__)
    result_t = AssignmentResult.__table__

    teacher_id = next_user_id
    student_ids = list(range(teacher_id + 1, teacher_id + 1 + n_students))
    usernames = {uid: f"s{i:05d}" for i, uid in enumerate(student_ids, start=1)}
    classroom_id = 1
    assignment_ids = list(range(1, n_assignments + 1))
    counting = {aid: COUNTING_CYCLE[i % len(COUNTING_CYCLE)] for i, aid in enumerate(assignment_ids)}
    windows = {}
    for i, aid in enumerate(assignment_ids):
        opens = start + timedelta(days=7 * i + 7)
        windows[aid] = (opens, opens + timedelta(days=14))  # the last one is still open

    with engine.begin() as connection:
        insert_rows(connection, users_t, [{
            "id": teacher_id, "username": "teacher", "display_name": "Ms Teacher", "password_hash": password_hash,
            "role": Role.TEACHER, "created_at": start,
        }])
        user_rows = [{
            "id": uid, "username": usernames[uid],
            "display_name": f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]}",
            "password_hash": password_hash, "role": Role.STUDENT,
            "created_at": start + timedelta(minutes=i % 5000),
        } for i, uid in enumerate(student_ids)]
        for part in chunks(user_rows, ROW_CHUNK):
            insert_rows(connection, users_t, part)
        insert_rows(connection, classroom_t, [{
            "id": classroom_id, "name": "Year 10 (benchmark)", "teacher_id": teacher_id, "join_code": "BENCH2",
            "name_display": NameDisplay.FULL, "created_at": start,
        }])
        membership_rows = [{
            "id": i, "classroom_id": classroom_id, "user_id": uid,
            "nickname": f"{LAST[i % len(LAST)]}{i % 97}" if i % 3 == 0 else "",
            "joined_at": start + timedelta(minutes=i % 5000),
        } for i, uid in enumerate(student_ids, start=1)]
        for part in chunks(membership_rows, ROW_CHUNK):
            insert_rows(connection, membership_t, part)
        insert_rows(connection, assignment_t, [{
            "id": aid, "classroom_id": classroom_id, "quiz_id": quiz_id, "opens_at": windows[aid][0],
            "closes_at": windows[aid][1], "time_limit_minutes": 30, "attempts_allowed": None,
            "counting": counting[aid], "created_at": start,
        } for aid in assignment_ids])
    t = phase(f"teacher, {n_students:,} students, memberships, class, {n_assignments} assignments", t)

    # Each student has an ability (how often they are right) and a pace (seconds per question).
    ability = {uid: rng.gauss(0.0, 1.0) for uid in student_ids}
    pace = {uid: rng.lognormvariate(math.log(20), 0.35) for uid in student_ids}
    pairs = [(aid, uid) for aid in assignment_ids for uid in student_ids]
    diligence = [math.exp(0.6 * ability[uid]) for _, uid in pairs]
    per_pair = attempts_per_pair(len(pairs), total_attempts, diligence, rng)

    attempt_rows, item_rows, answer_rows = [], [], []
    outcomes: dict[tuple[int, int], list[Outcome]] = {}
    answers_left = args.answers
    attempt_id = 0
    counts = {"attempts": 0, "attempt items": 0, "answers": 0}

    def flush(connection) -> None:
        if attempt_rows:
            insert_rows(connection, attempt_t, attempt_rows)
            insert_rows(connection, item_t, item_rows)
            if answer_rows:
                insert_rows(connection, answer_t, answer_rows)
        counts["attempts"] += len(attempt_rows)
        counts["attempt items"] += len(item_rows)
        counts["answers"] += len(answer_rows)
        attempt_rows.clear(), item_rows.clear(), answer_rows.clear()

    with engine.begin() as connection:
        for (aid, uid), n in zip(pairs, per_pair, strict=True):
            if not n:
                continue
            opens, closes = windows[aid]
            last_start = min(closes, now) - timedelta(hours=1)
            span = int((last_start - opens).total_seconds())
            starts = sorted(opens + timedelta(seconds=rng.randrange(span)) for _ in range(n))
            for number, started in enumerate(starts, start=1):
                attempt_id += 1
                ids = draw(pool, sources=quiz_sources, tags=quiz_tags, count=quiz_count, shuffle=quiz_shuffle,
                           rng=rng)
                clock, score, max_score = 0.0, 0.0, 0.0
                practice = 0.25 * (number - 1)  # a later attempt goes a little better
                for position, qid in enumerate(ids, start=1):
                    q = qmodels[qid]
                    max_score += q.points
                    presentation = rng.choice(q.presentations)
                    presented = started + timedelta(seconds=round(clock))
                    # The item keeps the question as it was when the attempt began (type, key, points).
                    item_rows.append({"attempt_id": attempt_id, "position": position, "question_id": qid,
                                      "presentation": presentation, "presented_at": presented,
                                      "version": q.version, "type": q.type, "spec": q.spec, "points": q.points})
                    if answers_left <= 0:
                        continue  # only when --answers is not a multiple of the quiz length
                    answers_left -= 1
                    p_right = 1 / (1 + math.exp(-(1.1 * ability[uid] + 1.2 - 0.6 * (q.difficulty - 1) + practice)))
                    if rng.random() < p_right:
                        response, grade = q.right, 1.0
                    else:
                        response, grade = rng.choice(q.wrong)
                    if q.presentations[0].get("choices") and len(response) > 1:
                        response = sorted(response, key=presentation["choices"].index)
                    seconds = round(min(300.0, max(2.0, pace[uid] * (0.7 + 0.3 * q.difficulty)
                                                   * rng.lognormvariate(0, 0.5))), 1)
                    clock += seconds
                    answer_rows.append({
                        "attempt_id": attempt_id, "question_id": qid, "question_version": q.version,
                        "response": response, "is_correct": grade >= 1.0, "score": grade,
                        "points_awarded": grade * q.points, "seconds": seconds,
                        "answered_at": presented + timedelta(seconds=seconds),
                    })
                    score += grade * q.points
                finished = started + timedelta(seconds=math.ceil(clock) + rng.randrange(2, 15))
                attempt_rows.append({
                    "id": attempt_id, "quiz_id": quiz_id, "user_id": uid, "started_at": started,
                    "finished_at": finished, "score": score, "max_score": max_score, "assignment_id": aid,
                    "number": number, "deadline_at": started + timedelta(minutes=30),
                })
                # Attempt.seconds, as refresh_result reads it.
                seconds_taken = round((finished - started).total_seconds(), 1)
                outcomes.setdefault((aid, uid), []).append(Outcome(score, max_score, seconds_taken, finished))
                if len(attempt_rows) >= ATTEMPT_CHUNK:
                    flush(connection)
        flush(connection)
    t = phase(f"{counts['attempts']:,} attempts, {counts['attempt items']:,} items, {counts['answers']:,} answers",
              t)

    # Counted results, computed as refresh_result computes them (the same counted_result function).
    results, result_rows = {}, []
    for (aid, uid), outs in outcomes.items():
        counted = counted_result(outs, counting[aid].value)
        results[(aid, uid)] = (counted.score, counted.max_score, counted.seconds, counted.finished_at)
        result_rows.append({
            "assignment_id": aid, "user_id": uid, "score": counted.score, "max_score": counted.max_score,
            "seconds": counted.seconds, "finished_at": counted.finished_at, "attempts_used": counted.attempts_used,
        })
    with engine.begin() as connection:
        for part in chunks(result_rows, ROW_CHUNK):
            insert_rows(connection, result_t, part)
        # Class standings, as the app keeps them: the sum of each student's counted results.
        connection.execute(text(
            "INSERT INTO class_standing (classroom_id, user_id, score, max_score, seconds, finished_at) "
            "SELECT a.classroom_id, r.user_id, sum(r.score), sum(r.max_score), sum(r.seconds), max(r.finished_at) "
            "FROM assignment_result r JOIN assignment a ON a.id = r.assignment_id "
            "GROUP BY a.classroom_id, r.user_id"))
        if target.kind == "postgresql":  # ids were given explicitly: move the sequences past them
            for table in (users_t, classroom_t, membership_t, assignment_t, attempt_t):
                name = engine.dialect.identifier_preparer.quote(table.name)
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    counts["assignment results"] = len(result_rows)
    t = phase(f"{len(result_rows):,} assignment results", t)
    engine.dispose()

    if target.kind == "postgresql":
        # What autovacuum would soon do after a load this size: statistics and a visibility map.
        maintenance = create_engine(target.url, isolation_level="AUTOCOMMIT")
        with maintenance.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        maintenance.dispose()
        t = phase("VACUUM ANALYZE", t)

    built = Built(classroom_id, assignment_ids, student_ids, usernames, results, counts, phases)
    check(app, built, rng)
    phase("consistency checks", t)
    return built


def check(app, built: Built, rng: random.Random, sample: int = 200) -> None:
    """Bulk-loaded rows must match what the app would have stored: each sampled attempt's score is the
    sum of its answers, and each sampled result is what refresh_result recounts from the attempts."""
    with app.app_context():
        attempt_ids = list(db.session.scalars(select(Attempt.id).order_by(func.random()).limit(sample)))
        for attempt_id in attempt_ids:
            attempt = db.session.get(Attempt, attempt_id)
            total = db.session.scalar(select(func.coalesce(func.sum(Answer.points_awarded), 0.0))
                                      .where(Answer.attempt_id == attempt_id))
            assert abs(attempt.score - total) < 1e-9, (attempt_id, attempt.score, total)
        keys = rng.sample(sorted(built.results), min(sample, len(built.results)))
        for aid, uid in keys:
            stored = db.session.scalar(select(AssignmentResult).where(AssignmentResult.assignment_id == aid,
                                                                      AssignmentResult.user_id == uid))
            before = (stored.score, stored.max_score, stored.seconds, stored.finished_at, stored.attempts_used)
            recounted = refresh_result(db.session.get(Assignment, aid), uid)
            after = (recounted.score, recounted.max_score, recounted.seconds, recounted.finished_at,
                     recounted.attempts_used)
            assert before == after, (aid, uid, before, after)
        db.session.rollback()
        db.session.remove()
    log(f"  checked: {len(attempt_ids)} attempt scores = sum of their answers; {len(keys)} assignment results "
        f"= {refresh_result.__module__}.refresh_result")


# --------------------------------------------------------------------------- choosing the viewer


def pick_viewer(app, built: Built, assignment_id: int) -> tuple[int, str]:
    """A student around the middle of the class board who also has a result on ``assignment_id``."""
    totals: dict[int, list[float]] = {}
    for (_aid, uid), (score, _max, seconds, _fin) in built.results.items():
        entry = totals.setdefault(uid, [0.0, 0])
        entry[0] += score
        entry[1] += seconds
    ordered = sorted(totals, key=lambda uid: (-totals[uid][0], totals[uid][1], uid))
    middle = len(ordered) // 2
    expected = (len(totals), sum(1 for aid, _ in built.results if aid == assignment_id))
    for uid in ordered[middle:] + ordered[:middle][::-1]:
        if (assignment_id, uid) not in built.results:
            continue
        with app.app_context():
            classroom = db.session.get(Classroom, built.classroom_id)
            assignment = db.session.get(Assignment, assignment_id)
            class_board = standings.class_board(classroom, uid)
            assignment_board = standings.assignment_board(assignment, uid)
            db.session.remove()
        if (class_board.ranked, assignment_board.ranked) != expected:
            sys.exit(f"the boards rank {class_board.ranked} and {assignment_board.ranked} students, not "
                     f"{expected[0]} and {expected[1]}: the app reads a table this benchmark does not fill yet")
        if class_board.viewer_outside_top and assignment_board.viewer_outside_top:
            description = (f"{built.usernames[uid]}: rank {class_board.viewer_row.rank:,} of {class_board.ranked:,} "
                           f"on the class board, rank {assignment_board.viewer_row.rank:,} of "
                           f"{assignment_board.ranked:,} on assignment {assignment_id}")
            return uid, description
    sys.exit("no student outside the top 10 on both boards: use more students")


def board_ties(built: Built, assignment_id: int) -> str:
    """How many students share their (score, seconds) with someone else: ties are part of the data."""

    def tied(keys: list) -> str:
        seen: dict = {}
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
        return f"{sum(c for c in seen.values() if c > 1):,} of {len(keys):,}"

    one = [(v[0], v[2]) for (aid, _), v in built.results.items() if aid == assignment_id]
    totals: dict[int, list[float]] = {}
    for (_aid, uid), (score, _max, seconds, _fin) in built.results.items():
        entry = totals.setdefault(uid, [0.0, 0])
        entry[0] += score
        entry[1] += seconds
    overall = [(round(s, 6), sec) for s, sec in totals.values()]
    return (f"{tied(one)} students share their (score, seconds) with another on assignment {assignment_id}; "
            f"{tied(overall)} on the class board")


# --------------------------------------------------------------------------- measuring


@dataclass
class Timing:
    name: str
    path: str
    samples_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per request
    queries: float = 0.0
    note: str = ""

    @property
    def available(self) -> bool:
        return bool(self.samples_ms)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def route_exists(app, path: str, method: str = "GET") -> bool:
    try:
        app.url_map.bind("localhost").match(path, method=method)
    except HTTPException:
        return False
    return True


def measure(app, built: Built, viewer_id: int, assignment_id: int, requests: int, warmup: int) -> list[Timing]:
    client = app.test_client()
    username = built.usernames[viewer_id]
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        sys.exit(f"could not sign in as {username}: HTTP {response.status_code}")
    token, token_note = None, ""
    if route_exists(app, "/api/v1/tokens", "POST"):
        response = client.post("/api/v1/tokens", auth=(username, PASSWORD))
        if response.status_code == 201:
            token = response.get_json()["token"]
        else:
            token_note = f"no token (POST /api/v1/tokens: HTTP {response.status_code})"
    api_headers = {"Authorization": f"Bearer {token}"} if token else {}

    with app.app_context():
        engine = db.engine
    plan = [
        ("assignment leaderboard page", f"/assignments/{assignment_id}/leaderboard", {}, False),
        ("class leaderboard page", f"/classes/{built.classroom_id}/leaderboard", {}, False),
        ("assignment leaderboard API", f"/api/v1/assignments/{assignment_id}/leaderboard", api_headers, True),
        ("class leaderboard API", f"/api/v1/classes/{built.classroom_id}/leaderboard", api_headers, True),
    ]
    timings, live = [], []
    for name, path, headers, is_api in plan:
        timing = Timing(name, path)
        timings.append(timing)
        if not route_exists(app, path):
            timing.note = "not available (no such route yet)"
            continue
        if is_api and token is None:
            timing.note = "not available: " + (token_note or "no POST /api/v1/tokens")
            continue
        response = client.get(path, headers=headers)
        if response.status_code in (404, 405):
            timing.note = f"not available (HTTP {response.status_code})"
            continue
        if response.status_code != 200:
            sys.exit(f"GET {path}: HTTP {response.status_code}\n{response.get_data(as_text=True)[:2000]}")
        timing.note = own_row_note(response, is_api)
        for _ in range(warmup):
            client.get(path, headers=headers)
        live.append((timing, headers))

    statements = [0]

    def count(*_args):
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        # Round robin, so that a burst of load from elsewhere on the machine hits every route alike.
        for _ in range(requests):
            for timing, headers in live:
                statements[0] = 0
                cpu = time.process_time()
                started = time.perf_counter()
                response = client.get(timing.path, headers=headers)
                elapsed = time.perf_counter() - started
                timing.cpu_ms.append((time.process_time() - cpu) * 1000)
                if response.status_code != 200:
                    sys.exit(f"GET {timing.path}: HTTP {response.status_code}")
                timing.samples_ms.append(elapsed * 1000)
                timing.queries += statements[0] / requests
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return timings


def own_row_note(response, is_api: bool) -> str:
    """Say whether the answer carries the viewer's own row below the top 10."""
    if is_api:
        body = response.get_json(silent=True)
        you = body.get("you") if isinstance(body, dict) else None
        return "own row in the answer" if you else "own row NOT found in the JSON ('you')"
    html = response.get_data(as_text=True)
    return "own row shown below the top 10" if 'class="gap"' in html and "(you)" in html else "own row NOT shown"


def explain(app, built: Built, viewer_id: int, assignment_id: int, kind: str) -> None:
    """Print the plan of each board's main query (the longest statement the service runs for it)."""
    with app.app_context():
        engine = db.engine
        assignment = db.session.get(Assignment, assignment_id)
        classroom = db.session.get(Classroom, built.classroom_id)
        boards = {
            "assignment board": lambda: standings.assignment_board(assignment, viewer_id),
            "class board": lambda: standings.class_board(classroom, viewer_id),
        }
        prefix = "EXPLAIN QUERY PLAN " if kind == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        for label, call in boards.items():
            captured: list[tuple[str, object]] = []

            def grab(_conn, _cursor, statement, parameters, _context, _many, into=captured):
                into.append((statement, parameters))

            event.listen(engine, "before_cursor_execute", grab)
            try:
                call()
            finally:
                event.remove(engine, "before_cursor_execute", grab)
            statement, parameters = max(captured, key=lambda c: len(c[0]))
            log(f"\n--- {label}: {prefix.strip()}\n{statement}\n-- parameters: {parameters}")
            connection = db.session.connection()
            for row in connection.exec_driver_sql(prefix + statement, parameters):
                log("  " + " | ".join(str(v) for v in row))
        db.session.remove()


def report(target: Target, built: Built, viewer: str, timings: list[Timing], build_seconds: float,
           requests: int, ties: str) -> None:
    log("")
    log(f"database: {target.kind} {server_version(target)} — {target.where}")
    counts = built.counts
    log(f"rows: students {len(built.student_ids):,} · assignments {len(built.assignment_ids)} · "
        f"attempts {counts['attempts']:,} · attempt items {counts['attempt items']:,} · "
        f"answers {counts['answers']:,} · assignment results {counts['assignment results']:,}")
    log(f"build: {build_seconds:.1f} s")
    log(f"viewer: {viewer}")
    log(f"ties: {ties}")
    load = os.getloadavg()
    log(f"timed: {requests} requests per route, round robin after warm-up, Flask test client, time.perf_counter; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    log("")
    header = (f"{'route':<50} {'median ms':>9} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7} {'queries':>7}"
              f"  p95 < {TARGET_MS:g} ms")
    log(header)
    log("-" * len(header))
    for t in timings:
        label = f"GET {t.path}"
        if not t.available:
            log(f"{label:<50} {'—':>9} {'—':>8} {'—':>8} {'—':>7} {'—':>7}  {t.note}")
            continue
        p95 = t.percentile(95)
        verdict = "yes" if p95 < TARGET_MS else "NO"
        log(f"{label:<50} {statistics.median(t.samples_ms):>9.1f} {p95:>8.1f} {max(t.samples_ms):>8.1f} "
            f"{statistics.median(t.cpu_ms):>7.1f} {t.queries:>7.0f}  {verdict:<4} ({t.name}; {t.note})")
    log("cpu ms: median CPU time of this process per request (on SQLite that includes the queries; on PostgreSQL\n"
        "the server's share is not in it); far below the median when other work on the machine competes for the CPUs.")


def server_version(target: Target) -> str:
    engine = create_engine(target.url)
    try:
        with engine.connect() as connection:
            if target.kind == "sqlite":
                return connection.scalar(text("SELECT sqlite_version()"))
            return connection.scalar(text("SHOW server_version"))
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: a fresh SQLite file under /tmp); "
                        "a PostgreSQL database is created if missing and its schema dropped and recreated")
    parser.add_argument("--students", type=int, default=5_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--assignments", type=int, default=10, help="assignments of the quick-ten quiz")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per route")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per route first")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--explain", action="store_true", help="print the plan of each board's main query")
    parser.add_argument("--keep", action="store_true", help="keep the default SQLite file")
    args = parser.parse_args(argv)
    if args.students < 20 or args.assignments < 1 or args.requests < 1 or args.answers < 1:
        parser.error("need at least 20 students, 1 assignment, 1 answer and 1 request")

    rng = random.Random(args.seed)
    target = prepare_database(args.database_url, args.keep)
    try:
        app = create_app({
            "TESTING": True,
            "SECRET_KEY": "bench secret",
            "SQLALCHEMY_DATABASE_URI": target.url,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": HASH_METHOD,
        })
        log(f"building on {target.kind}: {args.students:,} students, {args.answers:,} answers, "
            f"{args.assignments} assignments")
        started = time.perf_counter()
        built = build(app, target, args, rng)
        build_seconds = time.perf_counter() - started
        log(f"build done in {build_seconds:.1f} s")

        assignment_id = built.assignment_ids[0]
        viewer_id, viewer = pick_viewer(app, built, assignment_id)
        ties = board_ties(built, assignment_id)
        timings = measure(app, built, viewer_id, assignment_id, args.requests, args.warmup)
        report(target, built, viewer, timings, build_seconds, args.requests, ties)
        if args.explain:
            explain(app, built, viewer_id, assignment_id, target.kind)
        with app.app_context():
            db.engine.dispose()
    finally:
        target.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
