"""Word lists: folding, accent-stripped variants, neutral keywords."""

from __future__ import annotations

from bot.nlp import lexicon


def test_fold_unifies_case_spaces_and_apostrophes() -> None:
    assert lexicon.fold("  S’il   VOUS plaît ") == "s'il vous plaît"


def test_phrases_include_accent_stripped_spellings() -> None:
    assert {"mèsi", "mesi"} <= lexicon.phrases()["ht"]
    assert {"tiếng việt", "tieng viet"} <= lexicon.phrases()["vi"]


def test_stripped_words_hold_only_new_spellings() -> None:
    for language, stripped in lexicon.stripped_words().items():
        assert not stripped & lexicon.words()[language]
    assert "tambien" in lexicon.stripped_words()["es"]


def test_neutral_words_are_not_language_names() -> None:
    names = {"english", "espanol", "tagalog", "kreyol", "francais"}
    assert not names & lexicon.NEUTRAL_WORDS
