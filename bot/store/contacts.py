"""Contact queries: one row per (channel, address), created on first contact."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.models import Contact
from bot.store.database import Conn, insert_ignoring_conflict
from bot.store.tables import contacts

LANGUAGE_SOURCES = frozenset({"choice", "detected", "hint", "default"})
UPDATABLE_COLUMNS = frozenset(
    {
        "language",
        "language_source",
        "timezone",
        "fields",
        "tags",
        "consent",
        "opted_out_at",
        "bad_address",
        "last_seen_at",
    }
)


def _to_contact(row: sa.Row[Any]) -> Contact:
    data = row._mapping
    return Contact(
        id=data["id"],
        channel=data["channel"],
        address=data["address"],
        language=data["language"],
        language_source=data["language_source"],
        timezone=data["timezone"],
        fields=dict(data["fields"] or {}),
        tags=tuple(data["tags"] or ()),
        consent=bool(data["consent"]),
        opted_out_at=data["opted_out_at"],
        bad_address=bool(data["bad_address"]),
        created_at=data["created_at"],
        last_seen_at=data["last_seen_at"],
    )


async def get_or_create_contact(
    conn: Conn, channel: str, address: str, now: datetime
) -> tuple[Contact, bool]:
    """The contact for (channel, address), created if new; ``True`` when this call created it.

    Race-safe: the insert does nothing on conflict, and the row is then read locked (``FOR
    UPDATE`` on PostgreSQL; SQLite's transactions already hold the write lock). A known contact
    costs one statement.
    """
    lookup = (
        sa.select(contacts)
        .where(contacts.c.channel == channel, contacts.c.address == address)
        .with_for_update()
    )
    known = (await conn.execute(lookup)).first()
    if known is not None:
        return _to_contact(known), False
    inserted = await conn.execute(
        insert_ignoring_conflict(conn, contacts, ("channel", "address"))
        .values(
            channel=channel,
            address=address,
            fields={},
            tags=[],
            consent=False,
            bad_address=False,
            created_at=now,
            last_seen_at=now,
        )
        .returning(contacts.c.id)
    )
    created = inserted.first() is not None
    row = (await conn.execute(lookup)).one()
    return _to_contact(row), created


async def get_contact(conn: Conn, contact_id: int) -> Contact | None:
    row = (await conn.execute(sa.select(contacts).where(contacts.c.id == contact_id))).first()
    return None if row is None else _to_contact(row)


async def get_contacts(conn: Conn, contact_ids: Collection[int]) -> dict[int, Contact]:
    """Several contacts by id in one statement (the sender checks a whole batch at once)."""
    if not contact_ids:
        return {}
    rows = await conn.execute(sa.select(contacts).where(contacts.c.id.in_(list(contact_ids))))
    return {row.id: _to_contact(row) for row in rows}


async def find_contact(conn: Conn, channel: str, address: str) -> Contact | None:
    row = (
        await conn.execute(
            sa.select(contacts).where(contacts.c.channel == channel, contacts.c.address == address)
        )
    ).first()
    return None if row is None else _to_contact(row)


async def update_contact(conn: Conn, contact_id: int, **values: Any) -> None:
    """Set the given columns. Unknown or fixed columns (id, channel, address) raise ValueError."""
    unknown = sorted(set(values) - UPDATABLE_COLUMNS)
    if unknown:
        raise ValueError(
            f"cannot update contact column(s) {unknown}; allowed: {sorted(UPDATABLE_COLUMNS)}"
        )
    if not values:
        return
    source = values.get("language_source")
    if source is not None and source not in LANGUAGE_SOURCES:
        raise ValueError(f"language_source {source!r} is not one of {sorted(LANGUAGE_SOURCES)}")
    if "tags" in values:
        values["tags"] = list(values["tags"])
    if isinstance(values.get("fields"), Mapping):
        values["fields"] = dict(values["fields"])
    await _update(conn, contact_id, values)


async def touch_contact(conn: Conn, contact_id: int, now: datetime) -> None:
    """Record that the resident was just heard from."""
    await _update(conn, contact_id, {"last_seen_at": now})


async def set_opted_out(conn: Conn, contact_id: int, at: datetime | None) -> None:
    """Opt the contact out at ``at``, or back in with ``None``."""
    await _update(conn, contact_id, {"opted_out_at": at})


async def mark_bad_address(conn: Conn, contact_id: int) -> None:
    """The provider says this address cannot receive messages."""
    await _update(conn, contact_id, {"bad_address": True})


async def _update(conn: Conn, contact_id: int, values: dict[str, Any]) -> None:
    result = await conn.execute(
        sa.update(contacts).where(contacts.c.id == contact_id).values(values)
    )
    if result.rowcount == 0:
        raise LookupError(f"no contact with id {contact_id}")
