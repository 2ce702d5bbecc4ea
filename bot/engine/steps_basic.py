"""Step types that do not wait for the resident: say, set, branch, goto, flow, end, handoff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from bot.engine.context import Context, Enter, Go, StepResult
from bot.engine.stepbase import FieldReader, Step
from bot.engine.types import EventKind


def _render_vars(ctx: Context, template: Mapping[str, str]) -> dict[str, str]:
    """``vars: {name: $first_name}`` takes a session variable; anything else is literal."""
    out: dict[str, str] = {}
    for name, value in template.items():
        looked_up = ctx.lookup(value[1:]) if value.startswith("$") else value
        out[name] = "" if looked_up is None else str(looked_up)
    return out


@dataclass(frozen=True)
class Say(Step):
    """Send a message, then go on.

    ```yaml
    hello:
      type: say
      text: welcome.new          # a key in messages/<lang>.yaml
      vars: {name: $first_name}  # optional: $name takes a saved answer
      next: main_menu
    ```
    """

    TYPE = "say"
    text: str = ""
    vars: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        text = fields.text("text") or ""
        variables = {str(k): str(v) for k, v in fields.mapping("vars", required=False).items()}
        return cls(**cls.common(fields), text=text, vars=variables)

    def message_keys(self) -> list[str]:
        return [self.text]

    def enter(self, ctx: Context) -> StepResult:
        ctx.say(self.text, _render_vars(ctx, self.vars))
        return Go(self.next)


@dataclass(frozen=True)
class SetVariables(Step):
    """Save values in the conversation, then go on.

    ```yaml
    remember_topic:
      type: set
      values: {topic: housing}
      next: ask_zip
    ```
    """

    TYPE = "set"
    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        values = {str(k): v for k, v in fields.mapping("values").items()}
        return cls(**cls.common(fields), values=values)

    def enter(self, ctx: Context) -> StepResult:
        ctx.variables.update(self.values)
        return Go(self.next)


_OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "empty", "not_empty", "is")


@dataclass(frozen=True)
class Case:
    var: str
    op: str
    value: Any
    next: str


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "empty":
        return actual in (None, "", [], {})
    if op == "not_empty":
        return actual not in (None, "", [], {})
    if op == "in":
        return isinstance(expected, list) and actual in expected
    if op in ("==", "is"):
        return bool(actual == expected or str(actual) == str(expected))
    if op == "!=":
        return not (actual == expected or str(actual) == str(expected))
    try:
        left, right = float(actual), float(expected)
    except (TypeError, ValueError):
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


@dataclass(frozen=True)
class Branch(Step):
    """Go one way or another depending on saved answers or the contact.

    ```yaml
    route:
      type: branch
      cases:
        - if: {var: age, op: ">=", value: 65}
          next: seniors
        - if: {var: contact.returning, op: is, value: true}
          next: welcome_back
      else: everyone
    ```
    """

    TYPE = "branch"
    cases: tuple[Case, ...] = ()
    otherwise: str | None = None

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        cases: list[Case] = []
        for item in fields.items("cases"):
            condition = item.get("if") if isinstance(item, Mapping) else None
            target = item.get("next") if isinstance(item, Mapping) else None
            if not isinstance(condition, Mapping) or not isinstance(target, str):
                fields.problem("each case needs 'if: {var, op, value}' and 'next'", "cases")
                continue
            op = str(condition.get("op", "=="))
            if op not in _OPERATORS or "var" not in condition:
                fields.problem(
                    f"a case needs 'var' and an op among {', '.join(_OPERATORS)}", "cases"
                )
                continue
            cases.append(Case(str(condition["var"]), op, condition.get("value"), target))
        otherwise = fields.text("else", required=False)
        return cls(**cls.common(fields), cases=tuple(cases), otherwise=otherwise)

    def targets(self) -> list[str]:
        found = [case.next for case in self.cases]
        return found + [t for t in (self.otherwise, self.next) if t]

    def enter(self, ctx: Context) -> StepResult:
        for case in self.cases:
            if _compare(ctx.lookup(case.var), case.op, case.value):
                return Go(case.next)
        return Go(self.otherwise or self.next)


@dataclass(frozen=True)
class GoTo(Step):
    """Jump to another flow for good (no coming back).

    ```yaml
    to_feedback:
      type: goto
      flow: feedback
    ```
    """

    TYPE = "goto"
    flow: str = ""

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        return cls(**cls.common(fields), flow=fields.text("flow") or "")

    def flows(self) -> list[str]:
        return [self.flow]

    def enter(self, ctx: Context) -> StepResult:
        return Enter(self.flow)


@dataclass(frozen=True)
class SubFlow(GoTo):
    """Run another flow, then come back and go on at ``next``.

    ```yaml
    ask_feedback:
      type: flow
      flow: feedback
      next: thanks
    ```
    """

    TYPE = "flow"

    def enter(self, ctx: Context) -> StepResult:
        return Enter(self.flow, return_to=self.next)


@dataclass(frozen=True)
class End(Step):
    """End the conversation, optionally with a last message.

    ```yaml
    done:
      type: end
      text: session.ended
    ```
    """

    TYPE = "end"
    text: str | None = None

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        return cls(**cls.common(fields), text=fields.text("text", required=False))

    def message_keys(self) -> list[str]:
        return [self.text] if self.text else []

    def enter(self, ctx: Context) -> StepResult:
        if self.text:
            ctx.say(self.text)
        return Go(None)


HANDOFF_TARGETS = ("human", "survey", "feedback_review")


@dataclass(frozen=True)
class Handoff(Step):
    """Hand the resident to something outside this flow: a person, or a survey (a later feature).

    ```yaml
    person:
      type: handoff
      to: human
      text: handoff.human
      next: main_menu
    ```
    """

    TYPE = "handoff"
    to: str = "human"
    text: str | None = None

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        target = fields.text("to") or "human"
        if target not in HANDOFF_TARGETS:
            fields.problem(f"'to' should be one of {', '.join(HANDOFF_TARGETS)}", "to")
        return cls(**cls.common(fields), to=target, text=fields.text("text", required=False))

    def message_keys(self) -> list[str]:
        return [self.text] if self.text else []

    def enter(self, ctx: Context) -> StepResult:
        ctx.emit(EventKind.HANDOFF_REQUESTED, to=self.to, flow=ctx.flow, step=self.id)
        if self.text:
            ctx.say(self.text)
        return Go(self.next)
