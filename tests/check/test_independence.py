"""The checker stays independent of the solver, and each rule has one name across the model, the checker, the
rule tests and docs/rules.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scheduler" / "check"
FORBIDDEN = ("ortools", "scheduler.model", "scheduler.solve")
SHARED = {"__init__", "context", "structure", "fingerprint", "candidates"}
"""Checker modules that are not a rule."""


def _imported(source: str, package: str) -> list[str]:
    """Every module the source imports, relative imports resolved, with `from x import y` also giving x.y."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


@pytest.mark.parametrize("path", sorted(CHECK.rglob("*.py")), ids=lambda p: p.name)
def test_checker_imports_no_solver(path: Path) -> None:
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    bad = [name for name in _imported(path.read_text(encoding="utf-8"), package) if _forbidden(name)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}: the checker must not share code with the solver"


def test_the_import_walk_sees_what_it_must_refuse() -> None:
    source = "import ortools.sat\nfrom scheduler import model\nfrom .. import solve\nfrom . import context\n"
    names = [n for n in _imported(source, "scheduler.check") if _forbidden(n)]
    assert names == ["ortools.sat", "scheduler.model", "scheduler.solve"]


def test_one_name_per_rule() -> None:
    model = {p.stem for p in (ROOT / "scheduler" / "model" / "constraints").glob("*.py")} - {"__init__", "base"}
    checker = {p.stem for p in CHECK.glob("*.py")} - SHARED
    tests = {p.stem.removeprefix("test_") for p in (ROOT / "tests" / "rules").glob("test_*.py")}
    docs = set(re.findall(r"^## (\w+)$", (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"), re.MULTILINE))
    assert model == checker == tests
    assert model <= docs
