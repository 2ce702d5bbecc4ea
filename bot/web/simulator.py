"""The web simulator: chat with the bot in a browser as an SMS or a Telegram resident.

The page is a static file with no user data in it; the browser script builds every message with
``textContent``. The JSON API answers with the replies rendered as that channel would show them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot import sms, store
from bot.channels.console import CHANNEL_NAME as CONSOLE
from bot.models import Inbound, Outbound
from bot.runtime import Runtime
from bot.web.metrics import MeteredService

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE = STATIC_DIR / "simulator.html"
ADDRESS_PREFIX = "sim-"
STYLES = frozenset({"sms", "telegram"})
_ADDRESS = re.compile(r"[A-Za-z0-9_-]{1,64}")
_FIELDS = frozenset({"channel", "address", "text", "choice"})
MAX_CHOICE_CHARS = 64  # Telegram's callback data limit, in bytes; values are ASCII
# The page loads only its own script and style; nothing inline, nothing from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class BadRequest(ValueError):
    """The request is not one the simulator understands; answered with 400 and this text."""


def routes(runtime: Runtime, sink: MeteredService) -> list[BaseRoute]:
    """``GET /simulator``, ``POST /simulator/api/send`` and the page's static files."""

    async def page(request: Request) -> Response:
        return FileResponse(PAGE, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    async def send(request: Request) -> Response:
        try:
            style, inbound = parse_request(await request.body(), runtime)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        result = await sink.handle(inbound)
        await _mark_shown(runtime, result.replies)
        return JSONResponse(
            {
                "language": result.language,
                "replies": [render_reply(reply, style) for reply in result.replies],
            }
        )

    return [
        Route("/simulator", page, methods=["GET"]),
        Route("/simulator/api/send", send, methods=["POST"]),
        Mount("/simulator/static", StaticFiles(directory=STATIC_DIR), name="simulator-static"),
    ]


def parse_request(body: bytes, runtime: Runtime) -> tuple[str, Inbound]:
    """The style ("sms" | "telegram") and the message, from the API's JSON; BadRequest if wrong."""
    try:
        data = json.loads(body)
    except (RecursionError, ValueError) as exc:
        raise BadRequest("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(unknown)}")
    style, address = data.get("channel"), data.get("address")
    text, choice = data.get("text", ""), data.get("choice")
    if style not in STYLES:
        raise BadRequest('"channel" must be "sms" or "telegram"')
    if not isinstance(address, str) or not _ADDRESS.fullmatch(address):
        raise BadRequest('"address" must be 1-64 letters, digits, "_" or "-"')
    if not isinstance(text, str):
        raise BadRequest('"text" must be a string')
    if choice is not None and (not isinstance(choice, str) or len(choice) > MAX_CHOICE_CHARS):
        raise BadRequest(f'"choice" must be a string of at most {MAX_CHOICE_CHARS} characters')
    if not text and not choice:
        raise BadRequest('"text" or "choice" is needed')
    inbound = Inbound(
        channel=CONSOLE,
        address=ADDRESS_PREFIX + address,
        # A Telegram button press arrives with its value as the text, as the real channel does.
        text=text or str(choice),
        choice=choice,
        received_at=runtime.clock(),
    )
    return str(style), inbound


def render_reply(reply: Outbound, style: str) -> dict[str, Any]:
    """One reply as ``style`` shows it: SMS folds the menu into numbered lines and is billed in
    segments; Telegram keeps the text and shows the choices as buttons."""
    if style == "sms":
        body = sms.render(reply.text, reply.choices)
        return {
            "text": body,
            "choices": [],
            "segments": sms.segment_count(body),
            "encoding": sms.encoding(body),
        }
    return {
        "text": reply.text,
        "choices": [{"label": c.label, "value": c.value} for c in reply.choices],
        "segments": None,
        "encoding": None,
    }


async def _mark_shown(runtime: Runtime, replies: tuple[Outbound, ...]) -> None:
    """The page is the channel: what it shows has been delivered. (If the sender claimed a row
    first it marks it sent through the console channel too; either way it ends up "sent".)"""
    ids = [reply.id for reply in replies if reply.id is not None]
    if not ids:
        return
    now = runtime.clock()
    async with runtime.db.begin() as conn:
        for message_id in ids:
            await store.mark_sent(conn, message_id, None, now)
