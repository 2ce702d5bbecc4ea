"""Evaluation helpers: CSV loading, accuracy bookkeeping, report text, derived variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlp.base import LanguageGuess
from bot.nlp.evaluate import (
    EvalRow,
    evaluate,
    format_report,
    load_eval_csv,
    lower_case,
    strip_accents,
    variant,
)
from bot.nlp.language import build_detector


class AlwaysSpanish:
    """A detector with one fixed answer, so expected counts are known exactly."""

    name = "always-es"

    def detect(self, text: str, *, prior: str | None = None) -> LanguageGuess:
        return LanguageGuess("es", 0.9 if len(text) > 5 else 0.4, "fixed")


ROWS = [
    EvalRow("es", "word", "casa"),
    EvalRow("es", "sentence", "la biblioteca abre a las nueve"),
    EvalRow("en", "word", "library"),
    EvalRow("en", "sentence", "the library opens at nine"),
]


def test_load_eval_csv_reads_quoted_rows(tmp_path: Path) -> None:
    path = tmp_path / "dev.csv"
    path.write_text(
        'lang,kind,text\nfr,sentence,"Bonjour, je m\'appelle ""Anne"""\nht,word,mèsi\n',
        encoding="utf-8",
    )
    assert load_eval_csv(path) == [
        EvalRow("fr", "sentence", 'Bonjour, je m\'appelle "Anne"'),
        EvalRow("ht", "word", "mèsi"),
    ]


def test_load_eval_csv_names_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("language,text\nen,hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kind"):
        load_eval_csv(path)


def test_evaluate_counts_per_language_and_kind() -> None:
    report = evaluate(AlwaysSpanish(), ROWS)
    assert report.count == 4
    assert report.accuracy("es", "word") == 1.0
    assert report.accuracy("en", "sentence") == 0.0
    assert report.kind_accuracy("word") == 0.5
    assert report.overall() == 0.5
    assert report.accuracy("vi", "word") is None
    assert report.confident["word"] == 1  # only "library" is long enough for 0.9
    assert report.confident_correct["word"] == 0
    assert report.detections_per_second > 0


def test_evaluate_with_the_real_detector() -> None:
    report = evaluate(build_detector("switchboard", ["en", "es"]), ROWS)
    assert report.kind_accuracy("sentence") == 1.0
    assert report.detector == "switchboard"


def test_format_report_shows_languages_kinds_and_speed() -> None:
    text = format_report(evaluate(AlwaysSpanish(), ROWS), "original")
    lines = text.splitlines()
    assert lines[0] == "always-es — original"
    assert lines[1].split() == ["lang", "word", "sentence"]
    assert lines[2].split() == ["en", "0.0", "0.0"]
    assert lines[3].split() == ["es", "100.0", "100.0"]
    assert lines[4].split() == ["all", "50.0", "50.0"]
    assert "detections/s" in lines[-1]


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("mèsi anpil", "mesi anpil"),
        ("tiếng Việt", "tieng Viet"),
        ("Đà Nẵng", "Da Nang"),
        ("español ¿qué?", "espanol ¿que?"),
        ("ça coûte", "ca coute"),
        ("中文 한국어", "中文 한국어"),
    ],
)
def test_strip_accents(text: str, stripped: str) -> None:
    assert strip_accents(text) == stripped


def test_variants_keep_labels() -> None:
    rows = [EvalRow("fr", "pair", "Déjà Vu")]
    assert variant(rows, lower_case) == [EvalRow("fr", "pair", "déjà vu")]
    assert variant(rows, strip_accents) == [EvalRow("fr", "pair", "Deja Vu")]
