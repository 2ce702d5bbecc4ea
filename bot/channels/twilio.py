"""The Twilio channel (SMS and WhatsApp): sends with Twilio's SDK over httpx, classifies failures.

Webhook verification and parsing live in ``bot.channels.twilio_webhooks``; this module mounts them.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from starlette.routing import BaseRoute
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from bot.channels.base import InboundSink
from bot.channels.twilio_webhooks import (
    BAD_ADDRESS_CODES,
    OPTED_OUT_CODE,
    STATUS_PATH,
    WHATSAPP_PREFIX,
    TwilioWebhooks,
)
from bot.config import Settings
from bot.errors import ConfigError, FinalSendError, RetryableSendError, SendError
from bot.models import MessageStatus, Outbound, SendResult
from bot.sms import render

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 15.0
RATE_LIMITED_CODE = 20429
# The SDK reads os.environ when handed an empty mapping; settings are our only configuration.
_NO_ENVIRONMENT = {"TWILIO_EDGE": "", "TWILIO_REGION": ""}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class HttpxTwilioClient(AsyncHttpClient):  # type: ignore[misc]  # twilio ships no type hints
    """The SDK's async HTTP seam on httpx, so sending never blocks the event loop.

    The SDK's exceptions drop response headers, so each response's headers also go to whoever set
    ``captured_headers`` in the current task: that is how ``Retry-After`` reaches the caller.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        super().__init__(logger, is_async=True)
        self.client = client
        self.captured_headers: ContextVar[list[httpx.Headers] | None] = ContextVar(
            "twilio_response_headers", default=None
        )

    async def request(
        self,
        method: str,
        uri: str,
        params: Mapping[str, object] | None = None,
        data: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109  # the SDK's signature
        allow_redirects: bool = False,
    ) -> Any:
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        response = await self.client.request(
            method.upper(),
            uri,
            params=params,  # type: ignore[arg-type]  # the SDK passes plain str/int values
            data=data,
            headers=headers,
            auth=auth,
            follow_redirects=allow_redirects,
            **extra,
        )
        captured = self.captured_headers.get()
        if captured is not None:
            captured.append(response.headers)
        return TwilioResponse(response.status_code, response.text, response.headers)


class TwilioChannel:
    """SMS and WhatsApp through one Twilio account. Register the one instance under both names.

    An address is exactly Twilio's ``From``: ``+15551234567`` (sms) or ``whatsapp:+15551234567``.
    """

    name = "sms"
    channel_names = ("sms", "whatsapp")

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._owns_http = http is None
        self._http = HttpxTwilioClient(http or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT_SECONDS))
        self._status_callback = settings.public_url.rstrip("/") + STATUS_PATH
        self._client: Any = None
        token = settings.twilio_auth_token
        if settings.twilio_account_sid and token:
            self._client = Client(
                settings.twilio_account_sid,
                token.get_secret_value(),
                http_client=self._http,
                environment=_NO_ENVIRONMENT,
            )
            # The API domain's base URL is a plain attribute; pointing it elsewhere serves test
            # fakes and regional gateways alike.
            self._client.api.base_url = settings.twilio_api_base_url.rstrip("/")

    def routes(self, sink: InboundSink) -> list[BaseRoute]:
        """``POST /webhooks/twilio/sms`` (incoming) and ``/webhooks/twilio/status`` (reports)."""
        return TwilioWebhooks(self._settings, sink, self._clock).routes()

    async def send(self, message: Outbound) -> SendResult:
        """Send one message, its menu as numbered lines; raises a classified ``SendError``."""
        client = self._require_client()
        captured: list[httpx.Headers] = []
        token = self._http.captured_headers.set(captured)
        try:
            created = await client.api.account.messages.create_async(
                to=message.address,
                body=render(message.text, message.choices),
                status_callback=self._status_callback,
                **self._sender_for(message.address),
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            retry_after = _retry_after(captured[-1] if captured else None, self._clock())
            raise classify_failure(exc.status, exc.code, _describe(exc), retry_after) from exc
        except httpx.TimeoutException as exc:
            raise RetryableSendError(f"Twilio did not answer in time: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise RetryableSendError(f"could not reach Twilio: {exc!r}") from exc
        finally:
            self._http.captured_headers.reset(token)
        return SendResult(provider_id=created.sid, status=MessageStatus.SENT)

    async def aclose(self) -> None:
        """Close the HTTP client if this channel made it; an injected one belongs to its owner."""
        if self._owns_http:
            await self._http.client.aclose()

    def _require_client(self) -> Any:
        if self._client is None:
            raise ConfigError(
                "sending SMS needs SWITCHBOARD_TWILIO_ACCOUNT_SID and SWITCHBOARD_TWILIO_AUTH_TOKEN"
            )
        return self._client

    def _sender_for(self, address: str) -> dict[str, str]:
        """A messaging service when configured (Twilio picks the number), else the from-number."""
        settings = self._settings
        if settings.twilio_messaging_service_sid:
            return {"messaging_service_sid": settings.twilio_messaging_service_sid}
        if not settings.twilio_from:
            raise ConfigError(
                "sending SMS needs SWITCHBOARD_TWILIO_FROM"
                " or SWITCHBOARD_TWILIO_MESSAGING_SERVICE_SID"
            )
        sender = settings.twilio_from
        if address.startswith(WHATSAPP_PREFIX) and not sender.startswith(WHATSAPP_PREFIX):
            sender = WHATSAPP_PREFIX + sender
        return {"from_": sender}


def classify_failure(
    status: int, code: int | None, detail: str, retry_after: float | None = None
) -> SendError:
    """Turn Twilio's HTTP status and error code into a retryable or final error."""
    code_text = str(code) if code is not None else str(status)
    if code == OPTED_OUT_CODE:
        return FinalSendError(
            f"the recipient unsubscribed from this sender (Twilio {code}): {detail}",
            code=code_text,
            opted_out=True,
        )
    if code in BAD_ADDRESS_CODES:
        return FinalSendError(
            f"the address cannot receive messages (Twilio {code}): {detail}",
            code=code_text,
            bad_address=True,
        )
    if status == 429 or status >= 500 or code == RATE_LIMITED_CODE:
        return RetryableSendError(
            f"Twilio is busy or unavailable (HTTP {status}); will try again: {detail}",
            code=code_text,
            retry_after=retry_after,
        )
    return FinalSendError(f"Twilio refused the message (HTTP {status}): {detail}", code=code_text)


def _describe(exc: TwilioRestException | TwilioServiceException) -> str:
    """Twilio's own words; ``str(exc)`` would add terminal colours when stderr is a TTY."""
    if isinstance(exc, TwilioServiceException):
        return f"{exc.title}: {exc.detail}" if exc.detail else str(exc.title)
    return str(exc.msg)


def _retry_after(headers: httpx.Headers | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    value = headers.get("retry-after") if headers is not None else None
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None
