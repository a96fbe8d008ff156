"""The one text normaliser: folding rules and the offsets back to the original text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import _tokenise_slow, fold, normalise, normalise_with_offsets, tokenise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pont-Sondé", "pont sonde"),
        ("Fò Nasyonal", "fo nasyonal"),
        ("DÈLMA", "delma"),
        ("Maïs-Gâté", "mais gate"),
        ("Straße", "strasse"),
    ],
)
def test_folds_case_and_accents(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u2018", "\u02bc", "`", "\u00b4"])
def test_drops_word_initial_elision_with_any_apostrophe(apostrophe: str) -> None:
    assert normalise(f"l{apostrophe}Estère") == "estere"
    assert normalise(f"Carrefour de l{apostrophe}aéroport") == "carrefour de aeroport"
    assert normalise(f"Police Nationale d{apostrophe}Haïti") == "police nationale haiti"


def test_elision_only_for_a_lone_l_or_d() -> None:
    assert normalise("O'Brien") == "o brien"
    assert normalise("aujourd'hui") == "aujourd hui"


def test_apostrophe_not_followed_by_a_letter_is_a_separator() -> None:
    assert normalise("l' Estère") == "l estere"


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"])
def test_hyphens_and_dashes_separate_words(dash: str) -> None:
    assert normalise(f"Port{dash}au{dash}Prince") == "port au prince"


def test_punctuation_and_whitespace_runs_collapse_to_one_space() -> None:
    assert normalise("  Solino,\tFort-National ;\n (Delmas 33)!  ") == "solino fort national delmas 33"


def test_combining_marks_and_format_characters_do_not_split_words() -> None:
    assert normalise("Sonde\u0301") == "sonde"
    assert normalise("Sol\u200dino") == "solino"
    assert normalise("Sol\u00adino") == "solino"


def test_compatibility_forms_fold_to_plain_letters() -> None:
    assert normalise("ＴＬＩＡ") == "tlia"
    assert normalise("\U0001d413\U0001d40b\U0001d408\U0001d400") == "tlia"


def test_empty_and_punctuation_only_give_empty_string() -> None:
    assert normalise("") == ""
    assert normalise(" - ’ … ") == ""


def test_offsets_point_at_the_original_characters() -> None:
    text = "À l’Estère—Délmas"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "a estere delmas"
    assert len(offsets) == len(normalised)
    start = normalised.index("estere")
    assert text[offsets[start] : offsets[start + len("estere") - 1] + 1] == "Estère"
    start = normalised.index("delmas")
    assert text[offsets[start] : offsets[-1] + 1] == "Délmas"


def test_offsets_repeat_for_a_character_that_folds_to_two() -> None:
    normalised, offsets = normalise_with_offsets("Straße")
    assert normalised == "strasse"
    assert offsets == [0, 1, 2, 3, 4, 4, 5]


def test_fold_keeps_punctuation_and_unifies_apostrophes_and_dashes() -> None:
    assert (
        fold("Aucun blessé – l’opération, 1 000 policiers.") == "aucun blesse - l'operation, 1 000 policiers."
    )


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_offsets_agree_with_normalise(text: str) -> None:
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == normalise(text)
    assert len(offsets) == len(normalised)
    assert offsets == sorted(offsets)
    assert all(0 <= offset < len(text) for offset in offsets)


@given(st.text())
def test_each_word_character_comes_from_its_original_character(text: str) -> None:
    for word, offsets in tokenise(text):
        for char, offset in zip(word, offsets, strict=True):
            source = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text[offset]).casefold())
            assert char in source


@given(st.text(), st.data())
def test_fast_and_character_by_character_tokenisers_agree(text: str, data: st.DataObject) -> None:
    indices = st.integers(min_value=0, max_value=max(len(text), 1))
    spans = data.draw(st.lists(st.tuples(indices, indices).map(sorted).map(tuple), max_size=2))
    breaks = data.draw(st.sets(indices, max_size=3))
    hidden = [(start, min(end, len(text))) for start, end in spans]
    fast = [(word, list(offsets)) for word, offsets in tokenise(text, hidden, breaks)]
    slow = [(word, list(offsets)) for word, offsets in _tokenise_slow(text, hidden, breaks)]
    assert fast == slow
