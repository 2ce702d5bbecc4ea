"""Understanding short replies: normalising text, global keywords, menu choices, numbers, yes/no, dates.

Pure functions over the catalogs' word lists; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, process

from bot.engine.types import ChoiceRef, Texts

GLOBAL_KEYWORDS = ("stop", "start", "help", "menu", "back", "language", "human")
# Telegram commands and the like: the same in every language.
COMMANDS = {
    "/stop": "stop",
    "/start": "start",
    "/help": "help",
    "/menu": "menu",
    "/back": "back",
    "/language": "language",
    "/agent": "human",
}
_PUNCTUATION = re.compile(r"[^\w\s/]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^\s*#?\s*(\d{1,3})\s*[.)]?\s*$")
_DECIMAL = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*$")
_FUZZY_CUTOFF = 80.0  # one typo in a six-letter word ("housng") still passes


def normalize(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse spaces: 'Menú!' -> 'menu'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Vietnamese đ and a few others do not decompose.
    stripped = stripped.replace("đ", "d").replace("ł", "l").replace("ø", "o")
    without_marks = _PUNCTUATION.sub(" ", stripped)
    return _SPACES.sub(" ", without_marks).strip()


def keyword_index(texts: Texts) -> dict[str, str]:
    """Every global keyword of every language, normalised, mapped to its action."""
    index: dict[str, str] = {}
    for action in GLOBAL_KEYWORDS:
        for language in texts.languages:
            for word in texts.words(language, f"keywords.{action}"):
                index.setdefault(normalize(word), action)
    return index


def global_keyword(text: str, index: Mapping[str, str]) -> str | None:
    """The global action a whole message asks for, in any supported language, or None."""
    if len(text) > 64:  # keywords are short; long messages are never commands
        return None
    norm = normalize(text)
    if not norm:
        return None
    if norm.startswith("/"):
        return COMMANDS.get(norm.split(" ")[0])
    return index.get(norm)


def is_word(text: str, key: str, language: str, texts: Texts) -> bool:
    """Whether the whole message is one of the words of ``keywords.<key>`` in ``language`` or English."""
    norm = normalize(text)
    if not norm:
        return False
    languages = dict.fromkeys((language, texts.default_language, "en"))
    return any(
        normalize(word) == norm
        for lang in languages
        for word in texts.words(lang, f"keywords.{key}")
    )


def parse_choice_number(text: str, count: int) -> int | None:
    """'2', '2.', '#2', ' 2) ' -> index 1 when within the menu."""
    match = _NUMBER.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    number = int(match.group(1))
    return number - 1 if 1 <= number <= count else None


def match_choice(
    text: str, choices: Sequence[ChoiceRef], language: str, texts: Texts
) -> int | None:
    """Which choice a reply picks: by number, by the label's words, or fuzzily; None if unclear."""
    if not choices:
        return None
    by_number = parse_choice_number(text, len(choices))
    if by_number is not None:
        return by_number
    norm = normalize(text)
    if not norm:
        return None
    labels = [normalize(_label(choice, language, texts)) for choice in choices]
    exact = [i for i, label in enumerate(labels) if label and label == norm]
    if len(exact) == 1:
        return exact[0]
    containing = [i for i, label in enumerate(labels) if label and _contains_words(label, norm)]
    if len(containing) == 1:
        return containing[0]
    if len(norm) < 4:
        return None
    # Whole-string similarity only: partial matching would take "I need food" for "Tell us what
    # you need" and pull free text into the wrong choice.
    best = process.extract(norm, labels, scorer=fuzz.ratio, limit=2, score_cutoff=_FUZZY_CUTOFF)
    if len(best) == 1 or (len(best) == 2 and best[0][1] - best[1][1] >= 5):
        return int(best[0][2])
    return None


def _label(choice: ChoiceRef, language: str, texts: Texts) -> str:
    lang = choice.language or language
    return texts.text(lang, choice.key) or texts.text(texts.default_language, choice.key) or ""


def _contains_words(label: str, reply: str) -> bool:
    """The reply is one of the label's words (of 4+ letters) or the label is inside the reply."""
    if " " in reply or len(reply) >= 4:
        padded_label, padded_reply = f" {label} ", f" {reply} "
        if padded_reply in padded_label and len(reply) >= 4:
            return True
        if padded_label in padded_reply:
            return True
    # Scripts without spaces: a label of 2+ characters inside the reply.
    return not label.isascii() and len(label) >= 2 and label in reply


def parse_number(text: str) -> float | None:
    match = _DECIMAL.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    return float(match.group(1).replace(",", "."))


def parse_yes_no(text: str, language: str, texts: Texts) -> bool | None:
    if is_word(text, "yes", language, texts):
        return True
    if is_word(text, "no", language, texts):
        return False
    return None


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%m/%d")


def parse_date(text: str, language: str, texts: Texts, today: date) -> date | None:
    """ISO or US-style dates, and 'today'/'tomorrow' in the resident's language."""
    if is_word(text, "today", language, texts):
        return today
    if is_word(text, "tomorrow", language, texts):
        return today + timedelta(days=1)
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        return parsed.replace(year=today.year) if fmt == "%m/%d" else parsed
    return None
