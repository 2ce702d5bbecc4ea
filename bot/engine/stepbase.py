"""The step-type seam: the base every step type extends, and the helper that reads its YAML fields.

A step type is one frozen dataclass: ``parse`` reads its YAML, ``enter`` runs when the conversation
arrives at it, and ``resume`` (for steps that wait) handles the resident's answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from bot.engine.context import Context, Go, StepResult
from bot.engine.types import Message
from bot.errors import Problem
from bot.yamlfile import line_of


class FieldReader:
    """Reads one step's YAML mapping, recording problems with file and line instead of raising."""

    COMMON = frozenset({"type", "next"})

    def __init__(
        self,
        raw: Mapping[str, Any],
        file: str,
        step_id: str,
        problems: list[Problem],
        step_line: int | None = None,
    ):
        self.raw, self.file, self.step_id, self.problems = raw, file, step_id, problems
        self.step_line = step_line if step_line is not None else line_of(raw)
        self.seen: set[str] = set(self.COMMON)

    def line(self, name: str | None = None) -> int | None:
        """The line of field ``name``, or of the step's own name."""
        return line_of(self.raw, name) if name else self.step_line

    def problem(self, message: str, name: str | None = None) -> None:
        self.problems.append(
            Problem(self.file, self.line(name), f"step '{self.step_id}': {message}")
        )

    def text(self, name: str, *, required: bool = True, default: str | None = None) -> str | None:
        self.seen.add(name)
        value = self.raw.get(name)
        if value is None:
            if required:
                self.problem(f"needs '{name}'")
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(f"'{name}' should be a single value, not {type(value).__name__}", name)
            return default
        return str(value)

    def number(self, name: str, default: float | None = None) -> float | None:
        self.seen.add(name)
        value = self.raw.get(name, default)
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        self.problem(f"'{name}' should be a number", name)
        return default

    def mapping(self, name: str, *, required: bool = True) -> Mapping[str, Any]:
        self.seen.add(name)
        value = self.raw.get(name)
        if isinstance(value, Mapping):
            return value
        if value is not None or required:
            self.problem(f"'{name}' should be a list of 'name: value' lines", name)
        return {}

    def items(self, name: str, *, required: bool = True) -> Sequence[Any]:
        self.seen.add(name)
        value = self.raw.get(name)
        if isinstance(value, list) and (value or not required):
            return value
        if value is not None or required:
            self.problem(f"'{name}' should be a list of one or more items ('- ...')", name)
        return []

    def finish(self) -> None:
        for name in self.raw:
            if name not in self.seen:
                self.problem(f"unknown field '{name}'", name)


@dataclass(frozen=True)
class Step:
    """Fields every step has. Subclasses add their own and set TYPE."""

    TYPE: ClassVar[str] = ""
    WAITS: ClassVar[bool] = False

    id: str
    line: int | None
    next: str | None

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        """Build the step from YAML; subclasses read their own fields first."""
        return cls(**cls.common(fields))

    @staticmethod
    def common(fields: FieldReader) -> dict[str, Any]:
        return {
            "id": fields.step_id,
            "line": fields.line(),
            "next": fields.text("next", required=False),
        }

    def targets(self) -> list[str]:
        """Step ids this step can go to (for the reachability and dangling-``next`` checks)."""
        return [self.next] if self.next else []

    def flows(self) -> list[str]:
        """Flow ids this step can start."""
        return []

    def message_keys(self) -> list[str]:
        """Catalog keys this step renders (checked against the catalogs)."""
        return []

    def enter(self, ctx: Context) -> StepResult:
        return Go(self.next)

    def resume(self, ctx: Context, message: Message) -> StepResult:
        """Only steps that wait are resumed; others just move on."""
        return Go(self.next)
