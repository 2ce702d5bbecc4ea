"""The simulator over real loopback HTTP: the page is accessible and data-free, the script never
parses text as HTML, and the API renders replies as SMS or Telegram would."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import httpx

from bot import sms, store
from bot.channels.registry import build_channels
from bot.models import Choice
from bot.outbox import Sender
from bot.runtime import Runtime
from bot.web.app import create_app
from bot.web.simulator import STATIC_DIR
from tests.web.conftest import Served

API = "/simulator/api/send"


async def say(served: Served, style: str, address: str, text: str, **extra: Any) -> dict[str, Any]:
    response = await served.client.post(
        API, json={"channel": style, "address": address, "text": text, **extra}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    data: dict[str, Any] = response.json()
    return data


async def test_the_page_has_a_labelled_form_and_a_live_transcript(served: Served) -> None:
    response = await served.client.get("/simulator")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert re.search(r'<html lang="en"', html)
    assert '<form id="compose"' in html
    assert '<label for="message">' in html and 'id="message"' in html
    assert re.search(r'<button type="submit"[^>]*>Send</button>', html)
    assert re.search(r'<button type="button" id="new-resident">', html)
    assert 'aria-live="polite"' in html
    assert "<legend>" in html  # the SMS / Telegram radios are a labelled group
    assert 'name="viewport"' in html
    # Only same-origin script and style, none inline, nothing from a CDN.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/simulator/static/simulator.js" defer>'
    ]
    assert "<style" not in html and "http://" not in html and "https://" not in html
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy


async def test_the_page_never_contains_what_residents_typed(served: Served) -> None:
    marker = "<b>marker-5f1e</b>"
    await say(served, "sms", "quiet", marker)

    html = (await served.client.get("/simulator")).text

    assert "marker-5f1e" not in html


async def test_the_script_builds_nodes_with_text_content_only(served: Served) -> None:
    response = await served.client.get("/simulator/static/simulator.js")
    assert response.status_code == 200
    script = response.text
    assert script == (STATIC_DIR / "simulator.js").read_text(encoding="utf-8")
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    css = await served.client.get("/simulator/static/simulator.css")
    assert css.status_code == 200


async def test_hi_over_sms_gets_the_welcome_and_a_numbered_menu(served: Served) -> None:
    runtime = served.runtime
    welcome = runtime.catalog.render("welcome.new", "en", runtime.service.globals())

    data = await say(served, "sms", "sms-resident", "hi")

    replies = data["replies"]
    assert replies[0]["text"] == welcome
    menu = replies[-1]
    assert re.search(r"^1\. \S", menu["text"], re.MULTILINE)
    assert menu["choices"] == []
    assert menu["segments"] == sms.segment_count(menu["text"])
    assert menu["encoding"] == sms.encoding(menu["text"])
    assert data["language"] == "en"


async def test_telegram_shows_the_same_menu_as_buttons(served: Served) -> None:
    over_sms = (await say(served, "sms", "twin-a", "hi"))["replies"]
    over_telegram = (await say(served, "telegram", "twin-b", "hi"))["replies"]

    assert len(over_sms) == len(over_telegram)
    menu = over_telegram[-1]
    assert len(menu["choices"]) >= 2
    assert menu["segments"] is None and menu["encoding"] is None
    for as_sms, as_telegram in zip(over_sms, over_telegram, strict=True):
        buttons = [Choice(c["label"], c["value"]) for c in as_telegram["choices"]]
        assert as_sms["text"] == sms.render(as_telegram["text"], buttons)


async def test_pressing_a_button_answers_like_texting_its_number(served: Served) -> None:
    menu = (await say(served, "telegram", "presser", "hi"))["replies"][-1]
    first = menu["choices"][0]
    await say(served, "sms", "texter", "hi")

    pressed = await say(served, "telegram", "presser", first["label"], choice=first["value"])
    texted = await say(served, "sms", "texter", first["value"])

    assert pressed["replies"]
    for as_telegram, as_sms in zip(pressed["replies"], texted["replies"], strict=True):
        buttons = [Choice(c["label"], c["value"]) for c in as_telegram["choices"]]
        assert as_sms["text"] == sms.render(as_telegram["text"], buttons)


async def test_markup_from_a_resident_stays_text(served: Served) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'

    response = await served.client.post(
        API, json={"channel": "sms", "address": "mallory", "text": attack}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["replies"], list)
    async with served.runtime.db.begin() as conn:
        contact = await store.find_contact(conn, "console", "sim-mallory")
        assert contact is not None
        stored = await store.list_messages(conn, contact.id)
    assert stored[0].text == attack  # kept verbatim; the page shows it with textContent


async def test_replies_are_marked_sent(served: Served) -> None:
    await say(served, "sms", "delivered", "hi")
    async with served.runtime.db.begin() as conn:
        contact = await store.find_contact(conn, "console", "sim-delivered")
        assert contact is not None
        outbound = [m for m in await store.list_messages(conn, contact.id) if m.direction == "out"]
        depth = await store.queue_depth(conn)
    assert outbound and {m.status for m in outbound} == {"sent"}
    assert depth == 0


async def test_requests_the_api_does_not_understand_are_400(served: Served) -> None:
    bad_bodies: list[bytes | dict[str, Any]] = [
        b"not json",
        b"[1, 2]",
        {"channel": "sms", "address": "a", "text": "hi", "admin": True},
        {"channel": "fax", "address": "a", "text": "hi"},
        {"channel": "sms", "address": "../etc", "text": "hi"},
        {"channel": "sms", "address": "", "text": "hi"},
        {"channel": "sms", "address": "a", "text": 5},
        {"channel": "sms", "address": "a", "text": ""},
        {"channel": "telegram", "address": "a", "text": "x", "choice": "v" * 65},
    ]
    for body in bad_bodies:
        if isinstance(body, bytes):
            response = await served.client.post(
                API, content=body, headers={"content-type": "application/json"}
            )
        else:
            response = await served.client.post(API, json=body)
        assert response.status_code == 400, body
        assert isinstance(response.json()["error"], str)


async def test_the_simulator_can_be_turned_off(runtime: Runtime) -> None:
    closed = replace(runtime, settings=runtime.settings.model_copy(update={"simulator": False}))
    channels = build_channels(closed.settings)
    app = create_app(closed, channels, Sender(closed.db, channels, closed.settings, closed.clock))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/simulator")).status_code == 404
        sent = await client.post("/simulator/api/send", json={"channel": "sms", "text": "hi"})
        assert sent.status_code == 404
        assert (await client.get("/")).status_code == 200
    await channels.aclose()
