"""``switchboard serve``: one asyncio process running uvicorn, the service, the sender and the jobs,
plus Telegram set-up (webhook or polling, and the command menu in every language)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Iterator, Mapping
from types import FrameType
from urllib.parse import urlsplit

import uvicorn
from telegram.error import TelegramError
from uvicorn.server import HANDLED_SIGNALS

from bot.catalog import Catalog
from bot.channels.registry import Channels, build_channels
from bot.channels.telegram import WEBHOOK_PATH as TELEGRAM_WEBHOOK_PATH
from bot.channels.telegram import TelegramChannel
from bot.channels.twilio_webhooks import INBOUND_PATH as TWILIO_INBOUND_PATH
from bot.config import Settings
from bot.errors import ConfigError
from bot.outbox import Sender
from bot.runtime import open_runtime
from bot.web.app import create_app
from bot.web.metrics import MeteredService, Metrics

log = logging.getLogger(__name__)

TELEGRAM_COMMANDS = ("menu", "language", "help", "stop")
EXIT_OK, EXIT_FAILED = 0, 1


class _Server(uvicorn.Server):
    """uvicorn's server, except that Ctrl-C / SIGTERM end ``serve`` quietly: uvicorn re-raises
    the signal afterwards, which would interrupt our own clean-up (channels, database)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        try:
            originals = {sig: signal.signal(sig, self._on_signal) for sig in HANDLED_SIGNALS}
        except ValueError:  # not the main thread: the caller stops us through should_exit
            yield
            return
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.should_exit = True


def serve(settings: Settings, *, telegram_polling: bool = False) -> int:
    """Run until Ctrl-C or SIGTERM; returns the exit status."""
    return asyncio.run(run(settings, telegram_polling=telegram_polling))


async def run(
    settings: Settings, *, telegram_polling: bool = False, stop: asyncio.Event | None = None
) -> int:
    """``serve`` inside a running loop; setting ``stop`` shuts it down like a signal would."""
    sock = _bind(settings.host, settings.port)
    try:
        async with open_runtime(settings) as runtime:
            channels = build_channels(settings)
            try:
                sender = Sender(runtime.db, channels, settings, runtime.clock)
                sink = MeteredService(runtime.service, Metrics(sender.counts))
                app = create_app(runtime, channels, sender, sink=sink)
                telegram_mode = await _set_up_telegram(
                    channels.telegram, runtime.catalog, settings, telegram_polling
                )
                config = uvicorn.Config(
                    app,
                    host=settings.host,
                    port=settings.port,
                    lifespan="on",
                    log_level="warning",
                    access_log=False,
                )
                server = _Server(config)
                print(_banner(settings, sock, channels, telegram_mode), flush=True)
                polling_stop = asyncio.Event()
                poller = None
                if telegram_mode == "polling" and channels.telegram is not None:
                    poller = asyncio.create_task(channels.telegram.poll(sink, polling_stop))
                watcher = asyncio.create_task(_exit_when(stop, server)) if stop else None
                try:
                    await server.serve(sockets=[sock])
                finally:
                    polling_stop.set()
                    if poller is not None:
                        await poller
                    if watcher is not None:
                        watcher.cancel()
            finally:
                await channels.aclose()
    finally:
        sock.close()
    return EXIT_OK if server.started else EXIT_FAILED


async def _exit_when(stop: asyncio.Event, server: uvicorn.Server) -> None:
    await stop.wait()
    server.should_exit = True


def _bind(host: str, port: int) -> socket.socket:
    """Bind before anything starts, so a taken port is a clear error and port 0 gets a number."""
    sock: socket.socket | None = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        if sock is not None:
            sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}. "
            "Choose another with --port / SWITCHBOARD_PORT or --host / SWITCHBOARD_HOST."
        ) from exc
    return sock


def command_descriptions(catalog: Catalog) -> dict[str, dict[str, str]]:
    """``{language: {command: description}}`` from ``telegram.command.*`` in every catalog;
    a language with a command missing falls back to the default language's text."""
    return {
        language: {
            command: catalog.resolve(f"telegram.command.{command}", language)
            for command in TELEGRAM_COMMANDS
        }
        for language in catalog.languages
    }


async def _set_up_telegram(
    telegram: TelegramChannel | None, catalog: Catalog, settings: Settings, polling: bool
) -> str | None:
    """Register the command menu and the webhook; returns "polling", "webhook", "off" or None."""
    if telegram is None:
        return None
    mode = "polling" if polling else "off"
    try:
        await telegram.register_commands(
            command_descriptions(catalog), default_language=catalog.default_language
        )
        if not polling and urlsplit(settings.public_url).scheme == "https":
            await telegram.set_webhook(telegram.webhook_url)
            mode = "webhook"
    except TelegramError as exc:  # ConfigError (token, secret) stops start-up; an outage does not
        log.warning("telegram: set-up failed, will try again at the next start: %s", exc)
    return mode


def _banner(
    settings: Settings, sock: socket.socket, channels: Channels, telegram_mode: str | None
) -> str:
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    shown_host = f"[{host}]" if ":" in host else host
    public = settings.public_url.rstrip("/")
    if settings.simulator:
        parts = [f"Civic Switchboard: simulator at http://{shown_host}:{port}/simulator"]
    else:
        parts = [f"Civic Switchboard: listening on http://{shown_host}:{port} (simulator off)"]
    if channels.twilio is not None:
        parts.append(f"point Twilio's messaging webhook at {public}{TWILIO_INBOUND_PATH}")
    else:
        parts.append("SMS off (set SWITCHBOARD_TWILIO_*)")
    parts.append(_telegram_note(telegram_mode, public))
    return "; ".join(parts)


def _telegram_note(mode: str | None, public: str) -> str:
    notes: Mapping[str | None, str] = {
        None: "Telegram off (set SWITCHBOARD_TELEGRAM_TOKEN)",
        "polling": "Telegram: polling for updates",
        "webhook": f"Telegram webhook set to {public}{TELEGRAM_WEBHOOK_PATH}",
        "off": (
            "Telegram is not receiving: set SWITCHBOARD_PUBLIC_URL to an https URL "
            "(webhook) or use --telegram-polling"
        ),
    }
    return notes[mode]
