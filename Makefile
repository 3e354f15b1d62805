# Sinergi: `make demo` bootstraps and serves the app; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST   ?= 127.0.0.1:8000
# The public address every link in an e-mail, PDF or QR code points to; the demo serves it on HOST.
DEMO_SITE_URL ?= http://$(HOST)
# Test workers (pytest-xdist; each has its own database) and, locally, the PostgreSQL test database
# kept between runs (.ci/run passes --create-db: a clean run).
WORKERS ?= auto
PG_DB_REUSE ?= --reuse-db

.PHONY: install demo serve test test-sqlite test-postgres lint bench messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(MAKE) --no-print-directory messages
	touch $@

messages:
	@if command -v msgfmt >/dev/null; then \
	  for po in src/sinergi/locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done; \
	else echo "gettext (msgfmt) tidak terpasang: terjemahan bahasa Inggris tidak dikompilasi"; fi

demo: install
	mkdir -p var
	$(BIN)/sinergi migrate --no-input
	SITE_URL=$(DEMO_SITE_URL) $(BIN)/sinergi seed_demo
	SITE_URL=$(DEMO_SITE_URL) DEBUG=1 $(BIN)/sinergi runserver $(HOST)

serve: install
	$(BIN)/sinergi runserver $(HOST)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -n $(WORKERS)

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(WORKERS) $(PG_DB_REUSE)

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/bench_allocation.py --quick
	$(BIN)/python bench/bench_apply.py --seconds 6
	$(BIN)/python tests/intake/evaluate.py
	$(BIN)/python bench/bench_credentials.py --quick
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_intake.py --quick

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
