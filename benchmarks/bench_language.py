"""Language-detection benchmark: every registered detector on the shared dev set and its variants.

Run from the project root: ``python benchmarks/bench_language.py``. Reads
``../shared/data/langid-dev.csv`` (beside the project root) and exits 0 with a message when it is
absent. Variants: the original rows, accents stripped, lower case.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import SUPPORTED_LANGUAGES
from bot.errors import ConfigError
from bot.nlp.evaluate import (
    EvalReport,
    EvalRow,
    evaluate,
    format_report,
    load_eval_csv,
    lower_case,
    strip_accents,
    variant,
)
from bot.nlp.language import DEFAULT_DETECTOR, DETECTORS, build_detector

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SET = PROJECT_ROOT.parent / "shared" / "data" / "langid-dev.csv"
TARGETS = {"word": 0.88, "pair": 0.97, "sentence": 0.995}
WARM_UP = "load the model before the clock starts"
VARIANTS: dict[str, Callable[[str], str]] = {
    "original": lambda text: text,
    "accents stripped": strip_accents,
    "lower case": lower_case,
}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def check_targets(reports: dict[str, EvalReport]) -> bool:
    """Print whether the default detector meets its targets on the original rows."""
    ours = reports[DEFAULT_DETECTOR]
    others = {name: report for name, report in reports.items() if name != DEFAULT_DETECTOR}
    all_met = True
    print("\nTargets (original rows):")
    for kind, target in TARGETS.items():
        accuracy = ours.kind_accuracy(kind)
        if accuracy is None:
            continue
        met = accuracy >= target
        print(f"  {kind:<9} {_pct(accuracy):>8} >= {_pct(target):>8}: {'MET' if met else 'MISSED'}")
        all_met &= met
        for name, report in others.items():
            theirs = report.kind_accuracy(kind)
            ahead = theirs is None or accuracy > theirs
            verdict = "ahead" if ahead else ("tied" if accuracy == theirs else "BEHIND")
            print(f"            vs {name:<10} {_pct(theirs):>8}: {verdict}")
            all_met &= ahead
    print(f"All targets met: {'yes' if all_met else 'no'}")
    return all_met


def sentence_speed(detector_name: str, rows: list[EvalRow]) -> None:
    sentences = [row for row in rows if row.kind == "sentence"]
    if sentences:
        detector = build_detector(detector_name, SUPPORTED_LANGUAGES)
        detector.detect(WARM_UP)
        report = evaluate(detector, sentences)
        print(f"  {detector_name:<12} {report.detections_per_second:>10,.0f} sentences/s")


def main() -> int:
    if not DEV_SET.is_file():
        print(f"Dev set not found at {DEV_SET}; nothing to benchmark (it lives in ../shared).")
        return 0
    rows = load_eval_csv(DEV_SET)
    print(f"Dev set: {DEV_SET} ({len(rows)} rows), languages: {' '.join(SUPPORTED_LANGUAGES)}")
    detectors = {}
    for name in DETECTORS:
        try:
            detectors[name] = build_detector(name, SUPPORTED_LANGUAGES)
            detectors[name].detect(WARM_UP)  # load the model outside the timed runs
        except ConfigError as exc:
            print(f"skipping {name}: {exc}")
    originals: dict[str, EvalReport] = {}
    for variant_name, transform in VARIANTS.items():
        variant_rows = variant(rows, transform)
        print(f"\n=== {variant_name} ===")
        summary = []
        for name, detector in detectors.items():
            report = evaluate(detector, variant_rows)
            print("\n" + format_report(report, variant_name))
            summary.append((name, report))
            if variant_name == "original":
                originals[name] = report
        print(f"\nSummary — {variant_name} (word / pair / sentence, detections/s):")
        for name, report in summary:
            cells = " / ".join(_pct(report.kind_accuracy(kind)) for kind in TARGETS)
            print(f"  {name:<12} {cells}   {report.detections_per_second:,.0f}/s")
    print("\nSpeed on sentences only:")
    for name in detectors:
        sentence_speed(name, rows)
    check_targets(originals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
