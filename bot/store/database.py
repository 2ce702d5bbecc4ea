"""Engine creation for SQLite (aiosqlite) and PostgreSQL (asyncpg), plus portable insert helpers.

SQLite connections get WAL, enforced foreign keys, a busy timeout and ``BEGIN IMMEDIATE``
transactions; the caller owns each transaction (``async with engine.begin() as conn``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, Dialect, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.errors import StoreError


class Conn(Protocol):
    """What the query functions need from a connection inside a transaction: an
    ``AsyncConnection``, or ``bot.store.gateway.ThreadConnection`` for SQLite."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(self, statement: Any, parameters: Any = None) -> Any: ...

    async def scalar(self, statement: Any, parameters: Any = None) -> Any: ...


SUPPORTED_URLS = "sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/dbname"
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def parse_url(url: str | URL) -> URL:
    """The URL with its async driver filled in (``sqlite://`` -> ``sqlite+aiosqlite://``)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"database URL {url!r} is not valid; use {SUPPORTED_URLS}") from exc
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise StoreError(
            f"database URL driver {parsed.drivername!r} is not supported; use {SUPPORTED_URLS}"
        )
    return parsed.set(drivername=driver)


def display_url(url: str | URL) -> str:
    """The URL as safe to print: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def create_engine(
    url: str | URL, *, busy_timeout_ms: int = 15_000, echo: bool = False
) -> AsyncEngine:
    """An ``AsyncEngine`` for ``url``; for a SQLite file, its directory is created first."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(parsed)
    try:
        engine = create_async_engine(
            parsed, echo=echo, pool_pre_ping=parsed.get_backend_name() != "sqlite"
        )
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use database {display_url(parsed)}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        configure_sqlite(engine.sync_engine, busy_timeout_ms)
    return engine


async def dispose(engine: AsyncEngine) -> None:
    """Close every pooled connection (call once at shut-down)."""
    await engine.dispose()


def _sqlite_file(url: URL) -> Path | None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None  # in memory, or a URI whose path SQLite parses itself
    return Path(database)


def _ensure_sqlite_directory(url: URL) -> None:
    path = _sqlite_file(url)
    if path is None:
        return
    directory = path.expanduser().resolve().parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the directory {directory} for the database file {path}: "
            f"{exc.strerror or exc}. Create it, or set SWITCHBOARD_DATABASE_URL to a writable "
            "location."
        ) from exc


def configure_sqlite(engine: sa.Engine, busy_timeout_ms: int = 15_000) -> None:
    """WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` for every SQLite connection."""
    pragmas = (
        "PRAGMA journal_mode=WAL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
        "PRAGMA synchronous=NORMAL",
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not open transactions itself: we emit BEGIN IMMEDIATE below. PRAGMAs
        # such as foreign_keys only take effect outside a transaction, which this also ensures.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:  # fixed statements: PRAGMAs have no Core construct
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and then
        # writes fails with SQLITE_BUSY (no waiting) when another writer committed in between;
        # taking the lock first makes concurrent transactions queue on busy_timeout instead.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def insert_ignoring_conflict(
    conn: Conn, table: sa.Table, conflict_columns: Sequence[str]
) -> sqlite.Insert | postgresql.Insert:
    """``INSERT ... ON CONFLICT (conflict_columns) DO NOTHING`` for this connection's dialect."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict_columns))
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(
            index_elements=list(conflict_columns)
        )
    raise StoreError(f"database dialect {dialect!r} is not supported; use {SUPPORTED_URLS}")


def upsert(
    conn: Conn,
    table: sa.Table,
    values: dict[str, Any],
    conflict_columns: Sequence[str],
) -> sa.Executable:
    """``INSERT ... ON CONFLICT (conflict_columns) DO UPDATE`` of every other given column."""
    dialect = conn.dialect.name
    updates = {name: value for name, value in values.items() if name not in conflict_columns}
    if dialect == "sqlite":
        lite = sqlite.insert(table).values(values)
        return lite.on_conflict_do_update(index_elements=list(conflict_columns), set_=updates)
    if dialect == "postgresql":
        pg = postgresql.insert(table).values(values)
        return pg.on_conflict_do_update(index_elements=list(conflict_columns), set_=updates)
    raise StoreError(f"database dialect {dialect!r} is not supported; use {SUPPORTED_URLS}")
