"""Settings: ``SWITCHBOARD_*`` environment variables over an optional ``switchboard.toml``.

This is the only module that reads ``os.environ``. Secrets are read from the environment only.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

from bot.errors import ConfigError

SUPPORTED_LANGUAGES = ("en", "es", "zh", "vi", "tl", "ko", "ru", "ar", "ht", "fr")
SECRET_FIELDS = frozenset({"twilio_auth_token", "telegram_token", "telegram_webhook_secret"})
CONFIG_FILE_ENV = "SWITCHBOARD_CONFIG"


def language_problem(languages: Sequence[str]) -> str | None:
    """What is wrong with a list of languages, or None."""
    unknown = [lang for lang in languages if lang not in SUPPORTED_LANGUAGES]
    if unknown:
        return f"unknown language(s) {unknown}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
    if not languages:
        return "at least one language is needed"
    return None


class Settings(BaseSettings):
    """Every setting, with its default. Environment: ``SWITCHBOARD_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_", extra="forbid")

    database_url: str = "sqlite+aiosqlite:///./data/switchboard.db"
    default_language: str = "en"
    languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(SUPPORTED_LANGUAGES)
    )
    flows_dir: Path = Path("flows")
    messages_dir: Path = Path("messages")
    timezone: str = "UTC"
    session_timeout_minutes: int = Field(default=60 * 24, ge=1)
    sms_segment_budget: int = Field(default=3, ge=1, le=10)
    language_detector: str = "switchboard"
    language_confidence_floor: float = Field(default=0.6, ge=0.0, le=1.0)
    max_inbound_chars: int = Field(default=2000, ge=10)
    sqlite_executor: Literal["thread", "aiosqlite"] = "thread"

    # server and channels (issue 3)
    public_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from: str | None = None
    twilio_messaging_service_sid: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    sms_rate_per_second: float = Field(default=1.0, gt=0)
    telegram_rate_per_second: float = Field(default=30.0, gt=0)
    telegram_chat_rate_per_second: float = Field(default=1.0, gt=0)
    rate_limits: bool = True
    send_max_attempts: int = Field(default=6, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    simulator: bool = (
        True  # the public web simulator; turn off where only real residents should write
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        problem = language_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("default_language")
    @classmethod
    def _known_default(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"unknown language {value!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
            )
        return value

    def masked(self) -> dict[str, Any]:
        """The effective settings with secrets replaced by ``********``."""
        shown: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if name in SECRET_FIELDS and value is not None:
                shown[name] = "********"
            elif isinstance(value, Path):
                shown[name] = str(value)
            else:
                shown[name] = value
        return shown


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read ``switchboard.toml`` (if any), then the environment, then ``overrides``.

    A wrong setting raises ``ConfigError`` naming it, so start-up stops with a clear message.
    """
    path = config_file or Path(os.environ.get(CONFIG_FILE_ENV, "switchboard.toml"))
    from_file: dict[str, Any] = {}
    if path.is_file():
        try:
            from_file = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        secrets_in_file = sorted(SECRET_FIELDS & from_file.keys())
        if secrets_in_file:
            raise ConfigError(
                f"{path}: secrets belong in the environment, not the file: "
                + ", ".join(f"SWITCHBOARD_{name.upper()}" for name in secrets_in_file)
            )
    env_names = {
        name for name in Settings.model_fields if f"SWITCHBOARD_{name.upper()}" in os.environ
    }
    # The environment wins over the file: pass file values only where no variable is set.
    init = {k: v for k, v in from_file.items() if k not in env_names}
    init.update(overrides)
    try:
        return Settings(**init)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from exc
    except SettingsError as exc:
        raise ConfigError(f"wrong setting: {exc}") from exc


def _describe(exc: ValidationError, path: Path) -> str:
    lines = ["wrong setting(s):"]
    for err in exc.errors():
        name = ".".join(str(part) for part in err["loc"]) or "?"
        if err["type"] == "extra_forbidden":
            lines.append(f"  {name}: not a known setting (in {path})")
        else:
            lines.append(f"  SWITCHBOARD_{name.upper()} ({name}): {err['msg']}")
    return "\n".join(lines)
