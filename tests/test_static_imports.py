"""Every import of the project's own modules is an `import` statement that a checker
(import-linter, grimp, mypy) can see: none is asked for by a name in a string through
`importlib.import_module`, `importlib.util.find_spec` or `__import__`. Lazy imports
inside functions are fine; they are statements too."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "evidence_app"
BY_NAME = {"import_module", "find_spec", "__import__"}


def imports_by_name(source: str) -> list[str]:
    """Each call that imports (or looks for) a module by name, unless the name is written
    out and belongs to another project (an optional dependency asked for by name)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called not in BY_NAME:
            continue
        name = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg == "name"), None)
        written_out = isinstance(name, ast.Constant) and isinstance(name.value, str)
        if written_out and not name.value.startswith(("evidence_app", ".")):
            continue
        found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_of_the_project_is_imported_by_a_name_in_a_string():
    found = {str(path.relative_to(PKG.parent)): calls for path in sorted(PKG.rglob("*.py"))
             if (calls := imports_by_name(path.read_text(encoding="utf-8")))}
    assert found == {}, "import these with an import statement instead:\n" + "\n".join(
        f"{path}: {call}" for path, calls in found.items() for call in calls)


@pytest.mark.parametrize("source", [
    "import importlib\nimportlib.import_module('evidence_app.demo.case')",
    "from importlib import import_module\nimport_module(name)",
    "import importlib.util\nimportlib.util.find_spec(DEMO_MODULE)",
    "import importlib\n[importlib.import_module(n) for n in FEATURE_MODULES]",
    "__import__('evidence_app.cli')",
    "import importlib\nimportlib.import_module('.search', 'evidence_app.cli')",
    "import importlib\nimportlib.import_module(name='evidence_app.gui.app')",
])
def test_the_check_sees_each_way_of_importing_by_name(source):
    assert len(imports_by_name(source)) == 1


def test_the_check_lets_another_projects_module_be_looked_for_by_name():
    assert imports_by_name("import importlib.util\nimportlib.util.find_spec('pillow_heif')") == []
