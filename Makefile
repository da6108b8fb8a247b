# GenIUS: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export GENIUS_ENV ?= development

.PHONY: run test test-sqlite test-postgresql install install-dev vendor bench clean help

help:
	@echo "make run    - install, migrate, load demo data into an empty database, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install the test tools and run every test (SQLite, and PostgreSQL when reachable)"
	@echo "make vendor - re-vendor GOV.UK Frontend and axe-core from npm (needs Node.js)"
	@echo "make bench  - load-test gunicorn on SQLite and PostgreSQL at small and x10 scale (SCALES=, DBS=, DURATION=); see bench/README.md"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Installs are pinned by constraints.txt; the stamp files re-run pip when it or pyproject.toml change.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/genius db upgrade
	$(BIN)/genius demo
	@echo "GenIUS is at http://$(HOST):$(PORT) (press Ctrl+C to stop). Emails are printed here and saved in instance/outbox/."
	$(BIN)/genius run --host $(HOST) --port $(PORT)

test: install-dev
	bash scripts/test.sh

vendor:
	bash scripts/vendor-frontend.sh

# The benchmark (issue 7): bench/README.md. Prepared databases are cached (bench/data/, genius_bench_<scale>).
SCALES   ?= small x10
DBS      ?= sqlite postgresql
DURATION ?= 10
bench: install
	$(BIN)/python -m bench.run --scales "$(SCALES)" --dbs "$(DBS)" --duration $(DURATION)

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
