"""SMS text rules: GSM-7 / UCS-2 detection, segment counting, menu rendering and splitting.

Pure functions, no I/O. Tables and sizes follow 3GPP TS 23.038 (GSM 03.38) and concatenated SMS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

from bot.models import Choice

Encoding = Literal["GSM-7", "UCS-2"]

# The GSM 03.38 basic character set in code order, without 0x1B (the escape to the extension table).
# 0x09 is the *capital* C-cedilla as the 3GPP table draws it; Unicode's GSM0338.TXT maps it to the
# small letter instead, so carriers differ on "ç". We count "ç" as UCS-2: that can over-estimate
# segments but never under-estimate them.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters reached through the escape: each costs two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160  # septets in a message that stands alone
GSM7_PART = 153  # septets per part once a user-data header joins the parts
UCS2_SINGLE = 70  # UTF-16 code units
UCS2_PART = 67

# A sentence ends after . ! ? or … (maybe closed by quotes or brackets) and whitespace, or right
# after full-width CJK punctuation, which no space follows.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|[。！？]+[」』）]*\s*")
_LINE_BREAK = re.compile(r"\n\s*")
# "1." at the start of a line numbers a menu entry; it does not end a sentence.
_MENU_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d+$")
_WHITESPACE = re.compile(r"\s+")


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 basic or extension table, else UCS-2."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return "GSM-7"
    return "UCS-2"


def _unit_cost(ch: str, enc: Encoding) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) one character takes."""
    if enc == "GSM-7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def _units(text: str, enc: Encoding) -> int:
    return sum(_unit_cost(ch, enc) for ch in text)


def segment_count(text: str, enc: Encoding | None = None) -> int:
    """How many SMS segments ``text`` is billed as; an empty text counts as one message.

    Parts of a long message are filled greedily without cutting an escape sequence or a surrogate
    pair in two, as phones and Twilio do, so a part may hold one unit less than the maximum.
    """
    enc = enc or encoding(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if enc == "GSM-7" else (UCS2_SINGLE, UCS2_PART)
    if _units(text, enc) <= single:
        return 1
    segments, used = 1, 0
    for ch in text:
        cost = _unit_cost(ch, enc)
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments


def render(text: str, choices: Sequence[Choice]) -> str:
    """The message as an SMS shows it: the text, then a numbered line per choice ("1. Housing")."""
    if not choices:
        return text
    lines = [f"{number}. {choice.label}" for number, choice in enumerate(choices, start=1)]
    return "\n".join([text, *lines]) if text else "\n".join(lines)


def split(text: str, segment_budget: int) -> list[str]:
    """Split ``text`` into messages of at most ``segment_budget`` segments each.

    Returns ``[text]`` unchanged when it fits. Otherwise each part is as long as the budget allows,
    cut at the last line break or sentence end that fits, else at the last space, else mid-word
    (never inside a combining sequence). Only whitespace at the cuts is dropped; no part is empty.
    Each part is measured on its own, so a GSM-7 part of a mostly UCS-2 text may hold more.
    """
    if segment_budget < 1:
        raise ValueError("segment_budget must be at least 1")
    if segment_count(text) <= segment_budget:
        return [text]
    parts: list[str] = []
    rest = text
    while rest:
        if segment_count(rest) <= segment_budget:
            parts.append(rest)
            break
        cut = _best_cut(rest, _longest_fitting_prefix(rest, segment_budget))
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    return parts or [""]


def _longest_fitting_prefix(text: str, segment_budget: int) -> int:
    """The largest n with ``segment_count(text[:n]) <= segment_budget`` (at least 1).

    Segment counts only grow as characters are added, so a binary search is exact.
    """
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if segment_count(text[:middle]) <= segment_budget:
            low = middle
        else:
            high = middle - 1
    return low


def _best_cut(text: str, limit: int) -> int:
    """Where to end a part that must fit in ``text[:limit]``.

    After the last line or sentence that fits, else at the last space, else hard at ``limit``.
    """
    window = text[:limit]
    sentence_ends = [m.end() for m in _LINE_BREAK.finditer(window) if window[: m.start()].strip()]
    sentence_ends += [
        m.end()
        for m in _SENTENCE_END.finditer(window)
        if window[: m.start()].strip() and not _MENU_NUMBER.search(window[: m.start()])
    ]
    if sentence_ends:
        return max(sentence_ends)
    spaces = [m.start() for m in _WHITESPACE.finditer(window) if window[: m.start()].strip()]
    if spaces:
        return max(spaces)
    cut = limit
    while cut > 1 and _attaches_to_previous(text[cut - 1], text[cut]):
        cut -= 1
    return cut


def _attaches_to_previous(previous: str, following: str) -> bool:
    """True when ``following`` belongs with ``previous``: a mark, a joiner, a skin tone."""
    return (
        unicodedata.combining(following) != 0
        or following in "\u200d\ufe0e\ufe0f"
        or previous == "\u200d"
        or 0x1F3FB <= ord(following) <= 0x1F3FF
    )
