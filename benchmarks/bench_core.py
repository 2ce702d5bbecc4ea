"""Core benchmark: engine steps/s, and inbound messages/s through store + engine on SQLite with the
per-message commit, beside a bare aiosqlite insert+commit loop in the same run.

Run from the project root: ``python benchmarks/bench_core.py``. Target: end to end >= 50% of the bare
insert+commit rate.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.config import load_settings
from bot.content import require_content
from bot.engine.engine import handle
from bot.engine.types import ContactState, Message
from bot.models import Inbound
from bot.runtime import open_runtime

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = [
    "hi",
    "1",
    "1",
    "1",
    "more",
    "I can't pay my rent",
    "menu",
    "3",
    "The park lights are out",
]
TARGET_RATIO = 0.5


def settings_for(folder: Path, executor: str = "thread") -> object:
    return load_settings(
        config_file=folder / "none.toml",
        sqlite_executor=executor,
        database_url=f"sqlite+aiosqlite:///{folder / f'bench-{executor}.db'}",
        flows_dir=ROOT / "flows",
        messages_dir=ROOT / "messages",
    )


def bench_engine(rounds: int = 3000) -> float:
    settings = settings_for(Path(tempfile.mkdtemp()))
    content, _ = require_content(settings)  # type: ignore[arg-type]
    contact = ContactState(language="en", language_source="choice", returning=True)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    steps = 0
    started = time.perf_counter()
    for _ in range(rounds // len(SCRIPT) + 1):
        session = None
        for text in SCRIPT:
            outcome = handle(content, contact, session, Message(text), now)
            session = outcome.session
            steps += 1
    return steps / (time.perf_counter() - started)


async def bench_bare(folder: Path, count: int) -> float:
    async with aiosqlite.connect(folder / "bare.db") as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute(
            "CREATE TABLE m (id INTEGER PRIMARY KEY, sid TEXT UNIQUE, body TEXT, at TEXT)"
        )
        started = time.perf_counter()
        for i in range(count):
            await db.execute(
                "INSERT INTO m (sid, body, at) VALUES (?, ?, ?)",
                (f"SM{i}", SCRIPT[i % len(SCRIPT)], "now"),
            )
            await db.commit()
        return count / (time.perf_counter() - started)


async def bench_sqlalchemy_floor(folder: Path, count: int) -> float:
    """One SQLAlchemy Core transaction over aiosqlite with one insert: the floor under any store."""
    import sqlalchemy as sa

    from bot import store

    db = store.create_engine(f"sqlite+aiosqlite:///{folder / 'floor.db'}")
    table = sa.Table(
        "m",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", sa.Text),
    )
    async with db.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    started = time.perf_counter()
    for i in range(count):
        async with db.begin() as conn:
            await conn.execute(sa.insert(table).values(body=SCRIPT[i % len(SCRIPT)]))
    rate = count / (time.perf_counter() - started)
    await store.dispose(db)
    return rate


async def bench_end_to_end(folder: Path, count: int, executor: str = "thread") -> float:
    clock_start = datetime(2026, 11, 25, tzinfo=UTC)
    ticks = iter(range(10**9))

    def clock() -> datetime:
        return clock_start + timedelta(milliseconds=next(ticks))

    async with open_runtime(settings_for(folder, executor), clock=clock) as runtime:  # type: ignore[arg-type]
        residents = 50
        started = time.perf_counter()
        for i in range(count):
            resident = i % residents
            text = SCRIPT[(i // residents) % len(SCRIPT)]
            await runtime.service.handle(
                Inbound("sms", f"+1555{resident:07d}", text, clock(), provider_id=f"SM{i}")
            )
        return count / (time.perf_counter() - started)


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    engine_rate = bench_engine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare = asyncio.run(bench_bare(folder, count))
        floor = asyncio.run(bench_sqlalchemy_floor(folder, count))
        e2e = asyncio.run(bench_end_to_end(folder, count))
        e2e_aiosqlite = asyncio.run(bench_end_to_end(folder, count // 2, "aiosqlite"))
    ratio = e2e / bare
    rows = [
        ("engine steps/s (pure, shipped flows)", f"{engine_rate:10.0f}"),
        ("bare aiosqlite insert+commit/s (baseline)", f"{bare:10.0f}"),
        (
            "one SQLAlchemy-over-aiosqlite insert txn/s",
            f"{floor:10.0f}  ({floor / bare:.2f} of bare)",
        ),
        (
            "end-to-end msgs/s, SQLite via aiosqlite",
            f"{e2e_aiosqlite:10.0f}  ({e2e_aiosqlite / bare:.2f} of bare)",
        ),
        ("end-to-end msgs/s, SQLite thread (default)", f"{e2e:10.0f}  ({ratio:.2f} of bare)"),
    ]
    print("== core: store + engine on SQLite, one commit per message ==")
    for label, value in rows:
        print(f"{label:<46}{value}")
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"{'target end-to-end >= 0.50 of bare':<46}{verdict:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
