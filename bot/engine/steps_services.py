"""Step types that guide a resident to a civic service: browse by category, or search by free text.

Both share one small state machine kept in the session variable ``_svc``: choosing a category,
choosing a service, then reading its card (with MORE for details).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from bot.engine.context import Context, Enter, Go, StepResult, Wait
from bot.engine.matching import is_word, match_choice
from bot.engine.search import search
from bot.engine.stepbase import FieldReader, Step
from bot.engine.steps_input import DEFAULT_TRIES, give_up_or_retry, has_words
from bot.engine.types import ChoiceRef, EventKind, Message

STATE = "_svc"
MAX_MATCHES = 3
CARD_KEYS = ("name", "summary", "hours", "apply")
DETAIL_KEYS = ("name", "eligibility", "documents")


def text_of(ctx: Context, key: str) -> str:
    texts = ctx.texts
    return texts.text(ctx.language, key) or texts.text(texts.default_language, key) or ""


@dataclass(frozen=True)
class BrowseServices(Step):
    """Show the kinds of help, then the services of the chosen kind, then one service's card.

    ```yaml
    services:
      type: services
      next: main_menu     # where 'Main menu' on a service card goes (default: the main menu)
    ```
    """

    TYPE = "services"
    WAITS = True

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        return cls(**cls.common(fields))

    def message_keys(self) -> list[str]:
        return [
            "services.categories",
            "services.in_category",
            "services.card",
            "services.card_more",
            "services.details",
            "services.more_choice",
            "services.menu_choice",
        ]

    def enter(self, ctx: Context) -> StepResult:
        return self.show_categories(ctx, "services.categories")

    def resume(self, ctx: Context, message: Message) -> StepResult:
        state: dict[str, Any] = dict(ctx.variables.get(STATE) or {})
        phase = state.get("phase")
        reply = message.choice or message.text
        if phase == "card":
            return self.on_card(ctx, state, reply)
        options = list(state.get("options") or [])
        labels = tuple(
            ChoiceRef(f"{'category' if phase == 'category' else 'service'}.{oid}.name", str(i + 1))
            for i, oid in enumerate(options)
        )
        picked = match_choice(reply, labels, ctx.language, ctx.texts)
        if picked is None:
            return self.not_understood(ctx, message, labels)
        if phase == "category":
            return self.show_category(ctx, options[picked])
        return self.show_card(ctx, options[picked])

    def not_understood(
        self, ctx: Context, message: Message, labels: tuple[ChoiceRef, ...]
    ) -> StepResult:
        if has_words(message.text) and not message.text.strip().isdigit():
            found = self.search_and_show(ctx, message.text)
            if found is not None:
                return found
        result = give_up_or_retry(ctx, self, DEFAULT_TRIES, None)
        if isinstance(result, Wait):
            ctx.say("menu.not_understood", choices=labels)
            return result
        return self.main_menu(ctx)

    def show_categories(self, ctx: Context, prompt: str) -> StepResult:
        categories = list(ctx.content.directory.categories)
        choices = tuple(
            ChoiceRef(f"category.{c}.name", str(i + 1)) for i, c in enumerate(categories)
        )
        ctx.variables[STATE] = {"phase": "category", "options": categories}
        ctx.say(prompt, choices=choices)
        return Wait()

    def show_category(self, ctx: Context, category: str) -> StepResult:
        services = [s.id for s in ctx.content.directory.in_category(category)]
        return self.show_services(
            ctx,
            services,
            "services.in_category",
            {"category": text_of(ctx, f"category.{category}.name")},
        )

    def show_services(
        self,
        ctx: Context,
        services: list[str],
        prompt: str,
        variables: dict[str, str] | None = None,
    ) -> StepResult:
        if len(services) == 1:
            return self.show_card(ctx, services[0])
        choices = tuple(ChoiceRef(f"service.{s}.name", str(i + 1)) for i, s in enumerate(services))
        ctx.variables[STATE] = {"phase": "service", "options": services}
        ctx.retries = 0
        ctx.say(prompt, variables or {}, choices)
        return Wait()

    def show_card(self, ctx: Context, service_id: str) -> StepResult:
        service = ctx.content.directory.get(service_id)
        if service is None:  # the directory changed under a waiting resident
            return self.show_categories(ctx, "services.no_match")
        variables = {k: text_of(ctx, f"service.{service_id}.{k}") for k in CARD_KEYS}
        variables["phone"] = service.phone or ""
        ctx.variables[STATE] = {"phase": "card", "service": service_id}
        ctx.retries = 0
        ctx.emit(EventKind.SERVICE_SHOWN, service=service_id, category=service.category)
        ctx.say("services.card", variables)
        ctx.say("services.card_more", choices=self.card_choices())
        return Wait()

    @staticmethod
    def card_choices() -> tuple[ChoiceRef, ...]:
        return (ChoiceRef("services.more_choice", "1"), ChoiceRef("services.menu_choice", "2"))

    def on_card(self, ctx: Context, state: dict[str, Any], reply: str) -> StepResult:
        picked = match_choice(reply, self.card_choices(), ctx.language, ctx.texts)
        if picked == 0 or is_word(reply, "more", ctx.language, ctx.texts):
            service_id = str(state.get("service"))
            service = ctx.content.directory.get(service_id)
            variables = {k: text_of(ctx, f"service.{service_id}.{k}") for k in DETAIL_KEYS}
            variables["address"] = service.address or "" if service else ""
            variables["web"] = service.web or "" if service else ""
            ctx.say("services.details", variables)
            return self.main_menu(ctx)
        if picked == 1:
            return self.main_menu(ctx)
        if has_words(reply) and not reply.strip().isdigit():
            found = self.search_and_show(ctx, reply)
            if found is not None:
                return found
        return self.main_menu(ctx)

    def main_menu(self, ctx: Context) -> StepResult:
        ctx.variables.pop(STATE, None)
        if self.next:
            return Go(self.next)
        return Enter(ctx.content.main_flow, step=ctx.content.menu_step)

    def search_and_show(self, ctx: Context, text: str) -> StepResult | None:
        """Services, then kinds of help, matching free text; None when nothing fits."""
        matches = search(text, service_keywords(ctx), limit=MAX_MATCHES)
        if matches:
            best = matches[0].score
            close = [m.service_id for m in matches if m.score >= best * 0.8]
            return self.show_services(ctx, close, "services.matches")
        categories = search(text, category_keywords(ctx), limit=1)
        if categories:
            return self.show_category(ctx, categories[0].service_id)
        return None


@dataclass(frozen=True)
class SearchServices(BrowseServices):
    """Find a service from what the resident writes ("I can't pay my rent", "我需要食物").

    Reached from a menu's ``on_text`` it searches the text that was just written; otherwise it asks.

    ```yaml
    search:
      type: service_search
      text: services.search_prompt
    ```
    """

    TYPE = "service_search"
    text: str = "services.search_prompt"

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        text = fields.text("text", required=False, default="services.search_prompt")
        return cls(**cls.common(fields), text=text or "services.search_prompt")

    def message_keys(self) -> list[str]:
        return [*super().message_keys(), self.text, "services.matches", "services.no_match"]

    def enter(self, ctx: Context) -> StepResult:
        pending = ctx.variables.pop("_text", None)
        if isinstance(pending, str) and pending.strip():
            return self.answer(ctx, pending)
        ctx.variables[STATE] = {"phase": "query"}
        ctx.say(self.text)
        return Wait()

    def resume(self, ctx: Context, message: Message) -> StepResult:
        state = dict(ctx.variables.get(STATE) or {})
        if state.get("phase") == "query":
            return self.answer(ctx, message.text)
        return super().resume(ctx, message)

    def answer(self, ctx: Context, text: str) -> StepResult:
        found = self.search_and_show(ctx, text) if has_words(text) else None
        return found or self.show_categories(ctx, "services.no_match")


def service_keywords(ctx: Context) -> dict[str, list[str]]:
    """Per service: its keywords in the resident's language and the default one, and its name."""
    return _search_words(ctx, "service", [s.id for s in ctx.content.directory.services])


def category_keywords(ctx: Context) -> dict[str, list[str]]:
    """Per kind of help: its keywords in the resident's language and the default one, its name."""
    return _search_words(ctx, "category", list(ctx.content.directory.categories))


def _search_words(ctx: Context, kind: str, ids: list[str]) -> dict[str, list[str]]:
    """Built once per kind and language, then kept on the content (a memo, not state)."""
    key = (kind, ctx.language)
    if key not in ctx.content.search_words:
        texts, default = ctx.texts, ctx.texts.default_language
        ctx.content.search_words[key] = {
            item: [
                *texts.words(ctx.language, f"{kind}.{item}.keywords"),
                *texts.words(default, f"{kind}.{item}.keywords"),
                *(name for name in (text_of(ctx, f"{kind}.{item}.name"),) if name),
            ]
            for item in ids
        }
    words: dict[str, list[str]] = ctx.content.search_words[key]
    return words


def names_a_need(ctx: Context, text: str) -> bool:
    """Whether free text points at a service or a kind of help ("我需要食物", "rent")."""
    if not has_words(text) or text.strip().isdigit():
        return False
    return bool(
        search(text, service_keywords(ctx), limit=1)
        or search(text, category_keywords(ctx), limit=1)
    )
