"""The shipped detector ("switchboard"): script shortcut, lexicon, spelling cues and py3langid.

Order of evidence: a whole-message phrase (language name, greeting) settles it; a non-Latin script
settles it; Latin text is scored by py3langid's log-probabilities plus lexicon hits and spelling
cues, with the conversation's language (the prior) given a head start.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.nlp import lexicon, scripts
from bot.nlp.backends import Py3langidDetector
from bot.nlp.base import NO_IDEA, LanguageGuess, check_languages, clean_text
from bot.nlp.cues import word_cues

LATIN_LANGUAGES = frozenset({"en", "es", "fr", "ht", "tl", "vi"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class EnsembleWeights:
    """Tuned on the development set (see benchmarks/bench_language.py); weights are in nats."""

    model: float = 1.0  # py3langid log-probability
    lexicon: float = 2.0  # a word found in the language's common-word list
    lexicon_stripped: float = 1.0  # found only once accents are stripped
    cues: float = 1.0  # spelling cues
    evidence_decay: float = 0.5  # word evidence is divided by (number of words) ** decay
    prior: float = 1.0  # head start for the conversation's language
    prior_keep_ratio: float = 0.5  # the prior stays while at least half as likely as the best
    temperature: float = 1.5  # softens the final softmax so confidence tracks accuracy
    phrase_confidence: float = 0.97
    script_confidence: float = 0.98
    prior_only_confidence: float = 0.3  # no evidence at all: keep the conversation's language
    neutral_confidence_cap: float = 0.5  # a message of keywords only ("help", "ok")


class SwitchboardDetector:
    """The default detector: fast, deterministic, no optional packages."""

    name = "switchboard"

    def __init__(self, languages: Sequence[str], weights: EnsembleWeights | None = None) -> None:
        self.languages = check_languages(languages)
        self.language_set = frozenset(self.languages)
        self.latin_languages = self.language_set & LATIN_LANGUAGES
        self.weights = weights or EnsembleWeights()
        self._model = Py3langidDetector(self.languages)

    def detect(self, text: str, *, prior: str | None = None) -> LanguageGuess:
        prior = prior if prior in self.language_set else None
        cleaned = clean_text(text)
        phrase = self._phrase_language(cleaned, prior)
        if phrase is not None:
            return phrase
        script = scripts.dominant_script(scripts.profile(cleaned))
        if script is None:
            return self._keep_prior(prior)
        if script != scripts.LATIN:
            language = scripts.SCRIPT_LANGUAGE.get(script)
            if language in self.language_set:
                return LanguageGuess(language, self.weights.script_confidence, "script")
            return LanguageGuess(None, 0.0, "script")
        return self._latin(cleaned, prior)

    def _keep_prior(self, prior: str | None) -> LanguageGuess:
        if prior is None:
            return NO_IDEA
        return LanguageGuess(prior, self.weights.prior_only_confidence, "prior")

    def _phrase_language(self, cleaned: str, prior: str | None) -> LanguageGuess | None:
        key = " ".join(_WORD.findall(lexicon.fold(cleaned)))
        if not key or len(key) > 40:
            return None
        found = [lang for lang, table in lexicon.phrases().items() if key in table]
        found = [lang for lang in found if lang in self.language_set]
        if not found:
            return None
        language = prior if prior in found else found[0]
        confidence = self.weights.phrase_confidence / len(found)
        return LanguageGuess(language, confidence, "lexicon")

    def _latin(self, cleaned: str, prior: str | None) -> LanguageGuess:
        candidates = self.latin_languages
        if not candidates:
            return LanguageGuess(None, 0.0, "script")
        all_words = _WORD.findall(cleaned.casefold())
        words = [w for w in all_words if w not in lexicon.NEUTRAL_WORDS]
        if not words and (prior is not None or not all_words):
            return self._keep_prior(prior)
        neutral_only = not words
        words = words or all_words
        weights = self.weights
        model = self._model.probabilities(f" {cleaned} ")  # word edges are features
        scores = {
            lang: weights.model * math.log(max(model.get(lang, 0.0), 1e-6)) if model else 0.0
            for lang in candidates
        }
        evidence = self._word_evidence(words, candidates)
        scale = 1.0 / (len(words) ** weights.evidence_decay)
        for lang in candidates:
            scores[lang] += evidence.get(lang, 0.0) * scale
        if prior in candidates:
            scores[prior] += weights.prior
        top = max(scores.values())
        exps = {
            lang: math.exp((score - top) / weights.temperature) for lang, score in scores.items()
        }
        total = sum(exps.values())
        best = max(exps, key=lambda lang: exps[lang])
        if prior in exps and exps[prior] >= exps[best] * weights.prior_keep_ratio:
            best = prior  # ambiguous between the conversation's language and another: keep it
        confidence = exps[best] / total
        if neutral_only:  # "help", "ok": a keyword, not a choice of language
            confidence = min(confidence, weights.neutral_confidence_cap)
        method = "ensemble" if model else "lexicon"
        return LanguageGuess(best, confidence, method)

    def _word_evidence(self, words: list[str], candidates: frozenset[str]) -> dict[str, float]:
        evidence: dict[str, float] = {}
        for word in words:
            for lang, weight in _one_word_evidence(word, candidates, self.weights):
                evidence[lang] = evidence.get(lang, 0.0) + weight
        return evidence


# Messages repeat the same everyday words, so one word's evidence is worth remembering; the cache
# is bounded and the result depends only on its arguments, so answers stay deterministic.
@lru_cache(maxsize=65536)
def _one_word_evidence(
    word: str, candidates: frozenset[str], weights: EnsembleWeights
) -> tuple[tuple[str, float], ...]:
    exact, stripped = lexicon.words(), lexicon.stripped_words()
    evidence: dict[str, float] = {}
    for lang in candidates:
        known = exact.get(lang, frozenset())
        if word in known:
            evidence[lang] = weights.lexicon
        elif word in stripped.get(lang, ()) or lexicon.inflected_from(word, known, lang):
            evidence[lang] = weights.lexicon_stripped
    for lang, weight in word_cues(word, candidates).items():
        evidence[lang] = evidence.get(lang, 0.0) + weight * weights.cues
    return tuple(sorted(evidence.items()))
