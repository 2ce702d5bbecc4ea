"""Helpers for the Twilio channel tests: settings, a recording sink, Twilio-style signing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from starlette.applications import Starlette
from twilio.request_validator import RequestValidator

from bot.channels.base import StatusUpdate
from bot.channels.twilio import TwilioChannel
from bot.config import Settings
from bot.models import Inbound
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN

PUBLIC_URL = "https://switchboard.example.org"
INBOUND_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
OUR_NUMBER = "+15550001111"
RESIDENT = "+15557654321"
MESSAGING_SERVICE = "MG" + "ab" * 16
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return NOW


def make_settings(api_url: str = "http://127.0.0.1:9", **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_from": OUR_NUMBER,
        "twilio_api_base_url": api_url,
        "public_url": PUBLIC_URL,
    }
    return Settings(**(values | overrides))


@dataclass
class RecordingSink:
    """Stands in for the service layer at the channel seam: keeps what it was handed."""

    inbounds: list[Inbound] = field(default_factory=list)
    updates: list[StatusUpdate] = field(default_factory=list)
    opted_out: list[tuple[str, str]] = field(default_factory=list)

    async def receive(self, inbound: Inbound) -> None:
        self.inbounds.append(inbound)

    async def status_update(self, update: StatusUpdate) -> None:
        self.updates.append(update)

    async def mark_opted_out(self, channel: str, address: str) -> None:
        self.opted_out.append((channel, address))


def sign(params: dict[str, str], url: str, token: str = AUTH_TOKEN) -> dict[str, str]:
    """The X-Twilio-Signature header exactly as Twilio computes it for ``url`` and ``params``."""
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, params)}


def webhook_client(settings: Settings, sink: RecordingSink) -> httpx.AsyncClient:
    """A client for the channel's routes; the app sees host ``testserver``, as behind a proxy."""
    app = Starlette(routes=TwilioChannel(settings, clock=fixed_clock).routes(sink))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
