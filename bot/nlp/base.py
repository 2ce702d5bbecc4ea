"""The language-detection seam's shared types: a guess, the detector protocol, input clean-up."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.config import language_problem
from bot.errors import ConfigError

# Longer messages are cut before detection: the first thousand characters settle the language,
# and the cut bounds the time one hostile message can cost.
MAX_DETECT_CHARS = 1000

# Windows-1252 punctuation read as Latin-1 arrives as C1 control characters.
_C1_PUNCTUATION = str.maketrans({"\x91": "‘", "\x92": "’", "\x93": "“", "\x94": "”"})


@dataclass(frozen=True)
class LanguageGuess:
    """What a detector thinks: a language (None = no idea), how sure (0..1), and how it knew."""

    language: str | None
    confidence: float
    method: str


class LanguageDetector(Protocol):
    """Anything that can guess the language of one resident message."""

    name: str

    def detect(self, text: str, *, prior: str | None = None) -> LanguageGuess: ...


NO_IDEA = LanguageGuess(None, 0.0, "empty")


def clean_text(text: str) -> str:
    """NFC, C1 punctuation repaired, other control characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text[: MAX_DETECT_CHARS * 2]).translate(_C1_PUNCTUATION)
    text = "".join(
        char if unicodedata.category(char)[0] != "C" else " " for char in text[:MAX_DETECT_CHARS]
    )
    return " ".join(text.split())


def check_languages(languages: Sequence[str]) -> tuple[str, ...]:
    """The configured languages, de-duplicated in order; ConfigError if unknown or empty."""
    chosen = tuple(dict.fromkeys(languages))
    problem = language_problem(chosen)
    if problem:
        raise ConfigError(f"languages: {problem}")
    return chosen


def guess_from_probabilities(
    probabilities: dict[str, float], method: str, *, prior: str | None = None
) -> LanguageGuess:
    """The most probable language; the prior wins a tie. Empty probabilities give no idea."""
    if not probabilities:
        return LanguageGuess(prior, 0.0, method) if prior else NO_IDEA
    best = max(probabilities, key=lambda language: probabilities[language])
    if prior is not None and probabilities.get(prior, -1.0) >= probabilities[best]:
        best = prior
    return LanguageGuess(best, min(1.0, max(0.0, probabilities[best])), method)
