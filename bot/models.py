"""Plain frozen dataclasses shared by the channels, the store and the service layer.

The engine has its own value types in ``bot.engine.types``; these are the shapes that cross I/O seams.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    RECEIVED = "received"  # inbound, stored, not yet handled
    HANDLED = "handled"  # inbound, answered
    QUEUED = "queued"  # outbound, waiting for the sender
    SENDING = "sending"  # outbound, claimed by the sender
    SENT = "sent"  # accepted by the provider
    DELIVERED = "delivered"  # provider confirmed delivery
    FAILED = "failed"  # final failure, visible to staff
    SKIPPED = "skipped"  # not sent: the contact opted out before send time


class Priority:
    """Lower numbers are sent first: a resident who is waiting beats bulk traffic."""

    REPLY = 0
    BULK = 10


@dataclass(frozen=True)
class Inbound:
    """One message from a resident, as a channel adapter parsed it."""

    channel: str
    address: str
    text: str
    received_at: datetime
    provider_id: str | None = None
    choice: str | None = None  # a button press (Telegram callback data), already a choice value
    language_hint: str | None = None  # e.g. Telegram's user.language_code
    media_count: int = 0
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """One option of a menu as the resident sees it: a label and the value sent back when picked."""

    label: str
    value: str


@dataclass(frozen=True)
class Outbound:
    """One rendered outgoing message, as stored in the outbox and handed to a channel."""

    channel: str
    address: str
    text: str
    choices: tuple[Choice, ...] = ()
    contact_id: int | None = None
    id: int | None = None
    priority: int = Priority.REPLY
    attempts: int = 0
    compliance: bool = False  # a STOP/START confirmation: sent even though the contact opted out


@dataclass(frozen=True)
class Contact:
    """A resident on one channel address."""

    id: int
    channel: str
    address: str
    language: str | None
    language_source: str | None  # "choice" | "detected" | "hint" | "default"
    timezone: str | None
    fields: Mapping[str, Any]
    tags: tuple[str, ...]
    consent: bool
    opted_out_at: datetime | None
    bad_address: bool
    created_at: datetime
    last_seen_at: datetime | None

    @property
    def opted_out(self) -> bool:
        return self.opted_out_at is not None


@dataclass(frozen=True)
class SendResult:
    """What a provider said when it accepted a message."""

    provider_id: str | None
    status: str = MessageStatus.SENT
