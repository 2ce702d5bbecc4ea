"""Engine set-up: SQLite pragmas, directory creation, URL handling, dialect-aware inserts."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StoreError
from bot.models import Contact, Direction, MessageStatus
from bot.store import create_engine, dispose, enqueue, upgrade
from bot.store.database import parse_url
from bot.store.tables import contacts, messages
from tests.store.conftest import sqlite_url


async def _pragma(engine: AsyncEngine, name: str) -> object:
    async with engine.connect() as conn:
        return await conn.scalar(sa.text(f"PRAGMA {name}"))


async def test_sqlite_file_gets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.db"
    engine = create_engine(sqlite_url(path))
    try:
        await upgrade(engine)
        assert path.is_file()
        assert await _pragma(engine, "journal_mode") == "wal"
        assert await _pragma(engine, "foreign_keys") == 1
        assert await _pragma(engine, "busy_timeout") == 15_000
        assert await _pragma(engine, "synchronous") == 1  # NORMAL
    finally:
        await dispose(engine)


async def test_foreign_keys_are_enforced(engine: AsyncEngine, now: datetime) -> None:
    row = {
        "contact_id": 424242,
        "direction": Direction.OUT.value,
        "channel": "sms",
        "address": "+15550100",
        "text": "orphan",
        "status": MessageStatus.QUEUED.value,
        "created_at": now,
        "updated_at": now,
    }
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(sa.insert(messages).values(row))


async def test_deleting_a_contact_removes_its_messages(
    engine: AsyncEngine, contact: Contact, now: datetime
) -> None:
    async with engine.begin() as conn:
        await enqueue(
            conn, contact_id=contact.id, channel="sms", address="+1", text="x", priority=0, now=now
        )
        await conn.execute(sa.delete(contacts).where(contacts.c.id == contact.id))
        assert await conn.scalar(sa.select(sa.func.count()).select_from(messages)) == 0


def test_directory_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot create the directory") as caught:
        create_engine(sqlite_url(blocker / "data" / "bot.db"))
    assert "SWITCHBOARD_DATABASE_URL" in str(caught.value)


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
        ("postgresql://u@localhost/db", "postgresql+asyncpg"),
        ("postgres://u@localhost/db", "postgresql+asyncpg"),
    ],
)
def test_sync_urls_get_their_async_driver(given: str, driver: str) -> None:
    assert parse_url(given).drivername == driver


@pytest.mark.parametrize("url", ["mysql://u@localhost/db", "not a url", "sqlite+pysqlite:///x"])
def test_unsupported_urls_are_store_errors(url: str) -> None:
    with pytest.raises(StoreError, match="sqlite\\+aiosqlite:///"):
        create_engine(url)


async def test_in_memory_database_needs_no_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = create_engine("sqlite+aiosqlite://")
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.scalar(sa.select(sa.func.count()).select_from(messages)) == 0
    finally:
        await dispose(engine)
    assert await asyncio.to_thread(lambda: list(tmp_path.iterdir())) == []
