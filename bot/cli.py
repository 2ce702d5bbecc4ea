"""``switchboard``: the command line. chat | check | analyze | config | db upgrade | serve."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import SUPPORTED_LANGUAGES, Settings, load_settings
from bot.errors import ConfigError, ContentError, StoreError

EXIT_OK, EXIT_PROBLEMS, EXIT_CONFIG = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    # python-telegram-bot: take retry_after as a timedelta now rather than warn about it on every
    # rate-limited send (the Telegram channel reads both forms).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    try:
        settings = load_settings()
        return int(args.run(args, settings))
    except ConfigError as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except ContentError as exc:
        print("switchboard: the content has errors; fix them and try again:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    except StoreError as exc:
        print(f"switchboard: database problem: {exc}", file=sys.stderr)
        return EXIT_CONFIG


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    chat = sub.add_parser("chat", help="talk to the bot in the terminal, as a resident")
    chat.add_argument("--channel", choices=("sms", "telegram"), default="sms")
    chat.add_argument("--as", dest="address", default="terminal", help="the resident's address")
    chat.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help="answer in this language")
    chat.add_argument("--verbose", action="store_true", help="show SMS encoding and segments")
    chat.set_defaults(run=_chat)

    check = sub.add_parser("check", help="validate flows, services and message catalogs")
    check.add_argument("--quiet", action="store_true", help="only errors, no report")
    check.set_defaults(run=_check)

    analyze = sub.add_parser("analyze", help="show how the bot reads texts (one per line)")
    analyze.add_argument("--file", type=Path, help="read texts from this file, not standard input")
    analyze.add_argument(
        "--eval", type=Path, metavar="CSV", help="accuracy on a lang,kind,text CSV"
    )
    analyze.add_argument("--detector", help="a detector other than the configured one")
    analyze.set_defaults(run=_analyze)

    config = sub.add_parser("config", help="print the effective settings (secrets masked)")
    config.set_defaults(run=_config)

    db = sub.add_parser("db", help="database tasks")
    db_sub = db.add_subparsers(required=True, metavar="TASK")
    upgrade = db_sub.add_parser("upgrade", help="apply the migrations")
    upgrade.set_defaults(run=_db_upgrade)

    serve = sub.add_parser("serve", help="run the server: webhooks, simulator, sender")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--telegram-polling", action="store_true", help="poll Telegram (no webhook)")
    serve.set_defaults(run=_serve)
    return parser


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import chat
    from bot.runtime import open_runtime

    async def run() -> None:
        async with open_runtime(settings) as runtime:
            await chat(
                runtime,
                style=args.channel,
                address=args.address,
                language=args.lang,
                verbose=args.verbose,
            )

    asyncio.run(run())
    return EXIT_OK


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content import completeness, load_content

    _, catalog, problems = load_content(settings)
    for problem in problems:
        if problem.severity == "error" or not args.quiet:
            print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not args.quiet:
        print("\nLanguages (keys present / keys in the default language):")
        for language, (present, total) in completeness(catalog).items():
            share = 100.0 * present / total if total else 100.0
            print(f"  {language}  {present:4d} / {total:4d}  {share:5.1f}%")
    print(f"\n{errors} error(s), {warnings} warning(s)")
    return EXIT_PROBLEMS if errors else EXIT_OK


def _analyze(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlp.evaluate import evaluate, format_report, load_eval_csv
    from bot.nlp.language import build_detector

    detector = build_detector(args.detector or settings.language_detector, settings.languages)
    if args.eval:
        rows = load_eval_csv(args.eval)
        print(format_report(evaluate(detector, rows)))
        return EXIT_OK
    stream = args.file.open(encoding="utf-8") if args.file else sys.stdin
    with stream:
        for line in stream:
            text = line.rstrip("\r\n")
            guess = detector.detect(text)
            record = {
                "text": text,
                "language": guess.language,
                "language_confidence": round(guess.confidence, 3),
                "method": guess.method,
            }
            print(json.dumps(record, ensure_ascii=False))
    return EXIT_OK


def _config(args: argparse.Namespace, settings: Settings) -> int:
    for name, value in settings.masked().items():
        print(f"SWITCHBOARD_{name.upper()}={value if value is not None else ''}")
    return EXIT_OK


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot import store

    async def run() -> str | None:
        db = store.create_engine(settings.database_url)
        try:
            await store.upgrade(db)
            return await store.current_revision(db)
        finally:
            await store.dispose(db)

    revision = asyncio.run(run())
    print(f"database at revision {revision}")
    return EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web.server import serve

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=overrides)
    return serve(settings, telegram_polling=args.telegram_polling)


if __name__ == "__main__":
    sys.exit(main())
