"""The command line is a package of command groups with no import cycles among them,
and every command it offers runs something.

grimp reads every import in the source, those inside functions too, so a lazy import
that closes a loop is caught as well.
"""

import argparse
from itertools import combinations
from typing import Any

import grimp

from evidence_app.cli.program import build_parser


def cli_modules(graph: grimp.ImportGraph) -> list[str]:
    return sorted(m for m in graph.modules
                  if m == "evidence_app.cli" or m.startswith("evidence_app.cli."))


def test_no_two_cli_modules_import_each_other():
    graph = grimp.build_graph("evidence_app", cache_dir=None)
    modules = cli_modules(graph)
    # Not vacuous: the groups and the program that gathers them are all there.
    assert {"evidence_app.cli.program", "evidence_app.cli.common",
            "evidence_app.cli.search"} <= set(modules), modules
    cycles = [" -> ".join(graph.find_shortest_chain(a, b)) + ", and back: "
              + " -> ".join(graph.find_shortest_chain(b, a))
              for a, b in combinations(modules, 2)
              if graph.chain_exists(a, b) and graph.chain_exists(b, a)]
    assert cycles == [], "import cycles in evidence_app.cli:\n" + "\n".join(cycles)


def leaf_commands(parser: argparse.ArgumentParser, path: str = "") -> dict[str, Any]:
    """Each command a person can type ('incident add', 'verify') and what it runs."""
    found: dict[str, Any] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(leaf_commands(sub, f"{path} {name}".strip()))
            return found
    return {path: parser.get_default("run")}


def test_every_command_has_something_to_run():
    commands = leaf_commands(build_parser())
    assert commands.pop("gui") is None  # the desktop app: main starts it itself
    assert len(commands) == 37 and "incident add" in commands and "unlock" in commands
    assert "sample" in commands and "conversation show" in commands
    assert [name for name, run in commands.items() if not callable(run)] == []
