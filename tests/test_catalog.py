"""Catalog rendering never fails, and every shipped language has every key with the same placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import fill, load_catalog, placeholders
from bot.config import SUPPORTED_LANGUAGES
from bot.sms import segment_count
from tests.helpers import ROOT

CATALOG, PROBLEMS = load_catalog(ROOT / "messages", SUPPORTED_LANGUAGES, "en")


def test_the_shipped_catalogs_load_without_problems() -> None:
    assert PROBLEMS == []


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_every_language_has_every_key_with_the_same_placeholders(language: str) -> None:
    source = CATALOG.entries["en"]
    other = CATALOG.entries[language]
    assert set(other) == set(source), "same keys as en"
    for key, entry in source.items():
        if isinstance(entry.value, str):
            assert isinstance(other[key].value, str), key
            assert placeholders(other[key].value) == placeholders(entry.value), key
            assert other[key].value.strip(), key


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_compliance_texts_fit_the_sms_budget(language: str) -> None:
    for key in ("compliance.stop", "compliance.start", "compliance.help"):
        assert segment_count(CATALOG.render(key, language, {"city": "Riverton"})) <= 3


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_global_keywords_do_not_collide_across_languages(language: str) -> None:
    from bot.engine.matching import GLOBAL_KEYWORDS, normalize

    owner: dict[str, str] = {}
    for lang in SUPPORTED_LANGUAGES:
        for action in GLOBAL_KEYWORDS:
            for word in CATALOG.words(lang, f"keywords.{action}"):
                norm = normalize(word)
                assert owner.setdefault(norm, action) == action, (
                    f"{word!r} ({lang}) means two things"
                )


def test_a_missing_key_falls_back_to_the_default_language_then_the_key(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "en.yaml").write_text("a: Hello {name}\nb: Only English\n", encoding="utf-8")
    (tmp_path / "es.yaml").write_text("a: Hola {name}\n", encoding="utf-8")
    for lang in ("en", "es"):
        (tmp_path / "services" / f"{lang}.yaml").write_text("x: y\n", encoding="utf-8")
    catalog, problems = load_catalog(tmp_path, ["en", "es"], "en")
    assert problems == []
    assert catalog.render("a", "es", {"name": "Ana"}) == "Hola Ana"
    assert catalog.render("b", "es") == "Only English"
    assert catalog.render("nope", "es") == "nope"


def test_fill_never_fails_and_never_reads_braces_in_values() -> None:
    assert fill("Hi {name}", {}) == "Hi "
    assert fill("Hi {name}", {"name": "{city}"}) == "Hi {city}"
    assert fill("odd { brace", {"x": 1}) == "odd { brace"
    assert fill("{0} {a.b}", {"a": "x"}) == "{0} {a.b}"
