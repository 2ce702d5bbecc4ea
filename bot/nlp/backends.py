"""Single-library detectors behind the seam: langdetect, py3langid and (optional) lingua.

Each is restricted to the configured languages, loads its model once per instance (lazily,
under a lock) and is safe to call from worker threads.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.nlp.base import (
    NO_IDEA,
    LanguageGuess,
    check_languages,
    clean_text,
    guess_from_probabilities,
)

# langdetect splits Chinese into simplified and traditional profiles; both are "zh" here.
_LANGDETECT_PROFILES = {"zh": ("zh-cn", "zh-tw")}


class LangdetectDetector:
    """langdetect with its own factory: only the configured profiles, seed 0 (deterministic)."""

    name = "langdetect"

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = check_languages(languages)
        self._factory: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
                from langdetect.utils.lang_profile import LangProfile

                factory = DetectorFactory()
                factory.seed = 0  # on this factory only; the library's class attribute stays None
                names = [
                    profile
                    for language in self.languages
                    for profile in _LANGDETECT_PROFILES.get(language, (language,))
                    if (Path(PROFILES_DIRECTORY) / profile).is_file()
                ]
                for index, profile_name in enumerate(names):
                    raw = (Path(PROFILES_DIRECTORY) / profile_name).read_text(encoding="utf-8")
                    factory.add_profile(LangProfile(**json.loads(raw)), index, len(names))
                self._factory = factory
            return self._factory

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability per configured language that langdetect knows; empty without features."""
        from langdetect.lang_detect_exception import LangDetectException

        factory = self._load()
        if not factory.langlist:
            return {}
        detector = factory.create()
        detector.append(text)
        try:
            detector.get_probabilities()
        except LangDetectException:
            return {}
        merged: dict[str, float] = {}
        for profile_name, probability in zip(detector.langlist, detector.langprob, strict=True):
            language = profile_name.split("-")[0]
            merged[language] = merged.get(language, 0.0) + float(probability)
        return merged

    def detect(self, text: str, *, prior: str | None = None) -> LanguageGuess:
        cleaned = clean_text(text)
        if not any(char.isalpha() for char in cleaned):
            return NO_IDEA  # digits, emoji and punctuation carry no language
        return guess_from_probabilities(self.probabilities(cleaned), self.name, prior=prior)


class Py3langidDetector:
    """py3langid's naive Bayes model with normalised probabilities over the configured languages."""

    name = "py3langid"

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = check_languages(languages)
        self._identifier: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(
                    [lang for lang in self.languages if lang in identifier.labels]
                )
                self._identifier = identifier
            return self._identifier

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability per configured language; empty when the text has no known feature."""
        ranking = self._load().rank(text)
        probabilities = {str(language): float(score) for language, score in ranking}
        if (
            len(probabilities) > 1
            and max(probabilities.values()) - min(probabilities.values()) < 1e-6
        ):
            return {}  # a uniform answer means the model saw nothing it knows
        return probabilities

    def detect(self, text: str, *, prior: str | None = None) -> LanguageGuess:
        cleaned = clean_text(text)
        if not any(char.isalpha() for char in cleaned):
            return NO_IDEA  # digits, emoji and punctuation carry no language
        return guess_from_probabilities(self.probabilities(cleaned), self.name, prior=prior)


class LinguaDetector:
    """lingua (the optional 'bench' extra); it has no Haitian Creole model, so never answers ht."""

    name = "lingua"

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = check_languages(languages)
        try:
            import lingua
        except ImportError as exc:
            raise ConfigError(
                "language_detector: 'lingua' needs the lingua-language-detector package "
                "(pip install 'civic-switchboard[bench]')"
            ) from exc
        self._lingua = lingua
        self._detector: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._detector is None:
                lingua = self._lingua
                codes = [
                    getattr(lingua.IsoCode639_1, language.upper())
                    for language in self.languages
                    if hasattr(lingua.IsoCode639_1, language.upper())
                ]
                if not codes:
                    raise ConfigError("languages: lingua knows none of the configured languages")
                builder = lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                self._detector = builder.with_preloaded_language_models().build()
            return self._detector

    def probabilities(self, text: str) -> dict[str, float]:
        values = self._load().compute_language_confidence_values(text)
        probabilities = {
            value.language.iso_code_639_1.name.lower(): float(value.value) for value in values
        }
        return probabilities if any(probabilities.values()) else {}

    def detect(self, text: str, *, prior: str | None = None) -> LanguageGuess:
        cleaned = clean_text(text)
        if not any(char.isalpha() for char in cleaned):
            return NO_IDEA  # digits, emoji and punctuation carry no language
        return guess_from_probabilities(self.probabilities(cleaned), self.name, prior=prior)
