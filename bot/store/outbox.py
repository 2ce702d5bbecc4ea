"""The outbound queue: outbound message rows moving queued -> sending -> sent -> delivered.

Delivery is at-least-once: a row claimed by a sender that crashed before ``mark_sent`` goes
back to the queue through ``requeue_stale_sending`` and may reach the resident twice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import sqlalchemy as sa

from bot.models import Choice, Direction, MessageStatus, Outbound
from bot.store.database import Conn
from bot.store.messages import choices_from_json, choices_to_json
from bot.store.tables import messages

_OUT = messages.c.direction == Direction.OUT.value

# How far along a message is; a provider report never moves a message backwards (reports can
# arrive out of order, e.g. "sent" after "delivered").
_PROGRESS = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.FAILED: 3,
    MessageStatus.SKIPPED: 3,
}


async def enqueue(
    conn: Conn,
    *,
    contact_id: int,
    channel: str,
    address: str,
    text: str,
    choices: Sequence[Choice] = (),
    priority: int,
    now: datetime,
    compliance: bool = False,
) -> int:
    """Queue one outbound message, due now; returns its id."""
    result = await conn.execute(
        sa.insert(messages)
        .values(
            contact_id=contact_id,
            direction=Direction.OUT.value,
            channel=channel,
            address=address,
            text=text,
            choices=choices_to_json(list(choices)),
            status=MessageStatus.QUEUED.value,
            priority=priority,
            compliance=compliance,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        .returning(messages.c.id)
    )
    return int(result.scalar_one())


async def claim_due(
    conn: Conn,
    now: datetime,
    limit: int,
    channels: Collection[str] | None = None,
) -> list[Outbound]:
    """Move up to ``limit`` due messages to "sending" (attempts + 1) and return them in send
    order: priority, then age.

    Two senders never claim the same row: PostgreSQL skips rows another transaction has locked
    (``FOR UPDATE SKIP LOCKED``); on SQLite the transaction's write lock serialises senders.
    """
    due = (
        sa.select(messages)
        .where(
            _OUT,
            messages.c.status == MessageStatus.QUEUED.value,
            sa.or_(messages.c.next_attempt_at.is_(None), messages.c.next_attempt_at <= now),
        )
        .order_by(messages.c.priority, messages.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if channels is not None:
        due = due.where(messages.c.channel.in_(list(channels)))
    rows = (await conn.execute(due)).all()
    if not rows:
        return []
    await conn.execute(
        sa.update(messages)
        .where(messages.c.id.in_([row.id for row in rows]))
        .values(
            status=MessageStatus.SENDING.value,
            attempts=messages.c.attempts + 1,
            updated_at=now,
        )
    )
    return [
        Outbound(
            channel=row.channel,
            address=row.address,
            text=row.text,
            choices=choices_from_json(row.choices),
            contact_id=row.contact_id,
            id=row.id,
            priority=row.priority,
            compliance=row.compliance,
            attempts=row.attempts + 1,
        )
        for row in rows
    ]


async def mark_sent(conn: Conn, message_id: int, provider_id: str | None, now: datetime) -> None:
    """The provider accepted the message and gave it ``provider_id``."""
    await _set(
        conn,
        message_id,
        status=MessageStatus.SENT.value,
        provider_id=provider_id,
        sent_at=now,
        updated_at=now,
        error_code=None,
        error_text=None,
    )


async def mark_retry(
    conn: Conn,
    message_id: int,
    *,
    at: datetime,
    error_code: str | None,
    error_text: str | None,
    now: datetime | None = None,
) -> None:
    """Back to the queue, due again at ``at``; the error is kept for staff to see."""
    values: dict[str, object] = {
        "status": MessageStatus.QUEUED.value,
        "next_attempt_at": at,
        "error_code": error_code,
        "error_text": error_text,
    }
    if now is not None:
        values["updated_at"] = now
    await _set(conn, message_id, **values)


async def mark_failed(
    conn: Conn,
    message_id: int,
    *,
    error_code: str | None,
    error_text: str | None,
    now: datetime,
) -> None:
    """Final failure: never retried."""
    await _set(
        conn,
        message_id,
        status=MessageStatus.FAILED.value,
        error_code=error_code,
        error_text=error_text,
        updated_at=now,
    )


async def mark_skipped(conn: Conn, message_id: int, reason: str, now: datetime) -> None:
    """Not sent on purpose (e.g. ``reason="opted_out"``); the reason is kept in error_code."""
    await _set(
        conn, message_id, status=MessageStatus.SKIPPED.value, error_code=reason, updated_at=now
    )


async def update_status_by_provider_id(
    conn: Conn,
    channel: str,
    provider_id: str,
    status: str,
    error_code: str | None,
    now: datetime,
) -> int | None:
    """Apply a provider's delivery report; returns the message's contact id, or None if the
    provider id is unknown. A report that would move the message backwards is ignored."""
    new_status = MessageStatus(status)
    row = (
        await conn.execute(
            sa.select(messages.c.id, messages.c.contact_id, messages.c.status)
            .where(_OUT, messages.c.channel == channel, messages.c.provider_id == provider_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        return None
    current = MessageStatus(row.status)
    if _PROGRESS.get(new_status, 0) > _PROGRESS.get(current, 0):
        values: dict[str, object] = {"status": new_status.value, "updated_at": now}
        if error_code is not None:
            values["error_code"] = error_code
        await _set(conn, row.id, **values)
    return int(row.contact_id)


async def requeue_stale_sending(conn: Conn, older_than: datetime) -> int:
    """Crash recovery: rows claimed before ``older_than`` and never finished go back to the
    queue. Returns how many. At-least-once: the provider may already have taken some of them,
    so a resident can receive such a message twice; their attempts count is kept."""
    result = await conn.execute(
        sa.update(messages)
        .where(
            _OUT,
            messages.c.status == MessageStatus.SENDING.value,
            messages.c.updated_at < older_than,
        )
        .values(status=MessageStatus.QUEUED.value)
    )
    return int(result.rowcount)


async def queue_depth(conn: Conn) -> int:
    """How many outbound messages wait in the queue (due or not), not counting "sending"."""
    count = await conn.scalar(
        sa.select(sa.func.count())
        .select_from(messages)
        .where(_OUT, messages.c.status == MessageStatus.QUEUED.value)
    )
    return int(count or 0)


async def _set(conn: Conn, message_id: int, **values: object) -> None:
    result = await conn.execute(
        sa.update(messages).where(messages.c.id == message_id, _OUT).values(**values)
    )
    if result.rowcount == 0:
        raise LookupError(f"no outbound message with id {message_id}")
