# The portal's two commands are `make run` and `make test`; the rest are the steps behind them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Tests run on PostGIS; the portable suites run again on SpatiaLite.
TEST_DATABASE_URL ?= postgis://postgres@127.0.0.1:5432/mss_portal
SPATIALITE_TEST_URL ?= spatialite:///$(CURDIR)/var/test-spatialite.sqlite3
PORTABLE_TESTS := tests/hotspots tests/operations tests/accounts

.PHONY: run setup system-deps venv migrate admin-account test test-deps lint format \
	worker beat serve-production bench clean

run: setup
	@echo "Serving the portal on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: system-deps venv migrate admin-account

system-deps:
	@scripts/install-system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

# Migrations and the gazetteer (both idempotent), as docker-compose's migrate service runs them.
migrate: venv
	@mkdir -p var
	scripts/migrate

admin-account: venv
	$(PY) manage.py ensure_admin

test-deps:
	@scripts/install-system-deps.sh --test

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=mss_portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=mss_portal.settings.test DATABASE_URL=$(SPATIALITE_TEST_URL) \
		$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: venv lint
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest
	DATABASE_URL=$(SPATIALITE_TEST_URL) $(PY) -m pytest -q -m "not postgis_only" $(PORTABLE_TESTS)

# The production-like processes; docker-compose.yml runs these same commands.
worker: venv
	scripts/run-worker

beat: venv
	scripts/run-beat

serve-production: venv
	PORT=$(PORT) scripts/serve-web

bench: venv
	$(PY) bench/extract.py

clean:
	rm -rf var/test-spatialite.sqlite3 .pytest_cache .ruff_cache
