# The portal's two commands are `make run` and `make test`; the rest are the steps behind them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Tests run on PostGIS; the portable suites run again on SpatiaLite.
TEST_DATABASE_URL ?= postgis://postgres@127.0.0.1:5432/mss_portal
SPATIALITE_TEST_URL ?= spatialite:///$(CURDIR)/var/test-spatialite.sqlite3
PORTABLE_TESTS := tests/hotspots tests/operations tests/accounts tests/notifications \
	tests/analysis/test_access.py tests/analysis/test_map_data.py tests/analysis/test_pages.py tests/analysis/test_dashboard_cache.py \
	tests/analysis/test_search.py tests/analysis/test_briefing.py \
	tests/api/test_filters.py tests/api/test_pagination.py tests/api/test_formats.py tests/api/test_writes.py \
	tests/api/test_deleted.py tests/api/test_source_trust.py tests/api/test_releasability.py tests/api/test_hotspot_list_cache.py \
	tests/api/test_representation.py tests/api/test_json.py tests/api/test_ogc.py tests/api/test_gdal_clients.py tests/ingestion/test_batches.py tests/ingestion/test_processing.py \
	tests/ingestion/test_edits_and_reposts.py \
	tests/ingestion/test_ingest_command.py tests/ingestion/test_twarc_samples.py tests/ingestion/test_ingest_stream.py \
	tests/ingestion/test_review_queue.py tests/ingestion/test_kind_learning.py \
	tests/hardening/test_request_bodies.py tests/core/test_spreadsheet.py tests/ingestion/test_source_safety.py \
	tests/ingestion/test_polling.py tests/core/test_dates.py tests/hardening/test_date_bounds.py tests/hardening/test_parameters_at_their_limits.py \
	tests/webhooks/test_delivery_safety.py tests/webhooks/test_sync_replay.py \
	tests/core/test_admin_labels.py

.PHONY: run setup system-deps venv migrate admin-account test test-deps services lint format \
	worker beat serve-production bench clean backup restore audit test-faults test-postgis test-postgis-1 test-postgis-2 test-spatialite

run: setup
	@echo "Serving the portal on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: system-deps venv messages migrate admin-account

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

# The translations (locale/fr, locale/ht): .po files are in git, the .mo files GNU gettext's msgfmt
# compiles from them are not. `makemessages` updates the .po files after strings change (then
# translate the new entries, following locale/GLOSSARY.md); it reads every app of ours (their code,
# templates and scripts, and mss_portal/formats/ht/: Django's month and day names and its admin's
# strings, which Django ships no Kreyòl for), not the tests, benchmarks or demo texts, and writes
# to locale/.
.PHONY: messages makemessages
MESSAGES := DJANGO_SETTINGS_MODULE=mss_portal.settings.test $(PY) manage.py
MAKEMESSAGES_IGNORE := --ignore var --ignore staticfiles --ignore node_modules --ignore tests --ignore bench \
	--ignore demo --ignore docs --ignore scripts --ignore locale

messages: venv
	$(MESSAGES) compilemessages -v0 --ignore '.*' --ignore var --ignore staticfiles --ignore node_modules

makemessages: venv
	$(MESSAGES) makemessages -l fr -l ht --no-location $(MAKEMESSAGES_IGNORE)
	$(MESSAGES) makemessages -d djangojs -l fr -l ht --no-location $(MAKEMESSAGES_IGNORE)

# What the suite needs on the machine: Debian packages (PostGIS, Redis, Chromium, GDAL, SpatiaLite),
# then PostgreSQL and Redis started when they are down. Both steps do nothing when all is there.
test-deps:
	@scripts/install-system-deps.sh --test

services: test-deps
	@scripts/start-services.sh

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

# The PostGIS suite runs in two halves, each on a database of its own (each half orders its tests
# that empty the database last), beside the portable suites on SpatiaLite; the fault tests take
# SpatiaLite's place when it is done. They share nothing (their own databases and servers, their own
# Redis key prefixes), so they run side by side on the cores; each one's output is printed whole
# when it ends.
POSTGIS_FIRST_HALF := tests/e2e tests/accounts tests/integration tests/webhooks
# Our strings on every admin page in French and Kreyòl (two minutes): the database engine changes none
# of them, so they are read in the SpatiaLite run only.
ENGINE_FREE := tests/accounts/test_admin_languages.py
test: services venv lint messages
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-postgis-1 test-postgis-2 test-spatialite test-faults

test-postgis:
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-postgis-1 test-postgis-2

test-postgis-1:
	DATABASE_URL=$(TEST_DATABASE_URL)_1 $(PY) -m pytest -m "not faults" --durations=10 $(POSTGIS_FIRST_HALF) \
		$(addprefix --ignore=,$(ENGINE_FREE))

test-postgis-2:
	DATABASE_URL=$(TEST_DATABASE_URL)_2 $(PY) -m pytest -m "not faults" --durations=10 \
		$(addprefix --ignore=,$(POSTGIS_FIRST_HALF))

test-spatialite:
	DATABASE_URL=$(SPATIALITE_TEST_URL) $(PY) -m pytest -q -m "not postgis_only" $(PORTABLE_TESTS)

# Fault tests with real services: each starts its own PostgreSQL and Redis on free ports (minutes).
test-faults: venv
	$(PY) -m pytest -q -m faults tests/integration

# Supply chain: bandit (no high-severity finding) and pip-audit (no known vulnerability).
audit: venv
	scripts/audit

# Backup and restore of the PostGIS database named by DATABASE_URL (pg_dump custom format).
backup:
	scripts/backup.sh $(FILE)

restore:
	@test -n "$(FILE)" || { echo "make restore FILE=var/backups/portal-....dump" >&2; exit 2; }
	scripts/restore.sh $(FILE)

# The production-like processes; docker-compose.yml runs these same commands.
worker: venv
	scripts/run-worker

beat: venv
	scripts/run-beat

serve-production: venv
	PORT=$(PORT) scripts/serve-web

# Every benchmark, then one table of figures, same-run baselines and 10k -> 1M ratios, also written
# to docs/benchmarks.md. Needs PostGIS and Redis (scripts/start-services.sh); the first run seeds its
# mss_bench_* databases (minutes), later runs reuse them. `make bench BENCH_ARGS=--quick` is shorter.
bench: venv
	$(PY) bench/run_all.py --docs $(BENCH_ARGS)

clean:
	rm -rf var/test-spatialite.sqlite3 .pytest_cache .ruff_cache
