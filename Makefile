# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# One stamp per lock, so `make run` installs only what the app needs, `make test` adds
# the development tools, and a lock newer than its stamp is installed again.
RUNTIME := $(VENV)/.runtime-installed
DEV     := $(VENV)/.dev-installed
# Every package, pip and setuptools included, must match a hash in the lock.
INSTALL := $(PY) -m pip install --quiet --require-hashes
# pip-tools lives in a venv of its own: its dependencies would otherwise shift the pins
# installed in the project's venv.
LOCKER  := $(VENV)/lock-tools

.PHONY: run test fuzz bench lock demo clean dist appimage install-desktop uninstall-desktop

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.lock pyproject.toml | $(PY)
	$(INSTALL) -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(DEV): requirements-dev.lock $(RUNTIME)
	$(INSTALL) -r requirements-dev.lock
	touch $@

run: $(RUNTIME)
	$(PY) -m evidence_app

demo: $(RUNTIME)
	$(PY) -m evidence_app --demo

# Test temp folders live in this checkout: pytest prunes old runs' folders under /tmp,
# and another test run on the same machine would otherwise delete this one's mid-run.
test: $(DEV)
	$(PY) -m ruff check evidence_app tests bench packaging resources docs
	$(VENV)/bin/lint-imports
	$(PY) -m mypy
	mkdir -p .pytest-tmp
	$(PY) -m pytest -n 2 --dist loadgroup --basetemp=.pytest-tmp/parallel

# The desktop bundle (packaging/): PyInstaller from its own lock, then licences, tarball
# and a smoke test of the tarball with no Python. Not part of `make test` (CPU heavy).
PACKAGING := $(VENV)/.packaging-installed
$(PACKAGING): requirements-packaging.lock $(RUNTIME)
	$(INSTALL) -r requirements-packaging.lock
	touch $@

dist: $(PACKAGING)
	nice -n 10 $(PY) packaging/build_dist.py

# The same bundle as one AppImage file (not part of `make test`). Needs squashfs-tools
# and the AppImage runtime built by packaging/appimage/build_runtime.sh (see there).
appimage: dist
	nice -n 10 $(PY) packaging/build_appimage.py

# The app in this user's application menu (icons, .desktop, metainfo under
# $$XDG_DATA_HOME), started from this checkout's .venv.
install-desktop: $(RUNTIME)
	sh packaging/linux/install-desktop.sh "$(CURDIR)/resources" "$(CURDIR)/$(VENV)/bin/evidence-app"

uninstall-desktop:
	sh packaging/linux/install-desktop.sh --uninstall

# The import fuzzer (tests/fuzz) for longer than `make test` runs it: FUZZ_EXAMPLES
# examples per target (a few minutes). Add anything it finds to the FOUND lists there.
FUZZ_EXAMPLES ?= 3000
fuzz: $(DEV)
	mkdir -p .pytest-tmp
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/fuzz -m fuzz -n 0 -p no:randomly \
		--basetemp=.pytest-tmp/fuzz

bench: $(DEV)
	$(PY) bench/run_all.py

# Both locks, with hashes. Existing pins are kept (pip-compile --upgrade moves them);
# the development lock is constrained by the runtime one (-c in requirements-dev.in).
COMPILE := $(LOCKER)/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
	--no-header --no-emit-index-url --no-emit-find-links
lock: | $(PY)
	$(PY) -m venv $(LOCKER)
	$(LOCKER)/bin/python -m pip install --quiet pip-tools
	$(COMPILE) -o requirements.lock requirements.in
	$(COMPILE) -o requirements-dev.lock requirements-dev.in
	$(COMPILE) -o requirements-packaging.lock requirements-packaging.in

clean:
	rm -rf $(VENV) .pytest_cache .pytest-tmp .mypy_cache .ruff_cache build dist *.egg-info
