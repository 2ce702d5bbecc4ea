"""The services directory: how each service is reached (flows/services.yaml), checks of its
per-language texts (messages/services/<lang>.yaml). Finding services from words is in search.py.
Pure: works on already-loaded YAML data; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.search import normalize
from bot.errors import Problem

CONTACT_FIELDS = ("phone", "web", "address")
SERVICE_TEXT_FIELDS = ("name", "summary", "eligibility", "documents", "hours", "apply")
CATEGORY_TEXT_FIELDS = ("name",)
SUMMARY_MAX_CHARS = 90
TEXT_MAX_CHARS = 120

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-.]{2,}\Z")
_PLACEHOLDER = re.compile(r"[{}]")
_SERVICE_KEYS = ("id", "category", *CONTACT_FIELDS)


@dataclass(frozen=True)
class Service:
    """One service and the ways to reach it. Its words live in the message catalogs."""

    id: str
    category: str
    phone: str | None
    web: str | None
    address: str | None


@dataclass(frozen=True)
class Directory:
    """Every service, and the categories in menu order."""

    city: str
    sample: bool
    categories: tuple[str, ...]
    services: tuple[Service, ...]

    def in_category(self, category: str) -> tuple[Service, ...]:
        """The category's services, in file order."""
        return tuple(s for s in self.services if s.category == category)

    def get(self, service_id: str) -> Service | None:
        """The service with this id, or None."""
        return next((s for s in self.services if s.id == service_id), None)


class _Report:
    """Collects problems for one file; a node's ``.line`` (from a line-aware loader) is used when
    present, else its parent's, else None."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def __call__(
        self, node: object, message: str, severity: str = "error", parent: object = None
    ) -> None:
        lines = (getattr(n, "line", None) for n in (node, parent))
        line = next((n for n in lines if isinstance(n, int)), None)
        self.problems.append(Problem(self.file, line, message, severity))


def parse_directory(data: Mapping[str, Any], file: str) -> tuple[Directory, list[Problem]]:
    """Build the directory from loaded flows/services.yaml; problems say what to fix.

    Services with errors are left out of the directory; the rest are kept.
    """
    report = _Report(file)
    city = data.get("city")
    if not isinstance(city, str) or not city.strip():
        report(data, "city: write the city's name, like 'city: Riverton'")
        city = ""
    sample = data.get("sample", False)
    if not isinstance(sample, bool):
        report(data, "sample: write true (example data) or false (real services)")
        sample = True
    raw_categories = data.get("categories")
    categories: list[str] = []
    if not isinstance(raw_categories, list) or not raw_categories:
        report(
            raw_categories,
            "categories: list the menu categories, like [housing, food]",
            parent=data,
        )
        raw_categories = []
    for item in raw_categories:
        if not isinstance(item, str) or not _ID.match(item):
            report(
                item, f"category {item!r}: use lower case letters, numbers and dashes", parent=data
            )
        elif item in categories:
            report(item, f"category '{item}' is listed twice", parent=data)
        else:
            categories.append(item)

    services: dict[str, Service] = {}
    raw_services = data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        report(data, "services: list at least one service, each starting with '- id:'")
        raw_services = []
    for position, raw in enumerate(raw_services, start=1):
        service = _parse_service(raw, position, categories, report, data)
        if service is not None and service.id in services:
            report(raw, f"service '{service.id}' is listed twice: give each service its own id")
        elif service is not None:
            services[service.id] = service

    for category in categories:
        if not any(s.category == category for s in services.values()):
            message = f"category '{category}' has no services: add one or remove the category"
            report(raw_categories, message, parent=data)
    directory = Directory(city, sample, tuple(categories), tuple(services.values()))
    return directory, report.problems


def _parse_service(
    raw: object, position: int, categories: Sequence[str], report: _Report, data: object
) -> Service | None:
    if not isinstance(raw, Mapping):
        report(raw, f"service #{position}: write it as a block starting with '- id:'", parent=data)
        return None
    sid = raw.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        message = f"service #{position}: id {sid!r} must be lower case letters, numbers and dashes"
        report(sid, message, parent=raw)
        return None
    errors_before = len(report.problems)
    category = raw.get("category")
    if not isinstance(category, str) or not category:
        report(raw, f"service '{sid}': add a category, one of {', '.join(categories)}")
    elif category not in categories:
        message = f"service '{sid}': category '{category}' is not in {', '.join(categories)}"
        report(category, message, parent=raw)
    contacts: dict[str, str | None] = dict.fromkeys(CONTACT_FIELDS)
    for field in CONTACT_FIELDS:
        value = raw.get(field)
        if isinstance(value, str) and value.strip():
            contacts[field] = value.strip()
        elif value is not None:
            report(value, f"service '{sid}': {field} must be text (use quotes)", parent=raw)
    phone, web, address = contacts["phone"], contacts["web"], contacts["address"]
    if not (phone or web or address or len(report.problems) > errors_before):
        report(raw, f"service '{sid}': add at least one of phone, web or address")
    if phone is not None and not _PHONE.match(phone):
        message = f"service '{sid}': phone {phone!r} is not a phone number"
        report(raw.get("phone"), message, parent=raw)
    if web is not None and not web.startswith("https://"):
        report(raw.get("web"), f"service '{sid}': web link must start with https://", parent=raw)
    ok = len(report.problems) == errors_before
    for key in raw:
        if key not in _SERVICE_KEYS:
            known = ", ".join(_SERVICE_KEYS)
            report(raw, f"service '{sid}': unknown field '{key}' (known: {known})", "warning")
    return Service(sid, str(category), phone, web, address) if ok else None


def check_catalog(directory: Directory, catalog: Mapping[str, Any], file: str) -> list[Problem]:
    """Check one loaded messages/services/<lang>.yaml against the directory: every category and
    service has all its texts and keywords, no {placeholders}, and texts stay short."""
    report = _Report(file)
    sections = (
        ("category", directory.categories, CATEGORY_TEXT_FIELDS),
        ("service", tuple(s.id for s in directory.services), SERVICE_TEXT_FIELDS),
    )
    for section, ids, fields in sections:
        entries = catalog.get(section)
        if not isinstance(entries, Mapping):
            report(catalog, f"{section}: missing; add a block for every {section}")
            continue
        for item_id in ids:
            key = f"{section}.{item_id}"
            entry = entries.get(item_id)
            if not isinstance(entry, Mapping):
                report(entries, f"{key}: missing; copy it from en.yaml and translate")
                continue
            for field in fields:
                _check_text(entry.get(field), f"{key}.{field}", entry, report)
            keywords = entry.get("keywords")
            if not isinstance(keywords, list) or not keywords:
                report(entry, f"{key}.keywords: list the words residents would write")
            elif not all(isinstance(k, str) and normalize(k) for k in keywords):
                report(keywords, f"{key}.keywords: put numbers in quotes", parent=entry)
        for extra in entries:
            if extra not in ids:
                report(entries, f"{section}.{extra}: not in flows/services.yaml", "warning")
    return report.problems


def _check_text(value: object, key: str, entry: object, report: _Report) -> None:
    if not isinstance(value, str) or not value.strip():
        report(value, f"{key}: missing or empty", parent=entry)
        return
    if _PLACEHOLDER.search(value):
        report(value, f"{key}: no {{placeholders}} or braces in service texts", parent=entry)
    limit = SUMMARY_MAX_CHARS if key.endswith(".summary") else TEXT_MAX_CHARS
    if len(value) > limit:
        report(value, f"{key}: {len(value)} characters; keep it under {limit}", "warning", entry)


def catalog_keywords(catalog: Mapping[str, Any]) -> dict[str, list[str]]:
    """Search keywords per service id from one loaded catalog: the service's name and keywords."""
    services = catalog.get("service")
    result: dict[str, list[str]] = {}
    if not isinstance(services, Mapping):
        return result
    for sid, entry in services.items():
        if not isinstance(entry, Mapping):
            continue
        words = [entry.get("name"), *(entry.get("keywords") or ())]
        result[str(sid)] = [w for w in words if isinstance(w, str)]
    return result


def merge_keywords(*maps: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Join keyword maps (e.g. the resident's language, then English); duplicates dropped."""
    merged: dict[str, list[str]] = {}
    for keyword_map in maps:
        for sid, words in keyword_map.items():
            merged.setdefault(sid, [])
            merged[sid].extend(w for w in words if w not in merged[sid])
    return merged


# --- search -------------------------------------------------------------------------------
