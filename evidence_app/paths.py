"""Where the default case, settings and logs live (via platformdirs), and which case the
app last opened (read by the command line too, without Qt).

`EVIDENCE_APP_HOME` overrides every location at once; tests and the demo use it so they
never touch the person's real data.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import platformdirs

from evidence_app import APP_ID


def _override() -> Path | None:
    home = os.environ.get("EVIDENCE_APP_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    """Folder holding the person's cases (by default)."""
    base = _override()
    return base / "data" if base else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def config_dir() -> Path:
    """Folder holding application settings (last case, recent cases, window layout)."""
    base = _override()
    return base / "config" if base else Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def log_dir() -> Path:
    """Folder holding log files."""
    base = _override()
    return base / "logs" if base else Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def default_case_dir() -> Path:
    """The case opened when no other is named."""
    return data_dir() / "cases" / "My case"


# Which case the app last opened, kept apart from the app's Qt settings in a small JSON
# file, so the command line (which must start without Qt) reads the same answer.
LAST_CASE_FILE = "last-case.json"


def last_case_file() -> Path:
    """The file remembering the case the app last opened (and whether to remember)."""
    return config_dir() / LAST_CASE_FILE


def _read_memory() -> dict[str, object] | None:
    """What the file holds; None when there is no such file (or it cannot be read)."""
    try:
        data = json.loads(last_case_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_memory(**changes: object) -> None:
    """Change some keys, written whole (a new file renamed over the old) so a reader
    never sees half of it."""
    data = _read_memory() or {}
    data.update(changes)
    path = last_case_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def case_memory_known() -> bool:
    """Whether the file exists yet (before it did, the app kept this in its Qt settings)."""
    return _read_memory() is not None


def _legacy(key: str) -> str:
    """A `[cases]` value from the settings.ini older versions kept it in (Qt's INI: a
    value with a comma or a quote is quoted, and backslashes and quotes escaped)."""
    import configparser

    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(config_dir() / "settings.ini", encoding="utf-8")
        value = parser.get("cases", key, fallback="").strip()
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return re.sub(r"\\(.)", r"\1", value)


def last_opened_case() -> Path | None:
    """The case folder the app last opened, or None if none is remembered."""
    memory = _read_memory()
    value = memory.get("case") if memory is not None else _legacy("last")
    return Path(value) if isinstance(value, str) and value else None


def remember_last_case(folder: Path | None, by: str = "app") -> None:
    """Record `folder` as the case last opened; None forgets it. `by` says who: "app"
    (the desktop app opened it) or "init" (the command line made it)."""
    _write_memory(case=str(folder) if folder is not None else None, by=by)


def last_case_remembered_by() -> str:
    """Who recorded the last case: "app" or "init" (see `remember_last_case`)."""
    value = (_read_memory() or {}).get("by")
    return value if isinstance(value, str) else "app"


def cases_remembered() -> bool | None:
    """The person's choice to remember cases on this computer; None if never recorded."""
    memory = _read_memory()
    if memory is None:
        legacy = _legacy("remember").lower()
        return {"true": True, "false": False}.get(legacy)
    value = memory.get("remember")
    return value if isinstance(value, bool) else None


def set_cases_remembered(on: bool) -> None:
    """Record the choice to remember (or not) the cases opened on this computer."""
    _write_memory(remember=on)
