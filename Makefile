# The two commands of the README: `make run` and `make test` install into .venv
# from nothing, then run.  `make bench` runs the benchmarks of bench/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
JS_STAMP := extension/node_modules/.installed-stamp
AXE_STAMP := tests/service/axe/node_modules/.installed-stamp

.PHONY: install run test test-js bench lint clean

$(STAMP): pyproject.toml setup.py sources/_plain.pyx sources/_plain.pxd service/_wire.pyx
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/sdc run

test: install $(JS_STAMP) $(AXE_STAMP)
	$(PY) -m pytest -n 2 -q
	$(MAKE) test-js

# axe-core for the pages' accessibility tests (tests/service/test_page_*.py), test-only
$(AXE_STAMP): tests/service/axe/package.json tests/service/axe/package-lock.json
	cd tests/service/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE_STAMP)

# the extension's dependencies (npm registry), before pytest: its build test lints with web-ext
$(JS_STAMP): extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)

# the extension's unit tests (node's own test runner) and web-ext lint of the Firefox build
test-js: $(JS_STAMP)
	cd extension && npm test

# the service and load benchmarks drive their load with Debian's wrk
bench: install
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench

# ruff, then mypy (every package and bench/, strict on sources/, index/, ranking/; see [tool.mypy]), then the layers
# contract of docs/architecture.md (import-linter, [tool.importlinter])
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var .pytest_cache extension/node_modules
