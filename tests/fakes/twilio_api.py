"""A fake Twilio: the REST Messages resource as a loopback app, and the webhook forms Twilio posts.

Written by hand to agree with Twilio's OpenAPI description (api v2010, ``CreateMessage``):
urlencoded request, HTTP basic auth (account SID + auth token), 201 with the message resource as
JSON, and errors as ``{"code", "message", "more_info", "status"}``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.sms import segment_count

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"
API_VERSION = "2010-04-01"
MESSAGES_PATH = "/2010-04-01/Accounts/{account_sid}/Messages.json"

# Twilio's own wording for the errors tests ask for.
ERROR_MESSAGES = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    20500: "An internal server error has occurred",
    21211: "The 'To' number is not a valid phone number.",
    21408: (
        "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"
    ),
    21602: "Message body is required.",
    21603: "The 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
}


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two letters and 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def error_body(status: int, code: int, message: str | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "message": message or ERROR_MESSAGES.get(code, "Error"),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass(frozen=True)
class Failure:
    """One scripted failure: the HTTP status, Twilio error code and optional ``Retry-After``."""

    status: int
    code: int
    retry_after: str | None = None


@dataclass(frozen=True)
class CreatedMessage:
    """A message the fake accepted: the form it was sent with and the resource it answered."""

    form: dict[str, list[str]]
    resource: dict[str, Any]

    @property
    def sid(self) -> str:
        return str(self.resource["sid"])

    def field(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[-1] if values else None


@dataclass
class FakeTwilioApi:
    """The Messages resource: ``requests`` has each authenticated form, ``messages`` the created."""

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    messages: list[CreatedMessage] = field(default_factory=list)
    _failures: deque[Failure] = field(default_factory=deque)
    _stalls: deque[float] = field(default_factory=deque)

    def fail_next(
        self, status: int, code: int, *, times: int = 1, retry_after: str | None = None
    ) -> None:
        """Answer the next ``times`` create requests with this error instead of a message."""
        self._failures.extend([Failure(status, code, retry_after)] * times)

    def stall_next(self, seconds: float) -> None:
        """Wait ``seconds`` before answering the next request (to provoke client time-outs)."""
        self._stalls.append(seconds)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route(MESSAGES_PATH, self._create_message, methods=["POST"])])

    async def _create_message(self, request: Request) -> JSONResponse:
        if self._stalls:
            await asyncio.sleep(self._stalls.popleft())
        if not self._authenticated(request):
            return JSONResponse(
                error_body(401, 20003),
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="Twilio API"'},
            )
        form = await request.form()
        fields = {key: [str(value) for value in form.getlist(key)] for key in form}
        self.requests.append(fields)
        if self._failures:
            failure = self._failures.popleft()
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
            return JSONResponse(
                error_body(failure.status, failure.code),
                status_code=failure.status,
                headers=headers,
            )
        missing = self._missing_field_error(fields)
        if missing is not None:
            return JSONResponse(error_body(400, missing), status_code=400)
        resource = self._resource(fields)
        self.messages.append(CreatedMessage(fields, resource))
        return JSONResponse(resource, status_code=201)

    def _authenticated(self, request: Request) -> bool:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return (
            user == self.account_sid
            and secrets.compare_digest(password, self.auth_token)
            and request.path_params["account_sid"] == self.account_sid
        )

    @staticmethod
    def _missing_field_error(fields: dict[str, list[str]]) -> int | None:
        if not fields.get("To"):
            return 21604
        if not fields.get("From") and not fields.get("MessagingServiceSid"):
            return 21603
        if not fields.get("Body") and not fields.get("MediaUrl") and not fields.get("ContentSid"):
            return 21602
        return None

    def _resource(self, fields: dict[str, list[str]]) -> dict[str, Any]:
        sid = new_sid("SM")
        now = format_datetime(datetime.now(UTC))
        body = fields.get("Body", [""])[-1]
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": fields.get("From", [None])[-1],
            "messaging_service_sid": fields.get("MessagingServiceSid", [None])[-1],
            "num_media": str(len(fields.get("MediaUrl", []))),
            "num_segments": str(segment_count(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": fields["To"][-1],
            "uri": f"{uri}.json",
        }


def inbound_message_form(
    sender: str,
    body: str,
    *,
    to: str = "+15550001111",
    media: list[tuple[str, str]] | None = None,
    geo: bool = True,
) -> dict[str, str]:
    """What Twilio posts to a number's messaging webhook when someone texts it."""
    sid = new_sid("SM" if not media else "MM")
    form = {
        "ToCountry": "US",
        "ToState": "NJ",
        "SmsMessageSid": sid,
        "NumMedia": str(len(media or [])),
        "ToCity": "HOBOKEN",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "ToZip": "07030",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": API_VERSION,
    }
    if geo:
        form |= {"FromCity": "NEWARK", "FromState": "NJ", "FromZip": "07102", "FromCountry": "US"}
    for index, (url, content_type) in enumerate(media or []):
        form[f"MediaUrl{index}"] = url
        form[f"MediaContentType{index}"] = content_type
    return form


def status_callback_form(
    message_sid: str, status: str, *, to: str, sender: str, error_code: int | None = None
) -> dict[str, str]:
    """What Twilio posts to a message's ``StatusCallback`` URL when its status changes."""
    form = {
        "SmsSid": message_sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": to,
        "MessageSid": message_sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": API_VERSION,
    }
    if error_code is not None:
        form["ErrorCode"] = str(error_code)
    return form
