"""Sessions: a plain dict stored per contact, replaced on save, deleted with None."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Contact
from bot.store import load_session, save_session

MANILA = timezone(timedelta(hours=8))


async def test_round_trip_with_aware_expiry(conn: AsyncConnection, contact: Contact) -> None:
    expires_local = datetime(2026, 3, 15, 8, 0, tzinfo=MANILA)
    data = {
        "flow": "rent_help",
        "step": "ask_zip",
        "variables": {"zip": "60601", "household": 3, "urgent": True},
        "stack": [{"flow": "main", "step": "menu"}],
        "retries": 1,
        "expires_at": expires_local,
    }
    assert await load_session(conn, contact.id) is None
    await save_session(conn, contact.id, data)
    loaded = await load_session(conn, contact.id)
    assert loaded == data
    assert loaded is not None
    assert loaded["expires_at"].utcoffset() == timedelta(0)
    assert loaded["expires_at"] == datetime(2026, 3, 15, 0, 0, tzinfo=UTC)


async def test_save_replaces_and_none_deletes(conn: AsyncConnection, contact: Contact) -> None:
    await save_session(conn, contact.id, {"flow": "a", "step": "1", "retries": 2})
    await save_session(conn, contact.id, {"flow": "b", "step": "2"})
    assert await load_session(conn, contact.id) == {
        "flow": "b",
        "step": "2",
        "variables": {},
        "stack": [],
        "retries": 0,
        "expires_at": None,
    }
    await save_session(conn, contact.id, None)
    assert await load_session(conn, contact.id) is None


@pytest.mark.parametrize("data", [{"flow": "a", "colour": "red"}, {"step": "1"}, {"flow": ""}])
async def test_malformed_session_is_refused(
    conn: AsyncConnection, contact: Contact, data: dict[str, str]
) -> None:
    with pytest.raises(ValueError):
        await save_session(conn, contact.id, data)
    assert await load_session(conn, contact.id) is None
