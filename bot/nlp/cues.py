"""Spelling cues for Latin-script words: endings, letter clusters and syllable shapes per language.

Each cue is a piece of general knowledge about how a language spells ("-ness" is English, "-eaux"
French, "mag-"/"nag-" Tagalog). Weights are in nats and are added to a language's log-score.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from bot.nlp.lexicon import strip_accents
from bot.nlp.scripts import has_vietnamese_letters

# (pattern on one lower-cased word, {language: weight}); negative weights mark spellings that a
# language (almost) never uses.
_CUES: tuple[tuple[str, Mapping[str, float]], ...] = (
    # English
    (r"(?:ness|ship|ful|less|ably|ibly|ward|wards)$", {"en": 1.5}),
    (r"(?:ity|ities)$", {"en": 1.5}),
    (r"[^aeiou]ies$", {"en": 1.2}),
    (r"[^aeiouy]y$", {"en": 1.2}),
    (r"[^aeiouy]ly$", {"en": 0.8}),
    (r"[^e]ed$", {"en": 1.0}),
    (r"ings?$", {"en": 1.0}),
    (r"(?:sh|wh|ck|ght|tch|ee|oo|ea[^u]|ow|aw)", {"en": 0.6}),
    (r"th", {"en": 0.6, "es": -0.8, "tl": -0.5, "ht": -0.8}),
    # Latinate endings in their English shape (French and Spanish spell the same words otherwise:
    # -ate / -é / -ado, -ous / -eux / -oso, -ic / -ique / -ico, -ary / -aire / -ario).
    (r"(?:ate|ates|ated|ating)$", {"en": 1.0}),
    (r"(?:ous|ize|izes|ized|ism|ist|ists)$", {"en": 1.0}),
    (r"(?:ic|ics|ical|ary|ory|ency|ancy)$", {"en": 0.8}),
    (r"(?:(?<!i)ers|ors|ings)$", {"en": 0.6}),
    # Spanish puts an e before s + consonant (estado, escuela); Tagalog loans add an i.
    (r"^s[cklmnptw]", {"en": 0.6, "es": -1.0, "tl": -0.5}),
    (r"ph", {"es": -1.0, "tl": -0.8, "ht": -0.8}),  # they write f
    (r"(?:tion|sion)s?$", {"en": 0.4, "fr": 0.4, "es": -0.8, "tl": -0.8}),
    # Spanish
    (
        r"(?:cion|ciones|dad|dades|mente|ando|iendo|ados?|adas?|idos?|idas?|ismo|oso|osa)$",
        {"es": 1.0},
    ),
    (r"[ñ¿¡]", {"es": 2.5}),
    (r"z[aou]", {"es": 0.4, "ht": 0.4}),
    (r"[áíóú]", {"es": 0.6}),
    (r"(?:rr|ll[aeiou]|ue|ie)", {"es": 0.4}),
    (r"[^aeiouslrndzy]$", {"es": -0.8}),
    # -o / -os is the usual masculine ending; French and English words almost never end so.
    (r"[^aeiou]os?$", {"es": 0.6, "fr": -0.6, "en": -0.3}),
    (r"(?:ero|era|eros|eras|ario|aria|arios|arias|eza|ista|istas|ivo|iva|ivos|ivas)$", {"es": 0.6}),
    (r"^es[cpt][aeioulr]", {"es": 0.5}),
    (r"^(?:des|re)?[bcdfgjlmnprstv][aeiou][bcdfgjlmnprstv]?[aeiou]s?$", {"es": 0.3, "tl": 0.3}),
    # French
    (
        r"(?:eau|eaux|aux|oux|eux|euse|oir|oire|ette|ique|iques|aise?|aient|ait|ez|ée|ées)$",
        {"fr": 1.5},
    ),
    (r"(?:ent|ant|er|ir|es)$", {"fr": 0.5}),
    (r"(?:eur|eurs|elle|elles|isme|iste|ier|iers|iere|ieres|ais|aine|aines|ons)$", {"fr": 0.8}),
    (r"[bcdfgptv]re$", {"fr": 0.6, "es": 0.2}),
    (r"gn[aeiou]", {"fr": 0.6, "es": -0.5}),  # Spanish writes ñ
    (r"(?:eil|euil|ouil|ille)", {"fr": 0.8}),
    (r"(?:que|ques)$", {"fr": 0.6, "es": 0.2}),
    (r"[çœ]|[êîôûâ]|ë|ï", {"fr": 2.0}),
    (r"é", {"fr": 1.2, "es": 0.3}),
    (r"[èà]", {"fr": 1.0, "ht": 1.0}),
    (r"(?:ou|oi|ai|au|eu|qu)", {"fr": 0.4}),
    (r"^(?:l|d|qu|j|n|s|c|m|t)'", {"fr": 1.5}),
    # Tagalog
    (r"^(?:mag|nag|pag|ipag|pinag|naka|nakaka|maka|makapag|nakapag|ipinag|pinaka)", {"tl": 1.2}),
    (r"^(?:um|in)[aeiou]|^[bcdghklmnprstwy](?:um|in)[aeiou]", {"tl": 0.5}),
    (r"(?:han|hin|ng)$", {"tl": 0.6}),
    (r"ng[aeiou]", {"tl": 1.0, "vi": 0.4}),
    (r"(?:aa|ii|uu)", {"tl": 1.0}),
    (r"(?:iy|uw)[aeiou]|^(?:ts|dy)[aeiou]", {"tl": 0.8}),  # siya, kuwento, tsinelas, dyaryo
    (r"^(?:[bdghklmnprstwy]?[aeiou])?([bdghklmnprstwy][aeiou])\1", {"tl": 1.0}),
    # Spanish loans: Tagalog keeps the vowel (-iko, -ika, -ikal), Haitian drops it (-ik).
    (r"(?:iko|ika|ikal|sya)$", {"tl": 0.6}),
    (r"(?:syon|yon)$", {"tl": 0.6, "ht": 0.6}),
    (r"[^aeiou]ik$", {"ht": 0.6}),
    (r"[kw]", {"tl": 0.4, "ht": 0.4, "en": 0.2, "es": -1.2, "fr": -1.2}),
    (r"[cfjqvxz]", {"tl": -0.8, "ht": -0.5, "vi": -0.4}),
    (r"[aeiou]$", {"tl": 0.2, "es": 0.3}),
    # Haitian Creole
    (r"ò", {"ht": 2.5}),
    (r"(?:^|[^aeiou])w[aeièo]", {"ht": 0.8, "tl": 0.2}),
    (r"(?:^|[^aeiou])y[aeiouè]", {"ht": 0.4, "tl": 0.4}),
    (r"(?:an|en|on)$", {"ht": 0.3, "tl": 0.2}),
    (r"ou", {"ht": 0.4}),
    (r"(?:e|è)$", {"ht": 0.3}),
    # Standard Haitian spelling (1979) has no c outside "ch", no q or x, no u outside "ou", "ui"
    # and "un", no doubled consonants and rarely an r before a consonant.
    (r"c(?!h)|[qx]", {"ht": -1.5}),
    (r"(?<!o)u(?![in])", {"ht": -1.5}),
    (r"r(?![aeiouèòwy])", {"ht": -1.0}),
    (r"([bcdfgklmnprstvz])\1", {"ht": -1.0, "tl": -0.5, "vi": -1.0}),
    (r"[^aeiouèòy]o$", {"ht": -0.5}),
)


@cache
def compiled_cues() -> tuple[tuple[re.Pattern[str], Mapping[str, float]], ...]:
    return tuple((re.compile(pattern), weights) for pattern, weights in _CUES)


# Vietnamese syllables have a strict shape: initial consonant(s), a vowel nucleus, a short coda.
_VI_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|oai|oay|oeo|uoi|uou|uay|uây|ieu|yeu|ia|ie|ua|uo|ui|oi|ai|ao|au|ay|eo|eu"
    r"|iu|oa|oe|ue|uy|ye|[aeiouy])"
    r"(?:ch|nh|ng|[cmnpt])?$"
)
_TONE_MARKED = re.compile(r"[àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵâêô]")


def is_vietnamese_syllable(word: str) -> bool:
    """True when the accent-stripped word has the shape of one Vietnamese syllable."""
    return bool(_VI_SYLLABLE.match(strip_accents(word)))


def word_cues(word: str, languages: frozenset[str]) -> dict[str, float]:
    """Summed cue weights for one lower-cased word, restricted to ``languages``."""
    scores: dict[str, float] = {}
    for pattern, weights in compiled_cues():
        if pattern.search(word):
            for language, weight in weights.items():
                if language in languages:
                    scores[language] = scores.get(language, 0.0) + weight
    if "vi" in languages:
        if has_vietnamese_letters(word):
            scores["vi"] = scores.get("vi", 0.0) + 5.0
        elif is_vietnamese_syllable(word):
            bonus = 2.0 if _TONE_MARKED.search(word) else 1.2
            scores["vi"] = scores.get("vi", 0.0) + bonus
        elif len(word) > 3:
            scores["vi"] = scores.get("vi", 0.0) - 1.5
    return scores
