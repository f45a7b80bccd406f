# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench lock demo clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m evidence_app

demo: $(STAMP)
	$(PY) -m evidence_app --demo

# Test temp folders live in this checkout: pytest prunes old runs' folders under /tmp,
# and another test run on the same machine would otherwise delete this one's mid-run.
test: $(STAMP)
	$(PY) -m ruff check evidence_app tests bench
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	mkdir -p .pytest-tmp
	$(PY) -m pytest -n 2 --dist loadgroup --basetemp=.pytest-tmp/parallel

bench: $(STAMP)
	$(PY) bench/run_all.py

lock:
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --allow-unsafe --no-header -o requirements.lock requirements.in
	sed -i '/^--extra-index-url/d;/^--find-links/d' requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .pytest-tmp .mypy_cache .ruff_cache build *.egg-info
