"""SMS text rules: encoding detection, segment counts, menu rendering, splitting, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Choice
from bot.sms import GSM7_BASIC, GSM7_EXTENSION, encoding, render, segment_count, split

# --- encoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("café", "GSM-7"),  # é is in the basic set
        ("Ça va", "GSM-7"),  # the table's 0x09 is the capital C-cedilla
        ("français", "UCS-2"),  # the small ç is not in the table
        ("Price: 5€ [approx]", "GSM-7"),  # € and brackets come from the extension table
        ("ΔΦΓΛΩΠΨΣΘΞ", "GSM-7"),  # the Greek capitals that have their own codes
        ("α", "UCS-2"),  # small Greek letters do not
        ("你好", "UCS-2"),
        ("Thanks 👍", "UCS-2"),
        ("back`tick", "UCS-2"),  # the grave accent is not in GSM 03.38
        ("", "GSM-7"),
    ],
)
def test_encoding_follows_the_gsm_table(text: str, expected: str) -> None:
    assert encoding(text) == expected


def test_the_tables_have_their_published_sizes() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes less the escape
    assert len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION


# --- segment counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # 160 septets
        ("€" * 81, 2),
        ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but € cannot straddle two parts
        ("你" * 70, 1),
        ("你" * 71, 2),
        ("你" * 134, 2),
        ("你" * 135, 3),
        ("👍" * 35, 1),  # 70 UTF-16 code units
        ("👍" * 36, 2),
        ("aa" + "👍" * 66, 3),  # 134 units, but a surrogate pair is never cut across parts
    ],
)
def test_segment_count(text: str, segments: int) -> None:
    assert segment_count(text) == segments


def test_extension_characters_count_two_septets() -> None:
    assert segment_count("a" * 158 + "€") == 1  # 160 septets
    assert segment_count("a" * 159 + "€") == 2  # 161 septets


# --- render ---------------------------------------------------------------------------------------


def test_render_numbers_the_choices_after_the_text() -> None:
    choices = [Choice("Housing", "housing"), Choice("Vivienda y comida", "food")]
    assert (
        render("What do you need?", choices)
        == "What do you need?\n1. Housing\n2. Vivienda y comida"
    )


def test_render_without_choices_is_the_text() -> None:
    assert render("Thanks!", []) == "Thanks!"


def test_render_with_only_choices_has_no_blank_first_line() -> None:
    assert render("", [Choice("Yes", "y"), Choice("No", "n")]) == "1. Yes\n2. No"


# --- split ----------------------------------------------------------------------------------------


def test_text_that_fits_is_returned_unchanged() -> None:
    text = "  Short reply.  "
    assert split(text, 1) == [text]


def test_split_prefers_sentence_ends() -> None:
    sentence = "The library opens at nine on weekdays. "  # 39 characters
    text = sentence * 6
    assert split(text, 1) == [(sentence * 4).rstrip(), sentence * 2]


def test_split_falls_back_to_word_boundaries() -> None:
    text = " ".join(["neighbourhood"] * 30)  # no sentence ends at all
    parts = split(text, 1)
    assert all(part.split(" ")[-1] == "neighbourhood" for part in parts)
    assert all(segment_count(part) == 1 for part in parts)


def test_split_cuts_hard_when_there_is_no_space() -> None:
    text = "x" * 400
    assert split(text, 1) == ["x" * 160, "x" * 160, "x" * 80]


def test_split_does_not_treat_menu_numbers_as_sentence_ends() -> None:
    # Line 7 starts at character 155, so "7. " ends inside the first 160 characters.
    menu = render("Choose one", [Choice(f"Topic number {n} label", str(n)) for n in range(8)])
    first, second = split(menu, 1)
    assert first.endswith("6. Topic number 5 label")
    assert second.startswith("7. Topic")


def test_split_measures_each_part_in_its_own_encoding() -> None:
    text = "a" * 150 + ". " + "你好" * 40
    first, *rest = split(text, 1)
    assert first == "a" * 150 + "."
    assert encoding(first) == "GSM-7"
    assert all(encoding(part) == "UCS-2" for part in rest)


def test_split_keeps_combining_marks_with_their_letter() -> None:
    text = "x" + "e\u0301" * 100  # UCS-2 (the combining accent is not GSM): 201 units
    parts = split(text, 1)
    assert [len(part) for part in parts] == [69, 70, 62]  # the first cut steps back one character
    assert all(part[0] != "\u0301" for part in parts)
    assert "".join(parts) == text


def test_split_rejects_a_budget_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split("text", 0)


# --- split: properties ----------------------------------------------------------------------------

# Text mixing GSM-7, extension characters, whitespace, sentence punctuation and wider characters.
_alphabet = st.sampled_from(
    [
        *"abcdefghij ABC  \n\t.!?,€[]^éÇç你好한국어",
        "👍",
        "e\u0301",
        "Привет",
        "1. ",
        "Hello. ",
        "\u200d",
    ]
)
texts = st.lists(_alphabet, max_size=400).map("".join)
budgets = st.integers(min_value=1, max_value=4)


def _rejoins(original: str, parts: list[str]) -> bool:
    """True when ``parts`` appear in order in ``original``, only whitespace around and between."""
    position = 0
    for part in parts:
        found = original.find(part, position)
        if found < 0 or original[position:found].strip():
            return False
        position = found + len(part)
    return not original[position:].strip()


@settings(max_examples=300, deadline=None)
@given(texts, budgets)
def test_parts_rejoin_to_the_original_modulo_whitespace_at_cuts(text: str, budget: int) -> None:
    parts = split(text, budget)
    assert _rejoins(text, parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(texts, budgets)
def test_every_part_fits_the_budget_and_is_not_empty(text: str, budget: int) -> None:
    parts = split(text, budget)
    assert parts
    assert all(segment_count(part) <= budget for part in parts)
    if len(parts) > 1:
        assert all(part.strip() for part in parts)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_segment_count_never_shrinks_as_text_grows(text: str) -> None:
    counts = [segment_count(text[:end]) for end in range(0, len(text) + 1, 7)]
    assert counts == sorted(counts)
