"""The message log: inbound messages stored once per provider id, and reads over all messages.

Outbound rows live in the same table; their queue operations are in ``bot.store.outbox``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.models import Choice, Direction, MessageStatus
from bot.store.database import Conn, insert_ignoring_conflict
from bot.store.tables import messages


@dataclass(frozen=True)
class StoredMessage:
    """One row of the message log, in either direction."""

    id: int
    contact_id: int
    direction: Direction
    channel: str
    address: str
    provider_id: str | None
    text: str
    choices: tuple[Choice, ...]
    metadata: Mapping[str, Any]
    status: MessageStatus
    priority: int
    attempts: int
    next_attempt_at: datetime | None
    error_code: str | None
    error_text: str | None
    created_at: datetime
    sent_at: datetime | None
    updated_at: datetime


def choices_to_json(choices: tuple[Choice, ...] | list[Choice]) -> list[dict[str, str]] | None:
    return [{"label": c.label, "value": c.value} for c in choices] or None


def choices_from_json(data: Any) -> tuple[Choice, ...]:
    return tuple(Choice(label=item["label"], value=item["value"]) for item in data or ())


def to_stored_message(row: sa.Row[Any]) -> StoredMessage:
    data = row._mapping
    return StoredMessage(
        id=data["id"],
        contact_id=data["contact_id"],
        direction=Direction(data["direction"]),
        channel=data["channel"],
        address=data["address"],
        provider_id=data["provider_id"],
        text=data["text"],
        choices=choices_from_json(data["choices"]),
        metadata=dict(data["meta"] or {}),
        status=MessageStatus(data["status"]),
        priority=data["priority"],
        attempts=data["attempts"],
        next_attempt_at=data["next_attempt_at"],
        error_code=data["error_code"],
        error_text=data["error_text"],
        created_at=data["created_at"],
        sent_at=data["sent_at"],
        updated_at=data["updated_at"],
    )


async def record_inbound(
    conn: Conn,
    *,
    contact_id: int,
    channel: str,
    address: str,
    text: str,
    provider_id: str | None,
    received_at: datetime,
    metadata: Mapping[str, Any] | None = None,
    status: MessageStatus = MessageStatus.RECEIVED,
) -> tuple[int, bool]:
    """Store an inbound message once: ``(id, True)`` when new, ``(existing id, False)`` for a
    provider's retry of a (channel, provider_id) already stored. Without a provider id every
    call stores a new row. ``status`` lets a caller that answers in the same transaction store
    it as handled at once."""
    inserted = await conn.execute(
        insert_ignoring_conflict(conn, messages, ("channel", "provider_id"))
        .values(
            contact_id=contact_id,
            direction=Direction.IN.value,
            channel=channel,
            address=address,
            provider_id=provider_id,
            text=text,
            meta=dict(metadata) if metadata else None,
            status=status.value,
            priority=0,
            attempts=0,
            created_at=received_at,
            updated_at=received_at,
        )
        .returning(messages.c.id)
    )
    new_id = inserted.scalar()
    if new_id is not None:
        return int(new_id), True
    existing = await conn.scalar(
        sa.select(messages.c.id).where(
            messages.c.channel == channel, messages.c.provider_id == provider_id
        )
    )
    if existing is None:  # cannot happen: the conflict that skipped the insert is this row
        raise LookupError(f"inbound {channel}/{provider_id} neither inserted nor found")
    return int(existing), False


async def mark_handled(conn: Conn, message_id: int, now: datetime) -> None:
    """The inbound message was answered (its replies, if any, are queued)."""
    await conn.execute(
        sa.update(messages)
        .where(messages.c.id == message_id, messages.c.direction == Direction.IN.value)
        .values(status=MessageStatus.HANDLED.value, updated_at=now)
    )


async def count_messages(
    conn: Conn,
    *,
    direction: str | None = None,
    channel: str | None = None,
    status: str | None = None,
) -> int:
    query = sa.select(sa.func.count()).select_from(messages)
    if direction is not None:
        query = query.where(messages.c.direction == Direction(direction).value)
    if channel is not None:
        query = query.where(messages.c.channel == channel)
    if status is not None:
        query = query.where(messages.c.status == MessageStatus(status).value)
    return int(await conn.scalar(query) or 0)


async def list_messages(conn: Conn, contact_id: int, limit: int = 50) -> list[StoredMessage]:
    """The contact's latest ``limit`` messages, oldest first (a conversation as read)."""
    rows = (
        await conn.execute(
            sa.select(messages)
            .where(messages.c.contact_id == contact_id)
            .order_by(messages.c.id.desc())
            .limit(limit)
        )
    ).all()
    return [to_stored_message(row) for row in reversed(rows)]
