"""The Telegram channel, through the real python-telegram-bot against a fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.base import StatusUpdate
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel
from bot.channels.telegram_updates import split_text
from bot.config import Settings
from bot.errors import ConfigError, FinalSendError, RetryableSendError
from bot.models import Choice, Inbound, Outbound
from tests.fakes.telegram_api import (
    BAD_GATEWAY,
    BLOCKED_BY_USER,
    BOT_ID,
    CHAT_NOT_FOUND,
    FAKE_TOKEN,
    TOO_MANY_REQUESTS,
    USER_DEACTIVATED,
    ApiError,
    FakeTelegramApi,
)

SECRET = "s3cret-Token_for-tests"
CHAT_ID = 4242
SENT_AT = 1_700_000_000
RESIDENT = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana", "language_code": "es"}
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Civic Switchboard"}
PRIVATE_CHAT = {"id": CHAT_ID, "type": "private", "first_name": "Ana"}


@dataclass
class RecordingSink:
    """Stands in for the service layer: remembers what the channel handed over."""

    received: list[Inbound] = field(default_factory=list)
    opted_out: list[tuple[str, str]] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    on_receive: Callable[[Inbound], None] | None = None

    async def receive(self, inbound: Inbound) -> None:
        if self.on_receive is not None:
            self.on_receive(inbound)
        self.received.append(inbound)

    async def status_update(self, update: StatusUpdate) -> None:
        self.statuses.append(update)

    async def mark_opted_out(self, channel: str, address: str) -> None:
        self.opted_out.append((channel, address))


def make_settings(base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_token": FAKE_TOKEN,
        "telegram_webhook_secret": SECRET,
        "telegram_api_base_url": base_url,
        "public_url": "https://switchboard.example.gov",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(autouse=True)
def _retry_after_as_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's coming ``RetryAfter.retry_after`` timedelta, as deployments should.

    Without it PTB 22.2+ emits a PTBDeprecationWarning while *building* every RetryAfter, which
    filterwarnings=error turns into a crash inside PTB's request code.
    """
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def fake_api() -> FakeTelegramApi:
    return FakeTelegramApi()


@pytest.fixture
async def api_base_url(fake_api: FakeTelegramApi) -> AsyncIterator[str]:
    async with fake_api.serve() as base_url:
        yield base_url


@pytest.fixture
async def channel(api_base_url: str) -> AsyncIterator[TelegramChannel]:
    telegram = TelegramChannel(make_settings(api_base_url))
    yield telegram
    await telegram.aclose()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
async def webhook(
    channel: TelegramChannel, sink: RecordingSink
) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=channel.routes(sink))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://switchboard.test") as client:
        yield client


async def post_update(
    client: httpx.AsyncClient, update: Any, *, secret: str | None = SECRET
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    return await client.post(WEBHOOK_PATH, content=body, headers=headers)


def message_update(
    update_id: int = 1, chat: dict[str, Any] = PRIVATE_CHAT, **content: Any
) -> dict[str, Any]:
    message = {"message_id": 77, "from": RESIDENT, "chat": chat, "date": SENT_AT, **content}
    return {"update_id": update_id, "message": message}


def text_update(text: str, update_id: int = 1) -> dict[str, Any]:
    if text.startswith("/"):
        command_length = len(text.split(" ", 1)[0])
        entities = [{"type": "bot_command", "offset": 0, "length": command_length}]
        return message_update(update_id, text=text, entities=entities)
    return message_update(update_id, text=text)


def button_press_update(data: str, update_id: int = 5) -> dict[str, Any]:
    shown = {"message_id": 70, "from": BOT_USER, "chat": PRIVATE_CHAT, "date": SENT_AT, "text": "?"}
    press = {
        "id": "4382bfdwdsb323b2d9",
        "from": RESIDENT,
        "message": shown,
        "chat_instance": "-4830163213",
        "data": data,
    }
    return {"update_id": update_id, "callback_query": press}


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait up to five seconds for ``condition``; the fake has no event to wait on for it."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met within 5 seconds")


# ---- sending -----------------------------------------------------------------------------------


async def test_send_plain_text_without_markup(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    text = "Pickup is <b>Tuesday</b> *not* _Monday_"
    result = await channel.send(Outbound(channel="telegram", address=str(CHAT_ID), text=text))

    [sent] = fake_api.calls_to("sendMessage")
    assert sent == {"chat_id": CHAT_ID, "text": text}  # no parse_mode, no keyboard
    assert result.provider_id == "1"
    assert [call.method for call in fake_api.calls] == ["getMe", "sendMessage"]


async def test_send_menu_as_one_button_per_row(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    choices = (Choice("Trash pickup", "trash"), Choice("Potholes", "pothole"))
    menu = Outbound(channel="telegram", address=str(CHAT_ID), text="Pick one", choices=choices)

    await channel.send(menu)

    [sent] = fake_api.calls_to("sendMessage")
    assert sent["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Trash pickup", "callback_data": "trash"}],
            [{"text": "Potholes", "callback_data": "pothole"}],
        ]
    }


async def test_long_text_is_split_and_only_the_last_part_has_the_keyboard(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    text = " ".join(f"word{i}" for i in range(1200))  # 9,689 characters: three parts
    message = Outbound(
        channel="telegram", address=str(CHAT_ID), text=text, choices=(Choice("Menu", "menu"),)
    )

    result = await channel.send(message)

    sent = fake_api.calls_to("sendMessage")
    assert len(sent) == 3
    assert all(len(part["text"]) <= 4096 for part in sent)
    assert " ".join(part["text"] for part in sent) == text  # cut at spaces, nothing lost
    assert ["reply_markup" in part for part in sent] == [False, False, True]
    assert result.provider_id == "3"


def test_split_counts_utf16_units_like_telegram() -> None:
    text = "🏠" * 3000  # 6000 UTF-16 units, though only 3000 code points
    parts = split_text(text)
    assert [len(part) for part in parts] == [2048, 952]
    assert "".join(parts) == text


@pytest.mark.parametrize(
    ("error", "opted_out", "bad_address"),
    [
        (BLOCKED_BY_USER, True, False),
        (USER_DEACTIVATED, True, False),
        (CHAT_NOT_FOUND, False, True),
        (ApiError(400, "Bad Request: can't parse entities"), False, False),
    ],
)
async def test_final_send_errors(
    channel: TelegramChannel,
    fake_api: FakeTelegramApi,
    error: ApiError,
    opted_out: bool,
    bad_address: bool,
) -> None:
    fake_api.fail_next(error, method="sendMessage")
    with pytest.raises(FinalSendError) as caught:
        await channel.send(Outbound(channel="telegram", address=str(CHAT_ID), text="hi"))
    assert (caught.value.opted_out, caught.value.bad_address) == (opted_out, bad_address)
    # PTB drops the "Forbidden: " / "Bad Request: " prefix and capitalizes the rest.
    assert error.description.split(": ", 1)[1].lower() in str(caught.value).lower()


async def test_flood_limit_is_retryable_after_the_given_seconds(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    fake_api.fail_next(TOO_MANY_REQUESTS, method="sendMessage")
    with pytest.raises(RetryableSendError) as caught:
        await channel.send(Outbound(channel="telegram", address=str(CHAT_ID), text="hi"))
    assert caught.value.retry_after == 3


async def test_server_error_is_retryable(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    fake_api.fail_next(BAD_GATEWAY, method="sendMessage")
    with pytest.raises(RetryableSendError) as caught:
        await channel.send(Outbound(channel="telegram", address=str(CHAT_ID), text="hi"))
    assert caught.value.retry_after is None


async def test_unreachable_api_is_retryable() -> None:
    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    telegram = TelegramChannel(make_settings(f"http://127.0.0.1:{port}/bot"))
    try:
        with pytest.raises(RetryableSendError):
            await telegram.send(Outbound(channel="telegram", address=str(CHAT_ID), text="hi"))
    finally:
        await telegram.aclose()


async def test_wrong_token_is_final_and_never_quoted(api_base_url: str) -> None:
    telegram = TelegramChannel(make_settings(api_base_url, telegram_token="999:wrong-token"))
    try:
        with pytest.raises(FinalSendError) as caught:
            await telegram.send(Outbound(channel="telegram", address=str(CHAT_ID), text="hi"))
    finally:
        await telegram.aclose()
    assert caught.value.code == "invalid_token"
    assert "wrong-token" not in str(caught.value)


@pytest.mark.parametrize(
    ("address", "choices"),
    [
        ("not-a-chat", ()),
        (str(CHAT_ID), (Choice("Too long", "x" * 65),)),
        (str(CHAT_ID), (Choice("Café", "é" * 33),)),  # 33 characters but 66 bytes
    ],
)
async def test_unsendable_messages_fail_before_calling_telegram(
    channel: TelegramChannel, fake_api: FakeTelegramApi, address: str, choices: tuple[Choice, ...]
) -> None:
    with pytest.raises(FinalSendError) as caught:
        await channel.send(
            Outbound(channel="telegram", address=address, text="hi", choices=choices)
        )
    assert caught.value.bad_address == (address == "not-a-chat")
    assert fake_api.calls_to("sendMessage") == []


# ---- set-up calls ------------------------------------------------------------------------------

DESCRIPTIONS = {
    "en": {
        "stop": "Stop messages",
        "help": "Get help",
        "menu": "Main menu",
        "language": "Language",
    },
    "es": {"menu": "Menú principal", "language": "Idioma", "help": "Ayuda", "stop": "No más"},
}


async def test_register_commands_per_language_plus_default(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    await channel.register_commands(DESCRIPTIONS, default_language="es")

    assert set(fake_api.commands) == {"en", "es", ""}
    assert [c["command"] for c in fake_api.commands["en"]] == ["menu", "language", "help", "stop"]
    assert fake_api.commands["en"][0]["description"] == "Main menu"
    assert fake_api.commands[""] == fake_api.commands["es"]
    assert [c.get("language_code") for c in fake_api.calls_to("setMyCommands")] == [
        "en",
        "es",
        None,
    ]


async def test_register_commands_rejects_bad_names_before_calling_telegram(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    with pytest.raises(ConfigError, match="Menu"):
        await channel.register_commands({"en": {"Menu": "Main menu"}}, default_language="en")
    assert fake_api.calls_to("setMyCommands") == []


async def test_set_webhook_sends_the_secret_and_allowed_updates(
    channel: TelegramChannel, fake_api: FakeTelegramApi
) -> None:
    await channel.set_webhook(channel.webhook_url)

    assert fake_api.webhook == {
        "url": "https://switchboard.example.gov/webhooks/telegram",
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query", "my_chat_member"],
    }


async def test_set_webhook_without_a_secret_is_refused(
    api_base_url: str, fake_api: FakeTelegramApi
) -> None:
    telegram = TelegramChannel(make_settings(api_base_url, telegram_webhook_secret=None))
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        await telegram.set_webhook(telegram.webhook_url)
    await telegram.aclose()
    assert fake_api.calls_to("setWebhook") == []


async def test_missing_token_is_a_config_error(api_base_url: str) -> None:
    with pytest.raises(ConfigError, match="SWITCHBOARD_TELEGRAM_TOKEN"):
        TelegramChannel(make_settings(api_base_url, telegram_token=None))


# ---- receiving by webhook ----------------------------------------------------------------------


async def test_private_text_becomes_an_inbound(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    response = await post_update(webhook, text_update("¿Cuándo pasa la basura?", update_id=91))

    assert response.status_code == 200
    assert sink.received == [
        Inbound(
            channel="telegram",
            address=str(CHAT_ID),
            text="¿Cuándo pasa la basura?",
            received_at=datetime.fromtimestamp(SENT_AT, UTC),
            provider_id="91",
            language_hint="es",
        )
    ]
    assert sink.received[0].received_at.utcoffset() is not None


async def test_commands_pass_through_as_text(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    for update_id, command in enumerate(["/menu", "/help", "/language", "/stop", "/start"], 1):
        await post_update(webhook, text_update(command, update_id))
    assert [inbound.text for inbound in sink.received] == [
        "/menu",
        "/help",
        "/language",
        "/stop",
        "/start",
    ]
    assert all(inbound.metadata == {} for inbound in sink.received)


async def test_start_deep_link_payload_goes_to_metadata(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    await post_update(webhook, text_update("/start flyer-district-4"))
    [inbound] = sink.received
    assert inbound.text == "/start"
    assert inbound.metadata == {"start_payload": "flyer-district-4"}


async def test_button_press_is_a_choice_and_is_answered_after_storing(
    webhook: httpx.AsyncClient, sink: RecordingSink, fake_api: FakeTelegramApi
) -> None:
    answered_when_received: list[int] = []
    sink.on_receive = lambda _: answered_when_received.append(
        len(fake_api.calls_to("answerCallbackQuery"))
    )

    response = await post_update(webhook, button_press_update("trash", update_id=12))

    assert response.status_code == 200
    [inbound] = sink.received
    assert (inbound.choice, inbound.text, inbound.address) == ("trash", "trash", str(CHAT_ID))
    assert (inbound.provider_id, inbound.language_hint) == ("12", "es")
    assert answered_when_received == [0]
    assert fake_api.calls_to("answerCallbackQuery") == [{"callback_query_id": "4382bfdwdsb323b2d9"}]


async def test_failed_press_answer_is_logged_not_raised(
    webhook: httpx.AsyncClient,
    sink: RecordingSink,
    fake_api: FakeTelegramApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_api.fail_next(ApiError(400, "Bad Request: query is too old"), method="answerCallbackQuery")

    response = await post_update(webhook, button_press_update("trash"))

    assert response.status_code == 200
    assert [inbound.choice for inbound in sink.received] == ["trash"]
    assert "query is too old" in caplog.text.lower()


@pytest.mark.parametrize("secret", ["wrong-secret", "", None])
async def test_wrong_or_missing_secret_is_forbidden(
    webhook: httpx.AsyncClient, sink: RecordingSink, secret: str | None
) -> None:
    response = await post_update(webhook, text_update("hi"), secret=secret)
    assert response.status_code == 403
    assert sink.received == []


async def test_webhook_without_configured_secret_refuses_everything(
    api_base_url: str, sink: RecordingSink
) -> None:
    telegram = TelegramChannel(make_settings(api_base_url, telegram_webhook_secret=None))
    transport = httpx.ASGITransport(app=Starlette(routes=telegram.routes(sink)))
    async with httpx.AsyncClient(transport=transport, base_url="http://switchboard.test") as client:
        response = await post_update(client, text_update("hi"), secret="")
    await telegram.aclose()
    assert response.status_code == 503
    assert "SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET" in response.text
    assert sink.received == []


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"message": {}}', b'{"update_id": "1"}'],
)
async def test_malformed_updates_are_rejected(
    webhook: httpx.AsyncClient, sink: RecordingSink, body: bytes
) -> None:
    response = await post_update(webhook, body)
    assert response.status_code == 400
    assert sink.received == []


async def test_oversized_body_is_refused(webhook: httpx.AsyncClient, sink: RecordingSink) -> None:
    update = text_update("x" * 70_000)  # over the 64 KiB default of max_body_bytes
    response = await post_update(webhook, update)
    assert response.status_code == 413
    assert sink.received == []


async def test_edited_message_is_acknowledged_and_ignored(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    edited = text_update("corrected")["message"] | {"edit_date": SENT_AT + 60}
    response = await post_update(webhook, {"update_id": 3, "edited_message": edited})
    assert response.status_code == 200
    assert sink.received == []
    assert sink.opted_out == []


async def test_group_message_is_tagged_as_group(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    group = {"id": -1001234567890, "type": "supergroup", "title": "Block club"}
    await post_update(webhook, message_update(chat=group, text="/help@civic_switchboard_bot"))
    [inbound] = sink.received
    assert inbound.address == "-1001234567890"
    assert inbound.text == "/help"
    assert inbound.metadata == {"chat_type": "group"}


async def test_sticker_counts_as_media_without_text(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    sticker = {
        "file_id": "CAACAgIAAxkBAAE",
        "file_unique_id": "AgADmQADJQNSFw",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    await post_update(webhook, message_update(sticker=sticker))
    [inbound] = sink.received
    assert (inbound.text, inbound.media_count) == ("", 1)


async def test_photo_caption_is_the_text(webhook: httpx.AsyncClient, sink: RecordingSink) -> None:
    photo = [{"file_id": "AgACAgIAAxkBAAI", "file_unique_id": "AQADBas", "width": 90, "height": 67}]
    await post_update(webhook, message_update(photo=photo, caption="Pothole on 5th St"))
    [inbound] = sink.received
    assert (inbound.text, inbound.media_count) == ("Pothole on 5th St", 1)


async def test_blocking_the_bot_marks_the_contact_opted_out(
    webhook: httpx.AsyncClient, sink: RecordingSink
) -> None:
    change = {
        "chat": PRIVATE_CHAT,
        "from": RESIDENT,
        "date": SENT_AT,
        "old_chat_member": {"user": BOT_USER, "status": "member"},
        "new_chat_member": {"user": BOT_USER, "status": "kicked", "until_date": 0},
    }
    response = await post_update(webhook, {"update_id": 8, "my_chat_member": change})
    assert response.status_code == 200
    assert sink.opted_out == [("telegram", str(CHAT_ID))]
    assert sink.received == []


# ---- receiving by long polling -----------------------------------------------------------------


async def run_poll(
    channel: TelegramChannel, sink: RecordingSink, until: Callable[[], bool], **options: Any
) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(channel.poll(sink, stop, long_poll_seconds=1, **options))
    try:
        await eventually(until)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)


async def test_polling_deletes_the_webhook_and_delivers_updates(
    channel: TelegramChannel, fake_api: FakeTelegramApi, sink: RecordingSink
) -> None:
    await channel.set_webhook(channel.webhook_url)  # getUpdates would be refused while set
    fake_api.enqueue_update(text_update("hola"))
    last = fake_api.enqueue_update(button_press_update("trash"))

    def confirmed() -> bool:
        return any(call.get("offset") == last + 1 for call in fake_api.calls_to("getUpdates"))

    await run_poll(channel, sink, until=confirmed)

    assert fake_api.calls_to("deleteWebhook") == [{}]
    assert [(inbound.text, inbound.choice) for inbound in sink.received] == [
        ("hola", None),
        ("trash", "trash"),
    ]
    assert len(fake_api.calls_to("answerCallbackQuery")) == 1
    assert fake_api.calls_to("getUpdates")[0]["allowed_updates"] == [
        "message",
        "callback_query",
        "my_chat_member",
    ]


async def test_polling_backs_off_on_server_errors(
    channel: TelegramChannel, fake_api: FakeTelegramApi, sink: RecordingSink
) -> None:
    fake_api.fail_next(BAD_GATEWAY, times=2, method="getUpdates")
    fake_api.enqueue_update(text_update("still there?"))

    await run_poll(channel, sink, until=lambda: bool(sink.received), backoff_initial=0.01)

    assert [inbound.text for inbound in sink.received] == ["still there?"]
    assert len(fake_api.calls_to("getUpdates")) >= 3


async def test_polling_refetches_an_update_the_sink_failed_to_take(
    channel: TelegramChannel, fake_api: FakeTelegramApi, sink: RecordingSink
) -> None:
    failures = [RuntimeError("database is locked")]

    def fail_once(_: Inbound) -> None:
        if failures:
            raise failures.pop()

    sink.on_receive = fail_once
    update_id = fake_api.enqueue_update(text_update("hello"))

    await run_poll(channel, sink, until=lambda: bool(sink.received), backoff_initial=0.01)

    assert [inbound.provider_id for inbound in sink.received] == [str(update_id)]
    assert failures == []


async def test_stop_interrupts_a_long_poll_in_flight(
    channel: TelegramChannel, fake_api: FakeTelegramApi, sink: RecordingSink
) -> None:
    fake_api.long_poll_cap_seconds = 2
    stop = asyncio.Event()
    task = asyncio.create_task(channel.poll(sink, stop, long_poll_seconds=30))
    await eventually(lambda: bool(fake_api.calls_to("getUpdates")))

    stop.set()

    await asyncio.wait_for(task, timeout=1)
    assert sink.received == []


async def test_polling_with_a_wrong_token_stops_with_a_config_error(
    api_base_url: str, sink: RecordingSink
) -> None:
    telegram = TelegramChannel(make_settings(api_base_url, telegram_token="999:wrong-token"))
    try:
        with pytest.raises(ConfigError, match="SWITCHBOARD_TELEGRAM_TOKEN"):
            await asyncio.wait_for(telegram.poll(sink, asyncio.Event()), timeout=5)
    finally:
        await telegram.aclose()
