"""Message catalogs: ``messages/<lang>.yaml`` and ``messages/services/<lang>.yaml``, flattened to dotted keys.

``render(key, lang, vars)`` never fails: a missing key falls back to the default language, then to the
key itself, and a missing variable renders empty. ``switchboard check`` reports what fell back.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import Problem
from bot.yamlfile import line_of, parse_yaml

_FORMATTER = string.Formatter()
CatalogValue = str | tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    value: CatalogValue
    file: str
    line: int | None


@dataclass
class Catalog:
    """All languages' texts; implements the engine's ``Texts`` protocol."""

    languages: tuple[str, ...]
    default_language: str
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)

    def text(self, language: str, key: str) -> str | None:
        entry = self.entries.get(language, {}).get(key)
        return entry.value if entry is not None and isinstance(entry.value, str) else None

    def words(self, language: str, key: str) -> Sequence[str]:
        entry = self.entries.get(language, {}).get(key)
        return entry.value if entry is not None and isinstance(entry.value, tuple) else ()

    def resolve(self, key: str, language: str) -> str:
        """The text for ``key``: the contact's language, then the default language, then the key."""
        for lang in (language, self.default_language):
            found = self.text(lang, key)
            if found is not None:
                return found
        return key

    def render(self, key: str, language: str, variables: Mapping[str, Any] | None = None) -> str:
        return fill(self.resolve(key, language), variables or {})

    def keys(self, language: str) -> set[str]:
        return set(self.entries.get(language, {}))


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, variables: Mapping[str, Any]) -> str:
    """Put variables into ``{name}`` placeholders; unknown names render empty, odd braces stay as-is."""
    try:
        return template.format_map(
            _Blank({k: "" if v is None else v for k, v in variables.items()})
        )
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in _FORMATTER.parse(template) if name}
    except ValueError:
        return {"<unbalanced braces>"}


def load_catalog(
    messages_dir: Path, languages: Sequence[str], default_language: str
) -> tuple[Catalog, list[Problem]]:
    """Read every language's files; problems name file and line (bad YAML, odd values)."""
    catalog = Catalog(tuple(languages), default_language)
    problems: list[Problem] = []
    for language in languages:
        entries: dict[str, Entry] = {}
        for path in (
            messages_dir / f"{language}.yaml",
            messages_dir / "services" / f"{language}.yaml",
        ):
            if not path.is_file():
                problems.append(
                    Problem(
                        str(path),
                        None,
                        f"missing catalog for language '{language}' (run from the project folder, "
                        "or set SWITCHBOARD_MESSAGES_DIR)",
                    )
                )
                continue
            data, found = parse_yaml(path.read_text(encoding="utf-8"), str(path))
            problems.extend(found)
            if data is not None:
                _flatten(data, "", str(path), entries, problems)
        catalog.entries[language] = entries
    return catalog, problems


def _flatten(
    node: Any, prefix: str, file: str, out: dict[str, Entry], problems: list[Problem]
) -> None:
    if not isinstance(node, Mapping):
        problems.append(Problem(file, line_of(node), "a catalog should be 'key: text' lines"))
        return
    for key, value in node.items():
        dotted = f"{prefix}{key}"
        line = line_of(node, key)
        if dotted in out and out[dotted].file != file:
            problems.append(
                Problem(file, line, f"'{dotted}' is already defined in {out[dotted].file}")
            )
            continue
        if isinstance(value, Mapping):
            _flatten(value, f"{dotted}.", file, out, problems)
        elif isinstance(value, list):
            out[dotted] = Entry(tuple(str(v) for v in value if v is not None), file, line)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out[dotted] = Entry(str(value), file, line)
        else:
            problems.append(Problem(file, line, f"'{dotted}' should be a text or a list of words"))
