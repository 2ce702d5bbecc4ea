"""Translating between switchboard values and Telegram objects, both ways, without any I/O.

In: ``parse_update`` (used by the webhook and the polling loop alike). Out: text splitting, inline
keyboards and the commands menu, each checked against Telegram's limits before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import (
    BotCommand,
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import (
    BotCommandLimit,
    ChatMemberStatus,
    ChatType,
    InlineKeyboardButtonLimit,
    MessageLimit,
)

from bot.errors import ConfigError, FinalSendError
from bot.models import Choice, Inbound

CHANNEL_NAME = "telegram"
START_COMMAND = "/start"
COMMAND_ORDER = ("menu", "language", "help", "stop")  # the menu lists these first, in this order
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


@dataclass(frozen=True)
class ResidentMessage:
    """Something a person sent; ``callback_query_id`` is set for a button press to acknowledge."""

    inbound: Inbound
    callback_query_id: str | None = None


@dataclass(frozen=True)
class BotBlocked:
    """The person blocked the bot (or deleted their account): stop writing to ``address``."""

    address: str


ParsedUpdate = ResidentMessage | BotBlocked | None


def parse_update(
    update: Update, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> ParsedUpdate:
    """What ``update`` means for the switchboard; ``None`` for updates we deliberately ignore."""
    if update.message is not None:
        return _from_message(update.update_id, update.message)
    if update.callback_query is not None:
        return _from_button_press(update.update_id, update.callback_query, now())
    if update.my_chat_member is not None:
        return _from_membership_change(update.my_chat_member)
    # edited messages, channel posts, polls, reactions...: nothing a resident expects an answer to.
    return None


def _from_message(update_id: int, message: Message) -> ResidentMessage | None:
    attachment = message.effective_attachment
    if message.text is None and attachment is None:
        return None  # service messages (pinned, chat photo changed...) carry nothing to answer
    text, metadata = _command_or_text(message.text or message.caption or "")
    if message.chat.type != ChatType.PRIVATE:
        # The service answers with a short "private chats only" note; never a conversation.
        metadata = {"chat_type": "group"}
    user = message.from_user
    return ResidentMessage(
        Inbound(
            channel=CHANNEL_NAME,
            address=str(message.chat.id),
            text=text,
            received_at=_as_utc(message.date),
            provider_id=str(update_id),
            language_hint=user.language_code if user else None,
            media_count=0 if attachment is None else 1,
            metadata=metadata,
        )
    )


def _command_or_text(text: str) -> tuple[str, dict[str, str]]:
    """Pass commands through as text, minus any ``@botname``; split off a ``/start`` payload."""
    if not text.startswith("/"):
        return text, {}
    command, _, argument = text.partition(" ")
    command = command.split("@", 1)[0]
    if command == START_COMMAND:
        # A deep link t.me/<bot>?start=PAYLOAD arrives as "/start PAYLOAD".
        payload = argument.strip()
        return START_COMMAND, ({"start_payload": payload} if payload else {})
    return f"{command} {argument}".rstrip() if argument else command, {}


def _from_button_press(
    update_id: int, query: CallbackQuery, now: datetime
) -> ResidentMessage | None:
    if query.data is None:
        return None  # game buttons carry no data; we never send those
    message = query.message
    chat = message.chat if message is not None else None
    private = chat is None or chat.type == ChatType.PRIVATE
    return ResidentMessage(
        Inbound(
            channel=CHANNEL_NAME,
            address=str(chat.id if chat is not None else query.from_user.id),
            text=query.data,
            choice=query.data,
            received_at=now,  # a press has no date; its message's date is when *we* sent that
            provider_id=str(update_id),
            language_hint=query.from_user.language_code,
            metadata={} if private else {"chat_type": "group"},
        ),
        callback_query_id=query.id,
    )


def _from_membership_change(change: ChatMemberUpdated) -> BotBlocked | None:
    if change.chat.type == ChatType.PRIVATE and change.new_chat_member.status == (
        ChatMemberStatus.BANNED
    ):
        return BotBlocked(address=str(change.chat.id))
    return None


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut ``text`` into parts Telegram accepts, preferring paragraph, line and word breaks.

    Telegram counts UTF-16 code units, so an emoji counts as two.
    """
    parts: list[str] = []
    rest = text
    while _utf16_length(rest) > limit:
        hard = _longest_fitting_prefix(rest, limit)
        cut = _soft_break(rest, hard)
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    if rest.strip() or not parts:
        parts.append(rest)
    return parts


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _longest_fitting_prefix(text: str, limit: int) -> int:
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _soft_break(text: str, hard: int) -> int:
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, hard // 2, hard)
        if at > 0:
            return at + len(separator)
    return hard


def chat_id_of(address: str) -> int:
    try:
        return int(address)
    except ValueError:
        raise FinalSendError(
            f"not a Telegram chat id: {address!r}", code="bad_address", bad_address=True
        ) from None


def inline_keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup | None:
    if not choices:
        return None
    for choice in choices:
        size = len(choice.value.encode("utf-8"))
        if not 1 <= size <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
            raise FinalSendError(
                f"choice value {choice.value!r} is {size} bytes; Telegram button data must be "
                f"1-{InlineKeyboardButtonLimit.MAX_CALLBACK_DATA} bytes",
                code="callback_data_too_long",
            )
        if not choice.label.strip():
            raise FinalSendError(f"choice {choice.value!r} has an empty label", code="empty_label")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(choice.label, callback_data=choice.value)] for choice in choices]
    )


def bot_commands(described: Mapping[str, str]) -> list[BotCommand]:
    names = {name.removeprefix("/"): text for name, text in described.items()}
    ordered = [n for n in COMMAND_ORDER if n in names] + sorted(set(names) - set(COMMAND_ORDER))
    commands = []
    for name in ordered:
        description = names[name].strip()
        if not _COMMAND_NAME.fullmatch(name):
            raise ConfigError(f"bot command {name!r}: use 1-32 of a-z, 0-9 and _")
        if not 1 <= len(description) <= BotCommandLimit.MAX_DESCRIPTION:
            raise ConfigError(
                f"bot command {name!r}: description must be 1-"
                f"{BotCommandLimit.MAX_DESCRIPTION} characters"
            )
        commands.append(BotCommand(name, description))
    return commands
