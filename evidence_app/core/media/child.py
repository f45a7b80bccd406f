"""How the app starts its child processes (the PDF reader, the risky-picture reader),
from a Python install and from a bundle.

From Python, a child is `python -c CODE` (with `-I` where the code needs nothing but the
installed packages). In a bundle (PyInstaller: `sys.frozen`) `sys.executable` is the app
itself, which would take `-c` for a command-line option; there the child is
`<app> --internal-child NAME ARGS...`, and the bundle's entry point (packaging/launcher.py)
hands that to `run_child` before anything else is imported, which runs the same CODE the
`-c` form would, with the same `sys.argv[1:]`.

This module imports nothing beyond the standard library: the launcher reaches it before
the command line or Qt is loaded.
"""

from __future__ import annotations

import sys

FLAG = "--internal-child"
# The children: the PDF reader (media.pdf) and the risky-picture reader (media.isolated).
CHILDREN = ("pdf", "picture")


def _code(name: str) -> str:
    """The code child `name` runs (each module's `_CHILD`, which its tests may replace)."""
    if name == "pdf":
        from evidence_app.core.media import pdf

        return pdf._CHILD
    from evidence_app.core.media import isolated

    return isolated._CHILD


def frozen() -> bool:
    """Whether this is a bundled app (PyInstaller), whose executable is not Python."""
    return bool(getattr(sys, "frozen", False))


def child_command(name: str, code: str, *args: str, isolated: bool = False) -> list[str]:
    """The command that starts child `name`, which runs `code` with `args` as its
    `sys.argv[1:]`. `isolated`: from Python, `-I` (no PYTHON* variables, no user site,
    not the current folder on the path); a bundle ignores those anyway."""
    if name not in CHILDREN:
        raise ValueError(f"unknown child process {name!r}")
    if frozen():
        return [sys.executable, FLAG, name, *args]
    return [sys.executable, *(["-I"] if isolated else []), "-c", code, *args]


def run_child(argv: list[str]) -> int:
    """In a bundle, `argv` ([program, FLAG, name, args...]): run that child's code as
    `python -c` would, with `sys.argv` = [program, args...]. The exit status."""
    if len(argv) < 3 or argv[1] != FLAG or argv[2] not in CHILDREN:
        print(f"{FLAG}: unknown child process", file=sys.stderr)
        return 2
    code = _code(argv[2])
    sys.argv = [argv[0], *argv[3:]]
    exec(compile(code, f"<child {argv[2]}>", "exec"), {"__name__": "__main__"})  # noqa: S102
    return 0
