"""Twilio webhooks: X-Twilio-Signature checked against the public URL, forms parsed for the sink."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.channels.base import StatusUpdate
from tests.channels.twilio_support import (
    INBOUND_PATH,
    NOW,
    OUR_NUMBER,
    PUBLIC_URL,
    RESIDENT,
    STATUS_PATH,
    RecordingSink,
    make_settings,
    sign,
    webhook_client,
)
from tests.fakes.twilio_api import inbound_message_form, status_callback_form


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
async def webhooks(sink: RecordingSink) -> AsyncIterator[httpx.AsyncClient]:
    async with webhook_client(make_settings(), sink) as client:
        yield client


async def test_signed_inbound_sms_reaches_the_sink_with_geo_metadata(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    form = inbound_message_form(RESIDENT, "Is the pool open?")
    response = await webhooks.post(
        INBOUND_PATH, data=form, headers=sign(form, PUBLIC_URL + INBOUND_PATH)
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response" in response.text and "<Message" not in response.text
    [inbound] = sink.inbounds
    assert (inbound.channel, inbound.address, inbound.text) == (
        "sms",
        RESIDENT,
        "Is the pool open?",
    )
    assert inbound.provider_id == form["MessageSid"]
    assert inbound.received_at == NOW
    assert inbound.media_count == 0
    assert inbound.metadata == {
        "to": OUR_NUMBER,
        "num_segments": "1",
        "from_city": "NEWARK",
        "from_state": "NJ",
        "from_zip": "07102",
        "from_country": "US",
    }


async def test_whatsapp_inbound_keeps_the_prefixed_address(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    form = inbound_message_form(
        f"whatsapp:{RESIDENT}", "hola", to=f"whatsapp:{OUR_NUMBER}", geo=False
    )
    form["ProfileName"] = "Ana"
    response = await webhooks.post(
        INBOUND_PATH, data=form, headers=sign(form, PUBLIC_URL + INBOUND_PATH)
    )
    assert response.status_code == 200
    [inbound] = sink.inbounds
    assert (inbound.channel, inbound.address) == ("whatsapp", f"whatsapp:{RESIDENT}")
    assert inbound.metadata["profile_name"] == "Ana"
    assert "from_city" not in inbound.metadata


async def test_media_only_message_has_empty_text_and_counts_media(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    media = [
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "image/jpeg"),
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2", "image/png"),
    ]
    form = inbound_message_form(RESIDENT, "", media=media)
    response = await webhooks.post(
        INBOUND_PATH, data=form, headers=sign(form, PUBLIC_URL + INBOUND_PATH)
    )
    assert response.status_code == 200
    [inbound] = sink.inbounds
    assert inbound.text == ""
    assert inbound.media_count == 2
    assert inbound.metadata["media_url_1"] == media[1][0]
    assert inbound.metadata["media_content_type_0"] == "image/jpeg"


async def test_query_string_is_part_of_the_signed_url(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    form = inbound_message_form(RESIDENT, "hi")
    path = INBOUND_PATH + "?site=hoboken"
    response = await webhooks.post(path, data=form, headers=sign(form, PUBLIC_URL + path))
    assert response.status_code == 200
    assert len(sink.inbounds) == 1


@pytest.mark.parametrize(
    "headers_for",
    [
        pytest.param(lambda form: {}, id="unsigned"),
        pytest.param(lambda form: {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, id="garbage"),
        pytest.param(
            lambda form: sign(form, PUBLIC_URL + INBOUND_PATH, token="someone-else"),
            id="other-token",
        ),
        pytest.param(
            lambda form: sign(form, "http://testserver" + INBOUND_PATH), id="internal-host-url"
        ),
        pytest.param(
            lambda form: sign(form, "https://other.example.org" + INBOUND_PATH),
            id="other-public-url",
        ),
        pytest.param(
            lambda form: sign(form | {"Body": "something else"}, PUBLIC_URL + INBOUND_PATH),
            id="tampered-body",
        ),
    ],
)
async def test_badly_signed_inbound_is_forbidden_and_not_stored(
    webhooks: httpx.AsyncClient, sink: RecordingSink, headers_for: Any
) -> None:
    form = inbound_message_form(RESIDENT, "hello")
    response = await webhooks.post(INBOUND_PATH, data=form, headers=headers_for(form))
    assert response.status_code == 403
    assert sink.inbounds == []


@pytest.mark.parametrize(
    "drop_or_change",
    [
        pytest.param({"From": None}, id="no-from"),
        pytest.param({"MessageSid": None, "SmsMessageSid": None}, id="no-sid"),
        pytest.param({"NumMedia": "two"}, id="bad-count"),
    ],
)
async def test_signed_but_malformed_inbound_is_a_bad_request(
    webhooks: httpx.AsyncClient, sink: RecordingSink, drop_or_change: dict[str, str | None]
) -> None:
    form = inbound_message_form(RESIDENT, "hello")
    for key, value in drop_or_change.items():
        if value is None:
            form.pop(key)
        else:
            form[key] = value
    response = await webhooks.post(
        INBOUND_PATH, data=form, headers=sign(form, PUBLIC_URL + INBOUND_PATH)
    )
    assert response.status_code == 400
    assert sink.inbounds == []


async def test_undecodable_body_is_a_bad_request(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    response = await webhooks.post(
        INBOUND_PATH,
        content=b"From=%2B15557654321&MessageSid=SM1&Body=%ff%fe",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"},
    )
    assert response.status_code == 400
    assert sink.inbounds == []


async def test_oversized_bodies_are_refused_before_parsing(sink: RecordingSink) -> None:
    settings = make_settings(max_body_bytes=1024)
    form = inbound_message_form(RESIDENT, "x" * 2000)
    headers = sign(form, PUBLIC_URL + INBOUND_PATH)
    encoded = httpx.QueryParams(form).__str__().encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(encoded), 500):
            yield encoded[start : start + 500]

    stream_headers = headers | {"Content-Type": "application/x-www-form-urlencoded"}
    async with webhook_client(settings, sink) as client:
        declared = await client.post(INBOUND_PATH, data=form, headers=headers)
        streamed = await client.post(INBOUND_PATH, content=chunks(), headers=stream_headers)
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert sink.inbounds == []


async def test_without_an_auth_token_webhooks_are_unavailable(sink: RecordingSink) -> None:
    form = inbound_message_form(RESIDENT, "hello")
    async with webhook_client(make_settings(twilio_auth_token=None), sink) as client:
        response = await client.post(
            INBOUND_PATH, data=form, headers=sign(form, PUBLIC_URL + INBOUND_PATH)
        )
    assert response.status_code == 503
    assert "SWITCHBOARD_TWILIO_AUTH_TOKEN" in response.text
    assert sink.inbounds == []


@pytest.mark.parametrize(
    ("twilio_status", "error_code", "expected"),
    [
        ("sent", None, StatusUpdate("sms", "SM1", "sent")),
        ("delivered", None, StatusUpdate("sms", "SM1", "delivered")),
        ("undelivered", 30003, StatusUpdate("sms", "SM1", "failed", error_code="30003")),
        (
            "failed",
            21610,
            StatusUpdate("sms", "SM1", "failed", error_code="21610", opted_out=True),
        ),
        (
            "undelivered",
            30006,
            StatusUpdate("sms", "SM1", "failed", error_code="30006", bad_address=True),
        ),
    ],
)
async def test_status_callbacks_become_status_updates(
    webhooks: httpx.AsyncClient,
    sink: RecordingSink,
    twilio_status: str,
    error_code: int | None,
    expected: StatusUpdate,
) -> None:
    form = status_callback_form(
        "SM1", twilio_status, to=RESIDENT, sender=OUR_NUMBER, error_code=error_code
    )
    response = await webhooks.post(
        STATUS_PATH, data=form, headers=sign(form, PUBLIC_URL + STATUS_PATH)
    )
    assert response.is_success
    assert sink.updates == [expected]


async def test_untracked_statuses_are_acknowledged_and_ignored(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    form = status_callback_form("SM1", "receiving", to=OUR_NUMBER, sender=RESIDENT)
    response = await webhooks.post(
        STATUS_PATH, data=form, headers=sign(form, PUBLIC_URL + STATUS_PATH)
    )
    assert response.is_success
    assert sink.updates == []


async def test_unsigned_status_callback_is_forbidden(
    webhooks: httpx.AsyncClient, sink: RecordingSink
) -> None:
    form = status_callback_form("SM1", "delivered", to=RESIDENT, sender=OUR_NUMBER)
    response = await webhooks.post(STATUS_PATH, data=form)
    assert response.status_code == 403
    assert sink.updates == []
