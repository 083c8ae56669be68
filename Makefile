# 场景开放门户 — the two commands: `make run` and `make test`.
# The first Python 3.11 or newer found (a pyenv shim that does not run is passed over);
# `make PYTHON=python3.13 …` chooses another.
PYTHON ?= $(firstword $(foreach candidate,python3.11 python3.12 python3.13 python3,$(shell $(candidate) -c 'import sys; print(sys.executable if sys.hexversion >= 0x30B0000 else "")' 2>/dev/null)))
VENV := .venv
comma := ,
# jieba_fast (the [fast] extra) is built with a C compiler; without one plain jieba does the same work.
EXTRAS ?= dev$(comma)bench$(if $(shell command -v cc),$(comma)fast)
# One test process per core (pytest-xdist), each with its own test database; 0 runs them in one process.
PYTEST_WORKERS ?= auto
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test migrate seed worker messages check-deploy bench bench-load mutate audit backup clean

# Reinstall only when pyproject.toml changes; a second `make run` reuses the environment.
$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: make PYTHON=/path/to/python3.12 …" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Links in e-mails point at the address the portal is served on, unless PORTAL_BASE_URL says otherwise.
run: seed
	@echo "场景开放门户: http://$(HOST):$(PORT)/  (演示账号见 README.md)"
	PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# A real worker, for when CELERY_BROKER_URL points at Redis.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

# Security audits, failing on any finding: bandit over the code (medium severity and above; its
# settings in pyproject.toml) and the dependency audit (.ci/dependency_audit.py: offline against the
# advisories shipped in safety-db, then pip-audit where its service answers).
audit: install
	$(VENV)/bin/bandit -c pyproject.toml -r . -q --severity-level medium --confidence-level low
	$(PY) .ci/dependency_audit.py

# A backup of the database into PORTAL_BACKUP_DIR (manage.py restore FILE brings it back; README.md).
backup: install
	$(PY) manage.py backup

messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=.venv312 --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=.venv312

bench: install
	@for script in bench/bench_*.py; do [ -e "$$script" ] && $(PY) "$$script"; done; true

# The portal under load on gunicorn, PostgreSQL and Redis (bench/load_portal.py; ~15 minutes, not in CI).
# LOAD_ARGS=--quick for a short run, LOAD_ARGS=--rebuild to build the data set again.
bench-load: install
	$(PY) bench/load_portal.py $(LOAD_ARGS)

# Mutation testing of the rules that decide money and fairness (mutate/README.md): a score per
# rule module and every surviving mutant. `make mutate MUTATE_ARGS="contests/ranking --jobs 1"`.
mutate: install
	$(PY) -m mutate $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
