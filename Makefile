# 场景开放门户 — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test migrate seed worker messages check-deploy bench clean

# Reinstall only when pyproject.toml changes; a second `make run` reuses the environment.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "场景开放门户: http://$(HOST):$(PORT)/  (演示账号见 README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# A real worker, for when CELERY_BROKER_URL points at Redis.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=.venv

bench: install
	@for script in bench/bench_*.py; do [ -e "$$script" ] && $(PY) "$$script"; done; true

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
