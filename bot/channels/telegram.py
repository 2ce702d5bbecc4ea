"""The Telegram channel: sending through python-telegram-bot and receiving by webhook or polling.

Parsing updates lives in ``bot.channels.telegram_updates``; this module owns every Bot API call.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import json
import logging
import re
import warnings
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Bot as TelegramBot
from telegram import Message, Update
from telegram.constants import UpdateType
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.base import InboundSink
from bot.channels.telegram_updates import (
    CHANNEL_NAME,
    BotBlocked,
    ResidentMessage,
    bot_commands,
    chat_id_of,
    inline_keyboard,
    parse_update,
    split_text,
)
from bot.config import Settings
from bot.errors import ConfigError, FinalSendError, RetryableSendError, SendError
from bot.models import Outbound, SendResult

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Only what we act on; Telegram then never sends edits, reactions or chat_member noise.
ALLOWED_UPDATES = (UpdateType.MESSAGE, UpdateType.CALLBACK_QUERY, UpdateType.MY_CHAT_MEMBER)
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_T = TypeVar("_T")


class TelegramChannel:
    """``WebhookChannel`` for Telegram; a contact's address is its private chat id as a string."""

    name = CHANNEL_NAME

    def __init__(self, settings: Settings) -> None:
        if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
            raise ConfigError(
                "SWITCHBOARD_TELEGRAM_TOKEN is not set: the Telegram channel needs it"
            )
        self._settings = settings
        self._token = settings.telegram_token.get_secret_value()
        self._bot = TelegramBot(self._token, base_url=settings.telegram_api_base_url)
        self._ready_lock = asyncio.Lock()
        self._ready = False

    @property
    def webhook_url(self) -> str:
        """Where Telegram should post updates, built from ``public_url``."""
        return self._settings.public_url.rstrip("/") + WEBHOOK_PATH

    # ---- sending -------------------------------------------------------------------------------

    async def send(self, message: Outbound) -> SendResult:
        """Send plain text (never parsed as markup), with the choices as inline buttons."""
        chat_id = chat_id_of(message.address)
        keyboard = inline_keyboard(message.choices)
        if not message.text.strip():
            raise FinalSendError("Telegram refuses empty messages", code="empty_text")
        parts = split_text(message.text)
        sent: Message | None = None
        try:
            await self._initialize()
            for index, part in enumerate(parts):
                # Only the last part carries the buttons so they sit under the whole text.
                markup = keyboard if index == len(parts) - 1 else None
                sent = await self._bot.send_message(chat_id=chat_id, text=part, reply_markup=markup)
        except TelegramError as exc:
            raise self._send_error(exc) from exc
        assert sent is not None  # parts is never empty
        return SendResult(provider_id=str(sent.message_id))

    def _send_error(self, exc: TelegramError) -> SendError:
        reason = self._redact(exc.message)
        if isinstance(exc, Forbidden):  # blocked by the user, or the account is deactivated
            return FinalSendError(reason, code="forbidden", opted_out=True)
        if isinstance(exc, RetryAfter):
            return RetryableSendError(reason, code="429", retry_after=_retry_after_seconds(exc))
        if isinstance(exc, ChatMigrated):
            return FinalSendError(reason, code="chat_migrated", bad_address=True)
        if isinstance(exc, BadRequest):  # a NetworkError subclass in PTB, so it comes first
            if "chat not found" in reason.lower():
                return FinalSendError(reason, code="chat_not_found", bad_address=True)
            return FinalSendError(reason, code="bad_request")
        if isinstance(exc, InvalidToken):
            return FinalSendError(
                "Telegram rejected SWITCHBOARD_TELEGRAM_TOKEN", code="invalid_token"
            )
        if isinstance(exc, NetworkError):  # includes TimedOut and 5xx answers
            return RetryableSendError(reason, code="network")
        return FinalSendError(reason, code="telegram_error")

    # ---- receiving by webhook ------------------------------------------------------------------

    def routes(self, sink: InboundSink) -> list[BaseRoute]:
        """``POST /webhooks/telegram``, authenticated by the webhook secret token header."""

        async def webhook(request: Request) -> Response:
            return await self._handle_webhook(request, sink)

        return [Route(WEBHOOK_PATH, webhook, methods=["POST"])]

    async def _handle_webhook(self, request: Request, sink: InboundSink) -> Response:
        secret = self._settings.telegram_webhook_secret
        expected = secret.get_secret_value() if secret is not None else ""
        if not expected:
            return PlainTextResponse(
                "Telegram webhook refused: SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET is not set, and "
                "updates without a secret token cannot be authenticated.",
                status_code=503,
            )
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return PlainTextResponse("wrong or missing secret token", status_code=403)
        body = await _read_limited(request, self._settings.max_body_bytes)
        if body is None:
            return PlainTextResponse("update too large", status_code=413)
        update = self._decode_update(body)
        if update is None:
            return PlainTextResponse("not a Telegram update", status_code=400)
        await self._dispatch(update, sink)
        return PlainTextResponse("ok")

    def _decode_update(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
        except (RecursionError, ValueError):  # includes UnicodeDecodeError
            return None
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return None
        try:
            return Update.de_json(data, self._bot)
        except (AttributeError, KeyError, TypeError, ValueError):
            log.warning("telegram: update %s does not parse", data["update_id"])
            return None

    async def _dispatch(self, update: Update, sink: InboundSink) -> None:
        parsed = parse_update(update)
        if isinstance(parsed, ResidentMessage):
            await sink.receive(parsed.inbound)
            if parsed.callback_query_id is not None:
                await self._acknowledge_press(parsed.callback_query_id)
        elif isinstance(parsed, BotBlocked):
            await sink.mark_opted_out(CHANNEL_NAME, parsed.address)

    async def _acknowledge_press(self, callback_query_id: str) -> None:
        """Stop the button's spinner; the answer itself comes as a message."""
        try:
            await self._initialize()
            await self._bot.answer_callback_query(callback_query_id)
        except TelegramError as exc:
            # The press is stored; a spinner that runs out on its own is not worth a retry.
            log.warning("telegram: answerCallbackQuery failed: %s", self._redact(exc.message))

    # ---- receiving by long polling -------------------------------------------------------------

    async def poll(
        self,
        sink: InboundSink,
        stop: asyncio.Event,
        *,
        long_poll_seconds: int = 25,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        """Fetch updates with getUpdates until ``stop`` is set; the webhook is deleted first."""
        backoff = backoff_initial
        offset: int | None = None
        webhook_deleted = False
        while not stop.is_set():
            try:
                await self._initialize()
                if not webhook_deleted:
                    # Telegram refuses getUpdates (409) while a webhook is set.
                    await self._bot.delete_webhook()
                    webhook_deleted = True
                updates = await _unless_stopped(
                    self._bot.get_updates(
                        offset=offset,
                        timeout=long_poll_seconds,
                        allowed_updates=list(ALLOWED_UPDATES),
                    ),
                    stop,
                )
                if updates is None:
                    return
                for update in updates:
                    await self._dispatch(update, sink)
                    offset = update.update_id + 1  # only once stored: a failure refetches it
                backoff = backoff_initial
            except InvalidToken as exc:
                raise ConfigError("Telegram rejected SWITCHBOARD_TELEGRAM_TOKEN") from exc
            except RetryAfter as exc:
                await _sleep_unless_stopped(_retry_after_seconds(exc), stop)
            except (NetworkError, Conflict) as exc:
                log.warning(
                    "telegram: polling failed (%s); retrying in %.1fs",
                    self._redact(exc.message),
                    backoff,
                )
                await _sleep_unless_stopped(backoff, stop)
                backoff = min(backoff * 2, backoff_max)
            except Exception:
                # The sink failed: keep the offset so the update comes back, and slow down.
                log.exception(
                    "telegram: handling a polled update failed; retrying in %.1fs", backoff
                )
                await _sleep_unless_stopped(backoff, stop)
                backoff = min(backoff * 2, backoff_max)

    # ---- set-up calls --------------------------------------------------------------------------

    async def set_webhook(self, url: str) -> None:
        """Point Telegram at ``url`` (see ``webhook_url``), with our secret token."""
        secret = self._settings.telegram_webhook_secret
        token = secret.get_secret_value() if secret is not None else ""
        if not _SECRET_TOKEN.fullmatch(token):
            raise ConfigError(
                "SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET must be set to 1-256 characters of "
                "A-Z, a-z, 0-9, _ and - before a webhook can be registered"
            )
        await self._setup_call(
            "setWebhook",
            lambda: self._bot.set_webhook(
                url=url, secret_token=token, allowed_updates=list(ALLOWED_UPDATES)
            ),
        )

    async def register_commands(
        self,
        descriptions: Mapping[str, Mapping[str, str]],
        default_language: str | None = None,
    ) -> None:
        """Set the commands menu once per language, then once (no language) as the default."""
        default = default_language or self._settings.default_language
        if default not in descriptions:
            raise ConfigError(f"no command descriptions for the default language {default!r}")
        for language, described in descriptions.items():
            commands = bot_commands(described)
            await self._setup_call(
                f"setMyCommands({language})",
                functools.partial(self._bot.set_my_commands, commands, language_code=language),
            )
        await self._setup_call(
            "setMyCommands(default)",
            lambda: self._bot.set_my_commands(bot_commands(descriptions[default])),
        )

    async def _setup_call(self, what: str, call: Callable[[], Awaitable[object]]) -> None:
        """Run a one-off set-up call; a refusal is a configuration problem, said plainly."""
        try:
            await self._initialize()
            await call()
        except InvalidToken as exc:
            raise ConfigError("Telegram rejected SWITCHBOARD_TELEGRAM_TOKEN") from exc
        except BadRequest as exc:
            raise ConfigError(f"Telegram refused {what}: {self._redact(exc.message)}") from exc

    # ---- lifecycle -----------------------------------------------------------------------------

    async def _initialize(self) -> None:
        """Open the HTTP clients and fetch the bot's own user (getMe) once."""
        if self._ready:
            return
        async with self._ready_lock:
            if not self._ready:
                await self._bot.initialize()
                self._ready = True

    async def aclose(self) -> None:
        """Shut the Bot's HTTP clients down."""
        self._ready = False
        await self._bot.shutdown()

    def _redact(self, text: str) -> str:
        # PTB sometimes quotes the token (e.g. on InvalidToken); it must not reach logs or the DB.
        return text.replace(self._token, "<token>")


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22.2+ warns that ``retry_after`` will become a timedelta; both shapes are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def _unless_stopped(call: Awaitable[_T], stop: asyncio.Event) -> _T | None:
    """Await ``call`` unless ``stop`` is set first (then cancel it and return ``None``)."""
    fetch = asyncio.ensure_future(call)
    stopped = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if fetch in done:
        stopped.cancel()
        return fetch.result()
    fetch.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await fetch
    return None


async def _sleep_unless_stopped(seconds: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
