"""``switchboard check`` and start-up refuse broken content, naming the file, line and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content import load_content, require_content
from bot.errors import ContentError
from tests.helpers import ROOT, make_settings


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "flows", tmp_path / "flows")
    shutil.copytree(ROOT / "messages", tmp_path / "messages")
    return tmp_path


def problems_for(content_dir: Path) -> list[str]:
    settings = make_settings(
        content_dir, flows_dir=content_dir / "flows", messages_dir=content_dir / "messages"
    )
    _, _, problems = load_content(settings)
    return [str(p) for p in problems if p.severity == "error"]


def write_flow(content_dir: Path, text: str) -> Path:
    path = content_dir / "flows" / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_content_has_no_errors() -> None:
    settings = make_settings(Path("/nonexistent"))
    _, catalog, problems = load_content(settings)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert set(catalog.languages) == {"en", "es", "zh", "vi", "tl", "ko", "ru", "ar", "ht", "fr"}


def test_bad_yaml_names_file_and_line(content_dir: Path) -> None:
    path = write_flow(
        content_dir, "id: extra\nstart: a\nsteps:\n  a: {type: say, text: welcome.back\n"
    )
    found = problems_for(content_dir)
    assert any(p.startswith(f"{path}:5") and "not valid YAML" in p for p in found), found


def test_unknown_step_type_names_the_line(content_dir: Path) -> None:
    path = write_flow(
        content_dir, "id: extra\nstart: a\nsteps:\n  a:\n    type: sya\n    text: welcome.back\n"
    )
    found = problems_for(content_dir)
    assert any(p.startswith(f"{path}:5") and "unknown step type 'sya'" in p for p in found), found


def test_a_next_that_points_nowhere(content_dir: Path) -> None:
    path = write_flow(
        content_dir,
        "id: extra\nstart: a\nsteps:\n  a: {type: say, text: welcome.back, next: nowhere}\n",
    )
    found = problems_for(content_dir)
    assert any(
        p.startswith(f"{path}:4") and "'nowhere', which is not a step" in p for p in found
    ), found


def test_unknown_message_key_and_field(content_dir: Path) -> None:
    path = write_flow(
        content_dir,
        "id: extra\nstart: a\nsteps:\n  a:\n    type: say\n    txt: x\n    text: no.such.key\n",
    )
    found = problems_for(content_dir)
    assert any(p.startswith(f"{path}:6") and "unknown field 'txt'" in p for p in found), found
    assert any(
        p.startswith(f"{path}:4") and "unknown message key 'no.such.key'" in p for p in found
    ), found


def test_unreachable_steps_are_reported(content_dir: Path) -> None:
    write_flow(content_dir, "id: extra\nstart: a\nsteps:\n  a: {type: end}\n  lost: {type: end}\n")
    settings = make_settings(
        content_dir, flows_dir=content_dir / "flows", messages_dir=content_dir / "messages"
    )
    _, _, problems = load_content(settings)
    assert any("'lost' can never be reached" in str(p) for p in problems)


def test_placeholders_that_differ_between_languages(content_dir: Path) -> None:
    es = content_dir / "messages" / "es.yaml"
    es.write_text(es.read_text(encoding="utf-8").replace("{city}", "{ciudad}", 1), encoding="utf-8")
    found = problems_for(content_dir)
    assert any(p.startswith(f"{es}:") and "placeholders ['ciudad']" in p for p in found), found


def test_an_sms_text_over_the_segment_budget(content_dir: Path) -> None:
    en = content_dir / "messages" / "en.yaml"
    text = en.read_text(encoding="utf-8")
    text = text.replace("  back: Welcome back!", "  back: " + "Welcome back! " * 40, 1)
    en.write_text(text, encoding="utf-8")
    found = problems_for(content_dir)
    assert any("'welcome.back' takes" in p and "segments (budget 3)" in p for p in found), found


def test_start_up_refuses_broken_content(content_dir: Path) -> None:
    write_flow(content_dir, "id: extra\nstart: a\nsteps:\n  a: {type: nope}\n")
    settings = make_settings(
        content_dir, flows_dir=content_dir / "flows", messages_dir=content_dir / "messages"
    )
    with pytest.raises(ContentError, match=r"extra\.yaml:4"):
        require_content(settings)


def test_check_command_exit_codes(
    content_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SWITCHBOARD_FLOWS_DIR", str(content_dir / "flows"))
    monkeypatch.setenv("SWITCHBOARD_MESSAGES_DIR", str(content_dir / "messages"))
    monkeypatch.chdir(content_dir)
    assert main(["check"]) == 0
    report = capsys.readouterr().out
    assert "0 error(s)" in report and "zh" in report and "100.0%" in report
    write_flow(content_dir, "id: extra\nstart: a\nsteps:\n  a: {type: nope}\n")
    assert main(["check", "--quiet"]) == 1
    assert "extra.yaml:4" in capsys.readouterr().out
