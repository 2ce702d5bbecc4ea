"""Runs every YAML case file in tests/engine/cases/: one file per step type, read like a chat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.flows import STEP_TYPES
from bot.engine.types import ContactState
from tests.engine.harness import Chat, load_flows, make_content

CASES = Path(__file__).parent / "cases"


def _conversations() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for conversation in data["conversations"]:
            params.append(
                pytest.param(path, conversation, id=f"{path.stem}: {conversation['name']}")
            )
    return params


def test_every_step_type_has_a_case_file() -> None:
    assert {path.stem for path in CASES.glob("*.yaml")} >= set(STEP_TYPES)


@pytest.mark.parametrize(("path", "conversation"), _conversations())
def test_conversation(path: Path, conversation: dict[str, Any]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    flows = load_flows(*(yaml.safe_dump(flow) for flow in data["flows"]))
    chat = Chat(make_content(flows, data.get("texts")))
    chat.contact = ContactState(**{"language": "en", **conversation.get("contact", {})})
    for number, turn in enumerate(conversation["turns"], start=1):
        detected = tuple(turn["detected"]) if "detected" in turn else None
        replies = chat.send(str(turn["send"]), choice=turn.get("choice"), detected=detected)  # type: ignore[arg-type]
        where = f"turn {number} ({turn['send']!r})"
        assert replies == turn["replies"], where
        if "step" in turn:
            assert chat.step == turn["step"], where
        for name, value in turn.get("vars", {}).items():
            assert chat.session is not None and chat.session.variables.get(name) == value, where
        for kind in turn.get("events", []):
            assert kind in chat.events, where
        if "language" in turn:
            assert chat.last is not None and chat.last.language == turn["language"], where
