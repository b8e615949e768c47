# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test venv lint typecheck check-deploy messages benchmark-audit clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
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
	DJANGO_SETTINGS_MODULE=samverkan.settings.demo $(BIN)/gunicorn samverkan.wsgi \
		--bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - \
		--access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'

# Runs the whole suite: SQLite by default, PostgreSQL when DATABASE_URL names one.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=samverkan.settings.production \
	SECRET_KEY=$${SECRET_KEY:-ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 60)} \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-samverkan.example.org} \
	$(BIN)/samverkan check --deploy --fail-level WARNING

messages: $(STAMP)
	cd src/samverkan && ../../$(BIN)/django-admin makemessages -l sv -l en --no-obsolete --no-location \
		--settings=samverkan.settings.test && ../../$(BIN)/django-admin compilemessages --settings=samverkan.settings.test

benchmark-audit: $(STAMP)
	$(BIN)/python benchmarks/audit.py --json

clean:
	rm -rf $(VENV) var
