"""The web app's layout: it uses only the engine's public API (`from scheduler import ...`), and its modules import
each other without a loop. Both are read from the source (the AST), so a lazy import inside a function counts."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"

KNOWN_ENGINE_IMPORTS: frozenset[str] = frozenset()
"""Web modules allowed to import engine submodules: none."""

COMMAND_LINE = ("web.commands", "scheduler.cli")
"""The one exception: the installed `rota` command is the engine's command line plus `rota admin ...`, so the module
composing it extends the engine's Typer app (a command, not an API)."""

KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()
"""Import loops among web modules not yet untied, each as the set of its modules."""


def _modules() -> dict[str, ast.Module]:
    found: dict[str, ast.Module] = {}
    for path in sorted(WEB.rglob("*.py")):
        parts = path.relative_to(WEB.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def _is_package(name: str) -> bool:
    return (WEB.parent / name.replace(".", "/") / "__init__.py").exists()


def _imported(name: str, tree: ast.Module, *, names: bool = True) -> set[str]:
    """The modules `name` imports; with `names`, `from web.x import y` also gives `web.x.y` (it may be a module)."""
    package = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            if names:
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_the_web_app_uses_only_the_engines_public_api() -> None:
    offenders = {
        name for name, tree in _modules().items()
        if any(
            module.startswith("scheduler.") and (name, module) != COMMAND_LINE
            for module in _imported(name, tree, names=False)
        )
    }
    new, fixed = sorted(offenders - KNOWN_ENGINE_IMPORTS), sorted(KNOWN_ENGINE_IMPORTS - offenders)
    assert not new, f"import engine names with `from scheduler import`: {new}"
    assert not fixed, f"no longer importing engine submodules, take them off the list: {fixed}"


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, tree in modules.items():
        # a package's __init__ is not counted as importing its own modules' parents
        graph[name] = {m for m in _imported(name, tree) if m in modules and m != name and not name.startswith(m + ".")}
    return graph


def test_web_modules_import_each_other_without_a_loop() -> None:
    cycles = set(_cycles(_graph()))
    new, untied = cycles - KNOWN_CYCLES, KNOWN_CYCLES - cycles
    assert not new, f"import loops: {[sorted(c) for c in new]}"
    assert not untied, f"no longer loops, take them off the list: {[sorted(c) for c in untied]}"


def test_the_cycle_finder_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]


def test_template_names_are_unique_across_features() -> None:
    """Pages are rendered by bare file name from every feature's templates folder: a name used twice would
    silently render the first folder's page."""
    from web.rendering import TEMPLATE_FOLDERS

    names = [path.name for folder in TEMPLATE_FOLDERS for path in folder.glob("*.html")]
    assert len(names) > 40
    assert sorted(names) == sorted(set(names))
