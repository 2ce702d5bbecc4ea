"""YAML with line numbers: mappings and lists remember the line they start on, duplicate keys are errors.

Staff edit flows and catalogs by hand, so every problem we report must point at a file and a line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from bot.errors import Problem


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows the line it starts on and the line of each key."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return getattr(self, "key_lines", {}).get(key, self.line)


class LineList(list[Any]):
    """A sequence from YAML that knows the line it starts on and the line of each item."""

    line: int | None = None
    item_lines: list[int]

    def line_of(self, index: int) -> int | None:
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


class _DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise _DuplicateKeyError(
                    "while reading a mapping",
                    node.start_mark,
                    "a key must be plain text",
                    key_node.start_mark,
                )
            key = str(key)
            if key in result:
                raise _DuplicateKeyError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key {key!r} appears twice",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> list[Any]:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


# YAML 1.1 reads yes/no/on/off as booleans; staff write "yes: [yes, si]" meaning words. Only
# true/false are booleans here (as in YAML 1.2).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node),  # type: ignore[arg-type]
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    lambda loader, node: loader.construct_sequence(node),  # type: ignore[arg-type]
)


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; on failure return ``None`` and a problem naming the file and line."""
    try:
        return yaml.load(text, Loader=_LineLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(file, line, f"not valid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, None, f"not valid YAML: {exc}")]


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of ``container`` (or of one of its keys/items) when it came from ``parse_yaml``."""
    if key is not None and isinstance(container, LineDict | LineList):
        return container.line_of(key)  # type: ignore[arg-type]
    return getattr(container, "line", None)
