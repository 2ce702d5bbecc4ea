"""The event log: appended in order, filtered by contact and kind."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Contact
from bot.store import append_events, get_or_create_contact, list_events


async def test_append_and_filter(conn: AsyncConnection, contact: Contact, now: datetime) -> None:
    other, _ = await get_or_create_contact(conn, "telegram", "42", now)
    await append_events(
        conn,
        contact.id,
        [("flow_started", {"flow": "rent_help"}), ("language_set", {"language": "es"})],
        now,
    )
    later = now + timedelta(minutes=1)
    await append_events(conn, other.id, [("flow_started", {"flow": "food"})], later)
    await append_events(conn, None, [("bulk_sent", {"count": 120})], later)
    await append_events(conn, contact.id, [], later)

    everything = await list_events(conn)
    assert [(e.contact_id, e.kind) for e in everything] == [
        (contact.id, "flow_started"),
        (contact.id, "language_set"),
        (other.id, "flow_started"),
        (None, "bulk_sent"),
    ]
    mine = await list_events(conn, contact_id=contact.id)
    assert [e.data for e in mine] == [{"flow": "rent_help"}, {"language": "es"}]
    assert {e.created_at for e in mine} == {now}
    started = await list_events(conn, kind="flow_started")
    assert [e.data["flow"] for e in started] == ["rent_help", "food"]
    assert await list_events(conn, contact_id=other.id, kind="language_set") == []
