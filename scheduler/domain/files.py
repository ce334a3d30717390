"""Reading scenario and rota files, with messages that name the file, the field and the problem."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario

M = TypeVar("M", bound=BaseModel)

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads 16:00 as the base-60 number 960; this loader keeps clock times as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


class InputError(Exception):
    """A file that cannot be used, with one message per problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))


def _read_data(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, [f"cannot read the file: {error}"]) from None
    if not text.strip():
        raise InputError(path, ["the file is empty"])
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as error:
        raise InputError(path, [f"line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(path, [f"{where}invalid YAML: {problem}"]) from None


def _field_path(location: tuple[int | str, ...], data: object) -> str:
    """'people[3] (wang-fang).limits.max_hours_per_week' from a pydantic error location."""
    text = ""
    node = data
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f" ({node['id']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text or "(top level)"


def _validate(model: type[M], data: object, path: Path) -> M:
    if not isinstance(data, dict):
        raise InputError(path, ["expected a mapping of fields at the top level"])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            location = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            message = item["msg"].removeprefix("Value error, ")
            if location:
                problems.append(f"{_field_path(location, data)}: {message}")
            else:
                # Cross-reference checks run on the whole scenario: one problem a line, each naming its own path.
                problems.extend(message.splitlines())
        raise InputError(path, problems) from None


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario from YAML or JSON."""
    return _validate(Scenario, _read_data(path), path)


def load_rota(path: Path) -> Rota:
    """Read and validate a rota.json."""
    return _validate(Rota, _read_data(path), path)
