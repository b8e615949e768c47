# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test venv lint architecture typecheck check-deploy messages benchmark-audit benchmark-trefas benchmark-picture clean system-deps

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "$(PYTHON) is not Python 3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	DJANGO_SETTINGS_MODULE=samverkan.settings.demo $(BIN)/samverkan migrate --noinput
	DJANGO_SETTINGS_MODULE=samverkan.settings.demo $(BIN)/samverkan collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=samverkan.settings.demo $(BIN)/samverkan load_demo
	@echo ""
	@echo "Samverkan demo: http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	DJANGO_SETTINGS_MODULE=samverkan.settings.demo $(BIN)/samverkan scheduler --interval 300 & \
	scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=samverkan.settings.demo WEB_BIND=127.0.0.1:$(PORT) \
		WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} WEB_THREADS=$${WEB_THREADS:-4} \
		$(BIN)/gunicorn -c python:samverkan.gunicorn_conf samverkan.wsgi

# Runs the whole suite: SQLite by default, PostgreSQL when DATABASE_URL names one; in
# parallel, one pytest-xdist worker per core (PYTEST_WORKERS=2 for two, =0 for none: the
# tests then run in pytest's own process). Each worker has its own test database and
# Redis database (tests/conftest.py).
PYTEST_WORKERS ?= logical
test: $(STAMP) system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Debian packages the tests need: chromium for the browser tests, and the text-layout
# libraries WeasyPrint renders PDFs with (libharfbuzz-subset0: without it WeasyPrint warns
# on import, and the suite treats warnings as errors). Installed when missing and we may (root).
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian packages for the tests:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "WARNING: missing Debian packages:$$missing (browser tests are skipped without chromium)"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The architecture contracts (.importlinter; docs/architecture.md draws them).
architecture: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=samverkan.settings.production \
	SECRET_KEY=$${SECRET_KEY:-ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 60)} \
	AUDIT_KEYS=$${AUDIT_KEYS:-ci-only:$$(head -c 32 /dev/urandom | base64 | tr -d '\n')} \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-samverkan.example.org} \
	$(BIN)/samverkan check --deploy --fail-level WARNING

messages: $(STAMP)
	cd src/samverkan && ../../$(BIN)/django-admin makemessages -l sv -l en --no-obsolete --no-location \
		--ignore=public --ignore=static --ignore=tests --ignore=benchmarks --ignore=node_modules --ignore=.venv \
		--settings=samverkan.settings.test && ../../$(BIN)/django-admin compilemessages --settings=samverkan.settings.test

benchmark-audit: $(STAMP)
	$(BIN)/python benchmarks/audit.py --json

# Trefas at full size on PostgreSQL (DATABASE_URL; SCALE=0.1 for a tenth): a few minutes.
SCALE ?= 1
benchmark-trefas: $(STAMP)
	$(BIN)/python benchmarks/trefas.py --json --scale $(SCALE)

# The weekly joint picture on PostgreSQL (DATABASE_URL): 60 areas x 5 years x 200 reports a
# week (≈ 3.1 million), 20 clients; about ten minutes. PICTURE_ARGS=--small for a quick check.
PICTURE_ARGS ?=
benchmark-picture: $(STAMP)
	$(BIN)/python benchmarks/picture.py --json $(PICTURE_ARGS)

clean:
	rm -rf $(VENV) var
