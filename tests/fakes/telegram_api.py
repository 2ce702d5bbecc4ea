"""A fake Telegram Bot API server speaking the real wire format, for tests on loopback.

``POST /bot<token>/<method>`` with a JSON, url-encoded or multipart body; answers ``{"ok": true,
"result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...}`` with the HTTP status
equal to ``error_code``, as https://core.telegram.org/bots/api#making-requests describes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.server import serve_app

FAKE_TOKEN = "123456789:AAH-fake-token-for-tests_only"
BOT_ID = 123456789

# Form bodies carry every value as a string; these are the parameters the Bot API types otherwise.
_JSON_PARAMS = frozenset(
    {"reply_markup", "commands", "allowed_updates", "scope", "entities", "link_preview_options"}
)
_INT_PARAMS = frozenset(
    {"offset", "limit", "timeout", "message_id", "cache_time", "max_connections"}
)
_BOOL_PARAMS = frozenset(
    {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


@dataclass(frozen=True)
class ApiError:
    """An error answer exactly as Telegram sends it."""

    error_code: int
    description: str
    retry_after: int | None = None

    def body(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        return answer


BLOCKED_BY_USER = ApiError(403, "Forbidden: bot was blocked by the user")
USER_DEACTIVATED = ApiError(403, "Forbidden: user is deactivated")
TOO_MANY_REQUESTS = ApiError(429, "Too Many Requests: retry after 3", retry_after=3)
CHAT_NOT_FOUND = ApiError(400, "Bad Request: chat not found")
BAD_GATEWAY = ApiError(502, "Bad Gateway")
UNAUTHORIZED = ApiError(401, "Unauthorized")
NOT_FOUND = ApiError(404, "Not Found")


class _Refused(Exception):
    def __init__(self, error: ApiError) -> None:
        self.error = error


def _bad_request(description: str) -> _Refused:
    return _Refused(ApiError(400, f"Bad Request: {description}"))


@dataclass(frozen=True)
class ApiCall:
    """One request the fake received, with its parameters decoded to Bot API types."""

    method: str
    params: dict[str, Any]


@dataclass
class _Failure:
    error: ApiError
    method: str | None
    remaining: int


@dataclass
class FakeTelegramApi:
    """The fake's state; ``serve()`` runs it on loopback and yields PTB's ``base_url``."""

    token: str = FAKE_TOKEN
    long_poll_cap_seconds: float = 0.5  # getUpdates waits at most this long, whatever it is asked
    calls: list[ApiCall] = field(default_factory=list)
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # by language_code
    webhook: dict[str, Any] = field(default_factory=dict)  # setWebhook params while one is set
    _failures: deque[_Failure] = field(default_factory=deque)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _allowed_updates: list[str] | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _closing: bool = False

    # ---- knobs for tests -----------------------------------------------------------------------

    def fail_next(self, error: ApiError, *, times: int = 1, method: str | None = None) -> None:
        """Answer the next ``times`` calls (to ``method``, or to any method) with ``error``."""
        self._failures.append(_Failure(error, method, times))

    def enqueue_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; an ``update_id`` is assigned unless given."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._arrived.set()
        return int(update["update_id"])

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method == method]

    @contextlib.asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """Run on a loopback port; yields the base URL in PTB's form (``.../bot``)."""
        async with serve_app(self.app()) as root:
            try:
                yield f"{root}/bot"
            finally:
                # Release long polls still waiting so the server can shut down at once.
                self._closing = True
                self._arrived.set()

    # ---- the HTTP surface ----------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["POST"])])

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return _error_response(UNAUTHORIZED)
        params = await _decode_params(request)
        self.calls.append(ApiCall(method, params))
        handler = self._handlers().get(method)
        if handler is None:
            return _error_response(NOT_FOUND)
        try:
            self._maybe_fail(method)
            result = await handler(params)
        except _Refused as refused:
            return _error_response(refused.error)
        return JSONResponse({"ok": True, "result": result})

    def _maybe_fail(self, method: str) -> None:
        for failure in self._failures:
            if failure.method in (None, method):
                failure.remaining -= 1
                if failure.remaining == 0:
                    self._failures.remove(failure)
                raise _Refused(failure.error)

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], Awaitable[Any]]]:
        return {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getUpdates": self._get_updates,
        }

    # ---- methods -------------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Civic Switchboard",
            "username": "civic_switchboard_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _bad_request("chat not found")
        text = params.get("text", "")
        if not isinstance(text, str) or not text.strip():
            raise _bad_request("message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _bad_request("message is too long")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": await self._get_me({}),
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        markup = params.get("reply_markup")
        if markup is not None:
            _check_inline_keyboard(markup)
            message["reply_markup"] = markup
        return message

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        return True

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request('parameter "commands" is required')
        for command in commands:
            if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[params.get("language_code", "")] = commands
        return True

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url", ""))
        if not url.startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        self.webhook = params
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise _Refused(
                ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            # An update is confirmed once getUpdates is called with a higher offset.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if "allowed_updates" in params:
            self._allowed_updates = params["allowed_updates"] or None
        limit = int(params.get("limit", 100))
        wait = min(float(params.get("timeout", 0)), self.long_poll_cap_seconds)
        ready = self._deliverable(limit)
        if not ready and wait > 0 and not self._closing:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout=wait)
            ready = self._deliverable(limit)
        return ready

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        if self._allowed_updates is not None:
            # Telegram never creates updates of types the bot did not ask for.
            allowed = set(self._allowed_updates)
            self._updates = [u for u in self._updates if _update_type(u) in allowed]
        return self._updates[:limit]


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Resident"}
    return {"id": chat_id, "type": "group", "title": "Neighbourhood group"}


def _check_inline_keyboard(markup: Any) -> None:
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    for button in itertools.chain.from_iterable(rows):
        if not str(button.get("text", "")).strip():
            raise _bad_request("text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
            raise _bad_request("BUTTON_DATA_INVALID")


async def _decode_params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        decoded = json.loads(body) if body else {}
        return dict(decoded) if isinstance(decoded, dict) else {}
    form = await request.form()
    params: dict[str, Any] = {}
    for name, value in form.items():
        if not isinstance(value, str):
            continue  # an uploaded file; no method this fake implements takes one
        params[name] = _typed(name, value)
    return params


def _typed(name: str, value: str) -> Any:
    if name in _JSON_PARAMS:
        return json.loads(value)
    if name in _INT_PARAMS or name == "chat_id":
        with contextlib.suppress(ValueError):
            return int(value)
        return value  # chat_id may also be "@channelusername"
    if name in _BOOL_PARAMS:
        return value.lower() == "true"
    return value


def _error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.error_code)
