"""The switchboard command: analyze, config and db upgrade, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.helpers import ROOT


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SWITCHBOARD_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SWITCHBOARD_FLOWS_DIR", str(ROOT / "flows"))
    monkeypatch.setenv("SWITCHBOARD_MESSAGES_DIR", str(ROOT / "messages"))


def test_analyze_prints_one_json_object_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text("necesito ayuda con la renta\n我需要食物\n1\n", encoding="utf-8")
    assert main(["analyze", "--file", str(texts)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in records] == ["necesito ayuda con la renta", "我需要食物", "1"]
    assert [r["language"] for r in records[:2]] == ["es", "zh"]
    assert records[2]["language"] is None
    assert all(0.0 <= r["language_confidence"] <= 1.0 for r in records)


def test_analyze_eval_prints_accuracy_per_language_and_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "eval.csv"
    csv.write_text(
        "lang,kind,text\nes,sentence,¿Dónde está la biblioteca pública?\n"
        "en,sentence,Where is the public library?\nfr,word,bonjour\n",
        encoding="utf-8",
    )
    assert main(["analyze", "--eval", str(csv)]) == 0
    report = capsys.readouterr().out
    assert "sentence" in report and "es" in report and "100.0" in report


def test_config_masks_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SWITCHBOARD_TELEGRAM_TOKEN", "123:secret")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "SWITCHBOARD_TELEGRAM_TOKEN=********" in out
    assert "123:secret" not in out


def test_a_wrong_setting_exits_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SWITCHBOARD_SESSION_TIMEOUT_MINUTES", "0")
    assert main(["config"]) == 2
    assert "SWITCHBOARD_SESSION_TIMEOUT_MINUTES" in capsys.readouterr().err


def test_db_upgrade_creates_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "revision 0001" in capsys.readouterr().out
    assert (tmp_path / "cli.db").is_file()
