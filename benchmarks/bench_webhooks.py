"""Webhook benchmark: signed inbound SMS webhooks handled end to end (stored, answered, reply queued)
by one ``switchboard serve`` process, beside a bare Starlette endpoint parsing the same form, each in
its own process; load comes from this process over loopback.

Prints the maximum rate of each (closed loop), their ratio, and p50/p99 latency of the switchboard at
a steady 200 messages/s (open loop). Targets: >= 30% of the bare rate; p99 < 50 ms at 200/s.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.server import serve_app  # noqa: E402
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioApi, inbound_message_form  # noqa: E402

PATH = "/webhooks/twilio/sms"
RESIDENTS = 200
TEXTS = ["hi", "1", "2", "I can't pay my rent", "menu", "3", "The park lights are out", "menu"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            try:
                await client.post(url, data={})
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def signed_requests(base: str, count: int) -> list[tuple[dict[str, str], dict[str, str]]]:
    validator = RequestValidator(AUTH_TOKEN)
    requests = []
    for i in range(count):
        form = inbound_message_form(
            f"+1555{i % RESIDENTS:07d}", TEXTS[(i // RESIDENTS) % len(TEXTS)]
        )
        signature = validator.compute_signature(base + PATH, form)
        requests.append((form, {"X-Twilio-Signature": signature}))
    return requests


async def closed_loop(
    url: str, requests: list[tuple[dict[str, str], dict[str, str]]], workers: int
) -> float:
    queue = list(reversed(requests))
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            while queue:
                form, headers = queue.pop()
                response = await client.post(url, data=form, headers=headers)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        return len(requests) / (time.perf_counter() - started)


async def open_loop(
    url: str, requests: list[tuple[dict[str, str], dict[str, str]]], rate: float
) -> list[float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(form: dict[str, str], headers: dict[str, str]) -> None:
            started = time.perf_counter()
            response = await client.post(url, data=form, headers=headers)
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

        tasks = []
        begin = time.perf_counter()
        for number, (form, headers) in enumerate(requests):
            delay = begin + number / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(form, headers)))
        await asyncio.gather(*tasks)
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(count: int) -> None:
    fake = FakeTwilioApi()
    async with serve_app(fake.app) as twilio_url:
        with tempfile.TemporaryDirectory() as tmp:
            bot_port, bare_port = free_port(), free_port()
            bot_base = f"http://127.0.0.1:{bot_port}"
            env = {
                **os.environ,
                "SWITCHBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
                "SWITCHBOARD_FLOWS_DIR": str(ROOT / "flows"),
                "SWITCHBOARD_MESSAGES_DIR": str(ROOT / "messages"),
                "SWITCHBOARD_PUBLIC_URL": bot_base,
                "SWITCHBOARD_PORT": str(bot_port),
                "SWITCHBOARD_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
                "SWITCHBOARD_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                "SWITCHBOARD_TWILIO_FROM": "+15550001111",
                "SWITCHBOARD_TWILIO_API_BASE_URL": twilio_url,
            }
            bot = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
                [sys.executable, "-m", "bot", "serve"], env=env, cwd=tmp, stdout=subprocess.DEVNULL
            )
            bare = subprocess.Popen(  # noqa: ASYNC220
                [sys.executable, str(ROOT / "benchmarks" / "bare_webhook.py"), str(bare_port)],
                stdout=subprocess.DEVNULL,
            )
            try:
                await wait_ready(f"{bot_base}/healthz", bot)
                await wait_ready(f"http://127.0.0.1:{bare_port}{PATH}", bare)
                bare_base = f"http://127.0.0.1:{bare_port}"
                bare_rate = await closed_loop(
                    bare_base + PATH, signed_requests(bare_base, count), 16
                )
                bot_rate = await closed_loop(bot_base + PATH, signed_requests(bot_base, count), 16)
                steady = signed_requests(bot_base, min(count, 1000))
                latencies = await open_loop(bot_base + PATH, steady, 200.0)
            finally:
                for proc in (bot, bare):
                    proc.terminate()
                    proc.wait(timeout=30)
    ratio = bot_rate / bare_rate
    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
    print("== webhooks (signed inbound SMS, one server process, SQLite) ==")
    print(f"bare Starlette endpoint, requests/s:             {bare_rate:8.0f}")
    print(f"switchboard, stored+answered+queued, msgs/s:      {bot_rate:8.0f}")
    print(
        f"ratio:                                            {ratio:8.2f}  (target >= 0.30: {'met' if ratio >= 0.3 else 'NOT met'})"
    )
    print(
        f"at 200 msgs/s: p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, mean {statistics.mean(latencies) * 1000:6.1f} ms"
        f"  (target p99 < 50 ms: {'met' if p99 < 50 else 'NOT met'})"
    )


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    asyncio.run(run(count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
