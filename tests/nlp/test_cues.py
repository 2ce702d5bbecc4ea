"""Spelling cues: Vietnamese syllable shape and per-language cue direction."""

from __future__ import annotations

import pytest

from bot.nlp.cues import is_vietnamese_syllable, word_cues

LATIN = frozenset({"en", "es", "fr", "ht", "tl", "vi"})


@pytest.mark.parametrize("word", ["nguyen", "truong", "khanh", "được", "nghiêng", "qua"])
def test_vietnamese_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["street", "basura", "kailangan", "strength"])
def test_not_vietnamese_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    ("word", "favoured", "disfavoured"),
    [
        ("happiness", "en", "es"),
        ("nationalité", "fr", "en"),
        ("nagtatrabaho", "tl", "fr"),
        ("pwoblèm", "ht", "es"),
        ("tiếng", "vi", "en"),
        ("quelque", "fr", "ht"),
        ("dangerous", "en", "fr"),
        ("separated", "en", "es"),
        ("pequeños", "es", "fr"),
        ("caballero", "es", "en"),
        ("stranger", "en", "es"),
        ("montagne", "fr", "es"),
        ("travailleur", "fr", "en"),
        ("kuwento", "tl", "es"),
        ("politikal", "tl", "ht"),
        ("mizik", "ht", "tl"),
    ],
)
def test_cues_point_the_right_way(word: str, favoured: str, disfavoured: str) -> None:
    scores = word_cues(word, LATIN)
    assert scores.get(favoured, 0.0) > scores.get(disfavoured, 0.0)


def test_cues_only_for_requested_languages() -> None:
    assert set(word_cues("happiness", frozenset({"es", "fr"}))) <= {"es", "fr"}
