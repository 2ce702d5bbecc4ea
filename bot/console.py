"""The terminal chat: talk to the bot as a resident would over SMS or Telegram, or drive it by script.

Interactive on a terminal; otherwise one resident message per input line, each reply printed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from bot import sms, store
from bot.models import Inbound, Outbound
from bot.runtime import Runtime

CHANNEL = "console"


def render(message: Outbound, style: str, *, verbose: bool = False) -> str:
    """How a reply looks on the chosen channel: numbered menus for SMS, buttons for Telegram."""
    if style == "telegram":
        buttons = "".join(f"\n  [ {choice.label} ]" for choice in message.choices)
        return message.text + buttons
    body = sms.render(message.text, message.choices)
    if verbose:
        body += (
            f"\n  ({sms.encoding(body)}, {len(body)} chars, {sms.segment_count(body)} segment(s))"
        )
    return body


async def chat(
    runtime: Runtime,
    *,
    style: str,
    address: str,
    language: str | None,
    verbose: bool,
    lines: Iterable[str] | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run a chat; returns how many messages were handled."""
    if language:
        await runtime.service.choose_language(CHANNEL, address, language)
    interactive = lines is None and sys.stdin.isatty()
    if interactive:
        print(
            f"Civic Switchboard terminal chat, as a resident on {style.upper()} ({address}).\n"
            "Type a message and press Enter. Ctrl-D or Ctrl-C to leave.",
            file=out,
        )
    source = lines if lines is not None else _stdin_lines(interactive)
    handled = 0
    for number, line in enumerate(source, start=1):
        text = line.rstrip("\r\n")
        inbound = Inbound(
            channel=CHANNEL,
            address=address,
            text=text,
            received_at=runtime.clock(),
            provider_id=None,
        )
        result = await runtime.service.handle(inbound)
        handled += 1
        if not interactive:
            print(f"> {text}", file=out)
        for reply in result.replies:
            print(render(reply, style, verbose=verbose), file=out)
            print("", file=out)
        await _mark_sent(runtime, result.replies, number)
    return handled


async def _mark_sent(runtime: Runtime, replies: Iterable[Outbound], number: int) -> None:
    """The terminal is the channel: what was printed was delivered."""
    ids = [reply.id for reply in replies if reply.id is not None]
    if not ids:
        return
    async with runtime.db.begin() as conn:
        for message_id in ids:
            await store.mark_sent(conn, message_id, None, runtime.clock())


def _stdin_lines(interactive: bool) -> Iterable[str]:
    while True:
        try:
            line = input("you> ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            return
        if not interactive and line == "":
            return
        yield line
