"""The schema as SQLAlchemy Core tables: the single source the Alembic migrations must match.

Portable on purpose (SQLite and PostgreSQL): JSON columns are ``sa.JSON``; times are stored as
timezone-aware UTC and always come back aware, even on SQLite (see ``UTCDateTime``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that only takes aware datetimes and always returns aware UTC.

    SQLite has no time zone type, so values are stored there as naive UTC text; fixed-width text
    keeps SQLite's string comparison in time order.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store only takes aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _json(nullable: bool) -> sa.JSON:
    # none_as_null: a Python None is SQL NULL, not the JSON text 'null'.
    return sa.JSON(none_as_null=nullable)


contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("address", sa.String(255), nullable=False),
    sa.Column("language", sa.String(16)),
    sa.Column("language_source", sa.String(16)),  # "choice" | "detected" | "hint" | "default"
    sa.Column("timezone", sa.String(64)),
    sa.Column("fields", _json(False), nullable=False),
    sa.Column("tags", _json(False), nullable=False),
    sa.Column("consent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("opted_out_at", UTCDateTime),
    sa.Column("bad_address", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime),
    sa.UniqueConstraint("channel", "address"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "contact_id",
        sa.Integer,
        sa.ForeignKey("contacts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("direction", sa.String(3), nullable=False),  # bot.models.Direction
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("address", sa.String(255), nullable=False),
    sa.Column("provider_id", sa.String(128)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("choices", _json(True)),  # outbound menus: [{"label": ..., "value": ...}]
    sa.Column("meta", _json(True)),  # inbound provider extras (bot.models.Inbound.metadata)
    sa.Column("status", sa.String(16), nullable=False),  # bot.models.MessageStatus
    sa.Column("priority", sa.Integer, nullable=False, server_default=sa.text("0")),
    # A carrier-required confirmation (STOP/START): the only thing sent after an opt-out.
    sa.Column("compliance", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("next_attempt_at", UTCDateTime),
    sa.Column("error_code", sa.String(64)),
    sa.Column("error_text", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # NULL provider ids are distinct on both SQLite and PostgreSQL, so unsent rows never clash.
    sa.UniqueConstraint("channel", "provider_id"),
    sa.Index("ix_messages_outbox", "status", "priority", "next_attempt_at", "id"),
    sa.Index("ix_messages_contact", "contact_id", "id"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column(
        "contact_id",
        sa.Integer,
        sa.ForeignKey("contacts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("flow", sa.String(128), nullable=False),
    sa.Column("step", sa.String(128)),
    sa.Column("variables", _json(False), nullable=False),
    sa.Column("stack", _json(False), nullable=False),
    sa.Column("retries", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("expires_at", UTCDateTime),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE")),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("data", _json(False), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_events_kind_created", "kind", "created_at"),
    sa.Index("ix_events_contact", "contact_id", "id"),
)
