"""Settings: environment over switchboard.toml, secrets only from the environment, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("SWITCHBOARD_"):
            monkeypatch.delenv(name)


def test_defaults_are_the_embedded_sqlite_file_and_ten_languages(tmp_path: Path) -> None:
    settings = load_settings(config_file=tmp_path / "none.toml")
    assert settings.database_url == "sqlite+aiosqlite:///./data/switchboard.db"
    assert settings.languages == ["en", "es", "zh", "vi", "tl", "ko", "ru", "ar", "ht", "fr"]


def test_the_environment_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "switchboard.toml"
    config.write_text('default_language = "es"\nlanguages = ["en", "es"]\nport = 9000\n')
    monkeypatch.setenv("SWITCHBOARD_PORT", "9100")
    monkeypatch.setenv("SWITCHBOARD_LANGUAGES", "en, es, zh")
    settings = load_settings(config_file=config)
    assert settings.default_language == "es"
    assert settings.port == 9100
    assert settings.languages == ["en", "es", "zh"]


def test_secrets_in_the_file_are_refused_by_name(tmp_path: Path) -> None:
    config = tmp_path / "switchboard.toml"
    config.write_text('twilio_auth_token = "abc"\n')
    with pytest.raises(ConfigError, match="SWITCHBOARD_TWILIO_AUTH_TOKEN"):
        load_settings(config_file=config)


def test_a_wrong_setting_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWITCHBOARD_LANGUAGES", "en,xx")
    with pytest.raises(ConfigError, match=r"SWITCHBOARD_LANGUAGES .*'xx'"):
        load_settings(config_file=tmp_path / "none.toml")
    monkeypatch.delenv("SWITCHBOARD_LANGUAGES")
    monkeypatch.setenv("SWITCHBOARD_PORT", "eighty")
    with pytest.raises(ConfigError, match="SWITCHBOARD_PORT"):
        load_settings(config_file=tmp_path / "none.toml")


def test_an_unknown_key_in_the_file_is_named(tmp_path: Path) -> None:
    config = tmp_path / "switchboard.toml"
    config.write_text("langauges = []\n")
    with pytest.raises(ConfigError, match="langauges: not a known setting"):
        load_settings(config_file=config)


def test_masked_settings_hide_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SWITCHBOARD_TWILIO_AUTH_TOKEN", "very-secret")
    shown = load_settings(config_file=tmp_path / "none.toml").masked()
    assert shown["twilio_auth_token"] == "********"
    assert "very-secret" not in str(shown)
    assert shown["telegram_token"] is None
