# Samverkansportalen. `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: install run serve test test-fast test-e2e lint format worker beat migrate demo messages bench drills clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Serve on 127.0.0.1:$(PORT). With REDIS_URL set, a Celery worker and beat run in the same
# foreground session; without it, periodic jobs run in-process (manage.py run_periodic).
run: demo
	@echo "Samverkansportalen: http://127.0.0.1:$(PORT)/  (coordinator: samordnare@example.se / samverkan-demo)"
	@if [ -n "$$REDIS_URL" ]; then \
		$(VENV)/bin/honcho -f Procfile start -p $(PORT); \
	else \
		$(VENV)/bin/honcho -f Procfile.local start -p $(PORT); \
	fi

serve: install
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest -n 2 --dist loadgroup -q

test-fast: install
	$(VENV)/bin/pytest -q -m "not e2e"

test-e2e: install
	$(VENV)/bin/pytest -q -m e2e

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A samverkan worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A samverkan beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

# Recompile the Swedish translations after editing a .po file (needs gettext's msgfmt).
messages: install
	$(PY) manage.py compilemessages --ignore=.venv

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

drills: install
	$(PY) bench/drills.py $(DRILLS_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
