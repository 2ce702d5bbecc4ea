"""Loading staff-edited content from disk (flows, services, catalogs) and checking it as a whole.

``load_content`` returns the engine's ``Content`` and every problem found, each with file and line;
``switchboard check`` prints them and start-up refuses content with errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from bot.catalog import Catalog, load_catalog, placeholders
from bot.config import Settings
from bot.engine.context import Content
from bot.engine.directory import Directory, parse_directory
from bot.engine.flows import Flow, check_flow_references, parse_flow
from bot.errors import ContentError, Problem
from bot.sms import segment_count
from bot.yamlfile import parse_yaml

SERVICES_FILE = "services.yaml"
# Keys the code itself renders (outside any flow step).
CODE_KEYS = (
    "compliance.stop",
    "compliance.start",
    "compliance.help",
    "language.prompt",
    "language.unsure",
    "language.set",
    "language.name",
    "menu.not_understood",
    "media.text_only",
    "handoff.human",
    "ask.too_long",
    "ask.give_up",
    "telegram.group_only_private",
    "telegram.command.menu",
    "telegram.command.language",
    "telegram.command.help",
    "telegram.command.stop",
)
# Some texts are sent with long values filled in; budget them with typical values.
SAMPLE_VALUE = "x" * 12


def load_content(settings: Settings) -> tuple[Content, Catalog, list[Problem]]:
    """Read flows, services and catalogs; check them; never raise for content problems."""
    problems: list[Problem] = []
    catalog, found = load_catalog(
        settings.messages_dir, settings.languages, settings.default_language
    )
    problems.extend(found)
    flows = _load_flows(settings.flows_dir, problems)
    directory = _load_directory(settings.flows_dir / SERVICES_FILE, problems)
    content = Content.build(
        flows=flows,
        texts=catalog,
        directory=directory,
        session_timeout=timedelta(minutes=settings.session_timeout_minutes),
        language_confidence_floor=settings.language_confidence_floor,
    )
    problems.extend(check_flow_references(flows, content.main_flow, content.menu_step))
    problems.extend(_check_keys(flows.values(), directory, catalog))
    problems.extend(_check_languages(catalog))
    problems.extend(_check_sms_budget(catalog, settings.sms_segment_budget))
    return content, catalog, problems


def require_content(settings: Settings) -> tuple[Content, Catalog]:
    """Like ``load_content``, but refuse to start on errors (warnings are fine)."""
    content, catalog, problems = load_content(settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    return content, catalog


def _load_flows(flows_dir: Path, problems: list[Problem]) -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    if not flows_dir.is_dir():
        problems.append(
            Problem(
                str(flows_dir),
                None,
                "the flows folder does not exist (run from the project folder, or set "
                "SWITCHBOARD_FLOWS_DIR)",
            )
        )
        return flows
    for path in sorted(flows_dir.glob("*.yaml")):
        if path.name == SERVICES_FILE:
            continue
        data, found = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        problems.extend(found)
        if data is None:
            continue
        flow, found = parse_flow(data, str(path))
        problems.extend(found)
        if flow is None:
            continue
        if flow.id in flows:
            problems.append(
                Problem(
                    str(path), None, f"flow id '{flow.id}' is also used by {flows[flow.id].file}"
                )
            )
            continue
        flows[flow.id] = flow
    return flows


def _load_directory(path: Path, problems: list[Problem]) -> Directory:
    if not path.is_file():
        problems.append(Problem(str(path), None, "the services directory is missing"))
        return Directory(city="", sample=False, categories=(), services=())
    data, found = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    problems.extend(found)
    directory, found = parse_directory(data if isinstance(data, dict) else {}, str(path))
    problems.extend(found)
    return directory


def _check_keys(flows: Iterable[Flow], directory: Directory, catalog: Catalog) -> list[Problem]:
    """Every key a flow, the code or the directory renders exists in the default language."""
    problems: list[Problem] = []
    default = catalog.default_language
    known = catalog.keys(default)
    for flow in flows:
        for step in flow.steps.values():
            for key in step.message_keys():
                if key not in known:
                    problems.append(Problem(flow.file, step.line, f"unknown message key '{key}'"))
    needed = list(CODE_KEYS)
    needed += [f"category.{c}.name" for c in directory.categories]
    for service in directory.services:
        needed += [f"service.{service.id}.{part}" for part in ("name", "summary", "hours", "apply")]
    for key in needed:
        if key not in known:
            problems.append(
                Problem(f"messages/{default}.yaml", None, f"missing message key '{key}'")
            )
    return problems


def _check_languages(catalog: Catalog) -> list[Problem]:
    """Every language has every key of the default language, with the same placeholders."""
    problems: list[Problem] = []
    source = catalog.entries.get(catalog.default_language, {})
    for language in catalog.languages:
        if language == catalog.default_language:
            continue
        entries = catalog.entries.get(language, {})
        for key, entry in source.items():
            other = entries.get(key)
            if other is None:
                problems.append(
                    Problem(
                        entry.file,
                        entry.line,
                        f"'{key}' is missing in '{language}' (falls back to {catalog.default_language})",
                        "warning",
                    )
                )
            elif isinstance(entry.value, str) and isinstance(other.value, str):
                if placeholders(entry.value) != placeholders(other.value):
                    problems.append(
                        Problem(
                            other.file,
                            other.line,
                            f"'{key}' has placeholders {sorted(placeholders(other.value))}, but {catalog.default_language} has {sorted(placeholders(entry.value))}",
                        )
                    )
            elif type(entry.value) is not type(other.value):
                problems.append(
                    Problem(
                        other.file,
                        other.line,
                        f"'{key}' should be a {'list' if isinstance(entry.value, tuple) else 'text'} like in {catalog.default_language}",
                    )
                )
        for key, entry in entries.items():
            if key not in source:
                problems.append(
                    Problem(
                        entry.file,
                        entry.line,
                        f"'{key}' is not in {catalog.default_language} (unused)",
                        "warning",
                    )
                )
    return problems


def _check_sms_budget(catalog: Catalog, budget: int) -> list[Problem]:
    problems: list[Problem] = []
    for language in catalog.languages:
        for key, entry in catalog.entries.get(language, {}).items():
            if not isinstance(entry.value, str):
                continue
            sample = catalog.render(
                key, language, dict.fromkeys(placeholders(entry.value), SAMPLE_VALUE)
            )
            segments = segment_count(sample)
            if segments > budget:
                problems.append(
                    Problem(
                        entry.file,
                        entry.line,
                        f"'{key}' takes {segments} SMS segments (budget {budget})",
                    )
                )
    return problems


def completeness(catalog: Catalog) -> dict[str, tuple[int, int]]:
    """Per language: (keys present, keys in the default language)."""
    source = catalog.keys(catalog.default_language)
    return {lang: (len(source & catalog.keys(lang)), len(source)) for lang in catalog.languages}
