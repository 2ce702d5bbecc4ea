"""The storage layer: SQLAlchemy Core (async) over SQLite or PostgreSQL, migrated by Alembic.

Every query function takes a connection (``Conn``) so the caller owns the transaction::

    engine = create_engine(settings.database_url)
    await upgrade(engine)
    async with engine.begin() as conn:
        contact, created = await get_or_create_contact(conn, "sms", "+15550100", now)
"""

from bot.store.contacts import (
    find_contact,
    get_contact,
    get_contacts,
    get_or_create_contact,
    mark_bad_address,
    set_opted_out,
    touch_contact,
    update_contact,
)
from bot.store.database import Conn, create_engine, dispose
from bot.store.events import StoredEvent, append_events, list_events
from bot.store.gateway import Database
from bot.store.messages import (
    StoredMessage,
    count_messages,
    list_messages,
    mark_handled,
    record_inbound,
)
from bot.store.migrate import current_revision, head_revision, upgrade
from bot.store.outbox import (
    claim_due,
    enqueue,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_skipped,
    queue_depth,
    requeue_stale_sending,
    update_status_by_provider_id,
)
from bot.store.sessions import load_session, save_session

__all__ = [
    "Conn",
    "Database",
    "StoredEvent",
    "StoredMessage",
    "append_events",
    "claim_due",
    "count_messages",
    "create_engine",
    "current_revision",
    "dispose",
    "enqueue",
    "find_contact",
    "get_contact",
    "get_contacts",
    "get_or_create_contact",
    "head_revision",
    "list_events",
    "list_messages",
    "load_session",
    "mark_bad_address",
    "mark_failed",
    "mark_handled",
    "mark_retry",
    "mark_sent",
    "mark_skipped",
    "queue_depth",
    "record_inbound",
    "requeue_stale_sending",
    "save_session",
    "set_opted_out",
    "touch_contact",
    "update_contact",
    "update_status_by_provider_id",
    "upgrade",
]
