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

.PHONY: run serve test setup db lint bench bench-answers clean

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
# attempts, and tests and other flask commands are left alone (create_app does not write).
db: setup
	$(FLASK) db upgrade
	$(FLASK) attempts close-overdue
	$(FLASK) banks load questions
	$(FLASK) users bootstrap

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

serve: db
	$(BIN)/gunicorn --workers $(WORKERS) --threads $(THREADS) --bind $(HOST):$(PORT) \
		--access-logfile - --graceful-timeout 20 'quizapp:create_app()'

# The import contracts of pyproject.toml's [tool.importlinter] first: the layers hold, then the suite.
test: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/leaderboard.py $(BENCH_ARGS)

# N students answering at once through the API under gunicorn, against a minimal one-insert app.
bench-answers: setup
	$(BIN)/python bench/answers.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
