"""The sender: the one place that takes queued outbound rows to the channels, at a polite pace.

Claims are short transactions (a batch, with its send-time checks); sending happens outside any
transaction, a few sends at a time; each outcome is recorded as soon as it is known (sends that
finish together share one transaction). Delivery is
at-least-once (see ``bot.store.outbox``): a crash between a send and its record sends it again.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot import store
from bot.channels.base import Channel
from bot.config import Settings
from bot.engine.types import EventKind
from bot.errors import ConfigError, FinalSendError, RetryableSendError
from bot.models import Contact, Outbound

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 600.0
STALE_AFTER = timedelta(minutes=10)  # far longer than one claimed batch can take to send
CLAIM_HORIZON_SECONDS = 2.0  # claim about this much sending time per rate-limited channel
MAX_IDLE_CHAT_BUCKETS = 2000
# Sends in flight at once: enough to hide provider latency; more only makes the HTTP pool churn.
MAX_IN_FLIGHT = 8
RECORD_LINGER_SECONDS = 0.002  # a record waits this long for company: far less than any report
TOKEN_TOLERANCE = 1e-6
MIN_WAIT_SECONDS = 0.001

Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """``rate`` acquisitions a second on average, ``burst`` at most at once; waiters queue FIFO."""

    def __init__(self, rate: float, burst: float, now: Callable[[], float], sleep: Sleep) -> None:
        self.rate, self.burst = rate, max(1.0, burst)
        self._now, self._sleep = now, sleep
        self._tokens = self.burst
        self._stamp: float | None = None
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._now()
        if self._stamp is not None:  # a clock stepping backwards adds nothing
            self._tokens = min(self.burst, self._tokens + max(0.0, now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self) -> None:
        async with self._lock:
            self._refill()
            while self._tokens < 1.0 - TOKEN_TOLERANCE:
                # At least a millisecond: clocks tick in microseconds, so a shorter wait could
                # add nothing and spin.
                await self._sleep(max(MIN_WAIT_SECONDS, (1.0 - self._tokens) / self.rate))
                self._refill()
            self._tokens = max(0.0, self._tokens - 1.0)

    def idle(self) -> bool:
        """True when full and unused: forgetting it changes nothing."""
        self._refill()
        return self._tokens >= self.burst and not self._lock.locked()


class RateLimits:
    """The providers' limits: SMS per sending number; Telegram overall and per chat."""

    def __init__(self, settings: Settings, now: Callable[[], float], sleep: Sleep) -> None:
        self.enabled = settings.rate_limits
        self._settings, self._now, self._sleep = settings, now, sleep
        # One configured sending number (or messaging service) per Twilio channel: one bucket each.
        self._sms = {
            name: self._bucket(settings.sms_rate_per_second) for name in ("sms", "whatsapp")
        }
        rate = settings.telegram_rate_per_second
        self._telegram = self._bucket(rate, burst=rate)  # Telegram's limit is per second
        self._telegram_chats: dict[str, TokenBucket] = {}

    def _bucket(self, rate: float, burst: float = 1.0) -> TokenBucket:
        return TokenBucket(rate, burst, self._now, self._sleep)

    def claim_limit(self, channel: str, batch_size: int) -> int:
        """How many rows of ``channel`` to claim at once: about CLAIM_HORIZON_SECONDS of sending,
        so a waiting resident's reply is not stuck behind a long claimed batch."""
        if not self.enabled:
            return batch_size
        if channel in self._sms:
            rate = self._settings.sms_rate_per_second
        elif channel == "telegram":
            rate = self._settings.telegram_rate_per_second
        else:
            return batch_size
        return max(1, min(batch_size, math.ceil(rate * CLAIM_HORIZON_SECONDS)))

    async def acquire(self, message: Outbound) -> None:
        if not self.enabled:
            return
        if message.channel in self._sms:
            await self._sms[message.channel].acquire()
        elif message.channel == "telegram":
            # The chat's own limit first, so waiting on one chat holds no overall token.
            await self._chat_bucket(message.address).acquire()
            await self._telegram.acquire()

    def _chat_bucket(self, chat: str) -> TokenBucket:
        bucket = self._telegram_chats.get(chat)
        if bucket is None:
            if len(self._telegram_chats) >= MAX_IDLE_CHAT_BUCKETS:
                self._telegram_chats = {
                    k: b for k, b in self._telegram_chats.items() if not b.idle()
                }
            bucket = self._bucket(self._settings.telegram_chat_rate_per_second)
            self._telegram_chats[chat] = bucket
        return bucket


def backoff_seconds(attempt: int, rng: random.Random) -> float:
    """Exponential (2 s, 4 s, 8 s ... capped at 10 min) with jitter in the upper half, so many
    messages failing together do not all come back at the same moment."""
    doublings = min(max(0, attempt - 1), 30)
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0**doublings)
    return ceiling / 2 + rng.random() * ceiling / 2


class Sender:
    """Sends the outbox through ``channels``; ``run`` until stopped, or ``drain_once`` in tests."""

    def __init__(
        self,
        db: store.Database,
        channels: Mapping[str, Channel],
        settings: Settings,
        clock: Callable[[], datetime],
        *,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        poll_interval: float = 0.5,
        batch_size: int = 50,
    ) -> None:
        self._db, self._channels, self._settings, self._clock = db, channels, settings, clock
        self._rng = rng or random.Random()
        self.poll_interval, self.batch_size = poll_interval, batch_size
        self.limits = RateLimits(settings, lambda: clock().timestamp(), sleep)
        self._wake = asyncio.Event()
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._recording = asyncio.Lock()
        self._unrecorded: list[tuple[Outbound, str | None]] = []
        self._stop: asyncio.Event | None = None
        # outcome ("sent" | "failed" | "retried" | "skipped") -> channel -> count, for /metrics
        self.counts: dict[str, Counter[str]] = {
            outcome: Counter() for outcome in ("sent", "failed", "retried", "skipped")
        }

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Recover rows a crash left in "sending", then send until ``stop`` is set."""
        self._stop = stop
        try:
            await self.recover()
        except Exception:  # the periodic requeue job catches up with them later
            log.exception("outbox: could not requeue messages left in sending")
        while not stop.is_set():
            self._wake.clear()
            try:
                handled = await self.drain_once()
            except Exception:
                log.exception("outbox: could not claim messages; trying again shortly")
                handled = 0
            if handled == 0:
                await self._idle(stop)

    async def _idle(self, stop: asyncio.Event) -> None:
        waiters = {asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())}
        _, pending = await asyncio.wait(
            waiters, timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED
        )
        for waiter in pending:
            waiter.cancel()

    async def recover(self) -> int:
        """At start-up every "sending" row is a crash's leftover: one sender runs at a time."""
        return await self.requeue_stale(timedelta(0))

    async def requeue_stale(self, max_age: timedelta = STALE_AFTER) -> int:
        async with self._db.begin() as conn:
            count = await store.requeue_stale_sending(conn, self._clock() - max_age)
        if count:
            log.warning("outbox: %d message(s) stuck in sending were queued again", count)
            self.wake()
        return count

    async def drain_once(self) -> int:
        """Claim what is due, send it, record the outcomes; returns how many rows were claimed."""
        claimed, to_send = await self._claim()
        lanes: dict[tuple[str, str], list[Outbound]] = {}
        for message in to_send:  # one resident's messages go in order, one at a time
            lanes.setdefault((message.channel, message.address), []).append(message)
        await asyncio.gather(*(self._send_lane(lane) for lane in lanes.values()))
        return claimed

    async def _claim(self) -> tuple[int, list[Outbound]]:
        now = self._clock()
        limits = {name: self.limits.claim_limit(name, self.batch_size) for name in self._channels}

        async def work(conn: store.Conn) -> tuple[list[Outbound], list[tuple[Outbound, str]]]:
            claimed: list[Outbound] = []
            for name, limit in limits.items():
                claimed += await store.claim_due(conn, now, limit, [name])
            ids = {m.contact_id for m in claimed if m.contact_id is not None}
            contacts = await store.get_contacts(conn, ids)
            skipped = []
            for message in claimed:
                reason = _skip_reason(contacts.get(message.contact_id or -1), message)
                if reason is not None:
                    assert message.id is not None
                    await store.mark_skipped(conn, message.id, reason, now)
                    skipped.append((message, reason))
            return claimed, skipped

        claimed, skipped = await self._db.run(work)
        for message, _ in skipped:
            self.counts["skipped"][message.channel] += 1
        skipped_ids = {message.id for message, _ in skipped}
        return len(claimed), [m for m in claimed if m.id not in skipped_ids]

    async def _send_lane(self, lane: list[Outbound]) -> None:
        for message in lane:
            if not self._stopping():
                await self.limits.acquire(message)
            if self._stopping():
                await self._record(self._release, message)
                continue
            await self._send_one(message)

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _send_one(self, message: Outbound) -> None:
        try:
            async with self._in_flight:
                result = await self._channels[message.channel].send(message)
        except RetryableSendError as exc:
            await self._record(self._retry, message, exc.code, str(exc), exc.retry_after)
        except FinalSendError as exc:
            await self._record(
                self._fail, message, exc.code, str(exc), exc.opted_out, exc.bad_address
            )
        except ConfigError as exc:
            await self._record(self._fail, message, "config", str(exc), False, False)
        except Exception as exc:
            log.exception("outbox: %s channel failed unexpectedly", message.channel)
            await self._record(self._retry, message, "error", repr(exc), None)
        else:
            await self._record(self._record_sent, message, result.provider_id)

    async def _record(self, step: Callable[..., Awaitable[None]], *args: object) -> None:
        """Outcomes are recorded one by one; if the database fails, the row stays "sending"
        and ``requeue_stale`` sends it again later."""
        try:
            await step(*args)
        except Exception:
            log.exception("outbox: could not record a send outcome")

    async def _record_sent(self, message: Outbound, provider_id: str | None) -> None:
        """Recorded as soon as the provider took it (its delivery report may follow at once).
        Group commit: sends that finish while a record is being written share the next one."""
        self._unrecorded.append((message, provider_id))
        async with self._recording:
            if not self._unrecorded:
                return  # an earlier group wrote ours
            if len(self._unrecorded) < MAX_IN_FLIGHT:
                await asyncio.sleep(RECORD_LINGER_SECONDS)  # let sends finishing now join in
            batch, self._unrecorded = self._unrecorded, []
            now = self._clock()

            async def work(conn: store.Conn) -> None:
                for sent, sid in batch:
                    assert sent.id is not None
                    await store.mark_sent(conn, sent.id, sid, now)

            await self._db.run(work)
        for sent, _ in batch:
            self.counts["sent"][sent.channel] += 1

    async def _retry(
        self, message: Outbound, code: str | None, text: str, retry_after: float | None
    ) -> None:
        assert message.id is not None
        now = self._clock()
        if message.attempts >= self._settings.send_max_attempts:
            log.warning("outbox: message %s failed after %d attempts", message.id, message.attempts)
            await self._fail(message, code, f"gave up after {message.attempts} attempts: {text}")
            return
        delay = max(backoff_seconds(message.attempts, self._rng), retry_after or 0.0)
        async with self._db.begin() as conn:
            await store.mark_retry(
                conn,
                message.id,
                at=now + timedelta(seconds=delay),
                error_code=code,
                error_text=text,
                now=now,
            )
        self.counts["retried"][message.channel] += 1

    async def _fail(
        self,
        message: Outbound,
        code: str | None,
        text: str,
        opted_out: bool = False,
        bad_address: bool = False,
    ) -> None:
        assert message.id is not None
        now = self._clock()
        log.warning("outbox: message %s on %s failed: %s", message.id, message.channel, code)
        async with self._db.begin() as conn:
            await store.mark_failed(conn, message.id, error_code=code, error_text=text, now=now)
            if message.contact_id is not None and opted_out:
                await store.set_opted_out(conn, message.contact_id, now)
                await store.append_events(
                    conn, message.contact_id, [(EventKind.OPTED_OUT, {"by": "provider"})], now
                )
            if message.contact_id is not None and bad_address:
                await store.mark_bad_address(conn, message.contact_id)
        self.counts["failed"][message.channel] += 1

    async def _release(self, message: Outbound) -> None:
        """Shutting down: give a claimed, unsent row back to the queue, due now."""
        assert message.id is not None
        now = self._clock()
        async with self._db.begin() as conn:
            await store.mark_retry(
                conn, message.id, at=now, error_code=None, error_text=None, now=now
            )


def _skip_reason(contact: Contact | None, message: Outbound) -> str | None:
    """Checked at send time, not queue time: a resident may have opted out meanwhile."""
    if contact is None:
        return None
    if contact.bad_address:
        return "bad_address"
    if contact.opted_out and not message.compliance:
        return "opted_out"
    return None
