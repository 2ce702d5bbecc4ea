"""The console channel: the terminal chat and the web simulator show replies themselves, so sending
one is a no-op that only lets the sender mark it sent."""

from __future__ import annotations

from bot.models import Outbound, SendResult

CHANNEL_NAME = "console"


class ConsoleChannel:
    """Delivers nothing: whoever talked to the bot has already seen the reply."""

    name = CHANNEL_NAME

    async def send(self, message: Outbound) -> SendResult:
        return SendResult(provider_id=None)

    async def aclose(self) -> None:
        return None
