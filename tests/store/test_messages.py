"""The message log: inbound stored once per provider id; counts and conversation listing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Choice, Contact, Direction, MessageStatus, Priority
from bot.store import count_messages, enqueue, list_messages, mark_handled, record_inbound


async def _inbound(
    conn: AsyncConnection,
    contact: Contact,
    now: datetime,
    provider_id: str | None,
    text: str = "hi",
) -> tuple[int, bool]:
    return await record_inbound(
        conn,
        contact_id=contact.id,
        channel=contact.channel,
        address=contact.address,
        text=text,
        provider_id=provider_id,
        received_at=now,
        metadata={"num_media": "0"},
    )


async def test_repeated_provider_id_is_stored_once(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    first_id, first_new = await _inbound(conn, contact, now, "SM123", "hello")
    again_id, again_new = await _inbound(conn, contact, now + timedelta(seconds=5), "SM123", "x")
    assert (first_new, again_new) == (True, False)
    assert again_id == first_id
    assert await count_messages(conn, direction="in") == 1
    [stored] = await list_messages(conn, contact.id)
    assert (stored.text, stored.created_at, stored.metadata) == ("hello", now, {"num_media": "0"})


async def test_messages_without_provider_id_are_all_kept(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    ids = {(await _inbound(conn, contact, now, None))[0] for _ in range(3)}
    assert len(ids) == 3
    assert await count_messages(conn, direction=Direction.IN) == 3


async def test_same_provider_id_on_another_channel_is_another_message(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    _, sms_new = await _inbound(conn, contact, now, "777")
    _, telegram_new = await record_inbound(
        conn,
        contact_id=contact.id,
        channel="telegram",
        address="42",
        text="hi",
        provider_id="777",
        received_at=now,
        metadata=None,
    )
    assert sms_new and telegram_new
    assert await count_messages(conn, channel="telegram") == 1


async def test_mark_handled(conn: AsyncConnection, contact: Contact, now: datetime) -> None:
    message_id, _ = await _inbound(conn, contact, now, "SM1")
    await mark_handled(conn, message_id, now + timedelta(seconds=1))
    [stored] = await list_messages(conn, contact.id)
    assert stored.status is MessageStatus.HANDLED
    assert stored.updated_at == now + timedelta(seconds=1)
    assert await count_messages(conn, status="received") == 0
    assert await count_messages(conn, status="handled") == 1


async def test_list_messages_is_the_latest_in_conversation_order(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    await _inbound(conn, contact, now, "SM1", "one")
    await enqueue(
        conn,
        contact_id=contact.id,
        channel="sms",
        address=contact.address,
        text="two",
        choices=[Choice("Yes", "yes"), Choice("No", "no")],
        priority=Priority.REPLY,
        now=now,
    )
    await _inbound(conn, contact, now, "SM3", "three")
    latest = await list_messages(conn, contact.id, limit=2)
    assert [m.text for m in latest] == ["two", "three"]
    assert latest[0].direction is Direction.OUT
    assert latest[0].choices == (Choice("Yes", "yes"), Choice("No", "no"))
    assert [m.text for m in await list_messages(conn, contact.id)] == ["one", "two", "three"]
    assert await list_messages(conn, contact.id + 1000) == []
