"""A resident texts the city over Twilio: a signed webhook in, the reply out through the real twilio
SDK to a fake Twilio on loopback, the delivery report back. Nothing is lost or sent twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot import store
from bot.channels.registry import build_channels
from bot.models import MessageStatus
from bot.outbox import Sender
from bot.runtime import Runtime, open_runtime
from bot.web.app import create_app
from tests.channels.twilio_support import sign
from tests.fakes.server import serve_app
from tests.fakes.twilio_api import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FakeTwilioApi,
    inbound_message_form,
    status_callback_form,
)
from tests.helpers import make_settings

RESIDENT = "+15557654321"
CITY_NUMBER = "+15550001111"


@dataclass
class City:
    runtime: Runtime
    twilio: FakeTwilioApi
    client: httpx.AsyncClient
    public_url: str

    async def text(self, body: str, form: dict[str, str] | None = None) -> httpx.Response:
        form = form or inbound_message_form(RESIDENT, body, to=CITY_NUMBER)
        url = f"{self.public_url}/webhooks/twilio/sms"
        return await self.client.post("/webhooks/twilio/sms", data=form, headers=sign(form, url))

    async def sent_bodies(self, count: int) -> list[str]:
        """Wait until the fake Twilio has been asked to send ``count`` messages."""
        for _ in range(200):
            if len(self.twilio.messages) >= count:
                break
            await asyncio.sleep(0.05)
        return [m.field("Body") or "" for m in self.twilio.messages]


@pytest.fixture
async def city(tmp_path: Path) -> AsyncIterator[City]:
    twilio = FakeTwilioApi()
    async with serve_app(twilio.app) as twilio_url:
        public_url = "https://sms.riverton.example.org"  # as seen through the city's proxy
        settings = make_settings(
            tmp_path,
            public_url=public_url,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from=CITY_NUMBER,
            twilio_api_base_url=twilio_url,
            rate_limits=False,
        )
        async with open_runtime(settings) as runtime:
            channels = build_channels(settings)
            sender = Sender(runtime.db, channels, settings, runtime.clock)
            app = create_app(runtime, channels, sender)
            try:
                async with serve_app(app) as base, httpx.AsyncClient(base_url=base) as client:
                    yield City(runtime, twilio, client, public_url)
            finally:
                await channels.aclose()


async def test_a_text_is_answered_through_twilio(city: City) -> None:
    response = await city.text("hola")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    bodies = await city.sent_bodies(2)
    catalog = city.runtime.catalog
    assert any(catalog.render("menu.prompt", "es") in body for body in bodies)
    assert any(f"1. {catalog.render('menu.services', 'es')}" in body for body in bodies)
    request = city.twilio.requests[0]
    assert request["To"] == [RESIDENT] and request["From"] == [CITY_NUMBER]
    assert request["StatusCallback"] == [f"{city.public_url}/webhooks/twilio/status"]


async def test_twilio_retrying_a_webhook_is_stored_and_answered_once(city: City) -> None:
    form = inbound_message_form(RESIDENT, "hello", to=CITY_NUMBER)
    first = await city.text("", form)
    again = await city.text("", form)
    assert first.status_code == again.status_code == 200
    replies = len(await city.sent_bodies(2))
    await asyncio.sleep(0.3)
    assert len(city.twilio.messages) == replies
    async with city.runtime.db.connect() as conn:
        assert await store.count_messages(conn, direction="in") == 1


async def test_an_unsigned_post_is_refused_and_nothing_is_stored(city: City) -> None:
    form = inbound_message_form(RESIDENT, "hello", to=CITY_NUMBER)
    response = await city.client.post("/webhooks/twilio/sms", data=form)
    assert response.status_code == 403
    async with city.runtime.db.connect() as conn:
        assert await store.count_messages(conn) == 0


async def test_a_delivery_report_updates_the_message(city: City) -> None:
    await city.text("hi")
    await city.sent_bodies(2)
    sid = city.twilio.messages[0].sid
    form = status_callback_form(sid, "delivered", to=RESIDENT, sender=CITY_NUMBER)
    url = f"{city.public_url}/webhooks/twilio/status"
    response = await city.client.post("/webhooks/twilio/status", data=form, headers=sign(form, url))
    assert response.status_code in (200, 204)
    async with city.runtime.db.connect() as conn:
        assert await store.count_messages(conn, status=MessageStatus.DELIVERED) == 1


async def test_an_outage_keeps_replies_queued_until_twilio_is_back(city: City) -> None:
    city.twilio.fail_next(503, 20500, times=2, retry_after="0")
    await city.text("hi")
    bodies = await city.sent_bodies(2)
    assert len(bodies) >= 2
    # Two failed attempts, then both replies went out once each.
    assert len(city.twilio.requests) == len(bodies) + 2
    assert len(set(bodies)) == len(bodies)


async def test_stop_is_confirmed_once_and_then_nothing_is_sent(city: City) -> None:
    await city.text("hi")
    before = len(await city.sent_bodies(2))
    await city.text("STOP")
    bodies = await city.sent_bodies(before + 1)
    assert bodies[-1] == city.runtime.catalog.render("compliance.stop", "en")
    await city.text("hello?")
    await asyncio.sleep(0.5)
    assert len(city.twilio.messages) == before + 1
