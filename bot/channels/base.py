"""The channel seam: what every channel adapter provides and what it is given.

An adapter owns one provider end to end: verifying and parsing its webhooks into ``Inbound``, and sending
``Outbound`` rows through the provider's own client library. Adding a channel touches one file in
``bot/channels/`` and one line in ``bot/channels/__init__.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from starlette.routing import BaseRoute

from bot.models import Inbound, Outbound, SendResult


@dataclass(frozen=True)
class StatusUpdate:
    """A provider's report on a message we sent (e.g. Twilio's status callback)."""

    channel: str
    provider_id: str
    status: str  # one of bot.models.MessageStatus values
    error_code: str | None = None
    opted_out: bool = False  # the provider says the recipient unsubscribed (Twilio 21610)
    bad_address: bool = False  # the provider says the address cannot receive messages


class InboundSink(Protocol):
    """What a channel hands parsed traffic to: the service layer, in production."""

    async def receive(self, inbound: Inbound) -> None:
        """Store the message once (by provider id), answer it, queue the reply. Idempotent."""

    async def status_update(self, update: StatusUpdate) -> None:
        """Record a delivery report; opt out or mark the address bad when it says so."""

    async def mark_opted_out(self, channel: str, address: str) -> None:
        """The resident blocked us or unsubscribed at the provider."""


class Channel(Protocol):
    """An outbound adapter. ``send`` raises ``RetryableSendError`` or ``FinalSendError``."""

    name: str

    async def send(self, message: Outbound) -> SendResult: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class WebhookChannel(Channel, Protocol):
    """A channel that also receives over HTTP: it contributes Starlette routes."""

    def routes(self, sink: InboundSink) -> list[BaseRoute]: ...
