"""The ``Runtime``: every long-lived resource (settings, database, content, detector, service), opened
once and closed once, then handed down. No module keeps globals.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import store
from bot.catalog import Catalog
from bot.config import Settings
from bot.content import require_content
from bot.engine.context import Content
from bot.nlp.base import LanguageDetector
from bot.nlp.language import build_detector
from bot.service import Switchboard


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: store.Database
    content: Content
    catalog: Catalog
    detector: LanguageDetector
    service: Switchboard
    clock: Callable[[], datetime]


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    detector: LanguageDetector | None = None,
) -> AsyncIterator[Runtime]:
    """Check content, migrate the database, build the service; close everything on exit.

    Raises ``ContentError`` (file, line, problem) for broken content and ``StoreError`` for a
    database that cannot be opened, before anything starts.
    """
    content, catalog = require_content(settings)
    detector = detector or build_detector(settings.language_detector, settings.languages)
    db = store.Database(settings.database_url, sqlite_executor=settings.sqlite_executor)
    try:
        await store.upgrade(db.engine)
        service = Switchboard(
            db=db,
            content=content,
            catalog=catalog,
            detector=detector,
            clock=clock,
            max_inbound_chars=settings.max_inbound_chars,
            sms_segment_budget=settings.sms_segment_budget,
        )
        yield Runtime(settings, db, content, catalog, detector, service, clock)
    finally:
        await db.dispose()
