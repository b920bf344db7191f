# Two commands on a fresh clone: `make run` and `make test`. Both build .venv themselves.
# Both need npm (Node.js 20+): bpmn-js/form-js for the pages, bpmnlint and @camunda/form-linting for the checks in the tests.
PYTHON ?= python3
NPM ?= npm
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := web/static/vendor
VENDOR_STAMP := $(VENDOR)/.built
POT := web/translations/messages.pot
MO := $(patsubst %.po,%.mo,$(wildcard web/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test install assets compile-translations translations deploy demo worker clean bench-lifecycle bench-timers bench-inbox screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Browser libraries at the exact versions of package-lock.json; only the dist files the pages
# load are copied into web/static/vendor/ (git-ignored). No install scripts are run.
$(VENDOR_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null || { echo "make run and make test need npm (Node.js 20+) to fetch bpmn-js, form-js and bpmnlint; install it and retry" >&2; exit 1; }
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	$(NPM) run --silent build
	touch $@

assets: $(VENDOR_STAMP)

# English (and any later language) catalogues; the .mo files are built, never committed.
%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

compile-translations: $(MO)

# Re-extract the Russian msgids from web/ and engine/ and merge them into every catalogue;
# then translate the new (empty or fuzzy) entries in web/translations/*/LC_MESSAGES/messages.po.
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k _l --ignore-dirs='.* _* node_modules instance' \
		--project=Otklik --version=0.1.0 --copyright-holder=Otklik -o $(POT) .
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -i $(POT) -d web/translations
	$(BIN)/pybabel compile --statistics -d web/translations

deploy: $(STAMP)
	$(BIN)/otklik deploy bpmn/*.bpmn bpmn/templates/*.bpmn

demo: $(STAMP)
	$(BIN)/otklik demo

worker: $(STAMP)
	$(BIN)/otklik worker

# Schema, diagrams, demo officials (logins printed; kept in instance/demo-logins.txt), then the
# web app on http://127.0.0.1:$(PORT) (default 5000) with the timer worker beside it. Ctrl-C stops both; the data
# stays in instance/otklik.sqlite for the next `make run`.
run: $(STAMP) $(VENDOR_STAMP) $(MO)
	$(BIN)/otklik db upgrade
	$(BIN)/otklik deploy bpmn/*.bpmn bpmn/templates/*.bpmn
	$(BIN)/otklik demo
	$(BIN)/otklik run-demo --port $(PORT)

# OTKLIK_REQUIRE_NODE: npm ci has just installed bpmnlint and the form checks (ajv, @camunda/form-linting),
# so their tests must not skip.
# ruff (lint + import order) and import-linter (the layers' contracts in pyproject.toml) first.
# mypy (strict, [tool.mypy] in pyproject.toml) on the whole engine; --follow-imports=silent keeps
# the command usable on a subset (MYPY_CLEAN=engine/views) while one package is being fixed.
MYPY_CLEAN := engine
# The suite runs on TEST_WORKERS processes (pytest-xdist; each has its own PostgreSQL database and
# temporary files, tests/conftest.py), a whole test file to one worker (--dist loadfile: a module's
# fixtures are made once). `make test TEST_WORKERS=0` or `pytest -n0` runs it in one process.
# Tests marked `timed` (wall-clock bounds: tests/conftest.py TIMED) run afterwards, alone, in one process.
TEST_WORKERS ?= 2
test: $(STAMP) $(VENDOR_STAMP) $(MO)
	$(BIN)/ruff check engine web tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy --follow-imports=silent $(MYPY_CLEAN)
	OTKLIK_REQUIRE_NODE=1 $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not timed"
	OTKLIK_REQUIRE_NODE=1 $(BIN)/pytest -n0 -m timed

# docs/screenshots/*.png again from the browser tests (a plain test run never writes them: they are tracked).
screenshots: $(STAMP) $(VENDOR_STAMP) $(MO)
	OTKLIK_SCREENSHOTS=1 OTKLIK_REQUIRE_BROWSER=1 $(BIN)/pytest -q -p no:randomly -p no:xdist tests/browser

# Benchmarks (docs/performance.md): one command each on a fresh clone. PostgreSQL parts use
# BENCH_DB (created if missing; never the test suite's `test`).
BENCH_DB ?= postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench

bench-lifecycle: $(STAMP)
	OTKLIK_BENCH_DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/lifecycle.py

bench-timers: $(STAMP)
	$(BIN)/python bench/timers.py

bench-inbox: $(STAMP)
	OTKLIK_BENCH_DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/inbox.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .import_linter_cache node_modules $(VENDOR) web/translations/*/LC_MESSAGES/*.mo
