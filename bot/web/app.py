"""The web app: channel webhooks, the simulator, /healthz and /metrics, and a lifespan that runs the
sender and the scheduled jobs in the same event loop as the server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC

import sqlalchemy as sa
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels.registry import Channels
from bot.outbox import Sender
from bot.runtime import Runtime
from bot.web import simulator
from bot.web.metrics import MeteredService, Metrics

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 5.0
SENDER_STOP_TIMEOUT_SECONDS = 20.0  # a send in flight may take a provider's full time-out
REQUEUE_JOB_ID = "requeue-stale-sending"


class BodySizeLimit:
    """Refuses request bodies over ``max_bytes`` with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException becomes a 413 in Starlette's exception middleware.
                    raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, limited_receive, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse("request body too large", status_code=413)
    await response(scope, receive, send)


def create_app(
    runtime: Runtime, channels: Channels, sender: Sender, *, sink: MeteredService | None = None
) -> Starlette:
    """The whole server as one ASGI app; starting it (lifespan) starts the sender and the jobs."""
    sink = sink or MeteredService(runtime.service, Metrics(sender.counts))
    metrics = sink.metrics

    async def home(request: Request) -> Response:
        if runtime.settings.simulator:
            return RedirectResponse("/simulator", status_code=307)
        return PlainTextResponse("Civic Switchboard is running.")

    async def healthz(request: Request) -> Response:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS), runtime.db.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception:
            log.exception("healthz: the database did not answer")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def metrics_page(request: Request) -> Response:
        return Response(await metrics.render(runtime.db), media_type=CONTENT_TYPE_LATEST)

    routes: list[BaseRoute] = [
        Route("/", home, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    if runtime.settings.simulator:
        routes.extend(simulator.routes(runtime, sink))
    for channel in channels.webhook_channels:
        routes.extend(channel.routes(sink))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        runtime.service.on_queued = sender.wake
        sender_task = asyncio.create_task(sender.run(stop), name="outbox-sender")
        sender_task.add_done_callback(_report_crash)
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            sender.requeue_stale,
            "interval",
            minutes=1,
            id=REQUEUE_JOB_ID,
            coalesce=True,
            max_instances=1,
        )
        scheduler.start()
        app.state.scheduler = scheduler
        try:
            yield
        finally:
            scheduler.shutdown(wait=False)
            stop.set()
            try:
                await asyncio.wait_for(sender_task, SENDER_STOP_TIMEOUT_SECONDS)
            except TimeoutError:
                log.warning("outbox: the sender did not stop in time; unsent rows are requeued")
            except Exception:
                log.debug("outbox: the sender had already failed", exc_info=True)
            runtime.service.on_queued = None
            await asyncio.sleep(0)  # the scheduler shuts down on the loop's next turn

    app = Starlette(
        routes=routes,
        middleware=[Middleware(BodySizeLimit, max_bytes=runtime.settings.max_body_bytes)],
        lifespan=lifespan,
    )
    app.state.sink = sink
    return app


def _report_crash(task: asyncio.Task[None]) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        error = task.exception()
        if error is not None:
            log.error("outbox: the sender stopped: %r; nothing will be sent", error, exc_info=error)
