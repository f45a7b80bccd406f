"""The command line is a package of command groups with no import cycles among them.

grimp reads every import in the source, those inside functions too, so a lazy import
that closes a loop is caught as well.
"""

from itertools import combinations

import grimp


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
