"""The services directory: how each service is reached (flows/services.yaml), checks of its
per-language texts (messages/services/<lang>.yaml), and finding services from a resident's words.
Pure: works on already-loaded YAML data; no I/O.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from bot.errors import Problem

CONTACT_FIELDS = ("phone", "web", "address")
SERVICE_TEXT_FIELDS = ("name", "summary", "eligibility", "documents", "hours", "apply")
CATEGORY_TEXT_FIELDS = ("name",)
SUMMARY_MAX_CHARS = 90
TEXT_MAX_CHARS = 120

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-.]{2,}\Z")
_PLACEHOLDER = re.compile(r"[{}]")
_SERVICE_KEYS = ("id", "category", *CONTACT_FIELDS)


@dataclass(frozen=True)
class Service:
    """One service and the ways to reach it. Its words live in the message catalogs."""

    id: str
    category: str
    phone: str | None
    web: str | None
    address: str | None


@dataclass(frozen=True)
class Directory:
    """Every service, and the categories in menu order."""

    city: str
    sample: bool
    categories: tuple[str, ...]
    services: tuple[Service, ...]

    def in_category(self, category: str) -> tuple[Service, ...]:
        """The category's services, in file order."""
        return tuple(s for s in self.services if s.category == category)

    def get(self, service_id: str) -> Service | None:
        """The service with this id, or None."""
        return next((s for s in self.services if s.id == service_id), None)


class _Report:
    """Collects problems for one file; a node's ``.line`` (from a line-aware loader) is used when
    present, else its parent's, else None."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def __call__(
        self, node: object, message: str, severity: str = "error", parent: object = None
    ) -> None:
        lines = (getattr(n, "line", None) for n in (node, parent))
        line = next((n for n in lines if isinstance(n, int)), None)
        self.problems.append(Problem(self.file, line, message, severity))


def parse_directory(data: Mapping[str, Any], file: str) -> tuple[Directory, list[Problem]]:
    """Build the directory from loaded flows/services.yaml; problems say what to fix.

    Services with errors are left out of the directory; the rest are kept.
    """
    report = _Report(file)
    city = data.get("city")
    if not isinstance(city, str) or not city.strip():
        report(data, "city: write the city's name, like 'city: Riverton'")
        city = ""
    sample = data.get("sample", False)
    if not isinstance(sample, bool):
        report(data, "sample: write true (example data) or false (real services)")
        sample = True
    raw_categories = data.get("categories")
    categories: list[str] = []
    if not isinstance(raw_categories, list) or not raw_categories:
        report(
            raw_categories,
            "categories: list the menu categories, like [housing, food]",
            parent=data,
        )
        raw_categories = []
    for item in raw_categories:
        if not isinstance(item, str) or not _ID.match(item):
            report(
                item, f"category {item!r}: use lower case letters, numbers and dashes", parent=data
            )
        elif item in categories:
            report(item, f"category '{item}' is listed twice", parent=data)
        else:
            categories.append(item)

    services: dict[str, Service] = {}
    raw_services = data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        report(data, "services: list at least one service, each starting with '- id:'")
        raw_services = []
    for position, raw in enumerate(raw_services, start=1):
        service = _parse_service(raw, position, categories, report, data)
        if service is not None and service.id in services:
            report(raw, f"service '{service.id}' is listed twice: give each service its own id")
        elif service is not None:
            services[service.id] = service

    for category in categories:
        if not any(s.category == category for s in services.values()):
            message = f"category '{category}' has no services: add one or remove the category"
            report(raw_categories, message, parent=data)
    directory = Directory(city, sample, tuple(categories), tuple(services.values()))
    return directory, report.problems


def _parse_service(
    raw: object, position: int, categories: Sequence[str], report: _Report, data: object
) -> Service | None:
    if not isinstance(raw, Mapping):
        report(raw, f"service #{position}: write it as a block starting with '- id:'", parent=data)
        return None
    sid = raw.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        message = f"service #{position}: id {sid!r} must be lower case letters, numbers and dashes"
        report(sid, message, parent=raw)
        return None
    errors_before = len(report.problems)
    category = raw.get("category")
    if not isinstance(category, str) or not category:
        report(raw, f"service '{sid}': add a category, one of {', '.join(categories)}")
    elif category not in categories:
        message = f"service '{sid}': category '{category}' is not in {', '.join(categories)}"
        report(category, message, parent=raw)
    contacts: dict[str, str | None] = dict.fromkeys(CONTACT_FIELDS)
    for field in CONTACT_FIELDS:
        value = raw.get(field)
        if isinstance(value, str) and value.strip():
            contacts[field] = value.strip()
        elif value is not None:
            report(value, f"service '{sid}': {field} must be text (use quotes)", parent=raw)
    phone, web, address = contacts["phone"], contacts["web"], contacts["address"]
    if not (phone or web or address or len(report.problems) > errors_before):
        report(raw, f"service '{sid}': add at least one of phone, web or address")
    if phone is not None and not _PHONE.match(phone):
        message = f"service '{sid}': phone {phone!r} is not a phone number"
        report(raw.get("phone"), message, parent=raw)
    if web is not None and not web.startswith("https://"):
        report(raw.get("web"), f"service '{sid}': web link must start with https://", parent=raw)
    ok = len(report.problems) == errors_before
    for key in raw:
        if key not in _SERVICE_KEYS:
            known = ", ".join(_SERVICE_KEYS)
            report(raw, f"service '{sid}': unknown field '{key}' (known: {known})", "warning")
    return Service(sid, str(category), phone, web, address) if ok else None


def check_catalog(directory: Directory, catalog: Mapping[str, Any], file: str) -> list[Problem]:
    """Check one loaded messages/services/<lang>.yaml against the directory: every category and
    service has all its texts and keywords, no {placeholders}, and texts stay short."""
    report = _Report(file)
    sections = (
        ("category", directory.categories, CATEGORY_TEXT_FIELDS),
        ("service", tuple(s.id for s in directory.services), SERVICE_TEXT_FIELDS),
    )
    for section, ids, fields in sections:
        entries = catalog.get(section)
        if not isinstance(entries, Mapping):
            report(catalog, f"{section}: missing; add a block for every {section}")
            continue
        for item_id in ids:
            key = f"{section}.{item_id}"
            entry = entries.get(item_id)
            if not isinstance(entry, Mapping):
                report(entries, f"{key}: missing; copy it from en.yaml and translate")
                continue
            for field in fields:
                _check_text(entry.get(field), f"{key}.{field}", entry, report)
            keywords = entry.get("keywords")
            if not isinstance(keywords, list) or not keywords:
                report(entry, f"{key}.keywords: list the words residents would write")
            elif not all(isinstance(k, str) and normalize(k) for k in keywords):
                report(keywords, f"{key}.keywords: put numbers in quotes", parent=entry)
        for extra in entries:
            if extra not in ids:
                report(entries, f"{section}.{extra}: not in flows/services.yaml", "warning")
    return report.problems


def _check_text(value: object, key: str, entry: object, report: _Report) -> None:
    if not isinstance(value, str) or not value.strip():
        report(value, f"{key}: missing or empty", parent=entry)
        return
    if _PLACEHOLDER.search(value):
        report(value, f"{key}: no {{placeholders}} or braces in service texts", parent=entry)
    limit = SUMMARY_MAX_CHARS if key.endswith(".summary") else TEXT_MAX_CHARS
    if len(value) > limit:
        report(value, f"{key}: {len(value)} characters; keep it under {limit}", "warning", entry)


def catalog_keywords(catalog: Mapping[str, Any]) -> dict[str, list[str]]:
    """Search keywords per service id from one loaded catalog: the service's name and keywords."""
    services = catalog.get("service")
    result: dict[str, list[str]] = {}
    if not isinstance(services, Mapping):
        return result
    for sid, entry in services.items():
        if not isinstance(entry, Mapping):
            continue
        words = [entry.get("name"), *(entry.get("keywords") or ())]
        result[str(sid)] = [w for w in words if isinstance(w, str)]
    return result


def merge_keywords(*maps: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Join keyword maps (e.g. the resident's language, then English); duplicates dropped."""
    merged: dict[str, list[str]] = {}
    for keyword_map in maps:
        for sid, words in keyword_map.items():
            merged.setdefault(sid, [])
            merged[sid].extend(w for w in words if w not in merged[sid])
    return merged


# --- search -------------------------------------------------------------------------------

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
