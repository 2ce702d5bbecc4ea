"""Schema migrations: Alembic, configured in code, run on the app's async engine.

The scripts ship inside the package (``bot/store/migrations``); no ``alembic.ini`` is needed.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StoreError
from bot.store.database import create_engine, display_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic ``Config`` for the packaged scripts, e.g. for ``command.revision``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser treats % as interpolation; a password may contain one.
        rendered = url if isinstance(url, str) else url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision the packaged scripts define."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine_or_url: AsyncEngine | str | URL, revision: str = "head") -> None:
    """Migrate the database to ``revision`` in one transaction. Raises StoreError on failure."""
    if isinstance(engine_or_url, AsyncEngine):
        await _upgrade(engine_or_url, revision)
        return
    engine = create_engine(engine_or_url)
    try:
        await _upgrade(engine, revision)
    finally:
        await engine.dispose()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current_revision)
    except SQLAlchemyError as exc:
        raise StoreError(_explain(engine, "read the schema version of", exc)) from exc


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def _upgrade(engine: AsyncEngine, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    except (SQLAlchemyError, OSError, CommandError) as exc:
        raise StoreError(_explain(engine, "migrate", exc)) from exc


def _explain(engine: AsyncEngine, action: str, exc: Exception) -> str:
    where = display_url(engine.url)
    reason = getattr(exc, "orig", None) or exc
    hint = (
        "check that the file's directory is writable"
        if engine.dialect.name == "sqlite"
        else "check that the server is running and the URL's user, password and database exist"
    )
    return f"could not {action} the database {where}: {reason}; {hint} (SWITCHBOARD_DATABASE_URL)"
