"""The use cases around the pure engine: take an inbound message, run the engine, apply the outcome.

Everything one message causes (the inbound row, contact changes, the session, events, queued replies)
is committed in one transaction; a provider's retry of the same message id is stored and answered once.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot import sms, store
from bot.catalog import Catalog
from bot.channels.base import StatusUpdate
from bot.engine.context import Content
from bot.engine.engine import handle
from bot.engine.types import ContactState, Event, EventKind, Message, Outcome, Reply, Session
from bot.models import Choice, Contact, Inbound, MessageStatus, Outbound, Priority
from bot.nlp.base import LanguageDetector

log = logging.getLogger(__name__)

SMS_CHANNELS = frozenset({"sms"})  # WhatsApp takes long messages and shows them whole
DETECT_MIN_LETTERS = 2
STATUS_RETRY_SECONDS = 0.1  # "1", "ok" and emoji never change the language on their own
_FIELD_EVENTS = {
    EventKind.LANGUAGE_ASKED: ("language_asked", True),
    # Greeted once: from then on the resident is "returning" and is welcomed back.
    EventKind.FLOW_STARTED: ("welcomed", True),
}


@dataclass(frozen=True)
class HandleResult:
    """What handling one inbound message produced (the chat command prints ``replies``)."""

    contact_id: int | None
    duplicate: bool = False
    replies: tuple[Outbound, ...] = ()
    events: tuple[Event, ...] = ()
    language: str | None = None


@dataclass
class Switchboard:
    """The service layer. Also the channels' ``InboundSink``."""

    db: store.Database
    content: Content
    catalog: Catalog
    detector: LanguageDetector
    clock: Callable[[], datetime]
    max_inbound_chars: int = 2000
    sms_segment_budget: int = 3
    status_grace_seconds: float = 3.0
    on_queued: Callable[[], None] | None = None  # wakes the sender
    _locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )

    async def receive(self, inbound: Inbound) -> None:
        await self.handle(inbound)

    async def handle(self, inbound: Inbound) -> HandleResult:
        """Store, understand and answer one message; safe to call twice with the same provider id."""
        key = (inbound.channel, inbound.address)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:  # one resident's messages are handled in order, never on a stale session
            try:
                result = await self._handle(inbound)
            except Exception:
                log.exception("could not handle a message from %s", inbound.channel)
                await self._keep_unhandled(inbound)
                raise
        if result.replies and self.on_queued is not None:
            self.on_queued()
        return result

    async def _handle(self, inbound: Inbound) -> HandleResult:
        text, truncated = self._clean(inbound.text)
        now = self.clock()

        async def work(conn: store.Conn) -> HandleResult:
            # Runs as one transaction (on SQLite, on the database thread): only ``conn`` is awaited.
            # One transaction: the row commits as handled together with its replies, or not at
            # all (then _keep_unhandled stores it as received).
            contact, created, is_new = await _record(conn, inbound, now, MessageStatus.HANDLED)
            if not is_new:
                return HandleResult(contact.id, duplicate=True)
            if inbound.metadata.get("chat_type") == "group":
                note = await self._queue_text(conn, contact, "telegram.group_only_private", now)
                return HandleResult(contact.id, replies=(note,))
            session_data = await store.load_session(conn, contact.id)
            session = Session.from_dict(session_data) if session_data else None
            message = self._message(inbound, text, truncated, contact)
            outcome = handle(self.content, _state(contact, created), session, message, now)
            replies = await self._apply(conn, contact, outcome, now)
            return HandleResult(
                contact.id, replies=replies, events=outcome.events, language=outcome.language
            )

        return await self.db.run(work)

    def _clean(self, text: str) -> tuple[str, bool]:
        cleaned = _storable(text)
        if len(cleaned) > self.max_inbound_chars:
            return cleaned[: self.max_inbound_chars], True
        return cleaned, False

    def _message(self, inbound: Inbound, text: str, truncated: bool, contact: Contact) -> Message:
        guess_language, confidence = None, 0.0
        if inbound.choice is None and sum(ch.isalpha() for ch in text) >= DETECT_MIN_LETTERS:
            guess = self.detector.detect(text, prior=contact.language)
            guess_language, confidence = guess.language, guess.confidence
        return Message(
            text=text,
            choice=inbound.choice,
            detected_language=guess_language,
            detected_confidence=confidence,
            language_hint=inbound.language_hint,
            start_payload=inbound.metadata.get("start_payload"),
            media_count=inbound.media_count,
            truncated=truncated,
        )

    async def _apply(
        self, conn: store.Conn, contact: Contact, outcome: Outcome, now: datetime
    ) -> tuple[Outbound, ...]:
        await self._apply_events(conn, contact, outcome.events, now)
        await store.save_session(
            conn, contact.id, outcome.session.to_dict() if outcome.session else None, now=now
        )
        await store.touch_contact(conn, contact.id, now)
        queued: list[Outbound] = []
        for reply in outcome.replies:
            queued += await self._queue(conn, contact, reply, outcome.language, now)
        return tuple(queued)

    async def _apply_events(
        self, conn: store.Conn, contact: Contact, events: Sequence[Event], now: datetime
    ) -> None:
        fields = dict(contact.fields)
        for event in events:
            if event.kind == EventKind.LANGUAGE_SET:
                source = str(event.data["source"])
                if source != "default" or contact.language is None:
                    await store.update_contact(
                        conn, contact.id, language=event.data["language"], language_source=source
                    )
            elif event.kind == EventKind.OPTED_OUT:
                await store.set_opted_out(conn, contact.id, now)
            elif event.kind == EventKind.OPTED_IN:
                await store.set_opted_out(conn, contact.id, None)
            elif event.kind in _FIELD_EVENTS:
                name, value = _FIELD_EVENTS[event.kind]
                if fields.get(name) != value:
                    fields[name] = value
                    await store.update_contact(conn, contact.id, fields=fields)
        recorded = [(e.kind, _jsonable(e.data)) for e in events]
        if recorded:
            await store.append_events(conn, contact.id, recorded, now)

    async def _queue(
        self, conn: store.Conn, contact: Contact, reply: Reply, language: str, now: datetime
    ) -> list[Outbound]:
        variables = {**self.globals(), **reply.variables}
        text = self.catalog.render(reply.key, language, variables)
        choices = tuple(
            Choice(
                self.catalog.render(c.key, c.language or language, {**variables, **c.variables}),
                c.value,
            )
            for c in reply.choices
        )
        if contact.channel not in SMS_CHANNELS:
            return [
                await self._enqueue(conn, contact, text, choices, now, compliance=reply.compliance)
            ]
        # SMS: the menu becomes numbered lines, and a reply over the segment budget goes as several
        # messages cut at sentence ends, each its own outbox row (a retry never resends a part).
        parts = sms.split(sms.render(text, choices), self.sms_segment_budget)
        return [
            await self._enqueue(conn, contact, part, (), now, compliance=reply.compliance)
            for part in parts
        ]

    async def _queue_text(
        self, conn: store.Conn, contact: Contact, key: str, now: datetime
    ) -> Outbound:
        text = self.catalog.render(
            key, contact.language or self.catalog.default_language, self.globals()
        )
        return await self._enqueue(conn, contact, text, (), now)

    async def _enqueue(
        self,
        conn: store.Conn,
        contact: Contact,
        text: str,
        choices: tuple[Choice, ...],
        now: datetime,
        *,
        compliance: bool = False,
    ) -> Outbound:
        message_id = await store.enqueue(
            conn,
            contact_id=contact.id,
            channel=contact.channel,
            address=contact.address,
            text=text,
            choices=choices,
            priority=Priority.REPLY,
            now=now,
            compliance=compliance,
        )
        return Outbound(
            channel=contact.channel,
            address=contact.address,
            text=text,
            choices=choices,
            contact_id=contact.id,
            id=message_id,
            compliance=compliance,
        )

    def globals(self) -> dict[str, str]:
        """Variables every message may use."""
        return {"city": self.content.directory.city}

    async def _keep_unhandled(self, inbound: Inbound) -> None:
        """If handling failed, still keep the message (status stays 'received') for staff."""
        try:
            async with self.db.begin() as conn:
                await _record(conn, inbound, self.clock(), MessageStatus.RECEIVED)
        except Exception:
            log.exception("could not even store the message")

    async def choose_language(self, channel: str, address: str, language: str) -> None:
        """Record a language chosen outside the conversation (e.g. ``switchboard chat --lang``)."""
        if language not in self.catalog.languages:
            raise ValueError(
                f"unknown language {language!r}; choose one of {', '.join(self.catalog.languages)}"
            )
        now = self.clock()
        async with self.db.begin() as conn:
            contact, _ = await store.get_or_create_contact(conn, channel, address, now)
            await store.update_contact(
                conn, contact.id, language=language, language_source="choice"
            )
            await store.append_events(
                conn,
                contact.id,
                [(EventKind.LANGUAGE_SET, {"language": language, "source": "choice"})],
                now,
            )

    async def status_update(self, update: StatusUpdate) -> None:
        """Record a delivery report. A report can overtake the sender's own record of the send
        (the provider answers, then calls back at once), so an unknown id is tried again briefly."""
        waited = 0.0
        while not await self._apply_status(update):
            if waited >= self.status_grace_seconds:
                log.warning(
                    "delivery report for unknown %s message %s", update.channel, update.provider_id
                )
                return
            await asyncio.sleep(STATUS_RETRY_SECONDS)
            waited += STATUS_RETRY_SECONDS

    async def _apply_status(self, update: StatusUpdate) -> bool:
        now = self.clock()
        async with self.db.begin() as conn:
            contact_id = await store.update_status_by_provider_id(
                conn, update.channel, update.provider_id, update.status, update.error_code, now
            )
            if contact_id is None:
                return False
            if update.opted_out:
                await store.set_opted_out(conn, contact_id, now)
                await store.append_events(
                    conn, contact_id, [(EventKind.OPTED_OUT, {"by": "provider"})], now
                )
            if update.bad_address:
                await store.mark_bad_address(conn, contact_id)
        return True

    async def mark_opted_out(self, channel: str, address: str) -> None:
        now = self.clock()
        async with self.db.begin() as conn:
            contact = await store.find_contact(conn, channel, address)
            if contact is None or contact.opted_out:
                return
            await store.set_opted_out(conn, contact.id, now)
            await store.append_events(
                conn, contact.id, [(EventKind.OPTED_OUT, {"by": "provider"})], now
            )


async def _record(
    conn: store.Conn, inbound: Inbound, now: datetime, status: MessageStatus
) -> tuple[Contact, bool, bool]:
    """The contact (and whether it is new) and the stored inbound row (whether it is new)."""
    contact, created = await store.get_or_create_contact(
        conn, inbound.channel, inbound.address, now
    )
    _, is_new = await store.record_inbound(
        conn,
        contact_id=contact.id,
        channel=inbound.channel,
        address=inbound.address,
        text=_storable(inbound.text),
        provider_id=inbound.provider_id,
        received_at=inbound.received_at,
        metadata=dict(inbound.metadata) or None,
        status=status,
    )
    return contact, created, is_new


def _state(contact: Contact, created: bool) -> ContactState:
    return ContactState(
        language=contact.language,
        language_source=contact.language_source,
        opted_out=contact.opted_out,
        returning=not created and bool(contact.fields.get("welcomed")),
        language_asked=bool(contact.fields.get("language_asked")),
        fields=contact.fields,
    )


def _storable(text: str) -> str:
    """PostgreSQL text cannot hold NUL; lone surrogates cannot be encoded at all."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (v if isinstance(v, str | int | float | bool | type(None)) else str(v))
        for k, v in data.items()
    }


__all__ = ["HandleResult", "MessageStatus", "Switchboard"]
