"""The sender: order, opt-out at send time, retries and back-off, final errors, crash recovery and
rate limits, on a migrated SQLite file with an injected clock (no test waits on the wall clock)."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import store
from bot.config import Settings
from bot.errors import FinalSendError, RetryableSendError, SendError
from bot.models import Contact, MessageStatus, Outbound, Priority, SendResult
from bot.outbox import BACKOFF_CAP_SECONDS, Sender, TokenBucket, backoff_seconds
from bot.store.messages import StoredMessage

START = datetime(2026, 3, 14, 9, 0, 0, tzinfo=UTC)


class FakeTime:
    """A clock that only moves when the code under test sleeps.

    A sleeper first lets the other tasks run, then moves the clock to its own wake-up time (never
    backwards): concurrent sleepers share the same stretch of time, as they would for real.
    """

    def __init__(self, start: datetime = START) -> None:
        self.current = start
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        target = self.current + timedelta(seconds=seconds)
        await asyncio.sleep(0)
        self.current = max(self.current, target)

    def elapsed(self) -> float:
        return (self.current - START).total_seconds()


@dataclass
class FakeChannel:
    """A channel at the seam: records each send with the clock's time; ``failures`` are raised,
    one per send, before anything is recorded as sent."""

    name: str
    time: FakeTime
    sent: list[tuple[Outbound, datetime]] = field(default_factory=list)
    failures: list[SendError] = field(default_factory=list)
    calls: int = 0

    async def send(self, message: Outbound) -> SendResult:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((message, self.time.now()))
        return SendResult(provider_id=f"{self.name}-{len(self.sent)}")

    async def aclose(self) -> None:
        return None

    def texts(self) -> list[str]:
        return [message.text for message, _ in self.sent]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[store.Database]:
    database = store.Database(f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}")
    await store.upgrade(database.engine)
    yield database
    await database.dispose()


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}",
        rate_limits=False,
        send_max_attempts=3,
    )


async def make_contact(db: store.Database, channel: str, address: str) -> Contact:
    async with db.begin() as conn:
        contact, _ = await store.get_or_create_contact(conn, channel, address, START)
    return contact


async def queue(
    db: store.Database,
    contact: Contact,
    text: str,
    *,
    at: datetime = START,
    priority: int = Priority.REPLY,
    compliance: bool = False,
) -> int:
    async with db.begin() as conn:
        return await store.enqueue(
            conn,
            contact_id=contact.id,
            channel=contact.channel,
            address=contact.address,
            text=text,
            priority=priority,
            now=at,
            compliance=compliance,
        )


async def outbound_rows(db: store.Database, contact: Contact) -> dict[str, StoredMessage]:
    async with db.begin() as conn:
        rows = await store.list_messages(conn, contact.id)
    return {row.text: row for row in rows}


def make_sender(
    db: store.Database, settings: Settings, time: FakeTime, *channels: FakeChannel
) -> Sender:
    return Sender(
        db,
        {channel.name: channel for channel in channels},
        settings,
        time.now,
        sleep=time.sleep,
        rng=random.Random(7),
    )


async def test_a_reply_goes_before_bulk_queued_earlier(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    sms = FakeChannel("sms", time)
    resident = await make_contact(db, "sms", "+15550100")
    await queue(db, resident, "bulk 1", priority=Priority.BULK)
    await queue(db, resident, "bulk 2", priority=Priority.BULK)
    await queue(db, resident, "reply", at=START + timedelta(seconds=1))
    time.advance(1)

    claimed = await make_sender(db, settings, time, sms).drain_once()

    assert claimed == 3
    assert sms.texts() == ["reply", "bulk 1", "bulk 2"]
    rows = await outbound_rows(db, resident)
    assert {row.status for row in rows.values()} == {MessageStatus.SENT}
    assert rows["reply"].provider_id == "sms-1"


async def test_an_opted_out_resident_gets_only_the_compliance_message(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    sms = FakeChannel("sms", time)
    resident = await make_contact(db, "sms", "+15550101")
    await queue(db, resident, "reminder", priority=Priority.BULK)
    await queue(db, resident, "you are unsubscribed", compliance=True)
    async with db.begin() as conn:  # opted out after the reminder was queued
        await store.set_opted_out(conn, resident.id, START)

    await make_sender(db, settings, time, sms).drain_once()

    assert sms.texts() == ["you are unsubscribed"]
    rows = await outbound_rows(db, resident)
    assert rows["reminder"].status == MessageStatus.SKIPPED
    assert rows["reminder"].error_code == "opted_out"
    assert rows["you are unsubscribed"].status == MessageStatus.SENT


async def test_retry_after_from_the_provider_sets_the_next_attempt(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    sms = FakeChannel(
        "sms", time, failures=[RetryableSendError("busy", code="429", retry_after=120)]
    )
    resident = await make_contact(db, "sms", "+15550102")
    await queue(db, resident, "hello")
    sender = make_sender(db, settings, time, sms)

    await sender.drain_once()

    row = (await outbound_rows(db, resident))["hello"]
    assert row.status == MessageStatus.QUEUED
    assert row.next_attempt_at == START + timedelta(seconds=120)
    assert (row.attempts, row.error_code) == (1, "429")
    time.advance(119)
    assert await sender.drain_once() == 0  # not due yet
    time.advance(1)
    assert await sender.drain_once() == 1
    assert sms.texts() == ["hello"]
    assert (await outbound_rows(db, resident))["hello"].status == MessageStatus.SENT
    assert sender.counts["retried"]["sms"] == 1
    assert sender.counts["sent"]["sms"] == 1


async def test_without_retry_after_the_backoff_grows_with_jitter(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    sms = FakeChannel(
        "sms", time, failures=[RetryableSendError("down"), RetryableSendError("down")]
    )
    resident = await make_contact(db, "sms", "+15550103")
    await queue(db, resident, "hello")
    sender = make_sender(db, settings, time, sms)

    await sender.drain_once()
    first = (await outbound_rows(db, resident))["hello"].next_attempt_at
    assert first is not None
    first_delay = (first - time.now()).total_seconds()
    time.current = first
    await sender.drain_once()
    second = (await outbound_rows(db, resident))["hello"].next_attempt_at
    assert second is not None
    second_delay = (second - time.now()).total_seconds()

    assert 1.0 <= first_delay <= 2.0  # base 2 s, jittered in its upper half
    assert 2.0 <= second_delay <= 4.0


def test_backoff_is_capped_at_ten_minutes() -> None:
    rng = random.Random(1)
    delays = [backoff_seconds(attempt, rng) for attempt in range(1, 60)]
    assert max(delays) <= BACKOFF_CAP_SECONDS
    assert delays[-1] >= BACKOFF_CAP_SECONDS / 2


async def test_a_provider_opt_out_fails_the_message_and_opts_the_resident_out(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    refusal = FinalSendError("unsubscribed", code="21610", opted_out=True)
    sms = FakeChannel("sms", time, failures=[refusal])
    resident = await make_contact(db, "sms", "+15550104")
    await queue(db, resident, "hello")
    sender = make_sender(db, settings, time, sms)

    await sender.drain_once()

    row = (await outbound_rows(db, resident))["hello"]
    assert (row.status, row.error_code) == (MessageStatus.FAILED, "21610")
    async with db.begin() as conn:
        contact = await store.get_contact(conn, resident.id)
        events = await store.list_events(conn, contact_id=resident.id, kind="opted_out")
    assert contact is not None and contact.opted_out_at == START
    assert len(events) == 1
    assert sender.counts["failed"]["sms"] == 1
    # Later bulk is skipped at send time.
    await queue(db, resident, "news", priority=Priority.BULK)
    await sender.drain_once()
    assert (await outbound_rows(db, resident))["news"].status == MessageStatus.SKIPPED
    assert sms.calls == 1


async def test_a_bad_address_is_recorded_and_nothing_more_is_sent_there(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    refusal = FinalSendError("chat not found", code="chat_not_found", bad_address=True)
    telegram = FakeChannel("telegram", time, failures=[refusal])
    resident = await make_contact(db, "telegram", "4242")
    await queue(db, resident, "hello")
    sender = make_sender(db, settings, time, telegram)

    await sender.drain_once()
    await queue(db, resident, "are you there?", compliance=True)
    await sender.drain_once()

    rows = await outbound_rows(db, resident)
    assert rows["hello"].status == MessageStatus.FAILED
    assert rows["are you there?"].status == MessageStatus.SKIPPED
    assert rows["are you there?"].error_code == "bad_address"
    assert telegram.calls == 1


async def test_after_max_attempts_the_message_fails(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    sms = FakeChannel("sms", time, failures=[RetryableSendError("down", code="503")] * 5)
    resident = await make_contact(db, "sms", "+15550105")
    await queue(db, resident, "hello")
    sender = make_sender(db, settings, time, sms)

    for _ in range(5):
        await sender.drain_once()
        time.advance(3600)

    row = (await outbound_rows(db, resident))["hello"]
    assert sms.calls == settings.send_max_attempts == 3
    assert (row.status, row.attempts, row.error_code) == (MessageStatus.FAILED, 3, "503")
    assert row.error_text is not None and "3 attempts" in row.error_text


async def test_rows_left_sending_by_a_crash_are_sent_once_after_a_restart(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    resident = await make_contact(db, "sms", "+15550106")
    await queue(db, resident, "one")
    await queue(db, resident, "two")
    async with db.begin() as conn:  # the crashed process had claimed them
        claimed = await store.claim_due(conn, START, 10)
    assert len(claimed) == 2
    time.advance(60)
    sms = FakeChannel("sms", time)
    sender = make_sender(db, settings, time, sms)
    stop = asyncio.Event()

    task = asyncio.create_task(sender.run(stop))
    for _ in range(500):
        if len(sms.sent) == 2:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 5)
    await sender.drain_once()

    assert sms.texts() == ["one", "two"]
    rows = await outbound_rows(db, resident)
    assert {row.status for row in rows.values()} == {MessageStatus.SENT}


async def test_a_stale_claim_is_requeued_but_a_fresh_one_is_left_alone(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    resident = await make_contact(db, "sms", "+15550107")
    await queue(db, resident, "old")
    async with db.begin() as conn:
        await store.claim_due(conn, START, 10)
    await queue(db, resident, "new", at=START + timedelta(minutes=15))
    time.advance(15 * 60)
    async with db.begin() as conn:
        await store.claim_due(conn, time.now(), 10)
    sender = make_sender(db, settings, time, FakeChannel("sms", time))

    assert await sender.requeue_stale() == 1

    rows = await outbound_rows(db, resident)
    assert rows["old"].status == MessageStatus.QUEUED
    assert rows["new"].status == MessageStatus.SENDING


async def test_sms_rate_limit_spaces_messages_to_one_number(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    limited = settings.model_copy(update={"rate_limits": True, "sms_rate_per_second": 2.0})
    sms = FakeChannel("sms", time)
    residents = [await make_contact(db, "sms", f"+1555020{i}") for i in range(3)]
    for resident in residents:
        await queue(db, resident, f"a {resident.address}")
        await queue(db, resident, f"b {resident.address}")
    sender = make_sender(db, limited, time, sms)

    while len(sms.sent) < 6:
        assert await sender.drain_once() > 0

    times = sorted((at - START).total_seconds() for _, at in sms.sent)
    assert time.elapsed() >= 2.5
    assert times == pytest.approx([0.0, 0.5, 1.0, 1.5, 2.0, 2.5])


async def test_telegram_limits_each_chat_without_holding_up_the_others(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    limited = settings.model_copy(update={"rate_limits": True})
    telegram = FakeChannel("telegram", time)
    chats = [await make_contact(db, "telegram", str(chat)) for chat in (101, 202)]
    for chat in chats:
        for n in range(3):
            await queue(db, chat, f"{chat.address}-{n}")
    sender = make_sender(db, limited, time, telegram)

    await sender.drain_once()

    by_chat: dict[str, list[float]] = {}
    for message, at in telegram.sent:
        by_chat.setdefault(message.address, []).append((at - START).total_seconds())
    for stamps in by_chat.values():  # each chat: one a second
        assert len(stamps) == 3
        assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(stamps))
    assert by_chat["101"][0] == by_chat["202"][0] == 0.0  # neither chat waited for the other
    assert time.elapsed() < 5.0  # one shared 1/s limit would need 5 s for six messages
    assert [m.text for m, _ in telegram.sent if m.address == "101"] == ["101-0", "101-1", "101-2"]


async def test_without_rate_limits_nothing_waits(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    sms = FakeChannel("sms", time)
    resident = await make_contact(db, "sms", "+15550300")
    for n in range(20):
        await queue(db, resident, f"m{n}")

    claimed = await make_sender(db, settings, time, sms).drain_once()

    assert claimed == 20
    assert len(sms.sent) == 20
    assert time.sleeps == []
    assert time.elapsed() == 0


async def test_token_bucket_allows_a_burst_then_the_rate(time: FakeTime) -> None:
    bucket = TokenBucket(rate=4.0, burst=2.0, now=lambda: time.now().timestamp(), sleep=time.sleep)
    stamps = []
    for _ in range(4):
        await bucket.acquire()
        stamps.append(time.elapsed())
    assert stamps == pytest.approx([0.0, 0.0, 0.25, 0.5])


async def test_a_channel_bug_is_retried_not_lost(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    class Broken(FakeChannel):
        async def send(self, message: Outbound) -> SendResult:
            raise RuntimeError("adapter bug")

    resident = await make_contact(db, "sms", "+15550400")
    await queue(db, resident, "hello")
    sender = make_sender(db, settings, time, Broken("sms", time))

    await sender.drain_once()

    row = (await outbound_rows(db, resident))["hello"]
    assert (row.status, row.error_code) == (MessageStatus.QUEUED, "error")


async def test_stopping_gives_claimed_but_unsent_rows_back(
    db: store.Database, settings: Settings, time: FakeTime
) -> None:
    limited = settings.model_copy(update={"rate_limits": True, "sms_rate_per_second": 1.0})
    stop = asyncio.Event()

    class StopOnWait(FakeTime):
        async def sleep(self, seconds: float) -> None:
            stop.set()  # the server is told to stop while the sender waits for the rate limit
            await super().sleep(seconds)

    stopping_time = StopOnWait()
    sms = FakeChannel("sms", stopping_time)
    resident = await make_contact(db, "sms", "+15550500")
    await queue(db, resident, "first")
    await queue(db, resident, "second")
    sender = make_sender(db, limited, stopping_time, sms)

    await asyncio.wait_for(sender.run(stop), 5)

    assert sms.texts() == ["first"]
    rows = await outbound_rows(db, resident)
    assert rows["first"].status == MessageStatus.SENT
    assert rows["second"].status == MessageStatus.QUEUED
    assert rows["second"].next_attempt_at == stopping_time.now()
