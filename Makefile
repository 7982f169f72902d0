# Two commands: `make run` sets everything up and serves the app; `make test` sets up, checks the import
# contracts between the layers and runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app quizapp
HOST   ?= 127.0.0.1
PORT   ?= 5000
# gunicorn: one sync worker per core. Measured on the 2-core machine with bench/answers.py (32 connections,
# SQLite): 2 sync workers spent 4.6 ms of CPU per answer and reached 0.64x the one-insert app, 3 workers x 4
# threads 5.9 ms and 0.52x (the issue's run: 407 against 238 answers/s, p95 107 against 245 ms). Threads only
# add GIL hand-offs when every request is short and CPU-bound; a slow client is nginx's to buffer. It also
# leaves room beside the two for the live games' real-time worker. THREADS=1 is gunicorn's sync worker.
WORKERS ?= 2
THREADS ?= 1
# The live games' socket (quizapp/live): a process of its own, one gunicorn gthread worker, because a sync
# worker cannot hold a WebSocket and each open one holds a thread and a connection slot (threads start as
# connections come, so the ceiling costs nothing idle). One worker, because a browser that falls back to
# long-polling needs each request on the process holding its session. Measured with bench/live.py (`make
# bench-live`, bench/README.md "Live games") on the 2-core machine: 300 players, push and answer p95 under
# 140 ms; 1,000, push p95 under 0.6 s, with answers queueing past about 100 a second; Flask-SocketIO's own
# (Werkzeug) server was no faster. Behind nginx, /socket.io/ goes to LIVE_PORT and the rest to PORT.
LIVE_PORT    ?= 5001
LIVE_THREADS ?= 1000
GUNICORN_LIVE = $(BIN)/gunicorn --worker-class gthread --workers 1 --threads $(LIVE_THREADS) \
	--worker-connections $(LIVE_THREADS) --access-logfile - --graceful-timeout 20 'quizapp:create_app()'

.PHONY: run serve serve-single test setup db lint bench bench-answers bench-live bench-practice clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s); set PYTHON=python3.11" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed

# Closing the attempts that ran out while nothing served comes right after the migrations, in this one
# process before any worker starts: the schema is the current one, no two workers race to close the same
# attempts, and tests and other flask commands are left alone (create_app does not write). The classes'
# practice figures of today are stored there too (and from cron after midnight: README, "Running it").
db: setup
	$(FLASK) db upgrade
	$(FLASK) attempts close-overdue
	$(FLASK) practice store-days
	$(FLASK) banks load questions
	$(FLASK) users bootstrap

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

# Behind a reverse proxy (README, "Live games in production"): pages and the API on PORT with the sync
# workers, the live games' socket on LIVE_PORT; stopping one stops the other.
serve: db
	$(GUNICORN_LIVE) --bind $(HOST):$(LIVE_PORT) & live=$$!; \
	trap 'kill $$live 2>/dev/null; wait $$live' EXIT INT TERM; \
	LIVE_SOCKET=0 $(BIN)/gunicorn --workers $(WORKERS) --threads $(THREADS) --bind $(HOST):$(PORT) \
		--access-logfile - --graceful-timeout 20 'quizapp:create_app()'

# Without a proxy: the one gthread process serves everything on PORT, pages and socket alike.
serve-single: db
	$(GUNICORN_LIVE) --bind $(HOST):$(PORT)

# The import contracts of pyproject.toml's [tool.importlinter] first: the layers hold, then the suite.
test: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/leaderboard.py $(BENCH_ARGS)

# N students answering at once through the API under gunicorn, against a minimal one-insert app.
bench-answers: setup
	$(BIN)/python bench/answers.py $(BENCH_ARGS)

# N players on one live game over the real socket (default 300; BENCH_ARGS="--players 300,500,1000").
bench-live: setup
	$(BIN)/python bench/live.py $(BENCH_ARGS)

# Spaced practice: a class of 5,000 with 100 cards each and a year of reviews; the due queue, the class's
# practice and an answer's card update (BENCH_ARGS="--reuse" measures the last SQLite build again).
bench-practice: setup
	$(BIN)/python bench/practice.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
