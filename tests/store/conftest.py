"""Store fixtures: a migrated database per test, on a SQLite file in tmp_path and, when
SWITCHBOARD_TEST_POSTGRES_URL names a reachable server, on PostgreSQL as well."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.models import Contact
from bot.store import create_engine, get_or_create_contact, upgrade

POSTGRES_URL = os.environ.get("SWITCHBOARD_TEST_POSTGRES_URL")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL, reason="SWITCHBOARD_TEST_POSTGRES_URL is not set"
        ),
    ),
]


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _drop_everything(connection: Connection) -> None:
    existing = sa.MetaData()
    existing.reflect(connection)
    existing.drop_all(connection)


@pytest.fixture(params=BACKENDS)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A freshly migrated database."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "data" / "switchboard.db")
    else:
        assert POSTGRES_URL is not None
        url = POSTGRES_URL
    db = create_engine(url)
    if request.param == "postgresql":
        async with db.begin() as conn:
            await conn.run_sync(_drop_everything)
    await upgrade(db)
    yield db
    await db.dispose()


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


@pytest.fixture
async def contact(engine: AsyncEngine, now: datetime) -> Contact:
    """A committed contact (sms, +15550100)."""
    async with engine.begin() as connection:
        created, _ = await get_or_create_contact(connection, "sms", "+15550100", now)
    return created


@pytest.fixture
async def conn(engine: AsyncEngine, contact: Contact) -> AsyncIterator[AsyncConnection]:
    """One open transaction, committed after the test, on a database that holds ``contact``.

    On SQLite this transaction holds the write lock: a test using it opens no other one.
    """
    async with engine.begin() as connection:
        yield connection
