# Samverkansportalen. `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# Every process builds its links from SITE_URL, which (unset) follows PORTAL_PORT. honcho gives each
# process of a Procfile its own PORT (web $(PORT), the next $(PORT)+100 …), so the port served is
# fixed here, once, before honcho starts them: web binds it and the others link to it.
PORTAL_PORT := $(PORT)
export PORTAL_PORT

.PHONY: install install-dev lock run serve test test-fast test-e2e lint format worker beat migrate demo messages bench drills cluster clean

# Two locked sets, both with hashes (see "Dependencies" in the README): requirements.txt is what the portal
# needs to run (make run, production); requirements-dev.txt adds the tests and tools (make test, make lint).
# Each stamp depends on its lock file, so editing a lock reinstalls on the next make.
$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime

install-dev: $(VENV)/.installed-dev

# Re-resolve both lock files after editing the dependencies in pyproject.toml (keeps every pin that still
# fits; `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed release).
UV ?= $(shell command -v uv 2>/dev/null || echo $(VENV)/bin/uv)
LOCK_FLAGS := --python-version 3.11 --universal --generate-hashes --quiet --custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	$(UV) pip compile pyproject.toml --group dev $(LOCK_FLAGS) -o requirements-dev.txt
	$(UV) pip compile pyproject.toml -c requirements-dev.txt $(LOCK_FLAGS) -o requirements.txt

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Serve on 127.0.0.1:$(PORT). With REDIS_URL set, a Celery worker and beat run in the same
# foreground session; without it, periodic jobs run in-process (manage.py run_periodic).
# DEMO_EID=1: also the local e-ID test provider (oidc-provider-mock, a dev dependency) on DEMO_EID_PORT,
# the "eid" process of the Procfiles; settings/auth.py then gives the first region e-ID through it.
DEMO_EID_PORT ?= 9400
export DEMO_EID_PORT
EID_PROCESS := $(if $(DEMO_EID),eid)
run: demo $(if $(DEMO_EID),install-dev)
	@echo "Samverkansportalen: http://127.0.0.1:$(PORT)/ (Västernorrland), http://halland.localhost:$(PORT)/, http://vgr.localhost:$(PORT)/"
	@echo "  coordinators: samordnare@example.se, samordnare.halland@example.se, samordnare.vgr@example.se / samverkan-demo"
	@if [ -n "$(DEMO_EID)" ]; then echo "  e-ID (test): http://127.0.0.1:$(DEMO_EID_PORT)/ - anna-eid (level EXTENDED), basic-eid (BASIC: refused)"; fi
	@if [ -n "$$REDIS_URL" ]; then \
		$(VENV)/bin/honcho -f Procfile start -p $(PORT) web worker beat $(EID_PROCESS); \
	else \
		$(VENV)/bin/honcho -f Procfile.local start -p $(PORT) web periodic $(EID_PROCESS); \
	fi

serve: install
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q

test-fast: install-dev
	$(VENV)/bin/pytest -q -m "not e2e"

test-e2e: install-dev
	$(VENV)/bin/pytest -q -m e2e

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo  # the floors of .importlinter

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A samverkan worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A samverkan beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

# The .po files are the source of the Swedish translations. Extract every string of every app into its
# own <app>/locale/ (project-wide ones into locale/), then edit the .po files and run this again to compile.
# Needs gettext (apt-get install gettext).
MESSAGES_IGNORE := -i tests -i bench -i tools -i static -i staticfiles -i media -i .venv -i "*/locale_allauth"
messages: install
	$(PY) manage.py makemessages -l sv --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l sv --ignore=.venv

bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

drills: install-dev
	$(PY) bench/drills.py $(DRILLS_ARGS)

# nginx on 127.0.0.1:$(CLUSTER_PORT) (default 8088) in front of three gunicorn nodes, PgBouncer, two Celery
# workers, one beat and an S3-compatible server; needs DATABASE_URL (PostgreSQL) and REDIS_URL. Ctrl-C stops it.
cluster: install-dev
	$(PY) bench/cluster.py $(CLUSTER_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
