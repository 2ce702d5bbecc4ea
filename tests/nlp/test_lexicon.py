"""Word lists: folding, accent-stripped variants, neutral keywords."""

from __future__ import annotations

import pytest

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


def test_more_words_are_merged_into_the_word_lists() -> None:
    assert "neighborhood" in lexicon.words()["en"]
    assert "ciudadanos" in lexicon.words()["es"]
    assert "kalusugan" in lexicon.words()["tl"]


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("neighbors", "en"),  # -s
        ("taking", "en"),  # -ing after a dropped e
        ("studies", "en"),  # y -> ies
        ("nuevas", "es"),  # feminine plural of nuevo
        ("problemas", "es"),
        ("petites", "fr"),
        ("pamilyang", "tl"),  # the linker -ng
        ("kabahayan", "tl"),  # ka- + root bahay + -an
        ("magbasa", "tl"),  # mag- + root basa
    ],
)
def test_inflected_forms_of_known_words(word: str, language: str) -> None:
    known = lexicon.words()[language]
    assert word not in known
    assert lexicon.inflected_from(word, known, language)


@pytest.mark.parametrize(
    ("word", "language"),
    [("ss", "en"), ("xyzzyings", "en"), ("nagxyz", "tl"), ("buses", "fr")],
)
def test_unknown_stems_are_not_inflected_forms(word: str, language: str) -> None:
    assert not lexicon.inflected_from(word, lexicon.words()[language], language)
