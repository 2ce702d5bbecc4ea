"""Sender benchmark: how fast the one sender empties the outbox into a local fake Twilio (its own
process, the real twilio SDK over HTTP) with rate limits off, beside the same sender delivering to
the console channel (no network) in the same run. Target: >= 2,000 messages/s to the fake provider,
so the provider, never the bot, is the limit.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import store  # noqa: E402
from bot.channels.registry import build_channels  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.models import MessageStatus, Priority  # noqa: E402
from bot.outbox import Sender  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN  # noqa: E402

TARGET = 2000.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def fill(db: store.Database, channel: str, count: int) -> None:
    now = datetime.now(UTC)
    async with db.begin() as conn:
        for i in range(count):
            contact, _ = await store.get_or_create_contact(conn, channel, f"+1555{i:07d}", now)
            await store.enqueue(
                conn,
                contact_id=contact.id,
                channel=channel,
                address=contact.address,
                text="Your bus pass renewal is open. Reply MENU for more.",
                priority=Priority.BULK,
                now=now,
            )


async def drain(folder: Path, channel: str, count: int, twilio_url: str) -> float:
    settings = load_settings(
        config_file=folder / "none.toml",
        database_url=f"sqlite+aiosqlite:///{folder / f'{channel}.db'}",
        rate_limits=False,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from="+15550001111",
        twilio_api_base_url=twilio_url,
    )
    db = store.Database(settings.database_url)
    await store.upgrade(db.engine)
    await fill(db, channel, count)
    channels = build_channels(settings)
    sender = Sender(db, channels, settings, lambda: datetime.now(UTC), batch_size=500)
    started = time.perf_counter()
    while await sender.drain_once():
        pass
    elapsed = time.perf_counter() - started
    async with db.begin() as conn:
        sent = await store.count_messages(conn, direction="out", status=MessageStatus.SENT)
    await channels.aclose()
    await db.dispose()
    assert sent == count, f"sent {sent} of {count}"
    return count / elapsed


async def wait_ready(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise RuntimeError("fake Twilio did not start")


async def run(count: int) -> None:
    port = free_port()
    fake = subprocess.Popen(  # noqa: ASYNC220 - started once, before measuring
        [sys.executable, str(ROOT / "benchmarks" / "fake_twilio_server.py"), str(port)]
    )
    try:
        twilio_url = f"http://127.0.0.1:{port}"
        await wait_ready(twilio_url)
        with tempfile.TemporaryDirectory() as tmp:
            console = await drain(Path(tmp), "console", count, twilio_url)
            sms = await drain(Path(tmp), "sms", count, twilio_url)
    finally:
        fake.terminate()
        fake.wait(timeout=30)
    print("== sender: outbox to provider, rate limits off ==")
    print(f"{'to the console channel (no network), msgs/s':<48}{console:8.0f}")
    print(
        f"{'to a fake Twilio over HTTP (twilio SDK), msgs/s':<48}{sms:8.0f}  ({sms / console:.2f} of console)"
    )
    print(
        f"{'target >= 2000 msgs/s to the provider':<48}{'met' if sms >= TARGET else 'NOT met':>8}"
    )


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    asyncio.run(run(count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
