"""Scoring extraction against a labelled set of posts (the held-out set in ``ingestion/data/heldout``).

Pure Python, no Django: a case is one labelled post (kind, hotspot slugs, figures), ``score`` runs a
``predict(text) -> (kind, hotspot_slugs, figures)`` over every case and counts what it got right.

- kind accuracy: posts whose predicted kind is the gold kind / all posts, with the confusion of gold
  and predicted kinds;
- figure exactness: posts whose predicted figures dict equals the gold dict exactly / all posts; a
  post with any missing, extra or wrong figure is listed;
- hotspots, per mention (one post naming one slug is one mention): recall = found gold mentions / gold
  mentions, precision = found gold mentions / predicted mentions; lost (gold, not predicted) and
  spurious (predicted, not gold) mentions are listed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FIGURE_KEYS",
    "KINDS",
    "LANGUAGES",
    "VOICES",
    "Case",
    "FigureError",
    "Score",
    "default_path",
    "load_cases",
    "score",
]

# The codebook's kinds, in its order; the figure keys and the metadata a case carries.
KINDS = ("security_operation", "deployment", "training", "incident", "humanitarian", "statement")
FIGURE_KEYS = ("personnel", "trained", "arrests", "weapons_seized")
LANGUAGES = ("en", "fr", "ht")
VOICES = ("official", "journalist", "resident", "ngo")

Prediction = tuple[str, AbstractSet[str], Mapping[str, int]]


def default_path() -> Path:
    """The held-out set committed with the code: ``ingestion/data/heldout/posts.jsonl``."""
    return Path(__file__).resolve().parents[1] / "data" / "heldout" / "posts.jsonl"


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled post."""

    id: str
    lang: str
    voice: str
    text: str
    kind: str
    hotspots: frozenset[str]
    figures: Mapping[str, int]


def _case(row: Mapping[str, object], where: str) -> Case:
    missing = {"id", "text", "kind", "hotspots", "figures"} - row.keys()
    if missing:
        raise ValueError(f"{where}: missing {', '.join(sorted(missing))}")
    hotspots = row["hotspots"]
    figures = row["figures"]
    if not isinstance(hotspots, list) or not all(isinstance(slug, str) for slug in hotspots):
        raise ValueError(f"{where}: hotspots must be a list of slugs")
    if not isinstance(figures, dict) or not all(
        isinstance(key, str) and isinstance(value, int) and not isinstance(value, bool)
        for key, value in figures.items()
    ):
        raise ValueError(f"{where}: figures must map names to integers")
    return Case(
        id=str(row["id"]),
        lang=str(row.get("lang", "")),
        voice=str(row.get("voice", "")),
        text=str(row["text"]),
        kind=str(row["kind"]),
        hotspots=frozenset(hotspots),
        figures=dict(figures),
    )


def load_cases(path: str | Path | None = None) -> list[Case]:
    """The cases of a JSON Lines file (one object a line, blank lines skipped), in file order."""
    path = Path(path) if path is not None else default_path()
    cases = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                cases.append(_case(json.loads(line), f"{path.name}:{number}"))
    return cases


@dataclass(frozen=True, slots=True)
class FigureError:
    """A post whose predicted figures differ from the gold ones."""

    id: str
    gold: Mapping[str, int]
    predicted: Mapping[str, int]


@dataclass
class Score:
    """What a predictor got right on a set of cases; ``str(score)`` is a readable report."""

    total: int = 0
    kinds_correct: int = 0
    # (gold kind, predicted kind) -> posts; the diagonal is the correct ones.
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    # (id, gold kind, predicted kind) of each post whose kind is wrong, in case order.
    misclassified: list[tuple[str, str, str]] = field(default_factory=list)
    figures_exact: int = 0
    figure_errors: list[FigureError] = field(default_factory=list)
    hotspots_found: int = 0  # gold mentions predicted
    hotspots_gold: int = 0
    hotspots_predicted: int = 0
    lost_hotspots: list[tuple[str, str]] = field(default_factory=list)  # (id, slug)
    spurious_hotspots: list[tuple[str, str]] = field(default_factory=list)  # (id, slug)

    @property
    def kind_accuracy(self) -> float:
        return self.kinds_correct / self.total if self.total else 1.0

    @property
    def figure_exactness(self) -> float:
        return self.figures_exact / self.total if self.total else 1.0

    @property
    def hotspot_recall(self) -> float:
        return self.hotspots_found / self.hotspots_gold if self.hotspots_gold else 1.0

    @property
    def hotspot_precision(self) -> float:
        return self.hotspots_found / self.hotspots_predicted if self.hotspots_predicted else 1.0

    def kinds(self) -> list[str]:
        """The codebook kinds, then any other kind seen (a predictor's own, say), sorted."""
        seen = {kind for pair in self.confusion for kind in pair}
        return [*KINDS, *sorted(seen - set(KINDS))]

    def per_kind(self) -> dict[str, tuple[int, int]]:
        """Gold kind -> (posts predicted right, posts of that gold kind)."""
        result = {}
        for gold in self.kinds():
            posts = sum(count for (g, _), count in self.confusion.items() if g == gold)
            if posts:
                result[gold] = (self.confusion[gold, gold], posts)
        return result

    def confusion_pairs(self) -> list[tuple[str, str, int]]:
        """(gold, predicted, posts) of the wrong pairs, most frequent first."""
        pairs = [(g, p, n) for (g, p), n in self.confusion.items() if g != p]
        return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))

    def __str__(self) -> str:
        lines = [
            f"posts: {self.total}",
            f"kind accuracy:     {self.kind_accuracy:6.1%}  ({self.kinds_correct}/{self.total})",
            f"figure exactness:  {self.figure_exactness:6.1%}  ({self.figures_exact}/{self.total})",
            f"hotspot recall:    {self.hotspot_recall:6.1%}  "
            f"({self.hotspots_found}/{self.hotspots_gold} mentions)",
            f"hotspot precision: {self.hotspot_precision:6.1%}  "
            f"({self.hotspots_found}/{self.hotspots_predicted} mentions)",
            "",
        ]
        kinds = self.kinds()
        short = {kind: kind[:8] for kind in kinds}
        width = max(len(kind) for kind in kinds)
        lines.append("confusion (rows: gold, columns: predicted)")
        lines.append(" " * width + "".join(f" {short[k]:>8}" for k in kinds) + f" {'right':>9}")
        for gold in kinds:
            counts = [self.confusion[gold, predicted] for predicted in kinds]
            if not any(counts):
                continue
            right, posts = self.confusion[gold, gold], sum(counts)
            cells = "".join(f" {count or '.':>8}" for count in counts)
            lines.append(f"{gold:<{width}}{cells} {f'{right}/{posts}':>9}")
        pairs = self.confusion_pairs()
        if pairs:
            lines.append("")
            lines.append("wrong kinds (gold -> predicted: posts)")
            lines.extend(f"  {g} -> {p}: {n}" for g, p, n in pairs)
        if self.figure_errors:
            lines.append("")
            lines.append(f"wrong figures ({len(self.figure_errors)} posts)")
            lines.extend(
                f"  {error.id}: gold {dict(error.gold)} predicted {dict(error.predicted)}"
                for error in self.figure_errors
            )
        if self.lost_hotspots:
            lines.append("")
            lines.append(f"lost hotspots ({len(self.lost_hotspots)})")
            lines.extend(f"  {case_id}: {slug}" for case_id, slug in self.lost_hotspots)
        if self.spurious_hotspots:
            lines.append("")
            lines.append(f"spurious hotspots ({len(self.spurious_hotspots)})")
            lines.extend(f"  {case_id}: {slug}" for case_id, slug in self.spurious_hotspots)
        return "\n".join(lines)


def score(cases: Iterable[Case], predict: Callable[[str], Prediction]) -> Score:
    """Run ``predict`` on each case's text and count kinds, exact figures and hotspot mentions."""
    result = Score()
    for case in cases:
        kind, hotspots, figures = predict(case.text)
        hotspots = set(hotspots)
        figures = dict(figures)
        result.total += 1
        result.confusion[case.kind, kind] += 1
        if kind == case.kind:
            result.kinds_correct += 1
        else:
            result.misclassified.append((case.id, case.kind, kind))
        if figures == dict(case.figures):
            result.figures_exact += 1
        else:
            result.figure_errors.append(FigureError(case.id, dict(case.figures), figures))
        result.hotspots_gold += len(case.hotspots)
        result.hotspots_predicted += len(hotspots)
        result.hotspots_found += len(case.hotspots & hotspots)
        result.lost_hotspots.extend((case.id, slug) for slug in sorted(case.hotspots - hotspots))
        result.spurious_hotspots.extend((case.id, slug) for slug in sorted(hotspots - case.hotspots))
    return result
