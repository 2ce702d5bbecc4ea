"""The event log: what happened to whom and when (flow steps, opt-outs, errors) for reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.store.database import Conn
from bot.store.tables import events as events_table


@dataclass(frozen=True)
class StoredEvent:
    id: int
    contact_id: int | None
    kind: str
    data: Mapping[str, Any]
    created_at: datetime


async def append_events(
    conn: Conn,
    contact_id: int | None,
    events: Sequence[tuple[str, Mapping[str, Any]]],
    now: datetime,
) -> None:
    """Append ``(kind, data)`` events, all at ``now``; ``data`` must be JSON values."""
    if not events:
        return
    await conn.execute(
        sa.insert(events_table),
        [
            {"contact_id": contact_id, "kind": kind, "data": dict(data), "created_at": now}
            for kind, data in events
        ],
    )


async def list_events(
    conn: Conn, *, contact_id: int | None = None, kind: str | None = None
) -> list[StoredEvent]:
    """Events in the order they were appended, optionally for one contact and/or kind."""
    query = sa.select(events_table).order_by(events_table.c.id)
    if contact_id is not None:
        query = query.where(events_table.c.contact_id == contact_id)
    if kind is not None:
        query = query.where(events_table.c.kind == kind)
    return [
        StoredEvent(
            id=row.id,
            contact_id=row.contact_id,
            kind=row.kind,
            data=dict(row.data or {}),
            created_at=row.created_at,
        )
        for row in (await conn.execute(query)).all()
    ]
