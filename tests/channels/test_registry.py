"""The channel registry: which adapters the settings turn on, under which names, and their routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.routing import Route

from bot.channels.console import ConsoleChannel
from bot.channels.registry import build_channels
from bot.channels.telegram import TelegramChannel
from bot.channels.twilio import TwilioChannel
from bot.config import Settings
from bot.models import Outbound

TWILIO = {
    "twilio_account_sid": "AC" + "0" * 32,
    "twilio_auth_token": "twilio-test-token",
    "twilio_from": "+15550001111",
}
TELEGRAM = {"telegram_token": "123456:TEST-token", "telegram_webhook_secret": "secret-1"}


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", **values)


class NoSink:
    """Routes are built, never called, in these tests."""

    async def receive(self, inbound: object) -> None:
        raise AssertionError("not called")

    async def status_update(self, update: object) -> None:
        raise AssertionError("not called")

    async def mark_opted_out(self, channel: str, address: str) -> None:
        raise AssertionError("not called")


def route_paths(channels: list[object]) -> set[str]:
    paths = set()
    for channel in channels:
        assert isinstance(channel, TwilioChannel | TelegramChannel)
        for route in channel.routes(NoSink()):
            assert isinstance(route, Route)
            paths.add(route.path)
    return paths


async def test_without_credentials_only_the_console_runs(tmp_path: Path) -> None:
    channels = build_channels(settings(tmp_path))

    assert list(channels) == ["console"]
    assert isinstance(channels["console"], ConsoleChannel)
    assert channels.webhook_channels == []
    assert channels.telegram is None and channels.twilio is None
    result = await channels["console"].send(Outbound("console", "sim-a", "hello"))
    assert result.provider_id is None
    await channels.aclose()


async def test_twilio_serves_sms_and_whatsapp_with_one_adapter(tmp_path: Path) -> None:
    channels = build_channels(settings(tmp_path, **TWILIO))

    assert sorted(channels) == ["console", "sms", "whatsapp"]
    assert channels["sms"] is channels["whatsapp"] is channels.twilio
    assert len(channels.adapters()) == 2
    assert route_paths(list(channels.webhook_channels)) == {
        "/webhooks/twilio/sms",
        "/webhooks/twilio/status",
    }
    await channels.aclose()


async def test_a_messaging_service_stands_in_for_the_from_number(tmp_path: Path) -> None:
    values = {k: v for k, v in TWILIO.items() if k != "twilio_from"}
    values["twilio_messaging_service_sid"] = "MG" + "1" * 32
    channels = build_channels(settings(tmp_path, **values))
    assert "sms" in channels
    await channels.aclose()


async def test_twilio_without_a_sender_is_not_turned_on(tmp_path: Path) -> None:
    values = {k: v for k, v in TWILIO.items() if k != "twilio_from"}
    channels = build_channels(settings(tmp_path, **values))
    assert list(channels) == ["console"]
    await channels.aclose()


async def test_telegram_joins_with_a_token(tmp_path: Path) -> None:
    channels = build_channels(settings(tmp_path, **TWILIO, **TELEGRAM))

    assert sorted(channels) == ["console", "sms", "telegram", "whatsapp"]
    assert isinstance(channels.telegram, TelegramChannel)
    assert route_paths(list(channels.webhook_channels)) == {
        "/webhooks/twilio/sms",
        "/webhooks/twilio/status",
        "/webhooks/telegram",
    }
    await channels.aclose()
