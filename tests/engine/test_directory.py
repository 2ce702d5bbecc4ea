"""The services directory: parsing and validation, catalog checks, and self-consistency checks over
the shipped flows/services.yaml and messages/services/*.yaml (each service found by its own name)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.directory import (
    SERVICE_TEXT_FIELDS,
    Directory,
    catalog_keywords,
    check_catalog,
    merge_keywords,
    parse_directory,
)
from bot.engine.search import search
from bot.errors import Problem

ROOT = Path(__file__).parents[2]
SERVICES_FILE = ROOT / "flows" / "services.yaml"
CATALOG_DIR = ROOT / "messages" / "services"
SHIPPED_LANGUAGES = sorted(p.stem for p in CATALOG_DIR.glob("*.yaml"))


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def directory() -> Directory:
    parsed, problems = parse_directory(load(SERVICES_FILE), str(SERVICES_FILE))
    assert problems == []
    return parsed


def catalog(language: str) -> Mapping[str, Any]:
    data: Mapping[str, Any] = load(CATALOG_DIR / f"{language}.yaml")
    return data


def bot_keywords(language: str) -> dict[str, list[str]]:
    """What the bot searches with: the resident's language first, then English."""
    return merge_keywords(catalog_keywords(catalog(language)), catalog_keywords(catalog("en")))


def top(text: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    found = search(text, keywords)
    return found[0].service_id if found else None


def parse_text(text: str) -> tuple[Directory, list[Problem]]:
    return parse_directory(yaml.safe_load(text), "flows/services.yaml")


VALID = """
sample: true
city: Riverton
categories: [housing, food]
services:
  - id: rent-help
    category: housing
    phone: "+1 555 0100"
  - id: food-pantry
    category: food
    web: https://riverton.example.org/food
"""


# --- the shipped data ---------------------------------------------------------------------


def test_shipped_directory_is_marked_sample_riverton(directory: Directory) -> None:
    assert directory.sample is True
    assert directory.city == "Riverton"
    assert len(directory.categories) == 8
    assert 25 <= len(directory.services) <= 35


def test_shipped_services_use_known_categories_and_every_category_has_services(
    directory: Directory,
) -> None:
    assert {s.category for s in directory.services} == set(directory.categories)
    for category in directory.categories:
        assert directory.in_category(category)


def test_shipped_contacts_are_fictional(directory: Directory) -> None:
    for service in directory.services:
        if service.phone is not None:
            assert service.phone.startswith("+1 555 01"), service.id
        if service.web is not None:
            assert service.web.startswith("https://riverton.example.org/"), service.id
        if service.address is not None:
            assert service.address.endswith("Riverton"), service.id


def test_more_than_en_es_zh_are_shipped_or_at_least_those() -> None:
    assert {"en", "es", "zh"} <= set(SHIPPED_LANGUAGES)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_shipped_catalog_has_every_text_for_every_service(
    directory: Directory, language: str
) -> None:
    texts = catalog(language)
    assert check_catalog(directory, texts, f"{language}.yaml") == []
    assert set(texts["service"]) == {s.id for s in directory.services}
    assert set(texts["category"]) == set(directory.categories)
    for service in directory.services:
        entry = texts["service"][service.id]
        assert all(isinstance(entry[field], str) and entry[field] for field in SERVICE_TEXT_FIELDS)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_each_service_name_finds_that_service_first_from_keywords_alone(language: str) -> None:
    services = catalog(language)["service"]
    keywords_only = {sid: entry["keywords"] for sid, entry in services.items()}
    for sid, entry in services.items():
        found = search(entry["name"], keywords_only)
        assert found, f"{language}: {entry['name']!r} finds nothing"
        assert found[0].service_id == sid, f"{language}: {entry['name']!r} -> {found}"
        assert len(found) == 1 or found[1].score < found[0].score, f"{language}: tie {found}"


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_each_service_name_finds_that_service_first_as_the_bot_searches(language: str) -> None:
    keywords = bot_keywords(language)
    for sid, entry in catalog(language)["service"].items():
        assert top(entry["name"], keywords) == sid, entry["name"]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "I can't pay my rent", "rent-help"),
        ("en", "I got an evicton notice", "rent-help"),
        ("en", "evicton", "rent-help"),
        ("en", "bus pass", "bus-pass"),
        ("en", "Where do I get a senior bus pass?", "senior-fare"),
        ("en", "I lost my job last week", "unemployment"),
        ("en", "my landlord won't fix the heat", "tenant-rights"),
        ("en", "I need a dentst, my tooth hurts", "dental"),
        ("en", "need groseries for my kids", "food-pantry"),
        ("en", "I'm homeless and need a place to sleep tonight", "shelter"),
        ("en", "there is a pothole on my street", "report-problem"),
        ("en", "How do I apply for food stamps", "food-stamps"),
        ("es", "no puedo pagar la renta", "rent-help"),
        ("es", "necesito comida", "food-pantry"),
        ("es", "necesito un medico", "clinic"),
        ("es", "Necesito un MÉDICO!!", "clinic"),
        ("es", "me van a desalojar", "rent-help"),
        ("es", "perdi mi trabajo", "unemployment"),
        ("es", "mi casero no arregla la calefacción", "tenant-rights"),
        ("es", "me cortaron la luz", "utility-help"),
        ("es", "necesito un pase de autobus", "bus-pass"),
        ("zh", "我需要食物", "food-pantry"),
        ("zh", "我交不起房租", "rent-help"),
        ("zh", "我想找工作", "job-center"),
        ("zh", "我失业了", "unemployment"),
        ("zh", "我要看医生", "clinic"),
        ("zh", "家里停电了", "utility-help"),
    ],
)
def test_realistic_sentences_find_the_right_service(
    language: str, text: str, expected: str
) -> None:
    assert top(text, bot_keywords(language)) == expected


@pytest.mark.parametrize("text", ["hello", "1", "", "   ", "ok", "?!", "thank you", "hola", "你好"])
def test_small_talk_and_numbers_find_nothing(text: str) -> None:
    for language in SHIPPED_LANGUAGES:
        assert search(text, bot_keywords(language)) == [], language


# --- parse_directory -------------------------------------------------------------------


def test_valid_directory_parses_with_lookups() -> None:
    parsed, problems = parse_text(VALID)
    assert problems == []
    assert parsed.categories == ("housing", "food")
    rent = parsed.get("rent-help")
    assert rent is not None and rent.phone == "+1 555 0100" and rent.web is None
    assert parsed.get("nope") is None
    assert [s.id for s in parsed.in_category("food")] == ["food-pantry"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("category: food\n    web", "category: fod\n    web"), "category 'fod' is not in"),
        (("- id: food-pantry", "- id: rent-help"), "listed twice"),
        (("- id: food-pantry", "- id: Food Pantry"), "lower case"),
        (("    category: food\n", ""), "add a category"),
        (("    web: https://riverton.example.org/food\n", ""), "at least one of phone"),
        (("https://riverton", "http://riverton"), "must start with https://"),
        (('"+1 555 0100"', '"call us"'), "is not a phone number"),
        (("city: Riverton\n", ""), "city:"),
        (("categories: [housing, food]", "categories: housing"), "categories:"),
    ],
)
def test_directory_problems_name_the_file_and_what_to_fix(
    change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in VALID
    parsed, problems = parse_text(VALID.replace(old, new, 1))
    errors = [p for p in problems if p.severity == "error"]
    assert any(expected in p.message for p in errors), problems
    assert all(p.file == "flows/services.yaml" and p.line is None for p in problems)
    assert len({s.id for s in parsed.services}) == len(parsed.services)


def test_category_without_services_is_an_error() -> None:
    _, problems = parse_text(VALID.replace("[housing, food]", "[housing, food, jobs]"))
    assert [p.message for p in problems] == [
        "category 'jobs' has no services: add one or remove the category"
    ]


def test_invalid_service_is_left_out_and_duplicate_keeps_the_first() -> None:
    parsed, _ = parse_text(VALID.replace("- id: food-pantry", "- id: rent-help"))
    assert [s.id for s in parsed.services] == ["rent-help"]
    assert parsed.services[0].category == "housing"


def test_unknown_field_is_a_warning_and_the_service_stays() -> None:
    parsed, problems = parse_text(
        VALID.replace("    category: housing\n", "    category: housing\n    fax: x\n")
    )
    assert [(p.severity, "fax" in p.message) for p in problems] == [("warning", True)]
    assert parsed.get("rent-help") is not None


class LineDict(dict[str, Any]):
    """A mapping carrying a source line, as a line-aware YAML loader would produce."""

    line: int


def test_problem_lines_come_from_the_nodes_when_the_loader_gives_them() -> None:
    service = LineDict(id="rent-help", category="hosing", phone="+1 555 0100")
    service.line = 7
    data = LineDict(city="Riverton", categories=["housing"], services=[service])
    data.line = 1
    _, problems = parse_directory(data, "services.yaml")
    lines = {p.message.split(":")[0]: p.line for p in problems}
    assert lines["service 'rent-help'"] == 7
    assert lines["category 'housing' has no services"] == 1
    assert str(problems[0]).startswith("services.yaml:7: error:")


# --- catalogs -------------------------------------------------------------------------


CATALOG = """
category:
  housing: {name: Housing, keywords: [housing]}
  food: {name: Food, keywords: [food]}
service:
  rent-help:
    name: Rent Help
    summary: Money for rent.
    eligibility: Renters.
    documents: ID.
    hours: Mon-Fri
    apply: Call us.
    keywords: [rent]
  food-pantry:
    name: Food Pantry
    summary: Free food.
    eligibility: Anyone.
    documents: None.
    hours: Tue
    apply: Come in.
    keywords: [food, pantry]
"""


@pytest.mark.parametrize(
    ("change", "expected", "severity"),
    [
        (("    hours: Tue\n", ""), "service.food-pantry.hours: missing", "error"),
        (("Free food.", "Free {what}."), "placeholders", "error"),
        (("keywords: [rent]", "keywords: [rent, 311]"), "put numbers in quotes", "error"),
        (("keywords: [rent]", "keywords: []"), "service.rent-help.keywords", "error"),
        (("  food: {name: Food, keywords: [food]}\n", ""), "category.food: missing", "error"),
        (("Money for rent.", "Money for rent. " * 8), "keep it under 90", "warning"),
        (("service:\n", "service:\n  old-one: {name: Old}\n"), "service.old-one", "warning"),
    ],
)
def test_catalog_problems(change: tuple[str, str], expected: str, severity: str) -> None:
    parsed, _ = parse_text(VALID)
    old, new = change
    assert old in CATALOG
    problems = check_catalog(parsed, yaml.safe_load(CATALOG.replace(old, new, 1)), "xx.yaml")
    assert [(p.severity, p.file) for p in problems] == [(severity, "xx.yaml")]
    assert expected in problems[0].message


def test_valid_catalog_has_no_problems_and_gives_keywords_with_names() -> None:
    parsed, _ = parse_text(VALID)
    texts = yaml.safe_load(CATALOG)
    assert check_catalog(parsed, texts, "xx.yaml") == []
    assert catalog_keywords(texts) == {
        "rent-help": ["Rent Help", "rent"],
        "food-pantry": ["Food Pantry", "food", "pantry"],
    }


def test_merge_keywords_keeps_order_and_drops_duplicates() -> None:
    merged = merge_keywords({"a": ["renta", "rent"]}, {"a": ["rent", "late rent"], "b": ["bus"]})
    assert merged == {"a": ["renta", "rent", "late rent"], "b": ["bus"]}
