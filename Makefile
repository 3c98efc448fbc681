# One command runner; CI calls these too.
PY ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup run test test-pg check fmt bench bench-pg bench-scorecards bench-sweep eval-extraction messages clean

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

setup: $(VENV)/.synced

## Set everything up and run the system on SQLite with demo data: http://127.0.0.1:8000
run: setup
	$(VENV)/bin/nhiemvu run

## Set everything up and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)
test: setup
	$(VENV)/bin/python manage.py buildmessages
	$(VENV)/bin/pytest

test-pg:
	DATABASE_URL=$(PG_URL) $(MAKE) test

check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy nhiemvu
	$(VENV)/bin/python manage.py check
	$(VENV)/bin/python manage.py makemigrations --check --dry-run

fmt: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	$(VENV)/bin/python manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=.tools --ignore=tests --ignore=bench
	$(VENV)/bin/python manage.py buildmessages

## Benchmarks (apart from the tests): SQLite, then PostgreSQL
bench: setup
	$(VENV)/bin/python bench/run.py

bench-pg: setup
	DATABASE_URL=$(PG_URL) $(VENV)/bin/python bench/run.py

## Task extraction: precision/recall/F1 on the gold set (dev and test halves), then speed
eval-extraction: setup
	$(VENV)/bin/python bench/eval_extraction.py
	$(VENV)/bin/python bench/extract_speed.py

## Over the million-task PostgreSQL database that `make bench-pg` loads (nhiemvu_bench_1000000):
## scorecards of every unit, and the reminder sweep
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/nhiemvu_bench_1000000
bench-scorecards: setup
	DATABASE_URL=$(BENCH_DB) $(VENV)/bin/python bench/scorecards.py
bench-sweep: setup
	DATABASE_URL=$(BENCH_DB) $(VENV)/bin/python bench/sweep.py --tasks 1000000

clean:
	rm -rf .tools $(VENV) db.sqlite3 staticfiles
