"""Service search on small keyword maps: phrases, whole words, typos, scripts without spaces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.engine.search import normalize, search


def top(text: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    found = search(text, keywords)
    return found[0].service_id if found else None


def test_longer_phrase_outranks_a_shorter_word() -> None:
    keywords = {"bus-pass": ["bus pass"], "senior-fare": ["senior bus pass"]}
    found = search("senior bus pass please", keywords)
    assert [m.service_id for m in found] == ["senior-fare", "bus-pass"]
    assert found[0].score > found[1].score


def test_equal_scores_are_ordered_by_id_and_limit_applies() -> None:
    keywords = {"c": ["rent"], "a": ["rent"], "b": ["rent"]}
    assert [m.service_id for m in search("rent", keywords)] == ["a", "b", "c"]
    assert [m.service_id for m in search("rent", keywords, limit=2)] == ["a", "b"]


def test_words_match_whole_not_inside_other_words() -> None:
    keywords = {"rent-help": ["rent"], "bus-pass": ["bus"]}
    assert search("my parent runs a business", keywords) == []
    assert top("rents are high", keywords) == "rent-help"


def test_phrase_words_may_have_a_few_words_between_them() -> None:
    keywords = {"rent-help": ["pay rent"]}
    assert top("I cannot pay my rent", keywords) == "rent-help"
    assert search("pay the bill, not the rent", keywords) == []


def test_typos_are_forgiven_only_for_long_words_with_the_same_first_letter() -> None:
    assert top("evicton", {"rent-help": ["eviction"]}) == "rent-help"
    assert search("rant", {"rent-help": ["rent"]}) == []
    assert search("rental", {"dental": ["dental"]}) == []


def test_a_known_keyword_is_not_read_as_a_typo_of_another() -> None:
    keywords = {"rent-help": ["rental"], "dental": ["dental"]}
    assert [m.service_id for m in search("rental", keywords)] == ["rent-help"]


def test_unspaced_scripts_match_inside_the_text() -> None:
    assert top("我需要食物", {"food-pantry": ["食物"]}) == "food-pantry"
    assert top("집세를 못 내요", {"rent-help": ["집세"]}) == "rent-help"
    # One character says too little on its own.
    assert search("我要钱", {"cash-aid": ["钱"]}) == []


def test_latin_words_inside_chinese_text_are_words_of_their_own() -> None:
    assert top("我要申请snap卡", {"food-stamps": ["snap"], "bus-pass": ["nap"]}) == "food-stamps"


def test_accents_case_apostrophes_and_elision_do_not_matter() -> None:
    assert normalize("  Médico,   ¡YA! ") == "medico ya"
    assert normalize("I can't") == "i cant"
    assert top("Je cherche l'hôpital", {"clinic": ["hopital"]}) == "clinic"
    assert top("I cant drive", {"paratransit": ["can't drive"]}) == "paratransit"
    assert top("Tôi cần đi bác sĩ", {"clinic": ["bac si"]}) == "clinic"


def test_much_weaker_matches_are_dropped() -> None:
    keywords = {"rent-help": ["behind on my rent payments"], "jobs": ["job"]}
    assert [m.service_id for m in search("behind on my rent payments, job", keywords)] == [
        "rent-help"
    ]
