"""Shared fixtures. Qt runs offscreen; every test gets its own app home and case."""

import os

# Offscreen, on the screen of a small laptop (1366x768), not the platform's 800x800:
# windows are sized from the screen they are on.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen:configfile=" + os.path.join(
    os.path.dirname(__file__), "fixtures", "laptop-screen.json"))
# No test may reach the machine's printers: the print dialog's CUPS backend is pointed
# at a server that does not exist, so it lists none (print tests print to PDF files).
os.environ["CUPS_SERVER"] = os.path.join(os.path.dirname(__file__), "no-cups-server.sock")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# On CI (.ci/run sets CI=1) property tests try the same examples on every run, so a red
# build is reproducible and never the luck of one draw; developers' runs keep exploring.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_runtest_setup(item):
    """`@pytest.mark.needs_tool("tesseract")`: skipped where the program is missing, but
    on CI (CI=1, where .ci/run installs it) a missing program fails the test, so a failed
    install can never pass the build as quiet skips."""
    import shutil

    for mark in item.iter_markers("needs_tool"):
        missing = [name for name in mark.args if shutil.which(name) is None]
        if not missing:
            continue
        what = ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"{what} is not installed, but .ci/run installs it: on CI a missing "
                        "program fails the run instead of skipping its tests", pytrace=False)
        pytest.skip(f"{what} is not installed (CI installs it)")


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory, monkeypatch):
    """Keep settings, logs and the default case out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("EVIDENCE_APP_HOME", str(home))
    return home


@pytest.fixture
def case(tmp_path):
    """A fresh, open case owned by Jane Smith (exhibits JS/1, JS/2, ...)."""
    from evidence_app.core.cases import create_case

    c = create_case(tmp_path / "case", owner_name="Jane Smith", initials="JS",
                    case_name="Jane Smith v. harassment")
    yield c
    c.close()


@pytest.fixture(scope="session")
def samples(tmp_path_factory):
    """Every kind of file a person might import, generated once per test process.

    Read-only for tests: import them, never modify them. See tests/fixtures/media_factory.py.
    """
    from fixtures.media_factory import build_samples

    return build_samples(tmp_path_factory.mktemp("samples"))


@pytest.fixture
def sample(samples):
    """Look a generated sample up by file name."""
    by_name = {s.name: s for s in samples}
    return by_name.__getitem__


@pytest.fixture
def import_paths(case):
    """Import paths into the `case` fixture; returns the ImportResults (one per input)."""
    from evidence_app.core.importers.files import import_files

    def run(*paths, **kwargs):
        return [e.item for e in import_files(case, list(paths), **kwargs) if e.item is not None]
    return run
