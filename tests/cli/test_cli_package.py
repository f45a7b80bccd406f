"""The command line is a package of command groups with no import cycles among them,
and every command it offers runs something.

grimp reads every import in the source, those inside functions too, so a lazy import
that closes a loop is caught as well.
"""

import argparse
import os
import subprocess
import sys
from itertools import combinations
from typing import Any

import grimp
import pytest

from evidence_app.cli.program import COMMANDS, build_parser, commands_asked_for


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


def test_each_command_is_added_alone_as_the_whole_list_adds_it():
    everything = leaf_commands(build_parser())
    for command, _group in COMMANDS:
        alone = leaf_commands(build_parser([command]))
        assert alone.pop("gui") is None
        assert alone and all(name == command or name.startswith(command + " ")
                             for name in alone), (command, alone)
        assert alone == {name: run for name, run in everything.items()
                         if name == command or name.startswith(command + " ")}
    assert sum(len(leaf_commands(build_parser([c]))) - 1 for c, _ in COMMANDS) == 37


@pytest.mark.parametrize(("argv", "wanted"), [
    ([], ()), (["--demo"], ()), (["--version"], ()), (["gui"], ()),
    (["--case", "x", "--exit-when-shown"], ()),
    (["--case", "report", "report", "--out", "r.pdf"], ("report",)),
    (["--case=x", "incident", "list", "--json"], ("incident",)),
    (["--passphrase-stdin", "verify", "-h"], ("verify",)),
    (["-h"], None), (["repot"], None), (["--case"], None), (["--bogus", "verify"], None),
])
def test_only_the_command_asked_for_is_added(argv, wanted):
    assert commands_asked_for(argv) == wanted


# Which command groups a process has imported once it has parsed its arguments.
GROUPS_LOADED = r"""
import sys
from evidence_app.cli.program import build_parser, commands_asked_for
argv = sys.argv[1:]
build_parser(commands_asked_for(argv)).parse_known_args(argv)
print(sorted(m.rsplit(".", 1)[1] for m in sys.modules
             if m.startswith("evidence_app.cli.") and m.rsplit(".", 1)[1] not in ("program", "common")))
"""


@pytest.mark.parametrize(("argv", "loaded"), [
    ([], "[]"), (["--demo"], "[]"),
    (["report", "--out", "r.pdf"], "['report']"),
    (["import", "x.jpg"], "['files', 'messages']"),  # import's options come from messages
    (["passphrase"], "['encryption']"),
])
def test_the_desktop_app_and_one_command_import_no_other_group(argv, loaded, tmp_path):
    env = dict(os.environ, EVIDENCE_APP_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", GROUPS_LOADED, *argv], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == loaded
