"""``switchboard serve`` end to end: the real server, service and sender in one loop, with Telegram
(the real python-telegram-bot) talking to the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.catalog import load_catalog
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.errors import ConfigError
from bot.web.server import TELEGRAM_COMMANDS, command_descriptions, run
from tests.fakes.telegram_api import FAKE_TOKEN, FakeTelegramApi
from tests.web.conftest import REPO

CHAT_ID = 5150
RESIDENT = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana", "language_code": "en"}


@pytest.fixture
async def fake_api() -> AsyncIterator[tuple[FakeTelegramApi, str]]:
    api = FakeTelegramApi()
    async with api.serve() as base_url:
        yield api, base_url


def server_settings(tmp_path: Path, base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
        "flows_dir": REPO / "flows",
        "messages_dir": REPO / "messages",
        "host": "127.0.0.1",
        "port": 0,
        "telegram_token": FAKE_TOKEN,
        "telegram_api_base_url": base_url,
        "telegram_webhook_secret": "hook-secret",
    }
    values.update(overrides)
    return Settings(**values)


async def wait_for(condition: Callable[[], bool], task: asyncio.Task[int]) -> None:
    for _ in range(1000):
        if condition():
            return
        if task.done():
            task.result()
            raise AssertionError("the server stopped early")
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


async def test_polling_answers_a_resident_through_the_sender(
    fake_api: tuple[FakeTelegramApi, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api, base_url = fake_api
    settings = server_settings(tmp_path, base_url)
    api.enqueue_update(
        {
            "message": {
                "message_id": 1,
                "from": RESIDENT,
                "chat": {"id": CHAT_ID, "type": "private", "first_name": "Ana"},
                "date": 1_700_000_000,
                "text": "hi",
            }
        }
    )
    stop = asyncio.Event()

    task = asyncio.create_task(run(settings, telegram_polling=True, stop=stop))
    await wait_for(lambda: len(api.calls_to("sendMessage")) >= 2, task)
    stop.set()
    status = await asyncio.wait_for(task, 30)

    assert status == 0
    sent = api.calls_to("sendMessage")
    assert {call["chat_id"] for call in sent} == {CHAT_ID}
    assert "reply_markup" in sent[-1]  # the menu, as buttons
    catalog, _ = load_catalog(settings.messages_dir, settings.languages, "en")
    assert set(api.commands) == {*SUPPORTED_LANGUAGES, ""}
    menu = {c["command"]: c["description"] for c in api.commands["es"]}
    assert menu["menu"] == catalog.resolve("telegram.command.menu", "es")
    out = capsys.readouterr().out
    assert "simulator at http://127.0.0.1:" in out and "polling" in out


async def test_an_https_public_url_sets_the_webhook(
    fake_api: tuple[FakeTelegramApi, str], tmp_path: Path
) -> None:
    api, base_url = fake_api
    settings = server_settings(tmp_path, base_url, public_url="https://city.example.gov/")
    stop = asyncio.Event()

    task = asyncio.create_task(run(settings, stop=stop))
    await wait_for(lambda: bool(api.webhook), task)
    stop.set()
    assert await asyncio.wait_for(task, 30) == 0

    assert api.webhook["url"] == "https://city.example.gov/webhooks/telegram"
    assert api.webhook["secret_token"] == "hook-secret"


async def test_a_taken_port_is_a_config_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", host="127.0.0.1", port=port
        )
        with pytest.raises(ConfigError, match=str(port)):
            await run(settings)


def test_command_descriptions_cover_every_language() -> None:
    catalog, _ = load_catalog(REPO / "messages", SUPPORTED_LANGUAGES, "en")
    described = command_descriptions(catalog)
    assert set(described) == set(catalog.languages)
    for language, commands in described.items():
        assert tuple(commands) == TELEGRAM_COMMANDS
        assert all(text and not text.startswith("telegram.") for text in commands.values())
        assert commands["help"] == catalog.resolve("telegram.command.help", language)
