"""UTCDateTime: only aware datetimes go in, aware UTC datetimes come out, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Contact
from bot.store.tables import contacts

NEW_YORK_WINTER = timezone(timedelta(hours=-5))


async def test_aware_time_in_another_zone_comes_back_as_the_same_instant_in_utc(
    conn: AsyncConnection, contact: Contact
) -> None:
    local = datetime(2026, 1, 2, 20, 30, tzinfo=NEW_YORK_WINTER)
    await conn.execute(
        sa.update(contacts).where(contacts.c.id == contact.id).values(opted_out_at=local)
    )
    stored = await conn.scalar(
        sa.select(contacts.c.opted_out_at).where(contacts.c.id == contact.id)
    )
    assert stored == local
    assert stored is not None and stored.utcoffset() == timedelta(0)
    assert (stored.day, stored.hour) == (3, 1)


async def test_naive_datetime_is_refused(conn: AsyncConnection, contact: Contact) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await conn.execute(
            sa.update(contacts)
            .where(contacts.c.id == contact.id)
            .values(opted_out_at=datetime(2026, 1, 2, 20, 30))
        )


async def test_times_compare_in_time_order_across_zones(
    conn: AsyncConnection, contact: Contact
) -> None:
    earlier_local = datetime(2026, 1, 2, 20, 0, tzinfo=NEW_YORK_WINTER)  # 01:00 UTC next day
    await conn.execute(
        sa.update(contacts).where(contacts.c.id == contact.id).values(opted_out_at=earlier_local)
    )
    later_utc = datetime(2026, 1, 3, 0, 30, tzinfo=UTC)
    found = await conn.scalar(sa.select(sa.func.count()).where(contacts.c.opted_out_at > later_utc))
    assert found == 1
