"""Prometheus metrics for one app (its own ``CollectorRegistry``, never the global one), and the
metered sink that counts and times every inbound message on its way to the service."""

from __future__ import annotations

import logging
import math
import time
from collections import Counter as Tally
from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from bot import store
from bot.channels.base import StatusUpdate
from bot.models import Inbound
from bot.service import HandleResult, Switchboard

log = logging.getLogger(__name__)

# Handling is one database transaction plus the engine: milliseconds, seconds when contended.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SENDER_METRICS = (
    ("sent", "switchboard_messages_out", "Outbound messages the providers accepted."),
    ("failed", "switchboard_send_failures", "Outbound messages that failed for good."),
    ("retried", "switchboard_send_retries", "Send attempts that will be tried again."),
    ("skipped", "switchboard_send_skipped", "Outbound messages not sent (opted out, bad address)."),
)


class _SenderCollector(Collector):
    """Reads the sender's own tallies at scrape time, so the sender needs no Prometheus types."""

    def __init__(self, counts: Mapping[str, Tally[str]]) -> None:
        self._counts = counts

    def collect(self) -> Iterable[Metric]:
        for outcome, name, documentation in _SENDER_METRICS:
            family = CounterMetricFamily(name, documentation, labels=["channel"])
            for channel, value in sorted(self._counts.get(outcome, Tally()).items()):
                family.add_metric([channel], value)
            yield family


class Metrics:
    """The app's metrics; ``render`` reads the queue depth from the database first."""

    def __init__(self, sender_counts: Mapping[str, Tally[str]] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.messages_in = Counter(
            "switchboard_messages_in",
            "Inbound messages handed to the service.",
            ["channel"],
            registry=self.registry,
        )
        self.handling_errors = Counter(
            "switchboard_handling_errors",
            "Inbound messages the service failed to handle.",
            ["channel"],
            registry=self.registry,
        )
        self.handling_seconds = Histogram(
            "switchboard_handling_seconds",
            "Time to store, understand and answer one inbound message.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "switchboard_outbox_queue_depth",
            "Outbound messages waiting in the queue (read at scrape time).",
            registry=self.registry,
        )
        if sender_counts is not None:
            self.registry.register(_SenderCollector(sender_counts))

    async def render(self, db: store.Database) -> bytes:
        try:
            async with db.begin() as conn:
                self.queue_depth.set(await store.queue_depth(conn))
        except Exception:
            log.exception("metrics: could not read the outbox queue depth")
            self.queue_depth.set(math.nan)
        return generate_latest(self.registry)


class MeteredService:
    """The ``InboundSink`` the channels and the simulator are given: the service, measured."""

    def __init__(self, service: Switchboard, metrics: Metrics) -> None:
        self.service = service
        self.metrics = metrics

    async def handle(self, inbound: Inbound) -> HandleResult:
        channel = inbound.channel
        self.metrics.messages_in.labels(channel).inc()
        started = time.perf_counter()
        try:
            return await self.service.handle(inbound)
        except Exception:
            self.metrics.handling_errors.labels(channel).inc()
            raise
        finally:
            self.metrics.handling_seconds.labels(channel).observe(time.perf_counter() - started)

    async def receive(self, inbound: Inbound) -> None:
        await self.handle(inbound)

    async def status_update(self, update: StatusUpdate) -> None:
        await self.service.status_update(update)

    async def mark_opted_out(self, channel: str, address: str) -> None:
        await self.service.mark_opted_out(channel, address)
