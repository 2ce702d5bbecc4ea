"""Value types of the pure conversation engine: what goes in (session, contact, message) and what comes out.

The engine never renders text: it returns message *keys* with variables, rendered later in the
contact's language by the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol


class Texts(Protocol):
    """Read access to the message catalogs, as plain data (no I/O)."""

    @property
    def languages(self) -> Sequence[str]:
        """The languages offered, in menu order."""

    @property
    def default_language(self) -> str:
        """The source language and last fallback."""

    def text(self, language: str, key: str) -> str | None:
        """The text of ``key`` in ``language`` only (no fallback), or None."""

    def words(self, language: str, key: str) -> Sequence[str]:
        """A word list (keywords, service keywords) in ``language`` only; empty when absent."""


@dataclass(frozen=True)
class ChoiceRef:
    """A menu option: a label key (rendered in ``language`` when set) and the value it answers with."""

    key: str
    value: str
    variables: Mapping[str, str] = field(default_factory=dict)
    language: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message to the resident, as a catalog key with variables, optionally with a menu."""

    key: str
    variables: Mapping[str, str] = field(default_factory=dict)
    choices: tuple[ChoiceRef, ...] = ()
    compliance: bool = (
        False  # a carrier-required confirmation (STOP/START): sent even after opt-out
    )


@dataclass(frozen=True)
class Event:
    """Something that happened which the service layer records or acts on."""

    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


class EventKind:
    LANGUAGE_SET = "language_set"
    LANGUAGE_ASKED = "language_asked"
    OPTED_OUT = "opted_out"
    OPTED_IN = "opted_in"
    HANDOFF_REQUESTED = "handoff_requested"
    ANSWER_SAVED = "answer_saved"
    FEEDBACK_CAPTURED = "feedback_captured"
    SERVICE_SHOWN = "service_shown"
    FLOW_STARTED = "flow_started"
    FLOW_ENDED = "flow_ended"


@dataclass(frozen=True)
class Frame:
    """Where to come back to when a sub-flow ends."""

    flow: str
    step: str


@dataclass(frozen=True)
class Session:
    """A contact's place in a conversation."""

    flow: str
    step: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    stack: tuple[Frame, ...] = ()
    retries: int = 0
    expires_at: datetime | None = None
    history: tuple[Frame, ...] = ()  # steps that waited for input, for BACK

    def with_vars(self, **values: Any) -> Session:
        return replace(self, variables={**self.variables, **values})

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "step": self.step,
            "variables": {
                **dict(self.variables),
                "_history": [[f.flow, f.step] for f in self.history],
            },
            "stack": [[f.flow, f.step] for f in self.stack],
            "retries": self.retries,
            "expires_at": self.expires_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        variables = dict(data.get("variables") or {})
        history = tuple(Frame(str(f), str(s)) for f, s in variables.pop("_history", []))
        return cls(
            flow=str(data["flow"]),
            step=str(data["step"]),
            variables=variables,
            stack=tuple(Frame(str(f), str(s)) for f, s in data.get("stack") or []),
            retries=int(data.get("retries") or 0),
            expires_at=data.get("expires_at"),
            history=history,
        )


@dataclass(frozen=True)
class ContactState:
    """What the engine may know about the contact."""

    language: str | None  # None until detected, hinted or chosen
    language_source: str | None = None  # "choice" | "detected" | "hint" | "default"
    opted_out: bool = False
    returning: bool = False  # has talked to us before
    language_asked: bool = False
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Message:
    """An inbound message as the engine sees it."""

    text: str
    choice: str | None = None  # a button press: the choice value itself
    detected_language: str | None = None
    detected_confidence: float = 0.0
    language_hint: str | None = None
    start_payload: str | None = None
    media_count: int = 0
    truncated: bool = False


@dataclass(frozen=True)
class Outcome:
    """What the engine decided: the new session, replies to render in ``language``, events to record."""

    session: Session | None
    language: str
    replies: tuple[Reply, ...] = ()
    events: tuple[Event, ...] = ()
