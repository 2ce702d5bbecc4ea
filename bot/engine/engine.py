"""The pure conversation engine: ``handle(content, contact, session, message, now) -> Outcome``.

Order of business for every message: compliance keywords (STOP/START) first, then the language, then
the other global keywords, then the step the resident is on. No I/O, no clock, no ``await``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.engine.context import Content, Context, Enter, StepResult, Wait
from bot.engine.language import LANGUAGE_FLOW, decide_language, enter_picker, resume_picker
from bot.engine.matching import global_keyword
from bot.engine.steps_input import Menu
from bot.engine.steps_services import names_a_need
from bot.engine.types import (
    ContactState,
    Event,
    EventKind,
    Frame,
    Message,
    Outcome,
    Reply,
    Session,
)

MAX_TRANSITIONS = 64  # a flow that loops without waiting is cut off here
MAX_HISTORY = 10


def handle(
    content: Content,
    contact: ContactState,
    session: Session | None,
    message: Message,
    now: datetime,
) -> Outcome:
    """Decide what to say and do about one inbound message."""
    keyword = None if message.choice else global_keyword(message.text, content.keywords)
    default = content.texts.default_language
    if keyword == "stop":
        if contact.opted_out:
            return Outcome(session, contact.language or default)
        return Outcome(
            None,
            contact.language or default,
            (Reply("compliance.stop", compliance=True),),
            (Event(EventKind.OPTED_OUT, {"keyword": message.text.strip()[:40]}),),
        )
    if contact.opted_out and keyword != "start":
        return Outcome(
            session, contact.language or default
        )  # never a word to someone who said STOP

    language, language_events, unsure = decide_language(content, contact, message)
    if session is not None and session.expires_at is not None and session.expires_at <= now:
        session = None
    ctx = Context(
        content=content,
        contact=contact,
        language=language,
        now=now,
        flow=session.flow if session else content.main_flow,
        variables=dict(session.variables) if session else {},
        retries=session.retries if session else 0,
    )
    ctx.events.extend(language_events)
    if message.truncated:
        ctx.say("ask.too_long")
    new_session = _dispatch(ctx, session, message, keyword, unsure)
    if new_session is not None:
        new_session = replace(new_session, expires_at=now + content.session_timeout)
    return Outcome(new_session, ctx.language, tuple(ctx.replies), tuple(ctx.events))


def _dispatch(
    ctx: Context, session: Session | None, message: Message, keyword: str | None, unsure: bool
) -> Session | None:
    content = ctx.content
    if keyword == "start":
        if ctx.contact.opted_out:
            ctx.emit(EventKind.OPTED_IN)
            ctx.say("compliance.start", compliance=True)
        payload = message.start_payload
        if payload and payload in content.flows:
            return _run(ctx, Enter(payload), session, ())
        return _run(ctx, Enter(content.main_flow), session, ())
    if message.media_count and not message.text.strip():
        ctx.say("media.text_only")
        return session
    if keyword == "help":
        ctx.say("compliance.help")
        return session
    if keyword == "human":
        ctx.emit(EventKind.HANDOFF_REQUESTED, to="human", flow=ctx.flow)
        ctx.say("handoff.human")
        return session
    if keyword == "menu":
        return _run(ctx, Enter(content.main_flow, step=content.menu_step), session, ())
    if keyword == "back":
        return _back(ctx, session)
    if keyword == "language":
        return enter_picker(ctx, session, unsure=False)
    if unsure:
        ctx.emit(EventKind.LANGUAGE_ASKED)
        return enter_picker(ctx, session, unsure=True)
    if session is None:
        return _start(ctx, message)
    if session.flow == LANGUAGE_FLOW:
        return _after_picker(ctx, session, message)
    flow = content.flows.get(session.flow)
    step = flow.step(session.step) if flow else None
    if step is None or not step.WAITS:  # the flow was edited under a waiting resident
        return _run(ctx, Enter(content.main_flow), None, ())
    return _run(ctx, step.resume(ctx, message), session, session.history, at=session.step)


def _start(ctx: Context, message: Message) -> Session | None:
    """Greet and show the main menu; if the first words already name a need ("I can't pay my
    rent"), answer them at once instead of showing the menu."""
    session = _run(ctx, Enter(ctx.content.main_flow), None, ())
    if session is None or not names_a_need(ctx, message.text):
        return session
    step = ctx.content.flows[session.flow].step(session.step)
    if not isinstance(step, Menu) or step.on_text is None:
        return session
    if ctx.replies and ctx.replies[-1].key == step.text:
        ctx.replies.pop()  # the menu we are about to answer for them
    return _run(ctx, step.resume(ctx, message), session, session.history, at=session.step)


def _after_picker(ctx: Context, session: Session, message: Message) -> Session | None:
    back_to = resume_picker(ctx, session, message)
    if back_to is None:
        return replace(session, retries=ctx.retries)  # still choosing
    if back_to.flow in ctx.content.flows:
        return _run(ctx, Enter(back_to.flow, step=back_to.step), None, session.history[:-1])
    return _run(ctx, Enter(ctx.content.main_flow), None, ())


def _back(ctx: Context, session: Session | None) -> Session | None:
    history = list(session.history if session else ())
    if history:
        history.pop()  # the step the resident is on now
    if history:
        previous = history.pop()
        if previous.flow in ctx.content.flows:
            return _run(ctx, Enter(previous.flow, step=previous.step), None, tuple(history))
    return _run(ctx, Enter(ctx.content.main_flow, step=ctx.content.menu_step), None, ())


def _run(
    ctx: Context,
    result: StepResult,
    session: Session | None,
    history: tuple[Frame, ...],
    at: str | None = None,
) -> Session | None:
    """Follow step results until a step waits (save there) or the conversation ends."""
    stack = list(session.stack) if session else []
    flow_id, step_id = ctx.flow, at
    for _ in range(MAX_TRANSITIONS):
        if isinstance(result, Wait):
            assert step_id is not None
            frame = Frame(flow_id, step_id)
            if not history or history[-1] != frame:
                history = (*history, frame)[-MAX_HISTORY:]
            return Session(
                flow_id, step_id, dict(ctx.variables), tuple(stack), ctx.retries, None, history
            )
        if isinstance(result, Enter):
            if result.return_to is not None:
                stack.append(Frame(flow_id, result.return_to))
            target = ctx.content.flows.get(result.flow)
            if target is None:
                return None
            flow_id, step_id = result.flow, result.step or target.start
            if result.step is None:
                ctx.emit(EventKind.FLOW_STARTED, flow=flow_id)
        elif result.step is not None:
            step_id = result.step
        elif stack:
            frame = stack.pop()
            flow_id, step_id = frame.flow, frame.step
        else:
            ctx.emit(EventKind.FLOW_ENDED, flow=flow_id)
            return None
        ctx.flow, ctx.retries = flow_id, 0
        step = ctx.content.flows[flow_id].step(step_id)
        if step is None:
            return None
        result = step.enter(ctx)
    ctx.emit(EventKind.FLOW_ENDED, flow=flow_id, reason="loop")
    return None
