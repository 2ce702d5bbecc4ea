"""The Twilio channel's sending side: the real SDK against a fake Twilio API on loopback."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from bot.channels.base import StatusUpdate
from bot.channels.twilio import TwilioChannel
from bot.errors import ConfigError, FinalSendError, RetryableSendError
from bot.models import Choice, MessageStatus, Outbound
from bot.sms import render
from tests.channels.twilio_support import (
    MESSAGING_SERVICE,
    NOW,
    OUR_NUMBER,
    PUBLIC_URL,
    RESIDENT,
    STATUS_PATH,
    RecordingSink,
    fixed_clock,
    make_settings,
    sign,
    webhook_client,
)
from tests.fakes.server import serve_app
from tests.fakes.twilio_api import FakeTwilioApi, status_callback_form


@pytest.fixture
async def fake_api() -> AsyncIterator[tuple[FakeTwilioApi, str]]:
    api = FakeTwilioApi()
    async with serve_app(api.app) as url:
        yield api, url


@pytest.fixture
async def channel(fake_api: tuple[FakeTwilioApi, str]) -> AsyncIterator[TwilioChannel]:
    sms = TwilioChannel(make_settings(fake_api[1]), clock=fixed_clock)
    yield sms
    await sms.aclose()


def outbound(address: str = RESIDENT, text: str = "Hello from the city.", **kw: Any) -> Outbound:
    return Outbound(channel="sms", address=address, text=text, **kw)


# --- sending --------------------------------------------------------------------------------------


async def test_send_with_from_number_renders_menu_and_asks_for_status_callbacks(
    fake_api: tuple[FakeTwilioApi, str], channel: TwilioChannel
) -> None:
    api, _ = fake_api
    choices = (Choice("Housing", "housing"), Choice("Food", "food"))
    result = await channel.send(outbound(text="What do you need?", choices=choices))

    [sent] = api.messages
    assert result.provider_id == sent.sid and sent.sid.startswith("SM")
    assert result.status == MessageStatus.SENT
    assert sent.field("To") == RESIDENT
    assert sent.field("From") == OUR_NUMBER
    assert sent.field("MessagingServiceSid") is None
    assert sent.field("Body") == "What do you need?\n1. Housing\n2. Food"
    assert sent.field("Body") == render("What do you need?", choices)
    assert sent.field("StatusCallback") == PUBLIC_URL + STATUS_PATH


async def test_send_with_messaging_service_leaves_the_sender_to_twilio(
    fake_api: tuple[FakeTwilioApi, str],
) -> None:
    api, url = fake_api
    sms = TwilioChannel(make_settings(url, twilio_messaging_service_sid=MESSAGING_SERVICE))
    try:
        await sms.send(outbound())
    finally:
        await sms.aclose()
    [sent] = api.messages
    assert sent.field("MessagingServiceSid") == MESSAGING_SERVICE
    assert sent.field("From") is None
    assert sent.resource["messaging_service_sid"] == MESSAGING_SERVICE


async def test_whatsapp_address_passes_through_and_sender_gets_the_prefix(
    fake_api: tuple[FakeTwilioApi, str], channel: TwilioChannel
) -> None:
    api, _ = fake_api
    await channel.send(Outbound(channel="whatsapp", address=f"whatsapp:{RESIDENT}", text="Hola"))
    [sent] = api.messages
    assert sent.field("To") == f"whatsapp:{RESIDENT}"
    assert sent.field("From") == f"whatsapp:{OUR_NUMBER}"


@pytest.mark.parametrize(
    ("status", "code", "opted_out", "bad_address"),
    [
        (400, 21610, True, False),
        (400, 21211, False, True),
        (400, 21614, False, True),
        (400, 21408, False, False),
    ],
)
async def test_final_errors_say_what_to_record(
    fake_api: tuple[FakeTwilioApi, str],
    channel: TwilioChannel,
    status: int,
    code: int,
    opted_out: bool,
    bad_address: bool,
) -> None:
    api, _ = fake_api
    api.fail_next(status, code)
    with pytest.raises(FinalSendError) as caught:
        await channel.send(outbound())
    assert caught.value.code == str(code)
    assert caught.value.opted_out is opted_out
    assert caught.value.bad_address is bad_address
    assert not api.messages


@pytest.mark.parametrize(
    ("status", "code", "retry_after", "expected_wait"),
    [
        (429, 20429, "7", 7.0),
        (500, 20500, None, None),
        (503, 20500, format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        (429, 20429, "soon", None),
    ],
)
async def test_rate_limits_and_outages_are_retryable_and_honour_retry_after(
    fake_api: tuple[FakeTwilioApi, str],
    channel: TwilioChannel,
    status: int,
    code: int,
    retry_after: str | None,
    expected_wait: float | None,
) -> None:
    api, _ = fake_api
    api.fail_next(status, code, retry_after=retry_after)
    with pytest.raises(RetryableSendError) as caught:
        await channel.send(outbound())
    assert caught.value.retry_after == expected_wait
    assert caught.value.code == str(code)


async def test_a_scripted_failure_is_used_once_then_sending_works_again(
    fake_api: tuple[FakeTwilioApi, str], channel: TwilioChannel
) -> None:
    api, _ = fake_api
    api.fail_next(500, 20500)
    with pytest.raises(RetryableSendError):
        await channel.send(outbound())
    result = await channel.send(outbound())
    assert len(api.requests) == 2
    assert [m.sid for m in api.messages] == [result.provider_id]


async def test_wrong_credentials_are_a_final_error(fake_api: tuple[FakeTwilioApi, str]) -> None:
    api, url = fake_api
    sms = TwilioChannel(make_settings(url, twilio_auth_token="not-the-token"))
    try:
        with pytest.raises(FinalSendError) as caught:
            await sms.send(outbound())
    finally:
        await sms.aclose()
    assert caught.value.code == "20003"
    assert not api.requests


async def test_a_time_out_is_retryable_and_an_injected_client_stays_open(
    fake_api: tuple[FakeTwilioApi, str],
) -> None:
    api, url = fake_api
    api.stall_next(0.5)
    async with httpx.AsyncClient(timeout=0.1) as http:
        sms = TwilioChannel(make_settings(url), http=http)
        with pytest.raises(RetryableSendError, match="in time"):
            await sms.send(outbound())
        await sms.aclose()
        assert not http.is_closed


@pytest.fixture
def closed_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    yield port


async def test_an_unreachable_api_is_retryable(closed_port: int) -> None:
    sms = TwilioChannel(make_settings(f"http://127.0.0.1:{closed_port}"))
    try:
        with pytest.raises(RetryableSendError, match="could not reach"):
            await sms.send(outbound())
    finally:
        await sms.aclose()


async def test_sending_without_credentials_names_the_missing_settings() -> None:
    sms = TwilioChannel(make_settings(twilio_account_sid=None))
    try:
        with pytest.raises(ConfigError, match="SWITCHBOARD_TWILIO_ACCOUNT_SID"):
            await sms.send(outbound())
    finally:
        await sms.aclose()


async def test_a_sent_message_is_tracked_by_the_callback_twilio_was_given(
    fake_api: tuple[FakeTwilioApi, str], channel: TwilioChannel
) -> None:
    api, _ = fake_api
    sink = RecordingSink()
    address = f"whatsapp:{RESIDENT}"
    result = await channel.send(Outbound(channel="whatsapp", address=address, text="Your reply"))
    [sent] = api.messages
    callback_url = sent.field("StatusCallback")
    assert callback_url is not None and callback_url.startswith(PUBLIC_URL)

    form = status_callback_form(sent.sid, "read", to=address, sender=f"whatsapp:{OUR_NUMBER}")
    async with webhook_client(make_settings(), sink) as client:
        path = callback_url.removeprefix(PUBLIC_URL)
        response = await client.post(path, data=form, headers=sign(form, callback_url))
    assert response.is_success
    assert sink.updates == [StatusUpdate("whatsapp", str(result.provider_id), "delivered")]
