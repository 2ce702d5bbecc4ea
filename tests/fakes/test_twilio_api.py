"""The fake Twilio agrees with Twilio's OpenAPI description (skipped when ../shared is absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.server import serve_app
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, MESSAGES_PATH, FakeTwilioApi

SPEC = Path(__file__).resolve().parents[3] / "shared" / "twilio-oai" / "twilio_api_v2010.json"
SPEC_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC.is_file():
        pytest.skip(f"{SPEC} is not here (it lives in ../shared, outside the project)")
    loaded: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return loaded


async def _create(api: FakeTwilioApi, **form: str) -> httpx.Response:
    async with serve_app(api.app) as url, httpx.AsyncClient(base_url=url) as client:
        return await client.post(
            MESSAGES_PATH.format(account_sid=ACCOUNT_SID), data=form, auth=(ACCOUNT_SID, AUTH_TOKEN)
        )


async def test_created_message_has_exactly_the_spec_fields(spec: dict[str, Any]) -> None:
    operation = spec["paths"][SPEC_PATH]["post"]
    schema = spec["components"]["schemas"]["api.v2010.account.message"]
    response = await _create(FakeTwilioApi(), To="+15557654321", From="+15550001111", Body="hi")

    assert MESSAGES_PATH.replace("{account_sid}", "{AccountSid}") == SPEC_PATH
    assert str(response.status_code) in operation["responses"]
    body = response.json()
    assert set(body) == set(schema["properties"])
    assert re.fullmatch(schema["properties"]["sid"]["pattern"], body["sid"])
    assert re.fullmatch(schema["properties"]["account_sid"]["pattern"], body["account_sid"])
    status_enum = spec["components"]["schemas"]["message_enum_status"]["enum"]
    assert body["status"] in status_enum


async def test_request_fields_the_channel_uses_are_in_the_spec(spec: dict[str, Any]) -> None:
    request_schema = spec["paths"][SPEC_PATH]["post"]["requestBody"]["content"]
    fields = request_schema["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert {"To", "From", "MessagingServiceSid", "Body", "StatusCallback"} <= set(fields)


async def test_errors_have_twilios_error_shape() -> None:
    api = FakeTwilioApi()
    api.fail_next(400, 21610)
    response = await _create(api, To="+15557654321", From="+15550001111", Body="hi")
    assert response.status_code == 400
    assert response.json() == {
        "code": 21610,
        "message": "Attempt to send to unsubscribed recipient",
        "more_info": "https://www.twilio.com/docs/errors/21610",
        "status": 400,
    }


async def test_missing_sender_is_refused_like_twilio_does() -> None:
    response = await _create(FakeTwilioApi(), To="+15557654321", Body="hi")
    assert response.status_code == 400
    assert response.json()["code"] == 21603
