"""jobsim.report.words: one number formatter and one percent formatter per language, and the phrase table."""

import pytest

from jobsim.report.words import LANGS, PHRASES, num, pct, phrase, span, value_text


def test_number_formats():
    assert pct(0.405) == "40%" and pct(0.405, "da", 1) == "40,5\u00a0%"
    assert num(1408.2) == "1,408" and num(1408.2, "da") == "1.408"
    # what tick_text did: as few decimals as needed (decimals=None)
    assert [pct(v, "en", None) for v in (0, 0.025, 0.1, 1.0)] == ["0%", "2.5%", "10%", "100%"]
    assert num(1500, "da", None) == "1.500" and num(2.5, "en", None) == "2.5"


def test_percent_formatter_exact_strings_in_both_languages():
    assert pct(0.4, "da") == "40\u00a0%" and pct(0.4, "en") == "40%"
    assert pct(0.0015, "en", 1) == "0.1%" and pct(0.0015, "da", 1) == "0,1\u00a0%"
    assert pct(0.031, "en", 1, sign=True) == "+3.1%" and pct(-0.031, "da", 1, sign=True) == "-3,1\u00a0%"
    assert pct(12.5, "en") == "1,250%" and pct(12.5, "da") == "1.250\u00a0%"


def test_number_formatter_exact_strings_in_both_languages():
    assert num(2220, "en") == "2,220" and num(2220, "da") == "2.220"
    assert num(1_234_567.891, "en", 2) == "1,234,567.89" and num(1_234_567.891, "da", 2) == "1.234.567,89"
    assert num(0.5, "da", None) == "0,5" and num(40.0, "da", None) == "40" and num(100, "en", None) == "100"
    assert num(-0.001, "en", None) == "0" and num(-0.04, "en", 1, sign=True) == "0.0"
    assert num(3.0, "en", 1, sign=True) == "+3.0" and num(3.0, "da", 1, sign=True) == "+3,0"


def test_phrases_fill_numbers_with_the_formatters():
    assert phrase("where", "en", p=0.15, c=220.0) == "15% no-shows, 220 cases"
    assert phrase("where", "da", p=0.15, c=220.0) == "15\u00a0% udeblivelser, 220 sager"
    assert "1.400 borgere" in phrase("workers_axis", "da", citizens=1400.0)
    assert phrase("rule", "da", days=91.0) == "Opfølgningsregel: højst 91 dage"
    assert phrase("caption_run", "en", scenario="x", replications=20, seed=0, version="1").startswith(
        "Scenario 'x'; 20 replications")


def test_every_phrase_is_in_both_languages_and_unknown_languages_are_refused():
    assert LANGS == ("en", "da") and set(PHRASES["en"]) == set(PHRASES["da"])
    with pytest.raises(ValueError, match="lang"):
        num(1.0, "de")
    with pytest.raises(ValueError, match="lang"):
        phrase("yes", "de")


def test_span_and_value_text():
    assert span("19%", "23%") == "19%–23%" and span("2%", "2%") == "2%"
    assert value_text(True, "da") == "ja" and value_text(0.15, "da") == "0,15" and value_text("ahead") == "ahead"
