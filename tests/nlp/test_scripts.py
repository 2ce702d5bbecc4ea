"""Script shortcuts: which script a character and a text are in."""

from __future__ import annotations

import pytest

from bot.nlp import scripts


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", scripts.LATIN),
        ("ệ", scripts.LATIN),
        ("한", scripts.HANGUL),
        ("中", scripts.HAN),
        ("の", scripts.KANA),
        ("ع", scripts.ARABIC),
        ("ж", scripts.CYRILLIC),
        ("α", scripts.OTHER),
        ("7", None),
        ("!", None),
    ],
)
def test_script_of(char: str, script: str | None) -> None:
    assert scripts.script_of(char) == script


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("", None),
        ("123 !!", None),
        ("Samsung 갤럭시 수리", scripts.HANGUL),
        ("大韓民國 대한민국", scripts.HANGUL),
        ("東京に行きます", scripts.KANA),
        ("iPhone 坏了", scripts.HAN),
        ("call me at 5", scripts.LATIN),
    ],
)
def test_dominant_script(text: str, script: str | None) -> None:
    assert scripts.dominant_script(scripts.profile(text)) == script


@pytest.mark.parametrize(
    ("word", "expected"),
    [("đường", True), ("ơi", True), ("nẵng", True), ("café", False), ("niño", False)],
)
def test_vietnamese_letters(word: str, expected: bool) -> None:
    assert scripts.has_vietnamese_letters(word) is expected
