"""Contacts: get-or-create (also under concurrency), updates, opt-out and bad addresses."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.models import Contact
from bot.store import (
    find_contact,
    get_contact,
    get_or_create_contact,
    mark_bad_address,
    set_opted_out,
    touch_contact,
    update_contact,
)


async def test_second_call_finds_the_same_contact(conn: AsyncConnection, now: datetime) -> None:
    first, created_first = await get_or_create_contact(conn, "telegram", "42", now)
    again, created_again = await get_or_create_contact(
        conn, "telegram", "42", now + timedelta(hours=1)
    )
    assert (created_first, created_again) == (True, False)
    assert again == first
    assert first.created_at == now
    assert (first.fields, first.tags, first.consent, first.opted_out) == ({}, (), False, False)


async def test_same_address_on_another_channel_is_another_contact(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    other, created = await get_or_create_contact(conn, "telegram", contact.address, now)
    assert created
    assert other.id != contact.id


async def test_twenty_concurrent_first_messages_create_one_contact(
    engine: AsyncEngine, now: datetime
) -> None:
    async def arrive() -> tuple[Contact, bool]:
        async with engine.begin() as conn:
            return await get_or_create_contact(conn, "sms", "+15550199", now)

    results = await asyncio.gather(*(arrive() for _ in range(20)))
    assert {found.id for found, _ in results} == {results[0][0].id}
    assert sum(created for _, created in results) == 1


async def test_find_and_get(conn: AsyncConnection, contact: Contact) -> None:
    assert await find_contact(conn, "sms", contact.address) == contact
    assert await get_contact(conn, contact.id) == contact
    assert await find_contact(conn, "sms", "+10000000000") is None
    assert await get_contact(conn, contact.id + 1000) is None


async def test_update_contact_sets_known_columns(conn: AsyncConnection, contact: Contact) -> None:
    await update_contact(
        conn,
        contact.id,
        language="es",
        language_source="choice",
        timezone="America/Chicago",
        fields={"zip": "60601", "neighbourhood": "Loop"},
        tags=("food", "housing"),
        consent=True,
    )
    updated = await get_contact(conn, contact.id)
    assert updated is not None
    assert (updated.language, updated.language_source, updated.timezone) == (
        "es",
        "choice",
        "America/Chicago",
    )
    assert updated.fields == {"zip": "60601", "neighbourhood": "Loop"}
    assert updated.tags == ("food", "housing")
    assert updated.consent is True


@pytest.mark.parametrize(
    "values",
    [{"address": "+19999999999"}, {"id": 7}, {"nickname": "x"}, {"language_source": "guess"}],
)
async def test_update_contact_refuses_unknown_or_fixed_columns(
    conn: AsyncConnection, contact: Contact, values: dict[str, str]
) -> None:
    with pytest.raises(ValueError):
        await update_contact(conn, contact.id, **values)
    assert await get_contact(conn, contact.id) == contact


async def test_opt_out_and_back_in(conn: AsyncConnection, contact: Contact, now: datetime) -> None:
    await set_opted_out(conn, contact.id, now)
    opted_out = await get_contact(conn, contact.id)
    assert opted_out is not None and opted_out.opted_out_at == now and opted_out.opted_out
    await set_opted_out(conn, contact.id, None)
    back = await get_contact(conn, contact.id)
    assert back is not None and not back.opted_out


async def test_touch_and_bad_address(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    later = now + timedelta(days=2)
    await touch_contact(conn, contact.id, later)
    await mark_bad_address(conn, contact.id)
    changed = await get_contact(conn, contact.id)
    assert changed is not None
    assert (changed.last_seen_at, changed.bad_address) == (later, True)
    assert changed.created_at == contact.created_at


async def test_updating_a_missing_contact_is_a_lookup_error(
    conn: AsyncConnection, contact: Contact, now: datetime
) -> None:
    with pytest.raises(LookupError):
        await touch_contact(conn, contact.id + 1000, now)
