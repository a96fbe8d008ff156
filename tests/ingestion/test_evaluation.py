"""The held-out scorer (``ingestion.extraction.evaluation``) and the held-out set it reads.

No classifier score is asserted here: the set measures the extraction, it does not gate it.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from ingestion.extraction.evaluation import (
    FIGURE_KEYS,
    KINDS,
    LANGUAGES,
    VOICES,
    Case,
    default_path,
    load_cases,
    score,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = REPO_ROOT / "hotspots" / "data" / "hotspots_seed.csv"


def case(case_id: str, text: str, kind: str, hotspots=(), figures=None) -> Case:
    return Case(case_id, "en", "official", text, kind, frozenset(hotspots), figures or {})


CASES = [
    case("a", "patrols in Delmas", "security_operation", {"delmas"}),
    case("b", "200 officers landed at TLIA", "deployment", {"tlia"}, {"personnel": 200}),
    case("c", "gunfire near Solino and Christ-Roi", "incident", {"solino", "christ-roi"}),
    case("d", "we remain committed", "statement"),
]


def oracle(cases: list[Case]):
    """A predictor that knows the gold labels, to change one thing at a time."""
    gold = {c.text: c for c in cases}

    def predict(text: str):
        c = gold[text]
        return c.kind, set(c.hotspots), dict(c.figures)

    return predict


def test_perfect_predictor_scores_full_marks() -> None:
    result = score(CASES, oracle(CASES))
    assert result.total == 4
    assert result.kind_accuracy == 1.0
    assert result.figure_exactness == 1.0
    assert result.hotspot_recall == 1.0
    assert result.hotspot_precision == 1.0
    assert result.misclassified == [] and result.figure_errors == []
    assert result.lost_hotspots == [] and result.spurious_hotspots == []
    assert result.per_kind()["incident"] == (1, 1)


def test_wrong_kind_lowers_accuracy_and_is_in_the_confusion() -> None:
    right = oracle(CASES)

    def predict(text: str):
        kind, hotspots, figures = right(text)
        return ("statement" if text.startswith("gunfire") else kind), hotspots, figures

    result = score(CASES, predict)
    assert result.kind_accuracy == 0.75
    assert result.misclassified == [("c", "incident", "statement")]
    assert result.confusion["incident", "statement"] == 1
    assert result.confusion_pairs() == [("incident", "statement", 1)]
    assert result.per_kind()["incident"] == (0, 1)
    assert "incident -> statement: 1" in str(result)


def test_lost_hotspot_lowers_recall_and_is_listed() -> None:
    right = oracle(CASES)

    def predict(text: str):
        kind, hotspots, figures = right(text)
        return kind, hotspots - {"christ-roi"}, figures

    result = score(CASES, predict)
    assert result.hotspots_gold == 4
    assert result.hotspot_recall == 0.75
    assert result.hotspot_precision == 1.0
    assert result.lost_hotspots == [("c", "christ-roi")]
    assert "c: christ-roi" in str(result)


def test_spurious_hotspot_lowers_precision_only() -> None:
    right = oracle(CASES)

    def predict(text: str):
        kind, hotspots, figures = right(text)
        return kind, hotspots | ({"la-croix"} if text == "we remain committed" else set()), figures

    result = score(CASES, predict)
    assert result.hotspot_recall == 1.0
    assert result.hotspot_precision == 4 / 5
    assert result.spurious_hotspots == [("d", "la-croix")]


@pytest.mark.parametrize(
    "figures",
    [{}, {"personnel": 250}, {"personnel": 200, "arrests": 1}, {"trained": 200}],
    ids=["missing", "wrong", "extra", "wrong-key"],
)
def test_figures_must_be_exact(figures: dict[str, int]) -> None:
    right = oracle(CASES)

    def predict(text: str):
        kind, hotspots, gold = right(text)
        return kind, hotspots, (figures if gold else {})

    result = score(CASES, predict)
    assert result.figure_exactness == 0.75
    assert [error.id for error in result.figure_errors] == ["b"]
    assert result.figure_errors[0].gold == {"personnel": 200}
    assert result.figure_errors[0].predicted == figures


def test_a_figure_on_a_post_without_figures_is_an_error() -> None:
    right = oracle(CASES)

    def predict(text: str):
        kind, hotspots, figures = right(text)
        return kind, hotspots, figures or {"arrests": 3}

    assert score(CASES, predict).figures_exact == 1


def test_report_is_a_readable_table() -> None:
    report = str(score(CASES, lambda text: ("statement", set(), {})))
    assert "kind accuracy:" in report and "25.0%" in report
    assert "figure exactness:" in report
    assert "hotspot recall:" in report and "0/4 mentions" in report
    assert "confusion (rows: gold, columns: predicted)" in report
    assert "lost hotspots (4)" in report


def test_empty_set_scores_without_dividing_by_zero() -> None:
    result = score([], lambda text: ("statement", set(), {}))
    assert result.total == 0
    assert result.kind_accuracy == 1.0
    assert "posts: 0" in str(result)


def test_load_cases_reads_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    rows = [
        {"id": "x1", "lang": "fr", "voice": "journalist", "text": "Deux armes saisies à Bourdon.",
         "kind": "security_operation", "hotspots": ["bourdon"], "figures": {"weapons_seized": 2}},
        {"id": "x2", "lang": "ht", "voice": "resident", "text": "Tout bagay kalm.",
         "kind": "statement", "hotspots": [], "figures": {}},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n\n", encoding="utf-8")
    cases = load_cases(path)
    assert [c.id for c in cases] == ["x1", "x2"]
    assert cases[0].hotspots == frozenset({"bourdon"})
    assert cases[0].figures == {"weapons_seized": 2}
    assert cases[1].lang == "ht"


@pytest.mark.parametrize(
    "row",
    [
        {"id": "x", "text": "t", "kind": "statement", "hotspots": []},
        {"id": "x", "text": "t", "kind": "statement", "hotspots": "delmas", "figures": {}},
        {"id": "x", "text": "t", "kind": "statement", "hotspots": [], "figures": {"arrests": "3"}},
    ],
    ids=["no-figures", "hotspots-not-a-list", "figure-not-an-integer"],
)
def test_load_cases_rejects_malformed_rows(tmp_path: Path, row: dict) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        load_cases(path)


# The committed held-out set.


@pytest.fixture(scope="module")
def heldout() -> list[Case]:
    return load_cases(default_path())


def test_default_path_is_in_the_repository() -> None:
    assert default_path() == REPO_ROOT / "ingestion" / "data" / "heldout" / "posts.jsonl"
    assert default_path().is_file()


def test_heldout_set_size_languages_and_kinds(heldout: list[Case]) -> None:
    assert len(heldout) >= 200
    assert {c.lang for c in heldout} == set(LANGUAGES)
    assert {c.voice for c in heldout} <= set(VOICES)
    kinds = Counter(c.kind for c in heldout)
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 25, kinds
    # every kind in every language
    assert {(c.kind, c.lang) for c in heldout} == {(k, lang) for k in KINDS for lang in LANGUAGES}


def test_heldout_labels_are_valid(heldout: list[Case]) -> None:
    with SEED.open(newline="", encoding="utf-8") as handle:
        slugs = {row["slug"] for row in csv.DictReader(handle)}
    for c in heldout:
        assert c.hotspots <= slugs, (c.id, c.hotspots - slugs)
        assert set(c.figures) <= set(FIGURE_KEYS), (c.id, c.figures)
        assert all(value > 0 for value in c.figures.values()), (c.id, c.figures)
    assert sum(bool(c.figures) for c in heldout) >= 60
    assert {key for c in heldout for key in c.figures} == set(FIGURE_KEYS)
    assert sum(bool(c.hotspots) for c in heldout) >= 120


def test_heldout_ids_and_texts_are_unique(heldout: list[Case]) -> None:
    ids = [c.id for c in heldout]
    texts = [" ".join(c.text.split()).casefold() for c in heldout]
    assert len(set(ids)) == len(ids)
    assert len(set(texts)) == len(texts)


def test_heldout_hotspot_lists_are_sorted_in_the_file() -> None:
    for line in default_path().read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert row["hotspots"] == sorted(row["hotspots"]), row["id"]


def test_codebook_kinds_are_the_extraction_kinds() -> None:
    from ingestion.extraction import KINDS as EXTRACTION_KINDS

    assert set(KINDS) == set(EXTRACTION_KINDS)
