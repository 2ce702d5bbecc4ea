"""The language-detection seam: the guess type, the detector protocol and the detector registry.

The bot asks ``build_detector(settings.language_detector, settings.languages)`` once and then
calls ``detect(text, prior=current_language)`` from a worker thread for each inbound message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.errors import ConfigError
from bot.nlp.backends import LangdetectDetector, LinguaDetector, Py3langidDetector
from bot.nlp.base import LanguageDetector, LanguageGuess
from bot.nlp.ensemble import SwitchboardDetector

__all__ = [
    "DEFAULT_DETECTOR",
    "DETECTORS",
    "LanguageDetector",
    "LanguageGuess",
    "build_detector",
]

DEFAULT_DETECTOR = "switchboard"

# Explicit registry: setting ``language_detector`` picks one of these by name. "lingua" needs the
# optional 'bench' extra; building it without the package raises ConfigError.
DETECTORS: dict[str, Callable[[Sequence[str]], LanguageDetector]] = {
    "langdetect": LangdetectDetector,
    "py3langid": Py3langidDetector,
    "lingua": LinguaDetector,
    "switchboard": SwitchboardDetector,
}


def build_detector(name: str, languages: Sequence[str]) -> LanguageDetector:
    """The detector registered as ``name``, restricted to ``languages``.

    Raises ConfigError for an unknown name, an unknown language or a missing optional package.
    """
    factory = DETECTORS.get(name)
    if factory is None:
        raise ConfigError(
            f"language_detector: unknown detector {name!r}; choose one of {', '.join(DETECTORS)}"
        )
    return factory(languages)
