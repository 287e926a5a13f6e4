# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL leg of the test suite; trust auth on the machine's local server.
PG_URL ?= postgres://postgres@127.0.0.1:5432/compassionate_communities

.PHONY: help run serve demo test test-sqlite test-postgres test-production lint browser-deps screenshots messages bench bench-search bench-import bench-matching bench-pages clean

help:
	@echo "make run    - set up on first use, load demo content and serve http://$(HOST):$(PORT)/"
	@echo "make test   - install test tools and run the whole suite on SQLite, then on PostgreSQL"
	@echo "make serve  - production: web server, task worker and scheduler together (README)"
	@echo "make lint   - ruff, the import layers (ARCHITECTURE.md), Django's system checks and the migrations check"
	@echo "make messages - extract and compile interface translations"
	@echo "make screenshots - home, search and story pages in en, ur, ar at phone and desktop widths (var/screenshots/)"
	@echo "make bench  - time directory search, HSDS import and volunteer matching (bench/RESULTS.md)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalled only when pyproject.toml changes, so a second `make run` is quick.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet ".[test]"
	@touch $@

# The task worker (emails, admin imports) and the scheduler (timed jobs, SCHEDULE in
# config/settings/base.py) run beside the web server and stop with it.
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production on one machine: gunicorn, the task worker and the scheduler from the Procfile,
# stopped together by Ctrl-C or TERM. Run the README's production steps first.
serve: $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.production} \
	  $(BIN)/honcho start --no-colour --procfile Procfile --port $(PORT)

demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

browser-deps: $(VENV)/.installed-test
	@scripts/ensure-browser

# PNGs of the demo's home page, a search near a postcode and a story in English, Urdu and
# Arabic at 390, 320 and 1280 px wide, in var/screenshots/ (its own demo database there).
screenshots: $(VENV)/.installed-test browser-deps
	$(PY) scripts/screenshots.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# The browser tests (tests/browser) run once, in the PostgreSQL leg: what they check (pages,
# scripts, accessibility at phone and desktop widths) does not change with the database, and on
# PostgreSQL the live server gives each request a connection of its own, as a deployment does.
# When SKIP_POSTGRES=1 skips that leg, they run on SQLite instead. Tests that reach no
# database (marked `no_database` by tests/conftest.py: pure functions, settings read by a
# new process) give the same result on both and run in the SQLite leg only.
test-sqlite: $(VENV)/.installed-test
	env -u DATABASE_URL $(BIN)/pytest -n auto --dist loadgroup -m "not production and not browser"

test-postgres: $(VENV)/.installed-test
	@status=0; scripts/ensure-postgres "$(PG_URL)" || status=$$?; \
	if [ $$status = 3 ]; then \
		echo "== The browser tests on SQLite, PostgreSQL being skipped =="; \
		env -u DATABASE_URL $(BIN)/pytest -n auto --dist loadgroup -m browser; exit $$?; \
	elif [ $$status != 0 ]; then exit $$status; fi; \
	DATABASE_URL="$(PG_URL)" $(BIN)/pytest -n auto --dist loadgroup -m "not production and not no_database"

# The README's production steps on a fresh copy: PostgreSQL, gunicorn and the worker.
test-production: $(VENV)/.installed-test
	@scripts/ensure-postgres "$(PG_URL)"
	$(BIN)/pytest -p no:xdist -m production tests/production

test: lint browser-deps
	@scripts/ensure-redis "$${TEST_REDIS_URL:-redis://127.0.0.1:6379/3}"
	@echo "== Test suite on SQLite =="
	$(MAKE) --no-print-directory test-sqlite
	@echo "== Test suite on PostgreSQL =="
	$(MAKE) --no-print-directory test-postgres
	@echo "== The production steps on a fresh copy =="
	$(MAKE) --no-print-directory test-production

messages: $(VENV)/.installed
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

# Benchmarks are not tests: they write medians, p95s and ratios to bench/RESULTS.md.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/ccn_bench
BENCH_IMPORT_PG_URL ?= postgres://postgres@127.0.0.1:5432/ccn_bench_import
BENCH_MATCHING_PG_URL ?= postgres://postgres@127.0.0.1:5432/ccn_bench_volunteers
bench: bench-search bench-import bench-matching

bench-search: $(VENV)/.installed-test
	@scripts/ensure-postgres "$(BENCH_PG_URL)"
	$(PY) -m bench.directory_search --pg-url "$(BENCH_PG_URL)"

bench-import: $(VENV)/.installed-test
	@scripts/ensure-postgres "$(BENCH_IMPORT_PG_URL)"
	$(PY) -m bench.import_hsds --pg-url "$(BENCH_IMPORT_PG_URL)"

# Public pages served by gunicorn, this code against e66218b (a worktree in var/bench-pages/).
bench-pages: $(VENV)/.installed
	$(PY) -m bench.pages

bench-matching: $(VENV)/.installed-test
	@scripts/ensure-postgres "$(BENCH_MATCHING_PG_URL)"
	$(PY) -m bench.volunteer_matching --pg-url "$(BENCH_MATCHING_PG_URL)"

clean:
	rm -rf $(VENV) var/db.sqlite3 var/static var/media
