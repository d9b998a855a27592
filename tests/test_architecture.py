"""The rooms of src/veikart import one way (docs/architecture.md): no cycle between rooms, none
between modules, and each room imports only the rooms its row of the table allows."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "veikart"

#: room -> the rooms it may import (docs/architecture.md); "veikart" is the package's __init__.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "errors": {"i18n"},
    "i18n": {"core"},
    "_lazy": set(),
    "package": {"core", "errors", "i18n"},
    "store": {"core", "errors", "i18n"},
    "opensdg": {"core", "errors", "i18n", "package", "_lazy"},
    "views": {"core", "i18n"},
    "report": {"core", "i18n", "views", "store", "veikart"},
    "opendata": {"core", "errors", "i18n", "views", "opensdg", "package", "store", "_lazy", "veikart"},
    "web": {"core", "errors", "i18n", "views", "store", "package", "opensdg", "opendata", "report", "veikart"},
    "app": {"core", "errors", "i18n", "package", "store", "opensdg", "views", "report", "opendata", "web"},
    "cli": {"app", "core", "errors", "i18n", "package", "store", "opensdg", "views", "report", "opendata", "web", "veikart"},
    "__main__": {"cli", "opendata"},
    "veikart": set(),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("veikart"):
            found.add(node.module)
            # `from veikart.cli import framework` imports a module; `from veikart import __version__` a name
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in _MODULES)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("veikart"))
    return found


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "veikart"


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


_MODULES = set(_modules())


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a list of nodes, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph = {
        name: {m for m in _imports(path, top_level_only=True) if m in modules and m != name}
        for name, path in modules.items()
    }
    # a package's __init__ is imported with each of its modules: `from veikart.cli._common import x`
    # runs veikart/cli/__init__.py first, but that is not an edge of the module's own making
    assert _cycle(graph) is None


def test_no_import_cycle_between_rooms_counting_imports_inside_functions() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in _modules().items():
        for imported in _imports(path, top_level_only=False):
            if _room(imported) != _room(name):
                graph[_room(name)].add(_room(imported))
    assert _cycle(dict(graph)) is None


def test_each_room_imports_only_what_docs_architecture_allows() -> None:
    wrong = []
    for name, path in sorted(_modules().items()):
        room = _room(name)
        for imported in sorted(_imports(path, top_level_only=False)):
            other = _room(imported)
            if other != room and other not in ALLOWED.get(room, set()):
                wrong.append(f"{name} imports {imported}")
    assert sorted(set(wrong)) == []
    assert set(ALLOWED) >= {_room(n) for n in _modules()}  # every room is in the table


def test_lazy_packages_export_exactly_the_names_they_load() -> None:
    import veikart.opendata as opendata
    import veikart.opensdg as opensdg

    for package in (opendata, opensdg):
        assert sorted(package.__all__) == sorted(package._WHERE), package.__name__
