"""Which language to answer in, and the language picker (a short menu of language names).

The resident's explicit choice always wins and is remembered; a detection only counts above the
confidence floor; with nothing to go on we keep the current language, or ask once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from bot.engine.context import Content, Context, Enter, Go, StepResult, Wait
from bot.engine.matching import match_choice, normalize
from bot.engine.stepbase import FieldReader, Step
from bot.engine.steps_input import DEFAULT_TRIES, give_up_or_retry
from bot.engine.types import ChoiceRef, ContactState, Event, EventKind, Frame, Message, Session

LANGUAGE_FLOW = "_language"
PICK_STEP = "pick"


def decide_language(
    content: Content, contact: ContactState, message: Message
) -> tuple[str, list[Event], bool]:
    """The language to answer in, the events that record a change, and whether to ask."""
    languages = content.texts.languages
    default = content.texts.default_language
    current = contact.language if contact.language in languages else None
    if current is not None and contact.language_source == "choice":
        return current, [], False
    guess = message.detected_language
    confident = (
        guess in languages and message.detected_confidence >= content.language_confidence_floor
    )
    if confident and guess is not None:
        if guess == current:
            return current, [], False
        source = {
            "language": guess,
            "source": "detected",
            "confidence": message.detected_confidence,
        }
        return guess, [Event(EventKind.LANGUAGE_SET, source)], False
    if current is not None:
        return current, [], False
    hint = _hint(message.language_hint, languages)
    if hint is not None:
        return hint, [Event(EventKind.LANGUAGE_SET, {"language": hint, "source": "hint"})], False
    events = [Event(EventKind.LANGUAGE_SET, {"language": default, "source": "default"})]
    worth_asking = not contact.language_asked and _has_letters(message.text) and not message.choice
    return default, events, worth_asking


def _hint(code: str | None, languages: tuple[str, ...] | list[str] | object) -> str | None:
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if isinstance(languages, tuple | list) and base in languages else None


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in normalize(text))


def picker_choices(content: Content) -> tuple[ChoiceRef, ...]:
    return tuple(
        ChoiceRef("language.name", str(i + 1), language=lang)
        for i, lang in enumerate(content.texts.languages)
    )


def enter_picker(ctx: Context, session: Session | None, *, unsure: bool) -> Session:
    """Show the language menu and remember where to come back to."""
    if session is not None and session.flow != LANGUAGE_FLOW:
        back = [session.flow, session.step]
    else:
        back = [ctx.content.main_flow, ""]
    ctx.say("language.unsure" if unsure else "language.prompt", choices=picker_choices(ctx.content))
    history = session.history if session else ()
    return Session(LANGUAGE_FLOW, PICK_STEP, {"_return": back}, (), 0, None, history)


def apply_pick(ctx: Context, message: Message) -> bool:
    """If the message names a language of the menu, switch to it (the resident's choice wins)."""
    choices = picker_choices(ctx.content)
    picked = match_choice(message.choice or message.text, choices, ctx.language, ctx.texts)
    if picked is None:
        picked = _by_any_label(message.text, ctx)
    if picked is None:
        return False
    language = ctx.content.texts.languages[picked]
    ctx.language = language
    ctx.emit(EventKind.LANGUAGE_SET, language=language, source="choice")
    ctx.say("language.set")
    return True


def resume_picker(ctx: Context, session: Session, message: Message) -> Frame | None:
    """Handle an answer to the language menu; the frame to return to, or None to keep asking."""
    flow, step = (session.variables.get("_return") or [ctx.content.main_flow, ""])[:2]
    if apply_pick(ctx, message):
        return Frame(str(flow), str(step) if step else "")
    choices = picker_choices(ctx.content)
    ctx.retries = session.retries + 1
    if ctx.retries >= DEFAULT_TRIES:
        return Frame(str(flow), str(step) if step else "")
    ctx.say("language.prompt", choices=choices)
    return None


def _by_any_label(text: str, ctx: Context) -> int | None:
    """A language named in any language or by its code: 'spanish', 'es', '中文'."""
    norm = normalize(text)
    if not norm:
        return None
    for i, lang in enumerate(ctx.content.texts.languages):
        if norm == lang:
            return i
        for other in ctx.content.texts.languages:
            label = ctx.content.texts.text(other, f"language.names.{lang}")
            if label and normalize(label) == norm:
                return i
    return None


@dataclass(frozen=True)
class ChooseLanguage(Step):
    """The language menu as a step: each language listed in its own name.

    ```yaml
    pick:
      type: language
      next: main_menu     # default: the main menu
    ```
    """

    TYPE = "language"
    WAITS = True

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        return cls(**cls.common(fields))

    def message_keys(self) -> list[str]:
        return ["language.prompt", "language.set", "language.name"]

    def enter(self, ctx: Context) -> StepResult:
        ctx.say("language.prompt", choices=picker_choices(ctx.content))
        return Wait()

    def resume(self, ctx: Context, message: Message) -> StepResult:
        if apply_pick(ctx, message):
            return self._onward(ctx)
        result = give_up_or_retry(ctx, self, DEFAULT_TRIES, None)
        if isinstance(result, Wait):
            ctx.say("language.prompt", choices=picker_choices(ctx.content))
            return result
        return self._onward(ctx)

    def _onward(self, ctx: Context) -> StepResult:
        if self.next:
            return Go(self.next)
        return Enter(ctx.content.main_flow, step=ctx.content.menu_step)
