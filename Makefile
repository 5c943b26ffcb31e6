# Fazhi: `make demo` installs everything and starts the demo; `make test` runs the whole test suite.
# Set DATABASE_URL=postgres://… to run against PostgreSQL instead of SQLite.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Django 6.1 needs Python 3.12 or newer: take the first such interpreter on PATH (or under pyenv).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $(foreach v,14 13 12,$(wildcard $(HOME)/.pyenv/versions/3.$(v).*/bin/python3)); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	command -v $$p; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
LOCALE_PO := fazhi/locale/zh_Hans/LC_MESSAGES/django.po
# The web app and one background worker (plan imports…); Ctrl+C stops both.
SERVE = $(BIN)/fazhi worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn fazhi.wsgi:application --bind $(HOST):$(PORT) --workers 2 --access-logfile - --error-logfile -

.PHONY: help demo test setup lint format messages run clean

help:
	@echo "make demo   install everything, load the demo region and start http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)"
	@echo "make lint   ruff, mypy, migrations and translations checks"
	@echo "make run    start the web app without reloading the demo"

$(BIN)/fazhi: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6.1 requires it)." >&2; exit 1; fi
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

build/static/vendor: node_modules/.package-lock.json frontend/build.mjs
	npm run --silent build
	touch $@

setup: $(BIN)/fazhi build/static/vendor
	$(BIN)/fazhi collectstatic --no-input -v0

demo: setup
	$(BIN)/fazhi migrate --no-input -v0
	$(BIN)/fazhi load-demo
	@echo ""
	@echo "Fazhi is starting on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(SERVE)

run: setup
	$(BIN)/fazhi migrate --no-input -v0
	$(SERVE)

test: setup
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(BIN)/fazhi
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy fazhi bench
	$(BIN)/fazhi makemigrations --check --dry-run
	$(BIN)/fazhi makemessages -l zh_Hans --no-location --no-obsolete --no-wrap -i node_modules -i .venv -i build -i var -v0
	@if msgfmt --check --statistics -o /dev/null $(LOCALE_PO) 2>&1 | grep -E "untranslated|fuzzy"; then \
		echo "Untranslated or fuzzy messages in $(LOCALE_PO): translate them, then run 'make messages'." >&2; exit 1; fi

format: $(BIN)/fazhi
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the catalogue from the code and compile it (needs GNU gettext); both files are committed.
messages: $(BIN)/fazhi
	$(BIN)/fazhi makemessages -l zh_Hans --no-location --no-obsolete --no-wrap -i node_modules -i .venv -i build -i var
	msgfmt --check -o fazhi/locale/zh_Hans/LC_MESSAGES/django.mo $(LOCALE_PO)

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache .mypy_cache .ruff_cache
