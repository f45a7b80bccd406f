"""packaging/: what the spec leaves out never includes what the app imports, and the
licence step of `make dist` stops when a bundled file's licence cannot be found. (The
bundle itself is built and smoke-tested by `make dist`, not here: it takes minutes.)"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "evidence-organiser.spec"


def spec_list(name: str) -> list[str]:
    """A list the spec builds from literal strings (QT_UNUSED, PY_UNUSED)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return [c.value for c in ast.walk(node.value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    raise AssertionError(f"{name} not found in the spec")


def imported_modules() -> set[str]:
    found = set()
    for path in (ROOT / "evidence_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_no_qt_module_or_library_the_app_imports_is_left_out():
    used_qt = {m.split(".")[1] for m in imported_modules() if m.startswith("PySide6.Qt")}
    assert {"QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPdfWidgets", "QtPrintSupport",
            "QtSvg"} <= used_qt
    excluded = set()
    for text in spec_list("QT_UNUSED"):
        excluded.update(w for w in text.split() if w.startswith("Qt"))
    assert len(excluded) > 30
    assert used_qt & excluded == set()
    left_out = {w for text in spec_list("PY_UNUSED") for w in text.split()}
    used_top = {m.split(".")[0] for m in imported_modules()}
    assert used_top & {m.split(".")[0] for m in left_out if "." not in m} == set()
    assert "lxml" in left_out  # see the next test


def test_an_archival_report_is_written_without_lxml(tmp_path):
    """The bundle leaves lxml out (5.6 MiB): making a PDF/A report must not import it
    (pikepdf imports it only to read XMP, or to fix the version in it on save)."""
    code = textwrap.dedent(f"""
        import sys
        from datetime import datetime, timezone
        from pathlib import Path
        from reportlab.pdfgen import canvas
        from evidence_app.core.report.archival import DocumentInfo, make_archival
        raw, out = Path({str(tmp_path / "raw.pdf")!r}), Path({str(tmp_path / "out.pdf")!r})
        c = canvas.Canvas(str(raw))
        c.drawString(72, 720, "Evidence log")
        c.save()
        make_archival(raw, out, DocumentInfo("Evidence log", "Jane Smith", "Report",
                                             "Evidence Organiser",
                                             datetime(2025, 3, 14, tzinfo=timezone.utc)))
        assert out.stat().st_size > 0
        print(sorted(m for m in sys.modules if m.split(".")[0] == "lxml"))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout


def load_licences():
    spec = importlib.util.spec_from_file_location("licences", ROOT / "packaging" / "licences.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["licences"] = module
    spec.loader.exec_module(module)
    return module


def test_licences_are_collected_and_a_file_of_unknown_origin_stops_the_build(tmp_path, capsys):
    licences = load_licences()
    import alembic
    import reportlab

    stray = tmp_path / "libmystery.so.1"
    stray.write_bytes(b"\x7fELF")
    font = ROOT / "evidence_app" / "resources" / "fonts" / "DejaVuSans.ttf"
    contents = {"modules": [["alembic", alembic.__file__], ["reportlab", reportlab.__file__]],
                "binaries": [],
                "datas": [["evidence_app/resources/fonts/DejaVuSans.ttf", str(font)]]}
    (tmp_path / "contents.json").write_text(json.dumps(contents))
    bundle = tmp_path / "bundle"
    assert licences.main([str(tmp_path / "contents.json"), str(bundle)]) == 0
    index = (bundle / "licences" / "README.txt").read_text(encoding="utf-8")
    assert "alembic" in index and "reportlab" in index and "font DejaVu" in index
    assert (bundle / "licences" / "font_DejaVu" / "LICENSE-DejaVu.txt").is_file()
    assert (bundle / "licences" / "Evidence_Organiser" / "LICENSE").read_bytes() == \
        (ROOT / "LICENSE").read_bytes()

    contents["binaries"].append(["libmystery.so.1", str(stray)])
    (tmp_path / "contents.json").write_text(json.dumps(contents))
    capsys.readouterr()
    assert licences.main([str(tmp_path / "contents.json"), str(bundle)]) == 1
    err = capsys.readouterr().err
    assert "no licence found" in err and "libmystery.so.1" in err


EMOJI_NAMES = """
from emoji.unicode_codes import _loaded_keys
from evidence_app.core.report import emoji
for seq in ("\\U0001F621", "\\U0001F52A", "\\U0001F1EC\\U0001F1E7", "1\\ufe0f\\u20e3",
            "\\U0001F469\\U0001F3FD\\u200d\\U0001F4BB", "\\u263a"):
    assert emoji.everyday_name(seq) and emoji.known(seq), seq
    emoji.picture(seq)
assert emoji.find("hi \\U0001F621\\U0001F52A \\u263a", lambda ch: False)
assert emoji.maybe_emoji("\\U0001F621")
print(sorted(_loaded_keys))
"""


def test_the_report_reads_only_the_english_emoji_names_the_bundle_keeps():
    # The spec leaves out the emoji package's other languages (APP_UNUSED_FILES).
    assert any("/emoji/unicode_codes/emoji_" in s for s in spec_list("APP_UNUSED_FILES"))
    done = subprocess.run([sys.executable, "-c", EMOJI_NAMES], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == str(sorted({"en", "alias", "E", "status"}))
