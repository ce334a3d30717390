"""Reading scenario and rota files, with messages that name the file, the field and the problem."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from scheduler.domain.limits import MAX_ALIAS_NODES, MAX_FILE_MB, MAX_YAML_NODES, ROTA_FILE_FACTOR, size_problems
from scheduler.domain.messages import Message, Param
from scheduler.domain.problems import PREFIX, coded
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
    """A file that cannot be used, with one message per problem: in English words (`problems`) and, where the
    problem has a code, as data for any language (`messages`, rendered by scheduler.reports.catalogue)."""

    def __init__(self, path: Path, problems: list[str], messages: list[Message] | None = None) -> None:
        self.path = path
        self.problems = problems
        self.messages = messages or []
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))


_FIELD_CODES = {
    "missing": "input.missing", "extra_forbidden": "input.unknown_field", "int_parsing": "input.not_whole",
    "int_type": "input.not_whole", "int_from_float": "input.not_whole", "float_parsing": "input.not_number",
    "float_type": "input.not_number", "string_too_long": "input.too_long", "string_too_short": "input.too_short",
    "too_long": "input.too_many", "too_short": "input.too_few", "greater_than_equal": "input.at_least",
    "greater_than": "input.more_than", "less_than_equal": "input.at_most", "less_than": "input.less_than",
    "date_from_datetime_parsing": "input.not_date", "date_parsing": "input.not_date", "date_type": "input.not_date",
    "bool_parsing": "input.not_yes_no", "bool_type": "input.not_yes_no", "enum": "input.not_a_choice",
    "literal_error": "input.not_a_choice", "string_type": "input.not_text", "list_type": "input.not_list",
    "dict_type": "input.not_mapping", "model_type": "input.not_mapping", "string_pattern_mismatch": "input.pattern",
}
"""Pydantic's error types that every field shares, by the catalogue's code; any other problem (a rule's own check)
keeps its English words under 'input.field'."""


def _field_message(field: str, item: ErrorDetails, english: str) -> Message:
    context = item.get("ctx") or {}
    own = coded(item["type"], context)  # a validator's own refusal (scheduler.domain.problems)
    if own is not None:
        return Message(code=own[0], params={"field": field, **own[1]})
    code = _FIELD_CODES.get(item["type"], "input.field")
    params: dict[str, Param] = {"field": field, "problem": english}
    for key in ("max_length", "min_length", "ge", "gt", "le", "lt", "expected"):
        if key in context:
            params["bound"] = str(context[key])
    return Message(code=code, params=params)


def _refused(path: Path, code: str, english: str, **params: Param) -> InputError:
    """A whole file refused: its one problem in English, and as a message code for any language."""
    return InputError(path, [english], [Message(code=code, params=params)])


def _too_large(path: Path, max_mb: float) -> InputError:
    return _refused(
        path, "input.too_large", f"the file is larger than {max_mb:g} MB, the limit (rota's --max-file-mb raises it)",
        mb=f"{max_mb:g}",
    )


def _read_text(path: Path, max_mb: float) -> str:
    """The file's text, refused unread when it is larger than `max_mb` (a pipe is read to one byte past it)."""
    limit = int(max_mb * 1024 * 1024)
    try:
        if path.is_file() and path.stat().st_size > limit:
            raise _too_large(path, max_mb)
        with path.open("rb") as file:
            data = file.read(limit + 1)
        if len(data) > limit:
            raise _too_large(path, max_mb)
        return data.decode("utf-8")
    except FileNotFoundError:
        raise _refused(path, "input.not_found", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _refused(path, "input.unreadable", f"cannot read the file: {error}", problem=str(error)) from None


class _Cycle(Exception):
    """A YAML node that contains itself through an alias."""


def _node_counts(root: yaml.Node) -> tuple[int, int]:
    """(distinct nodes, nodes once every alias is expanded) of a composed YAML document, without expanding it.

    An alias is the very node it names, so a node reached twice counts twice when expanded; each node is sized
    once (memoised, capped just past MAX_YAML_NODES), so a 'billion laughs' costs as little as the file.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if not done and id(node) in open_nodes:
            raise _Cycle()
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if done:
            sizes[id(node)] = min(1 + sum(sizes[id(child)] for child in children), MAX_YAML_NODES + 1)
            open_nodes.discard(id(node))
        else:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return len(sizes), sizes[id(root)]


def _load_yaml(text: str, path: Path) -> object:
    """YAML read with the expansion of its aliases bounded (composed and counted first, then built)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            distinct, expanded = _node_counts(node)
        except _Cycle:
            raise _refused(path, "input.yaml_cycle", "the YAML contains itself through an alias") from None
        if expanded > MAX_YAML_NODES:
            raise _refused(
                path, "input.yaml_nodes", f"the YAML expands to more than {MAX_YAML_NODES:,} nodes (aliases repeated?)",
                limit=f"{MAX_YAML_NODES:,}",
            )
        if expanded - distinct > MAX_ALIAS_NODES:
            raise _refused(
                path, "input.yaml_aliases",
                f"the YAML's aliases add {expanded - distinct:,} nodes, more than the limit of {MAX_ALIAS_NODES:,}",
                count=f"{expanded - distinct:,}", limit=f"{MAX_ALIAS_NODES:,}",
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _read_data(path: Path, max_mb: float = MAX_FILE_MB) -> object:
    text = _read_text(path, max_mb)
    if not text.strip():
        raise _refused(path, "input.empty", "the file is empty")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return _load_yaml(text, path)
    except RecursionError:
        raise _refused(path, "input.nested", "the file is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise _refused(
            path, "input.json", f"line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}",
            line=error.lineno, column=error.colno, problem=error.msg,
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise _refused(
            path, "input.yaml" if mark is not None else "input.yaml_anywhere", f"{where}invalid YAML: {problem}",
            line=line, column=column, problem=str(problem),
        ) from None


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
        raise _refused(path, "input.top_level", "expected a mapping of fields at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems: list[str] = []
        messages: list[Message] = []
        for item in error.errors(include_url=False):
            location = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            message = item["msg"].removeprefix("Value error, ")
            if location:
                field = _field_path(location, data)
                problems.append(f"{field}: {message}")
                messages.append(_field_message(field, item, message))
            else:
                # Cross-reference checks run on the whole scenario: one problem a line, each naming its own path.
                problems.extend(message.splitlines())
                messages.extend(_whole_scenario_messages(item, message))
        raise InputError(path, problems, messages) from None


def _whole_scenario_messages(item: ErrorDetails, english: str) -> list[Message]:
    """The problems of a check of the whole scenario (its references): each with its code where it has one."""
    context = item.get("ctx") or {}
    listed = context.get("problems")
    if item["type"] == PREFIX + "references" and isinstance(listed, list):
        return [Message.model_validate(problem) for problem in listed]
    own = coded(item["type"], context)
    if own is not None:
        return [Message(code=own[0], params=dict(own[1]))]
    return [Message(code="input.text", params={"problem": line}) for line in english.splitlines()]


def load_scenario(path: Path, max_mb: float = MAX_FILE_MB) -> Scenario:
    """Read and validate a scenario from YAML or JSON, refusing a file larger than `max_mb` MB or with more people,
    posts, rules... than the limits (scheduler/domain/limits.py) before any model is built."""
    data = _read_data(path, max_mb)
    problems = size_problems(data)
    if problems:
        raise InputError(path, problems, [Message(code="input.limit", params={"problem": p}) for p in problems])
    return _validate(Scenario, data, path)


def load_rota(path: Path, max_mb: float = MAX_FILE_MB) -> Rota:
    """Read and validate a rota.json (no larger than `ROTA_FILE_FACTOR` × `max_mb` MB)."""
    return _validate(Rota, _read_data(path, max_mb * ROTA_FILE_FACTOR), path)
