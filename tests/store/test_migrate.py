"""Migrations: a fresh database reaches head, and the migration matches ``tables.metadata``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StoreError
from bot.store import create_engine, current_revision, dispose, head_revision, upgrade
from bot.store.tables import metadata
from tests.store.conftest import sqlite_url

TABLES = {"contacts", "messages", "sessions", "events"}


def _diffs(target: sa.MetaData) -> Any:
    def run(connection: Connection) -> Any:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, target)

    return run


async def test_fresh_file_is_migrated_to_head(tmp_path: Path) -> None:
    engine = create_engine(sqlite_url(tmp_path / "fresh.db"))
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
        assert names >= TABLES
    finally:
        await dispose(engine)


async def test_upgrade_by_url_and_twice_is_harmless(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "by-url.db")
    await upgrade(url)
    await upgrade(url)
    engine = create_engine(url)
    try:
        assert await current_revision(engine) == head_revision() == "0001"
    finally:
        await dispose(engine)


async def test_migration_matches_table_metadata(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert await conn.run_sync(_diffs(metadata)) == []


async def test_comparison_would_notice_a_drift(engine: AsyncEngine) -> None:
    drifted = sa.MetaData()
    for table in metadata.tables.values():
        table.to_metadata(drifted)
    sa.Table("contacts", drifted, sa.Column("nickname", sa.String(40)), extend_existing=True)
    async with engine.connect() as conn:
        diffs = await conn.run_sync(_diffs(drifted))
    assert [(d[0], d[3].name) for d in diffs] == [("add_column", "nickname")]


async def test_unreachable_server_is_a_store_error_naming_the_setting() -> None:
    url = "postgresql+asyncpg://switchboard:secret@127.0.0.1:9/switchboard"
    with pytest.raises(StoreError) as caught:
        await upgrade(url)
    message = str(caught.value)
    assert "SWITCHBOARD_DATABASE_URL" in message
    assert "secret" not in message
