"""The engine as a whole: global keywords, opt-out, language decisions, expiry, BACK, purity."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.types import ContactState, Session
from tests.engine.harness import Chat, load_flows, make_content

MAIN = """
id: main
start: main_menu
steps:
  main_menu:
    type: menu
    text: menu.prompt
    choices:
      - {label: menu.housing, next: q1}
      - {label: menu.food, next: q1}
    on_text: search
  search: {type: service_search}
  q1: {type: ask, text: q1, var: a, next: q2}
  q2: {type: ask, text: q2, var: b, next: main_menu}
"""
ENGINE_DIR = Path(__file__).parents[2] / "bot" / "engine"


def chat(**contact: object) -> Chat:
    conversation = Chat(make_content(load_flows(MAIN)))
    conversation.contact = ContactState(**{"language": "en", **contact})  # type: ignore[arg-type]
    return conversation


def test_stop_in_any_language_opts_out_with_a_compliance_reply() -> None:
    c = chat()
    c.send("hi")
    assert c.send("PARAR") == ["compliance.stop"]
    assert c.last is not None and c.last.replies[0].compliance
    assert "opted_out" in c.events and c.session is None


def test_nothing_is_said_to_an_opted_out_resident_until_start() -> None:
    c = chat(opted_out=True)
    assert c.send("hello?") == []
    assert c.send("help") == []
    assert c.send("stop") == []
    replies = c.send("start")
    assert replies[0] == "compliance.start" and "opted_in" in c.events
    assert replies[-1] == "menu.prompt"


def test_help_and_human_keep_the_resident_where_they_are() -> None:
    c = chat()
    c.send("hi")
    c.send("1")
    assert c.step == "q1"
    assert c.send("HELP") == ["compliance.help"]
    assert c.step == "q1"
    assert c.send("talk to a person") == ["handoff.human"]
    assert "handoff_requested" in c.events and c.step == "q1"


def test_menu_keyword_wins_over_any_step() -> None:
    c = chat()
    c.send("hi")
    c.send("1")
    assert c.send("Menú") == ["menu.prompt"]
    assert c.step == "main_menu"


def test_back_returns_to_the_previous_question() -> None:
    c = chat()
    c.send("hi")
    c.send("1")
    c.send("first answer")
    assert c.step == "q2"
    assert c.send("back") == ["q1"]
    assert c.step == "q1"
    assert c.send("back") == ["menu.prompt"]


def test_an_expired_session_starts_over() -> None:
    c = chat()
    c.send("hi")
    c.send("1")
    c.later(hours=25)
    assert c.send("whatever") == ["menu.prompt"]
    assert c.step == "main_menu"


def test_a_confident_detection_switches_language_but_a_choice_is_kept() -> None:
    c = chat(language="en", language_source="detected")
    c.send("hola, necesito ayuda con la renta", detected=("es", 0.95))
    assert c.last is not None and c.last.language == "es"
    c.contact = replace(c.contact, language_source="choice")
    c.send("I need food", detected=("en", 0.99))
    assert c.last.language == "es"


def test_a_weak_detection_keeps_the_current_language() -> None:
    c = chat(language="es", language_source="detected")
    c.send("ok", detected=("en", 0.3))
    assert c.last is not None and c.last.language == "es"


def test_unknown_language_asks_once_with_the_language_menu() -> None:
    c = chat(language=None)
    assert c.send("mmm blah", detected=(None, 0.0)) == ["language.unsure"]
    assert c.last is not None
    labels = [(choice.key, choice.language) for choice in c.last.replies[0].choices]
    assert labels == [("language.name", "en"), ("language.name", "es")]
    assert c.send("2") == ["language.set", "menu.prompt"]
    assert c.contact.language == "es" and c.contact.language_source == "choice"
    c2 = chat(language=None, language_asked=True)
    assert c2.send("mmm blah") == ["menu.prompt"]


def test_a_telegram_language_hint_is_used_when_nothing_else_is_known() -> None:
    c = chat(language=None)
    c.send("/start", language_hint="es-MX")
    assert c.last is not None and c.last.language == "es"


def test_media_without_text_gets_a_polite_note() -> None:
    c = chat()
    c.send("hi")
    assert c.send("", media_count=1) == ["media.text_only"]
    assert c.step == "main_menu"


def test_a_truncated_message_is_flagged_to_the_resident() -> None:
    c = chat()
    assert c.send("x" * 50, truncated=True)[0] == "ask.too_long"


def test_a_session_survives_a_round_trip_through_a_dict() -> None:
    c = chat()
    c.send("hi")
    c.send("1")
    assert c.session is not None
    assert Session.from_dict(c.session.to_dict()) == c.session


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), choice=st.none() | st.text(max_size=5))
def test_any_text_gets_an_outcome_and_never_raises(text: str, choice: str | None) -> None:
    c = chat()
    c.send("hi")
    replies = c.send(text, choice=choice)
    assert c.last is not None
    assert c.last.language in ("en", "es")
    # Every message but a STOP gets some answer: no dead ends.
    assert replies or "opted_out" in c.events


FORBIDDEN = {
    "asyncio",
    "aiosqlite",
    "sqlalchemy",
    "httpx",
    "aiohttp",
    "telegram",
    "twilio",
    "starlette",
    "uvicorn",
    "socket",
    "os",
    "time",
    "requests",
    "subprocess",
}


def test_the_engine_imports_no_io_and_reads_no_clock() -> None:
    for path in ENGINE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
            if isinstance(node, ast.Attribute) and node.attr in ("now", "utcnow", "today"):
                assert not (
                    isinstance(node.value, ast.Name) and node.value.id in ("datetime", "date")
                ), f"{path.name} reads the clock"
            assert not isinstance(node, ast.Await | ast.AsyncFunctionDef), f"{path.name} is async"


def test_a_first_message_that_names_a_need_is_answered_at_once() -> None:
    c = chat()
    assert c.send("I can't pay my rent") == ["services.card", "services.card_more"]
    assert "service_shown" in c.events


def test_a_first_greeting_gets_the_menu() -> None:
    c = chat()
    assert c.send("hello") == ["menu.prompt"]
