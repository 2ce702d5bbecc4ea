"""A small driver for the pure engine: in-memory texts, a chat-like loop, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.engine.context import Content
from bot.engine.directory import Directory, Service
from bot.engine.engine import handle
from bot.engine.flows import Flow, parse_flow
from bot.engine.types import ContactState, EventKind, Message, Outcome, Session
from bot.yamlfile import parse_yaml

BASE_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "language.name": "English",
        "keywords.stop": ["stop", "unsubscribe"],
        "keywords.start": ["start"],
        "keywords.help": ["help"],
        "keywords.menu": ["menu"],
        "keywords.back": ["back"],
        "keywords.language": ["language"],
        "keywords.human": ["agent", "talk to a person"],
        "keywords.yes": ["yes", "y"],
        "keywords.no": ["no", "n"],
        "keywords.more": ["more"],
        "keywords.today": ["today"],
        "keywords.tomorrow": ["tomorrow"],
        "menu.housing": "Housing",
        "menu.food": "Food",
        "menu.feedback": "Share an idea",
        "category.food.name": "Food",
        "category.food.keywords": ["food", "hungry"],
        "category.housing.name": "Housing",
        "category.housing.keywords": ["housing"],
        "service.pantry.name": "Food Pantry",
        "service.pantry.keywords": ["groceries", "pantry"],
        "service.meals.name": "Hot Meals",
        "service.meals.keywords": ["hot meal", "lunch"],
        "service.rent.name": "Rent Help",
        "service.rent.keywords": ["rent", "evicted", "pay my rent"],
    },
    "es": {
        "language.name": "Español",
        "keywords.stop": ["parar", "baja"],
        "keywords.start": ["inicio"],
        "keywords.help": ["ayuda"],
        "keywords.menu": ["menú"],
        "keywords.back": ["atrás"],
        "keywords.language": ["idioma"],
        "keywords.human": ["persona"],
        "keywords.yes": ["sí", "si"],
        "keywords.no": ["no"],
        "keywords.more": ["más"],
        "menu.housing": "Vivienda",
        "menu.food": "Comida",
        "service.rent.keywords": ["renta", "alquiler", "pagar la renta"],
        "category.food.keywords": ["comida", "hambre"],
    },
}


@dataclass
class DictTexts:
    """The engine's Texts protocol over plain dicts."""

    entries: Mapping[str, Mapping[str, Any]]
    languages: Sequence[str] = ("en", "es")
    default_language: str = "en"

    def text(self, language: str, key: str) -> str | None:
        value = self.entries.get(language, {}).get(key)
        return value if isinstance(value, str) else None

    def words(self, language: str, key: str) -> Sequence[str]:
        value = self.entries.get(language, {}).get(key)
        return tuple(value) if isinstance(value, list | tuple) else ()


DIRECTORY = Directory(
    city="Testville",
    sample=True,
    categories=("food", "housing"),
    services=(
        Service("pantry", "food", "+1 555 0101", None, "1 Main St"),
        Service("meals", "food", "+1 555 0102", None, None),
        Service("rent", "housing", "+1 555 0103", "https://example.org/rent", None),
    ),
)
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def load_flows(*sources: str) -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    for number, source in enumerate(sources):
        data, problems = parse_yaml(source, f"flow{number}.yaml")
        assert not problems, problems
        flow, problems = parse_flow(data, f"flow{number}.yaml")
        assert flow is not None and not [p for p in problems if p.severity == "error"], problems
        flows[flow.id] = flow
    return flows


def make_content(
    flows: Mapping[str, Flow], texts: Mapping[str, Mapping[str, Any]] | None = None, **options: Any
) -> Content:
    merged = {
        lang: {**entries, **(texts or {}).get(lang, {})} for lang, entries in BASE_TEXTS.items()
    }
    return Content.build(flows=flows, texts=DictTexts(merged), directory=DIRECTORY, **options)


@dataclass
class Chat:
    """One resident talking to the engine; events are applied the way the service would."""

    content: Content
    contact: ContactState = field(default_factory=lambda: ContactState(language="en"))
    session: Session | None = None
    now: datetime = START
    last: Outcome | None = None

    def send(
        self,
        text: str,
        *,
        choice: str | None = None,
        detected: tuple[str, float] | None = None,
        **extra: Any,
    ) -> list[str]:
        """Send one message; returns the reply keys."""
        language, confidence = detected or (None, 0.0)
        message = Message(
            text, choice=choice, detected_language=language, detected_confidence=confidence, **extra
        )
        outcome = handle(self.content, self.contact, self.session, message, self.now)
        self.last, self.session = outcome, outcome.session
        self._apply(outcome)
        return [reply.key for reply in outcome.replies]

    def _apply(self, outcome: Outcome) -> None:
        contact = replace(self.contact, returning=True)
        for event in outcome.events:
            if event.kind == EventKind.LANGUAGE_SET:
                contact = replace(
                    contact, language=event.data["language"], language_source=event.data["source"]
                )
            elif event.kind == EventKind.OPTED_OUT:
                contact = replace(contact, opted_out=True)
            elif event.kind == EventKind.OPTED_IN:
                contact = replace(contact, opted_out=False)
            elif event.kind == EventKind.LANGUAGE_ASKED:
                contact = replace(contact, language_asked=True)
        self.contact = contact

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    @property
    def events(self) -> list[str]:
        return [event.kind for event in self.last.events] if self.last else []

    @property
    def step(self) -> str | None:
        return self.session.step if self.session else None
