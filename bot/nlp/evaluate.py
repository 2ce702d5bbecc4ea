"""Measuring a language detector: load labelled rows, score accuracy per language and kind, print.

Also derives the text variants the benchmark uses (accents stripped, lower case).
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.nlp.base import LanguageDetector
from bot.nlp.lexicon import strip_accents

__all__ = [
    "EvalReport",
    "EvalRow",
    "evaluate",
    "format_report",
    "load_eval_csv",
    "lower_case",
    "strip_accents",
    "variant",
]

KIND_ORDER = ("word", "pair", "sentence")


@dataclass(frozen=True)
class EvalRow:
    """One labelled text: its language, its kind (word, pair, sentence...) and the text."""

    lang: str
    kind: str
    text: str


@dataclass
class EvalReport:
    """Accuracy of one detector over a set of rows."""

    detector: str
    correct: Counter[tuple[str, str]] = field(default_factory=Counter)  # (lang, kind)
    total: Counter[tuple[str, str]] = field(default_factory=Counter)
    confident: Counter[str] = field(default_factory=Counter)  # kind: answers at/above the floor
    confident_correct: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    confidence_floor: float = 0.6

    @property
    def count(self) -> int:
        return sum(self.total.values())

    @property
    def detections_per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")

    def languages(self) -> list[str]:
        return sorted({lang for lang, _ in self.total})

    def kinds(self) -> list[str]:
        found = {kind for _, kind in self.total}
        return [k for k in KIND_ORDER if k in found] + sorted(found - set(KIND_ORDER))

    def accuracy(self, lang: str, kind: str) -> float | None:
        total = self.total[(lang, kind)]
        return self.correct[(lang, kind)] / total if total else None

    def kind_accuracy(self, kind: str) -> float | None:
        total = sum(n for (_, k), n in self.total.items() if k == kind)
        correct = sum(n for (_, k), n in self.correct.items() if k == kind)
        return correct / total if total else None

    def overall(self) -> float | None:
        return sum(self.correct.values()) / self.count if self.count else None


def load_eval_csv(path: str | Path) -> list[EvalRow]:
    """Rows of a ``lang,kind,text`` CSV file (UTF-8, RFC 4180 quoting)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"lang", "kind", "text"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
        return [EvalRow(row["lang"], row["kind"], row["text"]) for row in reader]


def lower_case(text: str) -> str:
    return text.lower()


def variant(rows: Iterable[EvalRow], transform: Callable[[str], str]) -> list[EvalRow]:
    """The same rows with ``transform`` applied to each text."""
    return [EvalRow(row.lang, row.kind, transform(row.text)) for row in rows]


def evaluate(
    detector: LanguageDetector, rows: Sequence[EvalRow], *, confidence_floor: float = 0.6
) -> EvalReport:
    """Run the detector over every row (no prior) and count correct answers."""
    report = EvalReport(detector.name, confidence_floor=confidence_floor)
    started = time.perf_counter()
    guesses = [detector.detect(row.text) for row in rows]
    report.seconds = time.perf_counter() - started
    for row, guess in zip(rows, guesses, strict=True):
        right = guess.language == row.lang
        report.total[(row.lang, row.kind)] += 1
        report.correct[(row.lang, row.kind)] += right
        if guess.language is not None and guess.confidence >= confidence_floor:
            report.confident[row.kind] += 1
            report.confident_correct[row.kind] += right
    return report


def _percent(value: float | None) -> str:
    return "     -" if value is None else f"{100 * value:6.1f}"


def format_report(report: EvalReport, title: str = "") -> str:
    """A plain-text table: languages down, kinds across, then overall per kind and speed."""
    kinds = report.kinds()
    heading = f"{report.detector}" + (f" — {title}" if title else "")
    lines = [heading, "lang  " + "".join(f"{kind:>10}" for kind in kinds)]
    for lang in report.languages():
        cells = "".join(f"{_percent(report.accuracy(lang, kind)):>10}" for kind in kinds)
        lines.append(f"{lang:<6}{cells}")
    overall = "".join(f"{_percent(report.kind_accuracy(kind)):>10}" for kind in kinds)
    lines.append(f"{'all':<6}{overall}")
    floor_cells = []
    for kind in kinds:
        kind_total = sum(n for (_, k), n in report.total.items() if k == kind)
        answered = report.confident[kind]
        share = answered / kind_total if kind_total else None
        precise = report.confident_correct[kind] / answered if answered else None
        floor_cells.append(f"{_percent(share).strip()}%@{_percent(precise).strip()}%")
    lines.append(f"conf>={report.confidence_floor:g} (share@accuracy): " + "  ".join(floor_cells))
    lines.append(f"{report.count} texts, {report.detections_per_second:,.0f} detections/s")
    return "\n".join(lines)
