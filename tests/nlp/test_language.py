"""The language-detection seam: registry, shortcuts, lexicon, prior, robustness, restriction."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import SUPPORTED_LANGUAGES
from bot.errors import ConfigError
from bot.nlp.language import DETECTORS, LanguageDetector, LanguageGuess, build_detector

ALL = list(SUPPORTED_LANGUAGES)
FLOOR = 0.6  # the bot's default language_confidence_floor


@cache
def switchboard() -> LanguageDetector:
    detector = build_detector("switchboard", ALL)
    detector.detect("warm up the model")
    return detector


def _lingua_available() -> bool:
    try:
        import lingua  # noqa: F401
    except ImportError:
        return False
    return True


LIBRARY_NAMES = ["langdetect", "py3langid", "switchboard"] + (
    ["lingua"] if _lingua_available() else []
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("주민센터가 몇 시에 문을 여나요?", "ko"),
        ("我家门口的路灯坏了", "zh"),
        ("أين يمكنني دفع فاتورة الماء؟", "ar"),
        ("Когда вывозят мусор на нашей улице?", "ru"),
        ("서울市 Seoul 시청 민원 접수", "ko"),  # hanja and a Latin name inside Korean
    ],
)
def test_script_settles_non_latin_languages(text: str, language: str) -> None:
    guess = switchboard().detect(text)
    assert guess == LanguageGuess(language, guess.confidence, "script")
    assert guess.confidence >= 0.9


def test_vietnamese_letters_point_to_vietnamese() -> None:
    guess = switchboard().detect("Tôi muốn hỏi về lịch thu gom rác")
    assert guess.language == "vi"
    assert guess.confidence >= FLOOR


def test_kana_is_not_taken_for_chinese() -> None:
    assert switchboard().detect("ごみの日はいつですか").language is None


def test_script_of_an_unconfigured_language_gives_no_language() -> None:
    detector = build_detector("switchboard", ["en", "es"])
    assert detector.detect("Где находится мэрия?").language is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola", "es"),
        ("HOLA!", "es"),
        ("gracias", "es"),
        ("español", "es"),
        ("espanol", "es"),
        ("salamat", "tl"),
        ("Salamat po", "tl"),
        ("bonjou", "ht"),
        ("mèsi", "ht"),
        ("mesi anpil", "ht"),
        ("merci", "fr"),
        ("français", "fr"),
        ("tiếng việt", "vi"),
        ("tieng viet", "vi"),
        ("xin chao", "vi"),
        ("中文", "zh"),
        ("annyeong", "ko"),
        ("spasibo", "ru"),
        ("shukran", "ar"),
        ("hello", "en"),
    ],
)
def test_greetings_and_language_names(text: str, language: str) -> None:
    guess = switchboard().detect(text)
    assert guess.language == language
    assert guess.confidence >= 0.9
    assert guess.method == "lexicon"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The street light on my block has been out for a week", "en"),
        ("Necesito ayuda para pagar la factura del agua", "es"),
        ("Je voudrais prendre rendez-vous avec la mairie", "fr"),
        ("Kailangan ko ng tulong sa pagbabayad ng kuryente", "tl"),
        ("Mwen bezwen ed pou mwen peye lwaye a", "ht"),
        ("Mwen pa konprann lèt sa a", "ht"),
        ("Toi can giup do ve hoa don tien nuoc", "vi"),  # typed without accents
        ("necesito informacion sobre el permiso de estacionamiento", "es"),
    ],
)
def test_short_messages_in_latin_script_languages(text: str, language: str) -> None:
    guess = switchboard().detect(text)
    assert guess.language == language
    assert guess.confidence >= FLOOR


@pytest.mark.parametrize("text", ["ok", "1", "yes", "👍", "taxi", "no", "2:30 pm"])
def test_prior_keeps_the_conversation_language_on_ambiguous_input(text: str) -> None:
    assert switchboard().detect(text, prior="vi").language == "vi"
    assert switchboard().detect(text, prior="tl").language == "tl"


@pytest.mark.parametrize("text", ["ok", "1", "yes", "taxi", "no", "help", "hotel"])
def test_ambiguous_one_word_replies_stay_under_the_floor(text: str) -> None:
    guess = switchboard().detect(text)
    assert guess.language is None or guess.confidence < FLOOR


def test_prior_does_not_override_clear_evidence() -> None:
    guess = switchboard().detect("Necesito ayuda con la basura de mi calle", prior="en")
    assert guess.language == "es"
    assert guess.confidence >= FLOOR


def test_a_prior_outside_the_configured_languages_is_ignored() -> None:
    detector = build_detector("switchboard", ["en", "es"])
    guess = detector.detect("ok", prior="ko")
    assert guess.language in {None, "en", "es"}


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "👍🙏", "!!!", "\x00\x01"])
def test_no_text_means_no_idea(text: str) -> None:
    for name in LIBRARY_NAMES:
        guess = build_detector(name, ALL).detect(text)
        assert guess.language is None
        assert guess.confidence == 0.0


def test_very_long_input_is_cut_and_fast() -> None:
    detector = switchboard()
    started = time.perf_counter()
    noise = detector.detect("x" * 10_000)
    spanish = detector.detect("la casa de mi vecino es muy grande y bonita " * 230)
    assert time.perf_counter() - started < 1.0
    assert noise.language is None or noise.confidence < FLOOR
    assert spanish.language == "es"


def test_registry_lists_the_detectors() -> None:
    assert {"langdetect", "py3langid", "lingua", "switchboard"} <= set(DETECTORS)
    for name in LIBRARY_NAMES:
        assert build_detector(name, ALL).name == name


def test_unknown_detector_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="language_detector"):
        build_detector("fasttext", ALL)


@pytest.mark.parametrize("languages", [[], ["en", "xx"]])
def test_bad_language_lists_are_config_errors(languages: list[str]) -> None:
    with pytest.raises(ConfigError, match="language"):
        build_detector("switchboard", languages)


def test_lingua_without_its_package_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lingua", None)  # makes `import lingua` fail
    with pytest.raises(ConfigError, match="lingua"):
        build_detector("lingua", ALL)


@pytest.mark.parametrize("name", LIBRARY_NAMES)
def test_answers_stay_within_the_configured_languages(name: str) -> None:
    detector = build_detector(name, ["en", "fr"])
    for text in ["Necesito ayuda con la basura", "Kailangan ko ng tulong", "Hola", "ok"]:
        assert detector.detect(text).language in {None, "en", "fr"}


def test_langdetect_is_deterministic_without_touching_the_library_default() -> None:
    from langdetect.detector_factory import DetectorFactory

    first = build_detector("langdetect", ALL)
    second = build_detector("langdetect", ALL)
    texts = ["casa", "hotel taxi", "bon", "la mesa"]
    assert [first.detect(t) for t in texts] == [second.detect(t) for t in texts]
    assert DetectorFactory.seed is None


def test_detection_from_threads_matches_serial_detection() -> None:
    texts = ["hola amigos", "merci beaucoup madame", "salamat po sa tulong", "good morning"] * 5
    serial = [switchboard().detect(text) for text in texts]
    fresh = build_detector("switchboard", ALL)  # lazy load raced by the threads
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(fresh.detect, texts))
    assert threaded == serial


CONFIGURED = ["en", "es", "tl", "ht", "zh"]


@cache
def restricted() -> LanguageDetector:
    return build_detector("switchboard", CONFIGURED)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), prior=st.sampled_from([None, *ALL]))
def test_any_text_gives_a_well_formed_guess(text: str, prior: str | None) -> None:
    guess = restricted().detect(text, prior=prior)
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.language is None or guess.language in CONFIGURED
    assert isinstance(guess.method, str)
    assert guess.method
