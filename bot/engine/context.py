"""The working state of one engine call, and the results a step can return.

A ``Context`` collects replies and events while steps run; it lives only inside one pure call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.engine.directory import Directory
from bot.engine.matching import keyword_index
from bot.engine.types import ChoiceRef, ContactState, Event, Reply, Texts

if TYPE_CHECKING:
    from bot.engine.flows import Flow


@dataclass(frozen=True)
class Content:
    """Everything staff edit, already loaded and validated: flows, catalogs, services."""

    flows: Mapping[str, Flow]
    texts: Texts
    directory: Directory
    main_flow: str = "main"
    menu_step: str = "main_menu"  # where MENU (and "Main menu" choices) lead, in the main flow
    session_timeout: timedelta = timedelta(hours=24)
    language_confidence_floor: float = 0.6
    keywords: Mapping[str, str] = field(default_factory=dict)  # from matching.keyword_index
    # Per language: the word lists service search uses, built on first use (a memo, not state).
    search_words: dict[tuple[str, str], Any] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(
        cls, flows: Mapping[str, Flow], texts: Texts, directory: Directory, **options: Any
    ) -> Content:
        """A Content with its keyword index computed from ``texts``."""
        return cls(flows, texts, directory, keywords=keyword_index(texts), **options)


@dataclass(frozen=True)
class Go:
    """Continue at ``step`` in the current flow; ``None`` ends the flow."""

    step: str | None


@dataclass(frozen=True)
class Wait:
    """Stay on this step until the resident answers."""


@dataclass(frozen=True)
class Enter:
    """Start ``flow`` (at its start step); come back to ``return_to`` when it ends, if given."""

    flow: str
    return_to: str | None = None
    step: str | None = None


StepResult = Go | Wait | Enter


@dataclass
class Context:
    """Mutable accumulator for one call: the variables of the session, replies and events so far."""

    content: Content
    contact: ContactState
    language: str
    now: datetime
    flow: str
    variables: dict[str, Any]
    retries: int = 0
    replies: list[Reply] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def texts(self) -> Texts:
        return self.content.texts

    def say(
        self,
        key: str,
        variables: Mapping[str, str] | None = None,
        choices: tuple[ChoiceRef, ...] = (),
        *,
        compliance: bool = False,
    ) -> None:
        self.replies.append(Reply(key, dict(variables or {}), choices, compliance))

    def emit(self, kind: str, **data: Any) -> None:
        self.events.append(Event(kind, data))

    def lookup(self, name: str) -> Any:
        """A variable for branches and templates: session variables, or ``contact.*``."""
        if name.startswith("contact."):
            attribute = name.removeprefix("contact.")
            if attribute in ("language", "returning", "opted_out", "language_source"):
                return getattr(self.contact, attribute)
            return self.contact.fields.get(attribute)
        return self.variables.get(name)
