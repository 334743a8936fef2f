# The two commands of the README: `make run` and `make test` install into .venv
# from nothing, then run.  `make bench` runs the benchmarks of bench/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-js bench lint clean system-deps

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/sdc run

test: install
	$(PY) -m pytest -n 2 -q
	@if [ -f extension/package.json ]; then $(MAKE) test-js; fi

# the extension's unit tests (node's own test runner)
test-js:
	cd extension && npm ci --no-audit --no-fund --loglevel=error && npm test

# the service and load benchmarks drive their load with Debian's wrk
bench: install
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache
