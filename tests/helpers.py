"""Builders shared by the tests: settings on a temp database with the shipped content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings, load_settings

ROOT = Path(__file__).parents[1]


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'switchboard.db'}",
        "flows_dir": ROOT / "flows",
        "messages_dir": ROOT / "messages",
    }
    values.update(overrides)
    return load_settings(config_file=tmp_path / "absent.toml", **values)


class StepClock:
    """A clock that moves one second each time it is read: deterministic and increasing."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 25, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now
