"""Which channels this process runs: built from the settings, one explicit table of names.

"console" is always there; Twilio ("sms", "whatsapp") and Telegram join when configured.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot.channels.base import Channel, WebhookChannel
from bot.channels.console import ConsoleChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.twilio import TwilioChannel
from bot.config import Settings


class Channels(Mapping[str, Channel]):
    """Channel name -> adapter. One adapter may serve several names (Twilio: sms and whatsapp)."""

    def __init__(self, by_name: Mapping[str, Channel]) -> None:
        self._by_name = dict(by_name)

    def __getitem__(self, name: str) -> Channel:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def adapters(self) -> list[Channel]:
        """Each adapter once, in registration order."""
        unique: dict[int, Channel] = {}
        for channel in self._by_name.values():
            unique.setdefault(id(channel), channel)
        return list(unique.values())

    @property
    def webhook_channels(self) -> list[WebhookChannel]:
        """The adapters that receive over HTTP (they contribute routes)."""
        return [c for c in self.adapters() if isinstance(c, WebhookChannel)]

    @property
    def telegram(self) -> TelegramChannel | None:
        channel = self._by_name.get("telegram")
        return channel if isinstance(channel, TelegramChannel) else None

    @property
    def twilio(self) -> TwilioChannel | None:
        channel = self._by_name.get("sms")
        return channel if isinstance(channel, TwilioChannel) else None

    async def aclose(self) -> None:
        for channel in self.adapters():
            await channel.aclose()


def twilio_configured(settings: Settings) -> bool:
    token = settings.twilio_auth_token
    return bool(
        settings.twilio_account_sid
        and token is not None
        and token.get_secret_value()
        and (settings.twilio_from or settings.twilio_messaging_service_sid)
    )


def telegram_configured(settings: Settings) -> bool:
    token = settings.telegram_token
    return token is not None and bool(token.get_secret_value())


def build_channels(settings: Settings) -> Channels:
    """The channels the settings configure; nothing is contacted until a message is sent."""
    by_name: dict[str, Channel] = {ConsoleChannel.name: ConsoleChannel()}
    if twilio_configured(settings):
        twilio = TwilioChannel(settings)
        for name in TwilioChannel.channel_names:
            by_name[name] = twilio
    if telegram_configured(settings):
        by_name[TelegramChannel.name] = TelegramChannel(settings)
    return Channels(by_name)
