"""The one way into the database for the whole app: ``db.run(work)`` runs ``work(conn)`` as one
transaction; ``async with db.begin() as conn`` is the same for short pieces of work.

PostgreSQL goes through the async engine (asyncpg) directly. SQLite work runs on one dedicated thread
over the standard ``sqlite3`` driver: ``run`` hands the whole unit of work over once, ``begin`` once per
statement, where SQLAlchemy over aiosqlite hands over four times per statement (cursor, execute, fetch,
close), which made the database the bottleneck of the whole bot (``benchmarks/bench_core.py`` prints
both). One thread and one connection also match SQLite's single writer, so transactions queue here
instead of spinning on the file lock. ``SWITCHBOARD_SQLITE_EXECUTOR=aiosqlite`` keeps the plain async
engine for SQLite too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Row
from sqlalchemy.exc import MultipleResultsFound, NoResultFound
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from bot.store.database import Conn, configure_sqlite, create_engine, parse_url

T = TypeVar("T")
EXECUTORS = ("thread", "aiosqlite")


class BufferedResult:
    """A statement's rows, fetched on the database thread, read anywhere."""

    def __init__(self, rows: Sequence[Row[Any]], rowcount: int) -> None:
        self._rows = list(rows)
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Row[Any]]:
        return iter(self._rows)

    def all(self) -> list[Row[Any]]:
        return list(self._rows)

    def first(self) -> Row[Any] | None:
        return self._rows[0] if self._rows else None

    def one(self) -> Row[Any]:
        if not self._rows:
            raise NoResultFound("no row was found when one was required")
        if len(self._rows) > 1:
            raise MultipleResultsFound("more than one row was found when one was required")
        return self._rows[0]

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        return self.one()[0]


class ThreadConnection:
    """A sync SQLAlchemy connection used from the event loop, one thread hand-off per statement."""

    def __init__(self, conn: Connection, call: Callable[..., Any]) -> None:
        self._conn = conn
        self._call = call

    @property
    def dialect(self) -> Dialect:
        return self._conn.dialect

    async def execute(self, statement: Any, parameters: Any = None) -> BufferedResult:
        result: BufferedResult = await self._call(_buffered, self._conn, statement, parameters)
        return result

    async def scalar(self, statement: Any, parameters: Any = None) -> Any:
        return (await self.execute(statement, parameters)).scalar()

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        result: T = await self._call(fn, self._conn, *args)
        return result


class DirectConnection:
    """A sync SQLAlchemy connection for work already running on the database thread."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @property
    def dialect(self) -> Dialect:
        return self._conn.dialect

    async def execute(self, statement: Any, parameters: Any = None) -> BufferedResult:
        return _buffered(self._conn, statement, parameters)

    async def scalar(self, statement: Any, parameters: Any = None) -> Any:
        return _buffered(self._conn, statement, parameters).scalar()


def _buffered(conn: Connection, statement: Any, parameters: Any) -> BufferedResult:
    result = (
        conn.execute(statement, parameters) if parameters is not None else conn.execute(statement)
    )
    rows = result.all() if result.returns_rows else []
    return BufferedResult(rows, result.rowcount)


def _begin(conn: Connection) -> None:
    conn.begin()


class Database:
    """The app's database: ``begin()`` for a transaction, ``engine`` for migrations."""

    def __init__(self, url: str, *, sqlite_executor: str = "thread") -> None:
        self.engine: AsyncEngine = create_engine(url)
        self._sync: sa.Engine | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        parsed = parse_url(url)
        if parsed.get_backend_name() == "sqlite" and sqlite_executor == "thread":
            self._sync = sa.create_engine(
                parsed.set(drivername="sqlite"),
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
            )
            configure_sqlite(self._sync)
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
            self._loop = asyncio.new_event_loop()  # runs units of work on the pool's thread

    @property
    def dialect_name(self) -> str:
        return self.engine.dialect.name

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, partial(fn, *args))

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[Conn]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        if self._sync is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        sync_engine = self._sync
        async with self._lock:
            sync_conn: Connection = await self._call(sync_engine.connect)
            try:
                await self._call(_begin, sync_conn)
                yield ThreadConnection(sync_conn, self._call)
                await self._call(sync_conn.commit)
            except BaseException:
                await asyncio.shield(self._call(sync_conn.rollback))
                raise
            finally:
                await asyncio.shield(self._call(sync_conn.close))

    async def run(self, work: Callable[[Conn], Awaitable[T]]) -> T:
        """Run ``work(conn)`` as one transaction. ``work`` may await only ``conn``: on SQLite it
        runs on the database thread, so it must not touch this event loop's objects."""
        if self._sync is None:
            async with self.begin() as conn:
                return await work(conn)
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            result: T = await self._call(self._run_on_thread, work)
            return result

    def _run_on_thread(self, work: Callable[[Conn], Awaitable[T]]) -> T:
        assert self._sync is not None and self._loop is not None
        with self._sync.connect() as conn, conn.begin():
            return self._loop.run_until_complete(work(DirectConnection(conn)))

    connect = begin  # reads use a transaction too: SQLite's is the same lock either way

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._sync is not None and self._pool is not None:
            await self._call(self._sync.dispose)
            if self._loop is not None:
                await self._call(self._loop.close)
            self._pool.shutdown(wait=True)
            self._sync = None
