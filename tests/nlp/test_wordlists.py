"""The extra common-word lists: well formed, and shared spellings listed on purpose."""

from __future__ import annotations

from bot.nlp.lexicon import _entries
from bot.nlp.wordlists import MORE_WORDS


def test_lists_hold_only_lower_case_words() -> None:
    for raw in MORE_WORDS.values():
        entries = _entries(raw, None)
        assert entries
        assert all(entry == entry.casefold() and " " not in entry for entry in entries)


def test_lists_cover_the_latin_script_languages_with_room_to_grow() -> None:
    assert set(MORE_WORDS) <= {"en", "es", "fr", "tl", "ht", "vi"}
    assert all(len(set(_entries(raw, None))) >= 200 for raw in MORE_WORDS.values())
