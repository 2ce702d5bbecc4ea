"""The app over real loopback HTTP: health, metrics, the redirect, the body limit, the lifespan."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import create_async_engine

from bot import store
from bot.channels.registry import build_channels
from bot.models import Priority
from bot.outbox import Sender
from bot.runtime import Runtime
from bot.web.app import REQUEUE_JOB_ID, create_app
from tests.fakes.server import serve_app
from tests.web.conftest import MAX_BODY_BYTES, Served


def sample(metrics_text: str, name: str, labels: str = "") -> float | None:
    """The value of one sample in Prometheus text, or None when absent."""
    pattern = "^" + re.escape(name + (f"{{{labels}}}" if labels else "")) + r" (\S+)$"
    match = re.search(pattern, metrics_text, re.MULTILINE)
    return float(match.group(1)) if match else None


async def test_healthz_is_ok_when_the_database_answers(served: Served) -> None:
    response = await served.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_is_503_when_the_database_cannot_be_opened(
    runtime: Runtime, tmp_path: Path
) -> None:
    unusable = tmp_path / "a-directory.db"
    unusable.mkdir()  # SQLite cannot open a directory as a database
    broken_db = create_async_engine(f"sqlite+aiosqlite:///{unusable}")
    broken = dataclasses.replace(runtime, db=broken_db)
    channels = build_channels(runtime.settings)
    app = create_app(
        broken, channels, Sender(runtime.db, channels, runtime.settings, runtime.clock)
    )
    try:
        async with serve_app(app) as url, httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/healthz")
    finally:
        await broken_db.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


async def test_home_redirects_to_the_simulator(served: Served) -> None:
    response = await served.client.get("/")
    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/simulator"


async def test_metrics_count_a_simulated_message(served: Served) -> None:
    before = (await served.client.get("/metrics")).text
    reply = await served.client.post(
        "/simulator/api/send", json={"channel": "sms", "address": "metrics", "text": "hi"}
    )
    assert reply.status_code == 200

    response = await served.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for name in (
        "switchboard_messages_in_total",
        "switchboard_messages_out_total",
        "switchboard_send_failures_total",
        "switchboard_outbox_queue_depth",
        "switchboard_handling_seconds",
    ):
        assert f"# TYPE {name.removesuffix('_total')}" in text
    assert sample(before, "switchboard_messages_in_total", 'channel="console"') is None
    assert sample(text, "switchboard_messages_in_total", 'channel="console"') == 1.0
    assert sample(text, "switchboard_handling_seconds_count", 'channel="console"') == 1.0
    assert sample(text, "switchboard_outbox_queue_depth") == 0.0


async def test_the_sender_runs_in_the_lifespan_and_is_counted(served: Served) -> None:
    runtime = served.runtime
    assert runtime.service.on_queued == served.sender.wake
    async with runtime.db.begin() as conn:
        contact, _ = await store.get_or_create_contact(conn, "console", "bulk", runtime.clock())
        await store.enqueue(
            conn,
            contact_id=contact.id,
            channel="console",
            address="bulk",
            text="a notice",
            priority=Priority.BULK,
            now=runtime.clock(),
        )
    served.sender.wake()

    text = ""
    for _ in range(200):
        text = (await served.client.get("/metrics")).text
        if sample(text, "switchboard_messages_out_total", 'channel="console"') == 1.0:
            break
        await asyncio.sleep(0.02)
    assert sample(text, "switchboard_messages_out_total", 'channel="console"') == 1.0
    assert sample(text, "switchboard_outbox_queue_depth") == 0.0


async def test_the_requeue_job_is_scheduled(runtime: Runtime) -> None:
    channels = build_channels(runtime.settings)
    app = create_app(
        runtime, channels, Sender(runtime.db, channels, runtime.settings, runtime.clock)
    )
    async with serve_app(app):
        job = app.state.scheduler.get_job(REQUEUE_JOB_ID)
        assert job is not None
        assert job.trigger.interval.total_seconds() == 60
    assert runtime.service.on_queued is None  # unwired when the app stops


async def test_an_oversized_post_is_refused_with_413(served: Served) -> None:
    body = b'{"channel": "sms", "address": "big", "text": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = await served.client.post(
        "/simulator/api/send", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_an_oversized_chunked_post_is_refused_with_413(served: Served) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(8):
            yield b"x" * (MAX_BODY_BYTES // 4)

    response = await served.client.post("/simulator/api/send", content=chunks())
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_a_post_within_the_limit_passes(served: Served) -> None:
    text = "y" * (MAX_BODY_BYTES // 2)
    response = await served.client.post(
        "/simulator/api/send", json={"channel": "sms", "address": "fits", "text": text}
    )
    assert response.status_code == 200


async def test_configured_channels_mount_their_webhooks(runtime: Runtime) -> None:
    configured = runtime.settings.model_copy(
        update={
            "twilio_account_sid": "AC" + "0" * 32,
            "twilio_auth_token": SecretStr("twilio-test-token"),
            "twilio_from": "+15550001111",
            "telegram_token": SecretStr("123456:TEST-token"),
            "telegram_webhook_secret": SecretStr("secret-1"),
        }
    )
    channels = build_channels(configured)
    app = create_app(runtime, channels, Sender(runtime.db, channels, configured, runtime.clock))
    try:
        async with serve_app(app) as url, httpx.AsyncClient(base_url=url) as client:
            unsigned = await client.post("/webhooks/twilio/sms", data={"From": "+15550002222"})
            status = await client.post("/webhooks/twilio/status", data={"MessageSid": "SM1"})
            wrong_secret = await client.post(
                "/webhooks/telegram",
                json={"update_id": 1},
                headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
            )
    finally:
        await channels.aclose()
    assert unsigned.status_code == 403  # mounted, and verifying Twilio's signature
    assert status.status_code == 403
    assert wrong_secret.status_code == 403
