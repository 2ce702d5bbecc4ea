"""Conversation sessions: one per contact, stored as columns and handed over as a plain dict.

The dict has exactly the keys ``flow``, ``step``, ``variables``, ``stack``, ``retries`` and
``expires_at`` (an aware datetime or None). ``variables`` and ``stack`` must be JSON values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from bot.store.database import Conn, upsert
from bot.store.tables import sessions

SESSION_KEYS = frozenset({"flow", "step", "variables", "stack", "retries", "expires_at"})


async def load_session(conn: Conn, contact_id: int) -> dict[str, Any] | None:
    """The contact's session as a dict, or None when there is none."""
    row = (
        await conn.execute(sa.select(sessions).where(sessions.c.contact_id == contact_id))
    ).first()
    if row is None:
        return None
    return {
        "flow": row.flow,
        "step": row.step,
        "variables": dict(row.variables or {}),
        "stack": list(row.stack or []),
        "retries": row.retries,
        "expires_at": row.expires_at,
    }


async def save_session(
    conn: Conn,
    contact_id: int,
    data: Mapping[str, Any] | None,
    *,
    now: datetime | None = None,
) -> None:
    """Store (insert or replace) the contact's session; ``None`` deletes it.

    Missing keys take empty defaults except ``flow``, which is required; unknown keys raise
    ValueError so a serialisation mistake is not silently dropped.
    """
    if data is None:
        await conn.execute(sa.delete(sessions).where(sessions.c.contact_id == contact_id))
        return
    unknown = sorted(set(data) - SESSION_KEYS)
    if unknown:
        raise ValueError(f"unknown session key(s) {unknown}; expected {sorted(SESSION_KEYS)}")
    if not data.get("flow"):
        raise ValueError("a session needs a 'flow'")
    values = {
        "contact_id": contact_id,
        "flow": data["flow"],
        "step": data.get("step"),
        "variables": dict(data.get("variables") or {}),
        "stack": list(data.get("stack") or []),
        "retries": int(data.get("retries") or 0),
        "expires_at": data.get("expires_at"),
        "updated_at": now or datetime.now(UTC),
    }
    await conn.execute(upsert(conn, sessions, values, ("contact_id",)))
