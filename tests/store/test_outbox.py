"""The outbound queue: priority order, due times, claiming, retries, recovery, delivery reports."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.models import Choice, Contact, MessageStatus, Outbound, Priority
from bot.store import (
    claim_due,
    enqueue,
    list_messages,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_skipped,
    queue_depth,
    requeue_stale_sending,
    update_status_by_provider_id,
)
from bot.store.messages import StoredMessage


async def _queue(
    conn: AsyncConnection,
    contact: Contact,
    now: datetime,
    text: str,
    priority: int = Priority.REPLY,
    channel: str = "sms",
) -> int:
    return await enqueue(
        conn,
        contact_id=contact.id,
        channel=channel,
        address=contact.address,
        text=text,
        priority=priority,
        now=now,
    )


async def _stored(conn: AsyncConnection, contact: Contact, message_id: int) -> StoredMessage:
    [found] = [m for m in await list_messages(conn, contact.id) if m.id == message_id]
    return found


async def test_replies_go_before_bulk_then_oldest_first(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    await _queue(conn, contact, now, "bulk 1", Priority.BULK)
    await _queue(conn, contact, now, "bulk 2", Priority.BULK)
    await _queue(conn, contact, now, "reply 1", Priority.REPLY)
    await _queue(conn, contact, now, "reply 2", Priority.REPLY)
    claimed = await claim_due(conn, now, limit=3)
    assert [m.text for m in claimed] == ["reply 1", "reply 2", "bulk 1"]
    assert [m.text for m in await claim_due(conn, now, limit=10)] == ["bulk 2"]


async def test_claim_returns_the_message_and_marks_it_sending(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    message_id = await enqueue(
        conn,
        contact_id=contact.id,
        channel="sms",
        address=contact.address,
        text="Pick one",
        choices=(Choice("Food", "food"),),
        priority=Priority.REPLY,
        now=now,
    )
    [claimed] = await claim_due(conn, now, limit=5)
    assert claimed == Outbound(
        channel="sms",
        address=contact.address,
        text="Pick one",
        choices=(Choice("Food", "food"),),
        contact_id=contact.id,
        id=message_id,
        priority=Priority.REPLY,
        attempts=1,
    )
    assert (await _stored(conn, contact, message_id)).status is MessageStatus.SENDING
    assert await claim_due(conn, now, limit=5) == []


async def test_retry_waits_until_it_is_due(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    message_id = await _queue(conn, contact, now, "hello")
    await claim_due(conn, now, limit=1)
    later = now + timedelta(minutes=5)
    await mark_retry(conn, message_id, at=later, error_code="429", error_text="slow down")
    assert await claim_due(conn, later - timedelta(seconds=1), limit=1) == []
    [again] = await claim_due(conn, later, limit=1)
    assert (again.id, again.attempts) == (message_id, 2)
    assert (await _stored(conn, contact, message_id)).error_code == "429"


async def test_claim_can_be_limited_to_channels(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    await _queue(conn, contact, now, "by sms", channel="sms")
    await _queue(conn, contact, now, "by telegram", channel="telegram")
    assert [m.text for m in await claim_due(conn, now, 10, channels={"telegram"})] == [
        "by telegram"
    ]
    assert [m.text for m in await claim_due(conn, now, 10, channels=["sms", "x"])] == ["by sms"]


async def test_concurrent_senders_never_claim_the_same_message(
    engine: AsyncEngine, contact: Contact, now: datetime
) -> None:
    async with engine.begin() as conn:
        queued = {await _queue(conn, contact, now, f"m{i}") for i in range(6)}

    async def second_sender() -> list[int]:
        async with engine.begin() as conn:
            return [m.id or 0 for m in await claim_due(conn, now, limit=4)]

    async with engine.begin() as conn:
        first = [m.id or 0 for m in await claim_due(conn, now, limit=4)]
        # The second sender starts while the first one's claim is not yet committed: it must
        # wait (SQLite) or skip the locked rows (PostgreSQL), never take them too.
        racing = asyncio.create_task(second_sender())
        await asyncio.sleep(0.05)
    second = await racing
    assert len(first) == 4
    assert not set(first) & set(second)
    assert set(first) | set(second) == queued


async def test_sent_then_delivery_reports_by_provider_id(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    message_id = await _queue(conn, contact, now, "hello")
    await claim_due(conn, now, 1)
    await mark_sent(conn, message_id, "SM9", now + timedelta(seconds=1))
    later = now + timedelta(seconds=9)
    found = await update_status_by_provider_id(conn, "sms", "SM9", "delivered", None, later)
    assert found == contact.id
    stored = await _stored(conn, contact, message_id)
    assert (stored.status, stored.provider_id, stored.sent_at, stored.updated_at) == (
        MessageStatus.DELIVERED,
        "SM9",
        now + timedelta(seconds=1),
        later,
    )
    # A late "sent" report does not move a delivered message backwards.
    assert await update_status_by_provider_id(conn, "sms", "SM9", "sent", None, later) == contact.id
    assert (await _stored(conn, contact, message_id)).status is MessageStatus.DELIVERED


async def test_report_for_unknown_provider_id_finds_nothing(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    message_id = await _queue(conn, contact, now, "hello")
    await claim_due(conn, now, 1)
    await mark_sent(conn, message_id, "SM1", now)
    assert await update_status_by_provider_id(conn, "sms", "SM2", "failed", "30003", now) is None
    assert await update_status_by_provider_id(conn, "telegram", "SM1", "failed", None, now) is None
    with pytest.raises(ValueError):
        await update_status_by_provider_id(conn, "sms", "SM1", "exploded", None, now)


async def test_failure_report_keeps_the_error_code(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    message_id = await _queue(conn, contact, now, "hello")
    await mark_sent(conn, message_id, "SM5", now)
    await update_status_by_provider_id(conn, "sms", "SM5", "failed", "30006", now)
    stored = await _stored(conn, contact, message_id)
    assert (stored.status, stored.error_code) == (MessageStatus.FAILED, "30006")


async def test_failed_and_skipped_leave_the_queue(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    failed = await _queue(conn, contact, now, "a")
    skipped = await _queue(conn, contact, now, "b")
    await _queue(conn, contact, now + timedelta(hours=1), "c")  # not due yet, still queued
    assert await queue_depth(conn) == 3
    await claim_due(conn, now, 2)
    assert await queue_depth(conn) == 1
    await mark_failed(conn, failed, error_code="21211", error_text="invalid number", now=now)
    await mark_skipped(conn, skipped, "opted_out", now)
    assert (await _stored(conn, contact, failed)).status is MessageStatus.FAILED
    stored_skip = await _stored(conn, contact, skipped)
    assert (stored_skip.status, stored_skip.error_code) == (MessageStatus.SKIPPED, "opted_out")
    assert await claim_due(conn, now, 10) == []
    with pytest.raises(LookupError):
        await mark_failed(conn, failed + 1000, error_code=None, error_text=None, now=now)


async def test_requeue_stale_sending_recovers_only_old_claims(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    old = await _queue(conn, contact, now, "claimed long ago")
    await claim_due(conn, now, 1)
    recent_time = now + timedelta(minutes=10)
    recent = await _queue(conn, contact, recent_time, "claimed just now")
    await claim_due(conn, recent_time, 1)
    assert await requeue_stale_sending(conn, older_than=now + timedelta(minutes=5)) == 1
    assert (await _stored(conn, contact, old)).status is MessageStatus.QUEUED
    assert (await _stored(conn, contact, recent)).status is MessageStatus.SENDING
    [again] = await claim_due(conn, recent_time, 5)
    assert (again.id, again.attempts) == (old, 2)
