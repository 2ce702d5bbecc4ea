"""Writing-system shortcuts: which script a text is in, and which language that settles.

Hangul, Han, Arabic and Cyrillic letters each point at one supported language; Latin text is left
to the statistical and lexical layers. Vietnamese-only letters are recognised here as a cue.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

LATIN = "latin"
HANGUL = "hangul"
HAN = "han"
KANA = "kana"
ARABIC = "arabic"
CYRILLIC = "cyrillic"
OTHER = "other"

SCRIPT_LANGUAGE: dict[str, str] = {HANGUL: "ko", HAN: "zh", ARABIC: "ar", CYRILLIC: "ru"}

# Letters that only Vietnamese uses among the supported Latin-script languages.
_VIETNAMESE_BASE_LETTERS = frozenset("đơưăĩũỹãõĐƠƯĂĨŨỸÃÕ")


def script_of(char: str) -> str | None:
    """The script of one character, or None when it is not a letter."""
    if not char.isalpha():
        return None
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return LATIN
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return HANGUL
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return KANA
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    ):
        return HAN
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return ARABIC
    if 0x0400 <= code <= 0x052F:
        return CYRILLIC
    name = unicodedata.name(char, "")
    return LATIN if name.startswith("LATIN") else OTHER


@dataclass(frozen=True)
class ScriptProfile:
    """How many letters of each script a text holds."""

    counts: Counter[str]

    @property
    def letters(self) -> int:
        return sum(self.counts.values())

    def share(self, script: str) -> float:
        total = self.letters
        return self.counts[script] / total if total else 0.0


def profile(text: str) -> ScriptProfile:
    """Count the letters of ``text`` per script."""
    counts: Counter[str] = Counter()
    for char in text:
        script = script_of(char)
        if script is not None:
            counts[script] += 1
    return ScriptProfile(counts)


def dominant_script(scripts: ScriptProfile) -> str | None:
    """The script that decides the language, or None for a text without letters.

    One Hangul or Han character carries a syllable or a word, so it weighs as much as four
    Latin letters: a Korean sentence with an English brand name is still Korean.
    """
    counts = scripts.counts
    if not counts:
        return None
    if counts[KANA]:
        return KANA  # Japanese: Han characters mixed with kana are not Chinese
    weighted = {
        script: count * (4 if script in (HANGUL, HAN) else 1) for script, count in counts.items()
    }
    if counts[HANGUL] and counts[HAN]:
        weighted[HANGUL] += weighted.pop(HAN)  # hanja inside Korean text
    # On a tie the non-Latin script wins: Latin letters in such text are names and brands.
    return max(weighted, key=lambda script: (weighted[script], script != LATIN))


def has_vietnamese_letters(word: str) -> bool:
    """True when the word holds a letter or tone mark that only Vietnamese uses here."""
    return any(char in _VIETNAMESE_BASE_LETTERS or 0x1EA0 <= ord(char) <= 0x1EF9 for char in word)
