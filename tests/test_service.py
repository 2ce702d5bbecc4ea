"""The service layer on a real SQLite file: stored once, answered once, effects in one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import store
from bot.channels.base import StatusUpdate
from bot.models import Inbound, MessageStatus
from bot.runtime import Runtime, open_runtime
from bot.store.tables import messages
from tests.helpers import StepClock, make_settings


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    clock = StepClock()
    async with open_runtime(make_settings(tmp_path), clock=clock) as rt:
        yield rt


def inbound(
    text: str, provider_id: str | None = None, address: str = "+15550001", **extra: object
) -> Inbound:
    return Inbound(
        channel="sms",
        address=address,
        text=text,
        received_at=StepClock()(),
        provider_id=provider_id,
        **extra,  # type: ignore[arg-type]
    )


async def outbound_texts(rt: Runtime) -> list[str]:
    async with rt.db.connect() as conn:
        rows = await conn.execute(
            sa.select(messages.c.text).where(messages.c.direction == "out").order_by(messages.c.id)
        )
        return [row.text for row in rows]


async def test_a_first_message_is_stored_and_answered_with_the_menu(runtime: Runtime) -> None:
    result = await runtime.service.handle(inbound("hello", "SM1"))
    assert not result.duplicate
    assert "Riverton" in result.replies[0].text
    services = runtime.catalog.render("menu.services", "en")
    assert f"\n1. {services}\n" in result.replies[-1].text
    async with runtime.db.connect() as conn:
        assert await store.count_messages(conn, direction="in", status=MessageStatus.HANDLED) == 1
        assert await store.count_messages(
            conn, direction="out", status=MessageStatus.QUEUED
        ) == len(result.replies)


async def test_a_provider_retry_is_stored_once_and_answered_once(runtime: Runtime) -> None:
    first = await runtime.service.handle(inbound("hello", "SM-dup"))
    again = await runtime.service.handle(inbound("hello", "SM-dup"))
    assert again.duplicate and again.replies == ()
    async with runtime.db.connect() as conn:
        assert await store.count_messages(conn, direction="in") == 1
        assert await store.count_messages(conn, direction="out") == len(first.replies)


async def test_the_language_is_detected_then_remembered(runtime: Runtime) -> None:
    result = await runtime.service.handle(inbound("hola, necesito ayuda"))
    assert result.language == "es"
    follow = await runtime.service.handle(inbound("1"))
    assert follow.language == "es"
    async with runtime.db.connect() as conn:
        contact = await store.find_contact(conn, "sms", "+15550001")
    assert (
        contact is not None and contact.language == "es" and contact.language_source == "detected"
    )


async def test_stop_opts_out_and_later_messages_get_no_reply(runtime: Runtime) -> None:
    await runtime.service.handle(inbound("hi"))
    stop = await runtime.service.handle(inbound("STOP"))
    assert len(stop.replies) == 1 and stop.replies[0].compliance
    silent = await runtime.service.handle(inbound("are you there?"))
    assert silent.replies == ()
    async with runtime.db.connect() as conn:
        contact = await store.find_contact(conn, "sms", "+15550001")
        events = await store.list_events(conn, kind="opted_out")
    assert contact is not None and contact.opted_out
    assert len(events) == 1


async def test_two_messages_at_the_same_instant_are_handled_in_order(runtime: Runtime) -> None:
    await runtime.service.handle(inbound("hi"))
    first, second = await asyncio.gather(
        runtime.service.handle(inbound("1", "SM-a")), runtime.service.handle(inbound("1", "SM-b"))
    )
    # The first "1" opens the kinds of help; the second picks the first kind from that list.
    assert "Housing" in first.replies[0].text or first.replies[0].choices
    assert second.replies[0].text != first.replies[0].text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "\u200b\u200b",
        "مرحبا، أحتاج مساعدة",
        "x" * 10_000,
        "\x00nul",
        "{city} {0} {",
        "\ud800",
    ],
)
async def test_odd_input_gets_a_sensible_reply(runtime: Runtime, text: str) -> None:
    result = await runtime.service.handle(inbound(text))
    assert result.replies, "every message gets an answer"
    assert all(reply.text.strip() for reply in result.replies)
    assert all("{" not in reply.text for reply in result.replies)


async def test_a_very_long_message_is_kept_whole_and_flagged(runtime: Runtime) -> None:
    await runtime.service.handle(inbound("hi"))
    await runtime.service.handle(inbound("3"))  # share an idea
    long_text = "The park needs lights. " * 500
    result = await runtime.service.handle(inbound(long_text))
    async with runtime.db.connect() as conn:
        stored = await store.list_messages(conn, result.contact_id or 0, limit=10)
        feedback = await store.list_events(conn, kind="feedback_captured")
    assert any(m.text == long_text for m in stored)
    assert feedback and feedback[0].data["truncated"] is True
    assert len(result.replies) >= 2


async def test_a_delivery_report_of_an_unsubscribed_number_opts_out(runtime: Runtime) -> None:
    result = await runtime.service.handle(inbound("hi"))
    reply_id = result.replies[0].id
    assert reply_id is not None
    async with runtime.db.begin() as conn:
        await store.mark_sent(conn, reply_id, "SMabc", runtime.clock())
    await runtime.service.status_update(
        StatusUpdate("sms", "SMabc", MessageStatus.FAILED, "21610", opted_out=True)
    )
    async with runtime.db.connect() as conn:
        contact = await store.find_contact(conn, "sms", "+15550001")
    assert contact is not None and contact.opted_out


async def test_a_group_chat_gets_the_private_chat_note(runtime: Runtime) -> None:
    group = Inbound(
        "telegram", "-100200", "hello bot", StepClock()(), "u1", metadata={"chat_type": "group"}
    )
    result = await runtime.service.handle(group)
    assert len(result.replies) == 1
    assert result.replies[0].text == runtime.catalog.render("telegram.group_only_private", "en")


async def test_sms_menus_are_numbered_lines_and_long_replies_are_split(tmp_path: Path) -> None:
    from bot import sms

    async with open_runtime(make_settings(tmp_path), clock=StepClock()) as rt:
        rt.service.sms_segment_budget = 1  # the shipped texts fit 3; force the menu over budget
        result = await rt.service.handle(inbound("hola"))
    catalog = rt.catalog
    texts = [reply.text for reply in result.replies]
    assert all(reply.choices == () for reply in result.replies), "SMS menus are text"
    assert all(sms.segment_count(text) == 1 for text in texts)
    menu = "\n".join(texts[1:])
    assert menu.startswith(catalog.render("menu.prompt", "es"))
    assert f"1. {catalog.render('menu.services', 'es')}" in menu
    # The Spanish menu needs UCS-2 (ú, í): over one segment, so it went as several messages.
    assert len(texts) > 2


async def test_telegram_replies_keep_their_buttons(runtime: Runtime) -> None:
    result = await runtime.service.handle(Inbound("telegram", "4242", "hello", StepClock()(), "u9"))
    assert [c.value for c in result.replies[-1].choices] == ["1", "2", "3", "4", "5"]


async def test_free_text_at_the_menu_is_searched_not_taken_for_a_similar_choice(
    runtime: Runtime,
) -> None:
    await runtime.service.handle(inbound("xin chào"))
    result = await runtime.service.handle(inbound("tôi cần thức ăn"))  # "I need food"
    search_prompt = runtime.catalog.render("services.search_prompt", "vi")
    assert all(reply.text != search_prompt for reply in result.replies)
    food = runtime.catalog.render("category.food.name", "vi")
    pantry = runtime.catalog.render("service.food-pantry.name", "vi")
    assert any(food in reply.text or pantry in reply.text for reply in result.replies)


async def test_a_resident_who_first_picks_a_language_is_welcomed_as_new(runtime: Runtime) -> None:
    first = await runtime.service.handle(inbound("zzzz qqqq"))
    assert runtime.catalog.render("language.unsure", "en") in first.replies[0].text
    picked = await runtime.service.handle(inbound("2"))
    texts = [reply.text for reply in picked.replies]
    assert runtime.catalog.render("welcome.new", "es", {"city": "Riverton"}) in texts
    again = await runtime.service.handle(inbound("menu"))
    assert runtime.catalog.render("welcome.new", "es", {"city": "Riverton"}) not in [
        reply.text for reply in again.replies
    ]


async def test_a_delivery_report_that_overtakes_the_send_record_is_kept(runtime: Runtime) -> None:
    result = await runtime.service.handle(inbound("hi"))
    reply_id = result.replies[0].id
    assert reply_id is not None
    report = StatusUpdate("sms", "SMearly", MessageStatus.DELIVERED)

    async def record_the_send_a_little_later() -> None:
        await asyncio.sleep(0.3)
        async with runtime.db.begin() as conn:
            await store.mark_sent(conn, reply_id, "SMearly", runtime.clock())

    await asyncio.gather(runtime.service.status_update(report), record_the_send_a_little_later())
    async with runtime.db.connect() as conn:
        assert await store.count_messages(conn, status=MessageStatus.DELIVERED) == 1


async def test_a_report_for_an_unknown_message_changes_nothing(runtime: Runtime) -> None:
    runtime.service.status_grace_seconds = 0.2
    await runtime.service.status_update(
        StatusUpdate("sms", "SMnever", MessageStatus.FAILED, "21610", opted_out=True)
    )
    async with runtime.db.connect() as conn:
        assert await store.count_messages(conn, status=MessageStatus.FAILED) == 0
