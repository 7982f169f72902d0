"""Live game benchmark: N players play one host-paced game over the real Socket.IO transport.

Builds a fresh database (migrations and the bundled banks through the `flask` command), makes a teacher
and a live game of the bundled "quick-ten" quiz, joins N players to it (through the service, in this
process: joining is not what is measured) and serves quizapp the way `make serve` serves the live games'
socket: one gunicorn gthread worker with a thread per connection (or, with ``--server socketio``,
Flask-SocketIO's own server, for comparison), with REDIS_URL set as in production. The host signs in
through the form and connects with its session cookie; the N players connect over WebSocket with their
player tokens, all from this one process (python-socketio's AsyncClient on asyncio and aiohttp). The host
then plays M questions: each player answers at a random moment within the answer window, the question
closes once everyone has answered, the host shows the results and moves on.

It prints, per N: p50 and p95 from the host's move to each player receiving the ``question`` event
(push), p95 from an answer sent to its acknowledgement, p95 from the question's last answer to each
player's result (``player_state``), the answers acknowledged and those stored (read from the database
afterwards: they must be equal), and the server's CPU per answer (from /proc). See bench/README.md.

    .venv/bin/python bench/live.py --players 300          # SQLite, in a new folder under /tmp
    .venv/bin/python bench/live.py --players 300,500,1000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/live_bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (ROOT, BENCH):  # `python bench/live.py` without an installed quizapp
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import answers as answers_bench  # noqa: E402  (bench/answers.py: the HTTP client, server env, flask command)
import leaderboard as boards_bench  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from quizapp.extensions import db  # noqa: E402
from quizapp.models import LiveAnswer, Quiz, Role, User  # noqa: E402
from quizapp.services import live_games, users  # noqa: E402

NAMESPACE = "/live"
QUIZ = "quick-ten"
TEACHER = "teacher"
PUSH_TARGET_MS = 250.0
ANSWER_TARGET_MS = 250.0
PUSH_LIMIT_MS = 1000.0  # the largest N is the last before push p95 passes this
SERVE_SOCKET = """
import sys
from quizapp import create_app
from quizapp.extensions import socketio
socketio.run(create_app(), host="127.0.0.1", port=int(sys.argv[1]), allow_unsafe_werkzeug=True, log_output=False)
"""

log = answers_bench.log
percentile = answers_bench.percentile


# --------------------------------------------------------------------------- the server


class LiveServer:
    """The live games' server process, started for one round of the bench and stopped by it."""

    def __init__(self, kind: str, env: dict[str, str], threads: int, workdir: Path):
        self.kind = kind
        self.port = answers_bench.free_port()
        self.log_path = workdir / f"live-{kind}-{self.port}.log"
        if kind == "gthread":
            self.settings = (f"gunicorn --worker-class gthread --workers 1 --threads {threads} "
                             f"--worker-connections {threads}")
            command = [str(answers_bench.BIN / "gunicorn"), *self.settings.split()[1:],
                       "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5",
                       "--error-logfile", str(self.log_path), "quizapp:create_app()"]
        else:
            command = [sys.executable, "-c", SERVE_SOCKET, str(self.port)]
            self.settings = "Flask-SocketIO's own server (socketio.run, threading mode)"
        self._log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"the live server exited with {self.process.returncode}:\n{self.tail()}")
            status, _, _ = answers_bench.Client(self.port).request("GET", "/auth/login")
            if status == 200:
                return
            time.sleep(0.2)
        self.stop()
        sys.exit(f"the live server did not answer within 60 s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """CPU time of the process serving the socket: gunicorn's worker, or the server itself."""
        if self.kind == "gthread":
            return answers_bench.server_cpu_seconds(self.process.pid)
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-40:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


# --------------------------------------------------------------------------- the game


def make_game(app, players: int, seconds: int) -> tuple[int, list[str]]:
    """A live game of the quick-ten quiz hosted by the teacher, with ``players`` joined: its id and the
    players' tokens."""
    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.username == TEACHER))
        quiz = db.session.scalar(select(Quiz).where(Quiz.key == QUIZ))
        game = live_games.create_game(teacher, quiz, seconds=seconds)
        tokens = [live_games.player_token(live_games.join(game.pin, f"Player {i}"), app.config["SECRET_KEY"])
                  for i in range(1, players + 1)]
        game_id = game.id
        db.session.remove()
    return game_id, tokens


def any_response(question: dict) -> list[str]:
    """A well-formed answer to the question as the phones see it (not necessarily the right one)."""
    if question.get("choices"):
        return [question["choices"][0]["id"]]
    if question.get("items"):
        return [item["id"] for item in question["items"]]
    if question.get("blanks"):
        return ["something"] * question["blanks"]
    return ["something"]


@dataclass
class Figures:
    players: int
    questions: int
    push_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    result_ms: list[float] = field(default_factory=list)
    connect_s: float = 0.0
    play_s: float = 0.0
    acknowledged: int = 0
    refused: Counter = field(default_factory=Counter)
    missed_questions: int = 0
    not_connected: int = 0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    stored: int = 0


async def play(port: int, cookie: str, game_id: int, tokens: list[str], questions: int, window: float,
               rng: random.Random, server: LiveServer, connect_at_once: int) -> Figures:
    import socketio

    url = f"http://127.0.0.1:{port}"
    figures = Figures(len(tokens), questions)
    moved_at: dict[int, float] = {}
    last_answer_at: dict[int, float] = defaultdict(float)
    got_question: Counter = Counter()
    got_result: Counter = Counter()
    everyone_has = asyncio.Event()
    closed = asyncio.Event()
    pending: set[asyncio.Task] = set()
    state = {"position": 0, "connected": len(tokens)}

    def check_all(counter: Counter, position: int) -> None:
        if counter[position] >= state["connected"]:
            everyone_has.set()

    def player_client() -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)

        async def on_question(body):
            position = body["position"]
            figures.push_ms.append((time.perf_counter() - moved_at[position]) * 1000)
            got_question[position] += 1
            task = asyncio.create_task(answer(client, position, body["question"]))
            pending.add(task)
            task.add_done_callback(pending.discard)
            check_all(got_question, position)

        async def on_state(body):
            position = body.get("position")
            if body.get("phase") == "question_closed" and position == state["position"]:
                figures.result_ms.append((time.perf_counter() - last_answer_at[position]) * 1000)
                got_result[position] += 1
                check_all(got_result, position)

        client.on("question", on_question, namespace=NAMESPACE)
        client.on("player_state", on_state, namespace=NAMESPACE)
        return client

    async def answer(client, position: int, question: dict) -> None:
        await asyncio.sleep(rng.uniform(0, window))
        sent = time.perf_counter()
        last_answer_at[position] = max(last_answer_at[position], sent)
        try:
            ack = await client.call("answer", {"position": position, "response": any_response(question)},
                                    namespace=NAMESPACE, timeout=60)
        except socketio.exceptions.TimeoutError:
            figures.refused["timeout"] += 1
            return
        figures.answer_ms.append((time.perf_counter() - sent) * 1000)
        if ack.get("ok"):
            figures.acknowledged += 1
        else:
            figures.refused[ack.get("error", {}).get("code", "?")] += 1

    host = socketio.AsyncClient(reconnection=False)

    async def on_host_state(body):
        if body.get("phase") == "question_closed" and body.get("position") == state["position"]:
            closed.set()

    host.on("host_state", on_host_state, namespace=NAMESPACE)
    await host.connect(url, headers={"Cookie": cookie}, auth={"game": game_id}, namespaces=[NAMESPACE],
                       transports=["websocket"], wait_timeout=60)

    clients = [player_client() for _ in tokens]
    gate = asyncio.Semaphore(connect_at_once)

    async def connect(client, token):
        async with gate:
            await client.connect(url, auth={"token": token}, namespaces=[NAMESPACE], transports=["websocket"],
                                 wait_timeout=60)

    began = time.perf_counter()
    results = await asyncio.gather(*(connect(c, t) for c, t in zip(clients, tokens, strict=True)),
                                   return_exceptions=True)
    figures.connect_s = time.perf_counter() - began
    failed = [r for r in results if isinstance(r, BaseException)]
    figures.not_connected = len(failed)
    state["connected"] = len(tokens) - len(failed)
    if failed:
        log(f"  {len(failed)} players could not connect, e.g. {failed[0]!r}; the game goes on without them")
    await asyncio.sleep(1.0)  # the connections' first player_state delivered before the game starts

    cpu_before, server_before = time.process_time(), server.cpu_seconds()
    began = time.perf_counter()
    try:
        await host_plays(host, questions, window, state, moved_at, everyone_has, closed, got_question, got_result,
                         figures)
    except socketio.exceptions.SocketIOError as error:  # the host's socket dropped: the run has failed
        log(f"  the host's socket failed: {error!r}")
        figures.missed_questions += 1
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    figures.play_s = time.perf_counter() - began
    figures.client_cpu_s = time.process_time() - cpu_before
    figures.server_cpu_s = server.cpu_seconds() - server_before
    if host.connected:
        await host.call("move", {"move": "finish"}, namespace=NAMESPACE, timeout=60)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    await host.disconnect()
    return figures


async def host_plays(host, questions: int, window: float, state: dict, moved_at: dict, everyone_has, closed,
                     got_question: Counter, got_result: Counter, figures: Figures) -> None:
    """The host's part: each question opened, waited for until every phone has its result, then the
    results shown."""
    for position in range(1, questions + 1):
        state["position"] = position
        everyone_has.clear()
        closed.clear()
        moved_at[position] = time.perf_counter()
        ack = await host.call("move", {"move": "start" if position == 1 else "next"}, namespace=NAMESPACE,
                              timeout=60)
        if not ack.get("ok"):
            sys.exit(f"the host's move to question {position} was refused: {ack}")
        try:  # every phone has the question (they answer as it arrives)
            await asyncio.wait_for(everyone_has.wait(), timeout=window + 60)
        except TimeoutError:
            log(f"  question {position}: {got_question[position]} of {state['connected']} players got it")
            figures.missed_questions += 1
        everyone_has.clear()
        try:  # closed (everyone answered), and every phone has its result
            await asyncio.wait_for(closed.wait(), timeout=window + 120)
            await asyncio.wait_for(everyone_has.wait(), timeout=60)
        except TimeoutError:
            log(f"  question {position}: closed {closed.is_set()}, {got_result[position]} of {state['connected']} "
                "results received")
        await host.call("move", {"move": "results"}, namespace=NAMESPACE, timeout=60)
        await asyncio.sleep(0.5)


def stored_answers(url: str, game_id: int) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count(LiveAnswer.id)).where(LiveAnswer.game_id == game_id))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- report


def row(f: Figures, kind: str) -> str:
    answers = f.acknowledged
    cpu = 1000 * f.server_cpu_s / answers if answers else float("nan")
    return (f"{kind:<10} {f.players:>7} {percentile(f.push_ms, 50):>8.0f} {percentile(f.push_ms, 95):>8.0f} "
            f"{percentile(f.answer_ms, 50):>8.0f} {percentile(f.answer_ms, 95):>8.0f} "
            f"{percentile(f.result_ms, 95):>9.0f} {f.acknowledged:>7} {f.stored:>7} {cpu:>7.2f} "
            f"{f.server_cpu_s:>7.1f} {f.client_cpu_s:>7.1f} {f.connect_s:>7.1f}")


HEADER = (f"{'database':<10} {'players':>7} {'push p50':>8} {'push p95':>8} {'ans p50':>8} {'ans p95':>8} "
          f"{'result p95':>9} {'acked':>7} {'stored':>7} {'cpu ms':>7} {'srv cpu':>7} {'cli cpu':>7} "
          f"{'conn s':>7}")


def verdict(f: Figures) -> str:
    push, ans = percentile(f.push_ms, 95), percentile(f.answer_ms, 95)
    lost = f.acknowledged != f.stored or f.refused or f.missed_questions or f.not_connected
    meets = push < PUSH_TARGET_MS and ans < ANSWER_TARGET_MS and not lost
    return (f"{f.players} players: push p95 {push:.0f} ms, answer p95 {ans:.0f} ms "
            f"(targets {PUSH_TARGET_MS:g} and {ANSWER_TARGET_MS:g} ms), {'nothing lost' if not lost else 'LOST'}: "
            f"{'meets' if meets else 'misses'} the targets; push p95 {'under' if push < PUSH_LIMIT_MS else 'OVER'} "
            f"{PUSH_LIMIT_MS:g} ms")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="SQLAlchemy URL (default: $DATABASE_URL, else a new SQLite file under /tmp). A "
                             "PostgreSQL database is created if missing and its schema reset; its name must "
                             "contain 'bench'.")
    parser.add_argument("--players", default="300", help="players per game, comma-separated for several rounds "
                        "(default 300), e.g. 300,500,1000; each round a new game on a new server process")
    parser.add_argument("--questions", type=int, default=5, help="questions played per game (default 5, of 10)")
    parser.add_argument("--window", type=float, default=5.0,
                        help="each player answers at a random moment this many seconds after the question "
                             "reaches it, uniformly (default 5)")
    parser.add_argument("--seconds", type=int, default=30, help="the game's time per question (default 30): "
                        "longer than the window, so that the question closes once everyone has answered")
    parser.add_argument("--server", choices=["gthread", "socketio"], default="gthread",
                        help="gthread: gunicorn, one gthread worker, as `make serve` (default); socketio: "
                             "Flask-SocketIO's own server (Werkzeug, a thread per connection)")
    parser.add_argument("--threads", type=int, default=0, help="gunicorn threads (default: players + 50; a "
                        "WebSocket holds one for as long as it is open)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="REDIS_URL for the server (default $REDIS_URL, else the local Redis); 'none' "
                             "serves without a message queue")
    parser.add_argument("--connect-at-once", type=int, default=50, help="players connecting at the same "
                        "time while they join (default 50)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.players.split(",") if n.strip()]
    if not sizes or min(sizes) < 1 or not 1 <= args.questions <= 10 or args.window >= args.seconds:
        parser.error("need players >= 1, 1 to 10 questions, and a window shorter than the time per question")
    if args.database_url:
        answers_bench.refuse_foreign_database(args.database_url)

    workdir = Path(tempfile.mkdtemp(prefix="quizapp-live-"))
    target = boards_bench.prepare_database(args.database_url, keep=False)
    try:
        return run(args, sizes, target, workdir)
    finally:
        target.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, sizes: list[int], target, workdir: Path) -> int:
    log(f"database: {target.kind} {boards_bench.server_version(target)} — {target.where}")
    env = answers_bench.server_env(target.url)
    redis_url = "" if args.redis_url == "none" else args.redis_url
    env["REDIS_URL"] = redis_url
    env["LIVE_REDIS_CHANNEL"] = f"quizapp-live-bench-{os.getpid()}"
    answers_bench.flask_command(env, "db", "upgrade")
    answers_bench.flask_command(env, "banks", "load", "questions")
    app = answers_bench.in_process_app(target.url)
    with app.app_context():
        users.create_user(TEACHER, "Bench Teacher", answers_bench.PASSWORD, Role.TEACHER)
    rng = random.Random(args.seed)
    done: list[Figures] = []
    ok = True
    for players in sizes:
        game_id, tokens = make_game(app, players, args.seconds)
        server = LiveServer(args.server, env, args.threads or players + 50, workdir)
        log(f"{players} players, {args.questions} questions, answers within {args.window:g} s; {server.settings}; "
            f"REDIS_URL {redis_url or 'unset'}; {os.cpu_count()} CPUs, load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        try:
            cookie_client = answers_bench.teacher_session(server.port, TEACHER)
            cookie = "; ".join(f"{k}={v}" for k, v in cookie_client.cookies.items())
            figures = asyncio.run(play(server.port, cookie, game_id, tokens, args.questions, args.window, rng, server,
                                       args.connect_at_once))
        finally:
            server.stop()
        figures.stored = stored_answers(target.url, game_id)
        log(f"  connected in {figures.connect_s:.1f} s, played in {figures.play_s:.1f} s; "
            f"refused or lost answers: {dict(figures.refused) or 'none'}")
        log("  " + verdict(figures))
        ok &= (figures.acknowledged == figures.stored and not figures.refused and not figures.missed_questions
               and not figures.not_connected)
        done.append(figures)

    log("")
    log(f"database: {target.kind} {boards_bench.server_version(target)}; {args.server}; REDIS_URL "
        f"{redis_url or 'unset'}; {args.questions} questions, answers within {args.window:g} s; "
        f"{os.cpu_count()} CPUs, client in this process")
    log(HEADER)
    log("-" * len(HEADER))
    for figures in done:
        log(row(figures, target.kind))
    log("push: host's move to a player's `question`; ans: answer sent to its acknowledgement; result: the "
        "question's last answer sent to a player's result; cpu ms: the server process's CPU per answer "
        "(on PostgreSQL without the database server's share); times in ms, CPU in s")
    for figures in done:
        log(verdict(figures))
    for figures in done:
        log(f"live: players={figures.players} push_p95_ms={percentile(figures.push_ms, 95):.0f} "
            f"answer_p95_ms={percentile(figures.answer_ms, 95):.0f} acknowledged={figures.acknowledged} "
            f"stored={figures.stored}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
