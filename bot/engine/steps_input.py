"""Step types that wait for the resident: menu, ask, feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from bot.engine.context import Context, Enter, Go, StepResult, Wait
from bot.engine.matching import match_choice, parse_date, parse_number, parse_yes_no
from bot.engine.stepbase import FieldReader, Step
from bot.engine.types import ChoiceRef, EventKind, Message

DEFAULT_TRIES = 3
GIVE_UP_KEY = "ask.give_up"


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def give_up_or_retry(ctx: Context, step: Step, max_tries: int, on_fail: str | None) -> StepResult:
    """After a reply we could not use: count it, and after too many, move on gracefully."""
    ctx.retries += 1
    if ctx.retries >= max_tries:
        ctx.say(GIVE_UP_KEY)
        return Go(on_fail)
    return Wait()


@dataclass(frozen=True)
class Option:
    label: str
    next: str | None
    flow: str | None
    value: str | None


@dataclass(frozen=True)
class Menu(Step):
    """A numbered list. A reply matches by number, by the choice's words, or by a close spelling.

    ```yaml
    main_menu:
      type: menu
      text: menu.prompt
      var: choice                 # optional: save the picked option's value
      choices:
        - label: menu.services    # a key in messages/<lang>.yaml
          next: services
        - label: menu.feedback
          flow: feedback          # or start another flow (and come back to 'next' of the menu)
      on_text: search             # optional: where free text that is not a choice goes
      max_tries: 3
      on_fail: main_menu
    ```
    """

    TYPE = "menu"
    WAITS = True
    text: str = ""
    options: tuple[Option, ...] = ()
    var: str | None = None
    on_text: str | None = None
    max_tries: int = DEFAULT_TRIES
    on_fail: str | None = None

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        options: list[Option] = []
        for item in fields.items("choices"):
            if not isinstance(item, dict) or not isinstance(item.get("label"), str):
                fields.problem("each choice needs a 'label' (a message key)", "choices")
                continue
            unknown = set(item) - {"label", "next", "flow", "value"}
            if unknown:
                fields.problem(
                    f"a choice has unknown field(s): {', '.join(sorted(unknown))}", "choices"
                )
            if not item.get("next") and not item.get("flow"):
                fields.problem(f"choice '{item['label']}' needs 'next' or 'flow'", "choices")
            options.append(
                Option(
                    label=item["label"],
                    next=_opt_str(item.get("next")),
                    flow=_opt_str(item.get("flow")),
                    value=_opt_str(item.get("value")),
                )
            )
        return cls(
            **cls.common(fields),
            text=fields.text("text") or "",
            options=tuple(options),
            var=fields.text("var", required=False),
            on_text=fields.text("on_text", required=False),
            max_tries=int(fields.number("max_tries", DEFAULT_TRIES) or DEFAULT_TRIES),
            on_fail=fields.text("on_fail", required=False),
        )

    def choices(self) -> tuple[ChoiceRef, ...]:
        return tuple(ChoiceRef(opt.label, str(i + 1)) for i, opt in enumerate(self.options))

    def targets(self) -> list[str]:
        found = [opt.next for opt in self.options if opt.next]
        return found + [t for t in (self.on_text, self.on_fail, self.next) if t]

    def flows(self) -> list[str]:
        return [opt.flow for opt in self.options if opt.flow]

    def message_keys(self) -> list[str]:
        return [self.text, *(opt.label for opt in self.options)]

    def enter(self, ctx: Context) -> StepResult:
        ctx.say(self.text, choices=self.choices())
        return Wait()

    def resume(self, ctx: Context, message: Message) -> StepResult:
        picked = match_choice(
            message.choice or message.text, self.choices(), ctx.language, ctx.texts
        )
        if picked is not None:
            option = self.options[picked]
            if self.var:
                ctx.variables[self.var] = option.value or option.label
                ctx.emit(EventKind.ANSWER_SAVED, var=self.var, value=ctx.variables[self.var])
            if option.flow:
                return Enter(option.flow, return_to=option.next or self.next)
            return Go(option.next)
        if self.on_text and has_words(message.text) and not message.text.strip().isdigit():
            ctx.variables["_text"] = message.text
            return Go(self.on_text)
        result = give_up_or_retry(ctx, self, self.max_tries, self.on_fail)
        if isinstance(result, Wait):
            ctx.say("menu.not_understood", choices=self.choices())
        return result


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


INPUT_KINDS = ("text", "number", "yes_no", "date")


@dataclass(frozen=True)
class Ask(Step):
    """Ask a question and save the answer, checking it is the right kind.

    ```yaml
    ask_household:
      type: ask
      text: survey.household_size
      input: number          # text | number | yes_no | date
      min: 1
      max: 20
      var: household_size
      max_tries: 3           # then a kind way out, to 'on_fail' (or the end of the flow)
      on_fail: main_menu
      next: thanks
    ```
    """

    TYPE = "ask"
    WAITS = True
    text: str = ""
    input: str = "text"
    var: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_tries: int = DEFAULT_TRIES
    on_fail: str | None = None

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        kind = fields.text("input", required=False, default="text") or "text"
        if kind not in INPUT_KINDS:
            fields.problem(f"'input' should be one of {', '.join(INPUT_KINDS)}", "input")
        return cls(
            **cls.common(fields),
            text=fields.text("text") or "",
            input=kind,
            var=fields.text("var") or "",
            minimum=fields.number("min"),
            maximum=fields.number("max"),
            max_tries=int(fields.number("max_tries", DEFAULT_TRIES) or DEFAULT_TRIES),
            on_fail=fields.text("on_fail", required=False),
        )

    def targets(self) -> list[str]:
        return [t for t in (self.next, self.on_fail) if t]

    def message_keys(self) -> list[str]:
        return [self.text, GIVE_UP_KEY, f"ask.invalid.{self.input}", "ask.invalid.number_range"]

    def enter(self, ctx: Context) -> StepResult:
        ctx.say(self.text)
        return Wait()

    def resume(self, ctx: Context, message: Message) -> StepResult:
        value, problem_key = self._read(ctx, message.text)
        if problem_key is None:
            ctx.variables[self.var] = value
            ctx.emit(EventKind.ANSWER_SAVED, var=self.var, value=value)
            return Go(self.next)
        result = give_up_or_retry(ctx, self, self.max_tries, self.on_fail)
        if isinstance(result, Wait):
            ctx.say(problem_key, self._range_vars())
        return result

    def _range_vars(self) -> dict[str, str]:
        def show(x: float | None) -> str:
            return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))

        return {"min": show(self.minimum), "max": show(self.maximum)}

    def _read(self, ctx: Context, text: str) -> tuple[Any, str | None]:
        invalid = f"ask.invalid.{self.input}"
        if self.input == "number":
            number = parse_number(text)
            if number is None:
                return None, invalid
            low = self.minimum if self.minimum is not None else float("-inf")
            high = self.maximum if self.maximum is not None else float("inf")
            if not low <= number <= high:
                return None, "ask.invalid.number_range"
            return (int(number) if number.is_integer() else number), None
        if self.input == "yes_no":
            answer = parse_yes_no(text, ctx.language, ctx.texts)
            return answer, (None if answer is not None else invalid)
        if self.input == "date":
            parsed = parse_date(text, ctx.language, ctx.texts, ctx.now.date())
            return (parsed.isoformat() if isinstance(parsed, date) else None), (
                None if parsed else invalid
            )
        cleaned = text.strip()
        return cleaned, (None if has_words(cleaned) else invalid)


@dataclass(frozen=True)
class Feedback(Step):
    """Take one free-text message as feedback (classified and routed to boards by later features).

    ```yaml
    idea:
      type: feedback
      text: feedback.prompt
      thanks: feedback.thanks
      next: main_menu
    ```
    """

    TYPE = "feedback"
    WAITS = True
    text: str = ""
    thanks: str = ""

    @classmethod
    def parse(cls, fields: FieldReader) -> Self:
        return cls(
            **cls.common(fields),
            text=fields.text("text") or "",
            thanks=fields.text("thanks") or "",
        )

    def message_keys(self) -> list[str]:
        return [self.text, self.thanks, "ask.invalid.text", GIVE_UP_KEY]

    def enter(self, ctx: Context) -> StepResult:
        ctx.say(self.text)
        return Wait()

    def resume(self, ctx: Context, message: Message) -> StepResult:
        text = message.text.strip()
        if not has_words(text):
            result = give_up_or_retry(ctx, self, DEFAULT_TRIES, None)
            if isinstance(result, Wait):
                ctx.say("ask.invalid.text")
            return result
        ctx.emit(
            EventKind.FEEDBACK_CAPTURED,
            text=text,
            language=ctx.language,
            flow=ctx.flow,
            truncated=message.truncated,
        )
        ctx.say(self.thanks)
        return Go(self.next)
