"""Finding services from a resident's own words ("I can't pay my rent", "我需要食物"): keyword and
phrase matching over normalised text, substrings for scripts written without spaces, and typo
tolerance with rapidfuzz. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

MIN_SCORE = 3.0  # about one exact 3-letter word ("bus") or two Chinese characters
RELATIVE_CUTOFF = 0.4  # drop matches far weaker than the best one
FUZZY_MIN_CHARS = 5
FUZZY_CUTOFF = 80.0  # fuzz.ratio: one typo in a 5-letter word still passes
MAX_GAP = 2  # words allowed between a phrase's words: "pay rent" finds "pay my rent"
MAX_TOKENS = 80
_EXTRA_HIT_WEIGHT = 0.5
_GAP_PENALTY = 0.9
_PLURAL_SIMILARITY = 0.85
_FUZZY_WEIGHT = 0.9
_PHRASE_BONUS = 2.0
# Elision keeps its word apart (French l'aide -> l aide); contractions join (can't -> cant).
_ELISION = re.compile(r"\b(\w{1,2})['’ʼ]", re.UNICODE)
_APOSTROPHES = re.compile(r"['’ʼ`]")
_UNSPACED = "\u0e00-\u0eff\u1100-\u11ff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff"  # as _char_weight
_SCRIPT_CHANGE = re.compile(
    f"(?<=[{_UNSPACED}])(?=[^\\s{_UNSPACED}])|(?<=[^\\s{_UNSPACED}])(?=[{_UNSPACED}])"
)
_UNDECOMPOSED = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ß": "ss"})


@dataclass(frozen=True)
class Match:
    """A service found for a text; higher scores are better (about the matched letters)."""

    service_id: str
    score: float


def normalize(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse spaces: 'Médico, ¡ya!' -> 'medico ya'."""
    folded = _APOSTROPHES.sub("", _ELISION.sub(r"\1 ", text.casefold()))
    decomposed = unicodedata.normalize("NFKD", folded.translate(_UNDECOMPOSED))
    kept = (
        " " if unicodedata.category(ch)[0] in "PSZC" else ch
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    # Recompose so Korean syllables come back together after NFKD split them.
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def _char_weight(ch: str) -> float:
    """How much one character says, for scripts written without spaces; 0 for the others."""
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return 2.0  # Hangul: a syllable is about two letters
    if 0x3040 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF:
        return 2.5  # kana and Chinese characters: about a short word
    return 1.0 if 0x0E00 <= code <= 0x0EFF else 0.0  # Thai, Lao: letters without spaces


@dataclass(frozen=True)
class _Keyword:
    text: str  # normalised; without spaces when unspaced
    words: tuple[str, ...]
    unspaced: bool  # written without spaces (or with particles glued on, like Korean): substring
    weight: float  # how specific: letters, Chinese characters count more, phrases get a bonus


@functools.lru_cache(maxsize=16384)
def _keyword(raw: str) -> _Keyword | None:
    text = normalize(raw)
    if not text:
        return None
    words = tuple(text.split())
    letters = sum(_char_weight(ch) or 1.0 for ch in text if ch != " ")
    weight = letters + _PHRASE_BONUS * (len(words) - 1)
    if any(_char_weight(ch) for ch in text):
        return _Keyword(text.replace(" ", ""), words, True, weight)
    return _Keyword(text, words, False, weight)


@dataclass(frozen=True)
class _Hit:
    start: int  # offsets in the text with spaces removed, so both kinds of hit compare
    end: int
    points: float


def search(text: str, keywords: Mapping[str, Sequence[str]], *, limit: int = 3) -> list[Match]:
    """Services whose keywords appear in ``text``, best first (score desc, then id).

    Space-separated keywords match whole words and phrases (up to MAX_GAP words may sit between
    a phrase's words); keywords in Chinese, Korean and similar scripts match as substrings;
    unknown words of 4+ letters may match 5+ letter keyword words despite a typo.
    Returns [] when nothing plausible matches.
    """
    # Split "我要snap卡" so "snap" is a word of its own.
    tokens = _SCRIPT_CHANGE.sub(" ", normalize(text)).split()[:MAX_TOKENS]
    if not tokens or limit <= 0:
        return []
    compact = "".join(tokens)
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    prepared = {
        sid: [k for k in dict.fromkeys(map(_keyword, words)) if k is not None]
        for sid, words in keywords.items()
    }
    vocabulary = {w for ks in prepared.values() for k in ks if not k.unspaced for w in k.words}
    places = _word_places(tokens, vocabulary)

    scored: list[Match] = []
    for sid, entries in prepared.items():
        hits: list[_Hit] = []
        for keyword in entries:
            if not keyword.unspaced:
                hit = _phrase_hit(keyword.words, places, offsets)
            elif (start := compact.find(keyword.text)) >= 0:
                hit = _Hit(start, start + len(keyword.text), 1.0)
            else:
                hit = None
            if hit is not None:
                hits.append(_Hit(hit.start, hit.end, hit.points * keyword.weight))
        score = _combine(hits)
        if score >= MIN_SCORE:
            scored.append(Match(sid, round(score, 3)))
    if not scored:
        return []
    best = max(m.score for m in scored)
    kept = [m for m in scored if m.score >= best * RELATIVE_CUTOFF]
    kept.sort(key=lambda m: (-m.score, m.service_id))
    return kept[:limit]


def _word_places(tokens: Sequence[str], vocabulary: set[str]) -> dict[str, list[tuple[int, float]]]:
    """For each keyword word, where it is in the text and how closely: exact 1.0, a plural form
    less, a likely typo less again (only for text words that are no keyword word themselves)."""
    long_words = [w for w in vocabulary if len(w) >= FUZZY_MIN_CHARS]
    places: dict[str, list[tuple[int, float]]] = {}
    typo_memo: dict[str, list[tuple[str, float]]] = {}
    for position, token in enumerate(tokens):
        plurals = (token + "s", token + "es", token.removesuffix("s"), token.removesuffix("es"))
        found = {token: 1.0} | {p: _PLURAL_SIMILARITY for p in plurals if p != token}
        if token not in vocabulary and len(token) >= FUZZY_MIN_CHARS - 1 and token.isalpha():
            if token not in typo_memo:
                extracted = process.extract(
                    token, long_words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                )
                # Typos rarely change the first letter; requiring it keeps "dental" from "rental".
                typo_memo[token] = [
                    (word, _FUZZY_WEIGHT * score / 100)
                    for word, score, _ in extracted
                    if word[0] == token[0]
                ]
            for word, similarity in typo_memo[token]:
                found.setdefault(word, similarity)
        for word, similarity in found.items():
            if word in vocabulary:
                places.setdefault(word, []).append((position, similarity))
    return places


def _phrase_hit(
    words: Sequence[str], places: Mapping[str, list[tuple[int, float]]], offsets: Sequence[int]
) -> _Hit | None:
    """The best place the phrase's words appear in order; points are its similarity (0-1]."""
    best: _Hit | None = None
    for first, similarity in places.get(words[0], ()):
        position = first
        for word in words[1:]:
            step = next(
                ((p, s) for p, s in places.get(word, ()) if position < p <= position + 1 + MAX_GAP),
                None,
            )
            if step is None:
                similarity = 0.0
                break
            similarity *= step[1] * _GAP_PENALTY ** (step[0] - position - 1)
            position = step[0]
        if similarity and (best is None or similarity > best.points):
            best = _Hit(offsets[first], offsets[position + 1], similarity)
    return best


def _combine(hits: list[_Hit]) -> float:
    """The best hit, plus half of each further hit on other words of the text."""
    taken: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.points, h.start, h.end)):
        if all(hit.end <= other.start or hit.start >= other.end for other in taken):
            taken.append(hit)
    if not taken:
        return 0.0
    return taken[0].points + _EXTRA_HIT_WEIGHT * sum(h.points for h in taken[1:])
