"""Twilio's inbound side: verifying ``X-Twilio-Signature``, parsing message and status forms.

Twilio posts urlencoded forms; replies go out through the REST API (via the outbox), so the message
webhook always answers with an empty TwiML ``<Response/>``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.base import InboundSink, StatusUpdate
from bot.config import Settings
from bot.models import Inbound, MessageStatus

logger = logging.getLogger(__name__)

INBOUND_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
WHATSAPP_PREFIX = "whatsapp:"

# Twilio error codes that say something about the recipient rather than about this one message.
OPTED_OUT_CODE = 21610  # the recipient replied STOP to this sender
BAD_ADDRESS_CODES = frozenset(
    {
        21211,  # invalid 'To' phone number
        21614,  # 'To' is not a mobile number / cannot receive SMS
        30005,  # unknown destination handset: the number is not in service
        30006,  # landline or unreachable carrier
        63003,  # WhatsApp: the To address is inactive or invalid
    }
)

# Twilio's message statuses mapped onto ours; inbound ones (receiving, received) are ignored.
STATUS_MAP: dict[str, MessageStatus] = {
    "accepted": MessageStatus.SENT,
    "scheduled": MessageStatus.SENT,
    "queued": MessageStatus.SENT,
    "sending": MessageStatus.SENT,
    "sent": MessageStatus.SENT,
    "partially_delivered": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.FAILED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.FAILED,
}

_GEO_FIELDS = {
    "FromCity": "from_city",
    "FromState": "from_state",
    "FromZip": "from_zip",
    "FromCountry": "from_country",
}
_OTHER_FIELDS = {"To": "to", "NumSegments": "num_segments", "ProfileName": "profile_name"}
_MAX_FIELDS = 200  # Twilio sends a few dozen; more is not Twilio
_EMPTY_TWIML = str(MessagingResponse())

Form = ImmutableMultiDict[str, str]


class MalformedWebhook(ValueError):
    """The body is not a Twilio form we can use; answered with 400."""


def channel_for(address: str) -> str:
    """``whatsapp`` for ``whatsapp:+1555…`` addresses, ``sms`` for plain numbers."""
    return "whatsapp" if address.startswith(WHATSAPP_PREFIX) else "sms"


def parse_form(body: bytes) -> Form:
    """Decode an urlencoded body strictly: bad UTF-8 or too many fields are ``MalformedWebhook``."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            errors="strict",
            max_num_fields=_MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedWebhook(f"undecodable form body: {exc}") from exc
    return ImmutableMultiDict(pairs)


def parse_inbound(form: Form, received_at: datetime) -> Inbound:
    """An incoming SMS or WhatsApp message; needs at least ``MessageSid`` and ``From``."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = form.get("From")
    if not sid or not sender:
        raise MalformedWebhook("a Twilio message webhook needs MessageSid and From")
    media_count = _count(form, "NumMedia")
    metadata = {
        key: form[field] for field, key in (_OTHER_FIELDS | _GEO_FIELDS).items() if form.get(field)
    }
    for index in range(media_count):
        if url := form.get(f"MediaUrl{index}"):
            metadata[f"media_url_{index}"] = url
        if content_type := form.get(f"MediaContentType{index}"):
            metadata[f"media_content_type_{index}"] = content_type
    return Inbound(
        channel=channel_for(sender),
        address=sender,
        text=form.get("Body", ""),
        received_at=received_at,
        provider_id=sid,
        media_count=media_count,
        metadata=metadata,
    )


def parse_status(form: Form) -> StatusUpdate | None:
    """A delivery report, or ``None`` for a status we do not track (e.g. ``received``)."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    twilio_status = form.get("MessageStatus") or form.get("SmsStatus")
    if not sid or not twilio_status:
        raise MalformedWebhook("a Twilio status callback needs MessageSid and MessageStatus")
    status = STATUS_MAP.get(twilio_status.lower())
    if status is None:
        return None
    error_code = form.get("ErrorCode") or None
    numeric_code = int(error_code) if error_code and error_code.isdigit() else None
    return StatusUpdate(
        channel=channel_for(form.get("To") or form.get("From") or ""),
        provider_id=sid,
        status=status.value,
        error_code=error_code,
        opted_out=numeric_code == OPTED_OUT_CODE,
        bad_address=numeric_code in BAD_ADDRESS_CODES,
    )


def _count(form: Form, field: str) -> int:
    raw = form.get(field, "0") or "0"
    if not raw.isdigit():
        raise MalformedWebhook(f"{field} is not a count: {raw!r}")
    return int(raw)


class TwilioWebhooks:
    """The two webhook endpoints: verified against ``settings.public_url``, handed to ``sink``."""

    def __init__(
        self, settings: Settings, sink: InboundSink, clock: Callable[[], datetime]
    ) -> None:
        self._public_url = settings.public_url.rstrip("/")
        self._max_body_bytes = settings.max_body_bytes
        token = settings.twilio_auth_token
        self._validator = RequestValidator(token.get_secret_value()) if token else None
        self._sink = sink
        self._clock = clock

    def routes(self) -> list[BaseRoute]:
        return [
            Route(INBOUND_PATH, self.inbound, methods=["POST"]),
            Route(STATUS_PATH, self.status, methods=["POST"]),
        ]

    async def inbound(self, request: Request) -> Response:
        form = await self._verified_form(request)
        if isinstance(form, Response):
            return form
        try:
            inbound = parse_inbound(form, self._clock())
        except MalformedWebhook as exc:
            return PlainTextResponse(str(exc), status_code=400)
        await self._sink.receive(inbound)
        return Response(_EMPTY_TWIML, media_type="text/xml")

    async def status(self, request: Request) -> Response:
        form = await self._verified_form(request)
        if isinstance(form, Response):
            return form
        try:
            update = parse_status(form)
        except MalformedWebhook as exc:
            return PlainTextResponse(str(exc), status_code=400)
        if update is not None:
            await self._sink.status_update(update)
        return Response(status_code=204)

    async def _verified_form(self, request: Request) -> Form | Response:
        """The signed form, or the response that refuses the request (503, 413, 400, 403)."""
        if self._validator is None:
            return PlainTextResponse(
                "Twilio webhooks are disabled: set SWITCHBOARD_TWILIO_AUTH_TOKEN so requests can be"
                " verified.",
                status_code=503,
            )
        body = await _read_capped(request, self._max_body_bytes)
        if body is None:
            return PlainTextResponse("request body too large", status_code=413)
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return PlainTextResponse("expected an urlencoded form", status_code=400)
        try:
            form = parse_form(body)
        except MalformedWebhook as exc:
            return PlainTextResponse(str(exc), status_code=400)
        signature = request.headers.get("x-twilio-signature", "")
        url = self._signed_url(request)
        if not signature or not self._validator.validate(url, form, signature):
            client = request.client.host if request.client else "?"
            logger.warning("rejected a Twilio webhook for %s from %s: bad signature", url, client)
            return PlainTextResponse("invalid or missing X-Twilio-Signature", status_code=403)
        return form

    def _signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the public base URL, not whatever host a proxy forwarded to us."""
        query = request.url.query
        return f"{self._public_url}{request.url.path}" + (f"?{query}" if query else "")


async def _read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
