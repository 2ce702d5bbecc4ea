"""Scripted conversations through ``switchboard chat``, as a resident would have them, per language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.config import SUPPORTED_LANGUAGES
from bot.console import render
from bot.models import Choice, Outbound
from tests.helpers import ROOT

CATALOG, _ = load_catalog(ROOT / "messages", SUPPORTED_LANGUAGES, "en")


def run_chat(tmp_path: Path, lines: list[str], *args: str) -> str:
    env = {
        **os.environ,
        "SWITCHBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}",
        "SWITCHBOARD_FLOWS_DIR": str(ROOT / "flows"),
        "SWITCHBOARD_MESSAGES_DIR": str(ROOT / "messages"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def t(lang: str, key: str) -> str:
    return CATALOG.render(key, lang, {"city": "Riverton"})


@pytest.mark.parametrize(
    ("lang", "greeting", "need"),
    [
        ("en", "hello", "I can't pay my rent"),
        ("es", "hola", "no puedo pagar la renta"),
        ("zh", "你好", "我交不起房租"),
        ("vi", "xin chào", "tôi không trả được tiền thuê nhà"),
    ],
)
def test_a_resident_is_greeted_in_their_language_and_finds_rent_help(
    tmp_path: Path, lang: str, greeting: str, need: str
) -> None:
    out = run_chat(tmp_path, [greeting, need, "1"])
    assert t(lang, "menu.prompt") in out
    assert f"1. {t(lang, 'menu.services')}" in out  # SMS style: numbered menu
    assert t(lang, "service.rent-help.name") in out
    assert t(lang, "service.rent-help.summary") in out
    # "1" on the card asks for details: eligibility in the same language.
    assert t(lang, "service.rent-help.eligibility") in out


def test_the_menu_leads_to_a_service_and_stop_ends_it(tmp_path: Path) -> None:
    out = run_chat(tmp_path, ["hi", "1", "2", "1", "STOP", "hello?"])
    assert t("en", "services.categories") in out
    assert t("en", "compliance.stop") in out
    after_stop = out.split(t("en", "compliance.stop"))[1]
    assert after_stop.strip() == "> hello?", "nothing is said after STOP"


def test_telegram_style_shows_buttons_and_lang_sets_the_language(tmp_path: Path) -> None:
    out = run_chat(tmp_path, ["hi"], "--channel", "telegram", "--lang", "fr")
    assert f"[ {t('fr', 'menu.services')} ]" in out
    assert t("fr", "menu.prompt") in out


def test_verbose_sms_shows_segments(tmp_path: Path) -> None:
    out = run_chat(tmp_path, ["hi"], "--verbose")
    assert "GSM-7" in out and "segment(s)" in out


def test_the_same_resident_is_remembered_between_runs(tmp_path: Path) -> None:
    run_chat(tmp_path, ["hola"], "--as", "+15550100")
    out = run_chat(tmp_path, ["menu"], "--as", "+15550100")
    assert t("es", "menu.prompt") in out


def test_render_numbers_sms_menus_and_buttons_for_telegram() -> None:
    message = Outbound("console", "x", "Pick one", (Choice("Food", "1"), Choice("Rent", "2")))
    assert render(message, "sms") == "Pick one\n1. Food\n2. Rent"
    assert render(message, "telegram") == "Pick one\n  [ Food ]\n  [ Rent ]"
