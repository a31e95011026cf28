"""The house (issue 23): the import graph of `detector/` and `api/` has no circles, and no
module imports from a room above its own. The rooms' order is written once, in
pyproject.toml (`[tool.house]`); docs/design.md describes them in the same order.

Every import counts, at module level or inside a function (a lazy import is still a
dependency). The `python -m` entry points (`ENTRY_POINTS`) belong to the CLI's room.
"""

from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("detector", "api")
#: `python -m` entry points: they belong to the command line's room.
ENTRY_POINTS = ("detector.__main__", "detector.scan.__main__")


def rooms() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["house"]["rooms"]


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (a `from X import y` of a submodule y
    counts as importing X.y)."""
    known = modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in known and target != name:
                    graph[name].add(target)
    return graph


def room_of(module: str, order: list[str]) -> str:
    if module in ENTRY_POINTS:
        return "detector.cli"
    best = ""
    for room in order:
        if (module == room or module.startswith(room + ".")) and len(room) > len(best):
            best = room
    assert best, f"{module} is in no room of [tool.house]"
    return best


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    nodes = set(graph) | {other for targets in graph.values() for other in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]], order: list[str]) -> list[str]:
    rank = {room: i for i, room in enumerate(order)}
    return sorted(
        f"{module} ({room_of(module, order)}) imports {target} ({room_of(target, order)})"
        for module, targets in graph.items()
        for target in targets
        if rank[room_of(target, order)] > rank[room_of(module, order)]
    )


def test_no_module_imports_another_in_a_circle() -> None:
    assert circles(import_graph()) == []


def test_no_room_imports_from_a_room_above_it() -> None:
    assert upward_imports(import_graph(), rooms()) == []


def test_every_module_is_in_a_room_and_every_room_exists() -> None:
    order = rooms()
    assert len(set(order)) == len(order)
    for module in modules():
        room_of(module, order)
    for room in order:
        assert room in modules(), f"room {room} has no package or module"


def test_the_design_notes_describe_the_rooms_in_order() -> None:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    positions = [text.find(f"`{room}`") for room in rooms()]
    assert all(p >= 0 for p in positions), "docs/design.md must name every room"
    assert positions == sorted(positions), "docs/design.md lists the rooms out of order"


def test_the_checker_sees_a_circle_and_an_upward_import() -> None:
    """The checks can fail: a made-up graph with a circle and a low-to-high import."""
    graph = {"detector.flags.engine": {"detector.core"},
             "detector.core": {"detector.flags.engine"},
             "detector.model.train": {"detector.model.bundle"}}
    assert circles(graph) == [["detector.core", "detector.flags.engine"]]
    assert upward_imports(graph, rooms()) == [
        "detector.flags.engine (detector.flags) imports detector.core (detector.core)"]
    assert room_of("detector.__main__", rooms()) == "detector.cli"
