"""Flows as data: the step-type registry, and reading and checking a flow file's YAML.

A flow file is a mapping with ``id``, ``start`` and ``steps``; each step names its ``type``. Problems
are collected with file and line, never raised, so ``switchboard check`` can list them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.engine.language import ChooseLanguage
from bot.engine.stepbase import FieldReader, Step
from bot.engine.steps_basic import Branch, End, GoTo, Handoff, Say, SetVariables, SubFlow
from bot.engine.steps_input import Ask, Feedback, Menu
from bot.engine.steps_services import BrowseServices, SearchServices
from bot.errors import Problem
from bot.yamlfile import line_of

STEP_TYPES: dict[str, type[Step]] = {
    step.TYPE: step
    for step in (
        Say,
        SetVariables,
        Branch,
        GoTo,
        SubFlow,
        End,
        Handoff,
        Menu,
        Ask,
        Feedback,
        BrowseServices,
        SearchServices,
        ChooseLanguage,
    )
}


@dataclass(frozen=True)
class Flow:
    """One conversation, as staff wrote it."""

    id: str
    file: str
    start: str
    steps: Mapping[str, Step]

    def step(self, step_id: str) -> Step | None:
        return self.steps.get(step_id)


def parse_flow(data: Any, file: str) -> tuple[Flow | None, list[Problem]]:
    """Read one flow file's YAML (from ``bot.yamlfile.parse_yaml``) into a ``Flow``."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        return None, [Problem(file, line_of(data), "a flow file needs 'id', 'start' and 'steps'")]
    for field in ("id", "start", "steps"):
        if field not in data:
            problems.append(Problem(file, line_of(data), f"the flow needs '{field}'"))
    unknown = set(data) - {"id", "start", "steps", "description"}
    for name in sorted(unknown):
        problems.append(Problem(file, line_of(data, name), f"unknown field '{name}'"))
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, Mapping) or not raw_steps:
        if "steps" in data:
            problems.append(Problem(file, line_of(data, "steps"), "'steps' should list the steps"))
        return None, problems
    steps: dict[str, Step] = {}
    for step_id, raw in raw_steps.items():
        step = _parse_step(str(step_id), raw, file, line_of(raw_steps, step_id), problems)
        if step is not None:
            steps[step.id] = step
    flow = Flow(str(data.get("id", "")), file, str(data.get("start", "")), steps)
    problems.extend(_check_links(flow, line_of(data, "start")))
    return flow, problems


def _parse_step(
    step_id: str, raw: Any, file: str, line: int | None, problems: list[Problem]
) -> Step | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(file, line, f"step '{step_id}' should be a mapping with a 'type'"))
        return None
    kind = raw.get("type")
    step_type = STEP_TYPES.get(str(kind)) if kind is not None else None
    if step_type is None:
        known = ", ".join(sorted(STEP_TYPES))
        where = line_of(raw, "type") if kind is not None else line
        what = f"unknown step type '{kind}'" if kind is not None else "has no 'type'"
        problems.append(Problem(file, where, f"step '{step_id}': {what} (known: {known})"))
        return None
    fields = FieldReader(raw, file, step_id, problems, line)
    step = step_type.parse(fields)
    fields.finish()
    return step


def _check_links(flow: Flow, start_line: int | None) -> list[Problem]:
    """Every ``next`` points at a step; every step can be reached from ``start``."""
    problems: list[Problem] = []
    if flow.start not in flow.steps:
        problems.append(
            Problem(flow.file, start_line, f"'start' points to '{flow.start}', which is not a step")
        )
        return problems
    for step in flow.steps.values():
        for target in step.targets():
            if target not in flow.steps:
                problems.append(
                    Problem(
                        flow.file,
                        step.line,
                        f"step '{step.id}' goes to '{target}', which is not a step",
                    )
                )
    reached: set[str] = set()
    todo = [flow.start]
    while todo:
        current = todo.pop()
        if current in reached or current not in flow.steps:
            continue
        reached.add(current)
        todo.extend(flow.steps[current].targets())
    for step in flow.steps.values():
        if step.id not in reached:
            problems.append(
                Problem(
                    flow.file,
                    step.line,
                    f"step '{step.id}' can never be reached from '{flow.start}'",
                    "warning",
                )
            )
    return problems


def check_flow_references(
    flows: Mapping[str, Flow], main_flow: str, menu_step: str
) -> list[Problem]:
    """Across flows: sub-flows exist; the main flow and its menu step exist."""
    problems: list[Problem] = []
    if main_flow not in flows:
        problems.append(
            Problem("flows/", None, f"there is no main flow (a flow with id '{main_flow}')")
        )
    elif menu_step not in flows[main_flow].steps:
        main = flows[main_flow]
        problems.append(
            Problem(main.file, None, f"the main flow needs a step '{menu_step}' (MENU goes there)")
        )
    for flow in flows.values():
        for step in flow.steps.values():
            for target in step.flows():
                if target not in flows:
                    problems.append(
                        Problem(
                            flow.file,
                            step.line,
                            f"step '{step.id}' starts flow '{target}', which does not exist",
                        )
                    )
    return problems
