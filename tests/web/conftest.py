"""Web fixtures: a real runtime (repo flows and messages, a SQLite file in tmp_path) served over
loopback HTTP with the app's lifespan running (sender and jobs included)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.channels.registry import Channels, build_channels
from bot.config import Settings
from bot.outbox import Sender
from bot.runtime import Runtime, open_runtime
from bot.web.app import create_app
from tests.fakes.server import serve_app

REPO = Path(__file__).resolve().parents[2]
MAX_BODY_BYTES = 4096


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
        flows_dir=REPO / "flows",
        messages_dir=REPO / "messages",
        max_body_bytes=MAX_BODY_BYTES,
    )


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with open_runtime(settings) as opened:
        yield opened


@dataclass
class Served:
    runtime: Runtime
    channels: Channels
    sender: Sender
    client: httpx.AsyncClient


@pytest.fixture
async def served(runtime: Runtime) -> AsyncIterator[Served]:
    channels = build_channels(runtime.settings)
    sender = Sender(runtime.db, channels, runtime.settings, runtime.clock)
    app = create_app(runtime, channels, sender)
    try:
        async with serve_app(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            yield Served(runtime, channels, sender, client)
    finally:
        await channels.aclose()
