"""Throughput of ``extract()`` against a naive regex-per-alias baseline, on one core.

Usage, from the repository root::

    .venv/bin/python bench/extract.py

The dev posts are repeated to a few thousand posts. Three gazetteers: (a) the seed hotspots,
(b) a synthetic gazetteer of 10,000 aliases (the seed aliases plus generated multi-word Haitian
place names), (c) the seed hotspots with the bundled reference gazetteer of Haiti for
candidates, as the portal runs it. The baseline is what one would write first: one compiled
case-insensitive word-boundary regular expression per alias, each searched in the normalised
post, followed by the same kind, figure and contingent extraction. Both are timed in the same
run; the best of a few repeats is kept. Targets at 10,000 aliases: at least 5,000 posts/s and
at least 20 times the baseline.
"""

from __future__ import annotations

import json
import platform
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from core.text import normalise  # noqa: E402
from ingestion.extraction import (  # noqa: E402
    AliasEntry,
    PlaceMatcher,
    classify_kind,
    extract,
    extract_figures,
    find_contingents,
)
from ingestion.extraction.places import alias_variants  # noqa: E402
from tests.ingestion.seed_entries import (  # noqa: E402
    DEV_DATA,
    reference_entries,
    reference_matcher,
    seed_entries,
)

POSTS_PER_RUN = 2_500
BASELINE_POSTS = {"seed": 2_500, "synthetic": 400, "reference": 150}
REPEATS = 3
SYNTHETIC_ALIASES = 10_000

# Words that Haitian place names are made of, to generate plausible aliases for the 10k case.
_HEADS = (
    "Morne", "Fond", "Carrefour", "Ravine", "Source", "Bois", "Grand", "Petit", "Haut", "Bas",
    "Savane", "Plaine", "Habitation", "Nan", "Cité", "Route de", "Impasse", "Rue", "Pont", "Trou",
    "Bassin", "Platon", "Anse", "Kafou", "Lakou", "Mare", "Terre", "Belle", "Sainte", "Saint",
)  # fmt: skip
_ONSETS = ("b", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "gr", "tr", "br", "pl")
_RIMES = ("a", "e", "i", "o", "ou", "an", "on", "in", "é", "è", "ard", "eau", "ille", "ette", "ier", "ot")


def dev_posts() -> list[str]:
    payload = json.loads((DEV_DATA / "posts_dev.json").read_text(encoding="utf-8"))
    return [(post.get("note_tweet") or {}).get("text") or post["text"] for post in payload["data"]]


def synthetic_entries(seed: list[AliasEntry], total: int) -> list[AliasEntry]:
    """The seed aliases plus generated names ("Morne Lavalette", "Fond Tribé"): ``total`` distinct."""
    rng = random.Random(20250324)  # fixed: every run benchmarks the same gazetteer
    seen = {normalise(variant) for entry in seed for variant in alias_variants(entry.text)}
    entries = list(seed)
    while len(seen) < total:
        surname = "".join(rng.choice(_ONSETS) + rng.choice(_RIMES) for _ in range(rng.randint(2, 3)))
        name = f"{rng.choice(_HEADS)} {surname.capitalize()}"
        if rng.random() < 0.3:
            name += f" {rng.choice(('Nord', 'Sud', 'Est', 'Ouest', '1', '2', 'Centre', 'Zabo'))}"
        if normalise(name) not in seen:
            seen.add(normalise(name))
            entries.append(AliasEntry(f"synthetic-{len(entries)}", name))
    return entries


class RegexPerAlias:
    """The naive baseline: one word-boundary, case-insensitive regex per alias."""

    def __init__(self, entries: Sequence[AliasEntry]) -> None:
        self.patterns = [
            (entry.key, re.compile(r"\b" + re.escape(normalise(entry.text)) + r"\b", re.IGNORECASE))
            for entry in entries
            if normalise(entry.text)
        ]

    def find(self, text: str) -> list[str]:
        normalised = normalise(text)
        return [key for key, pattern in self.patterns if pattern.search(normalised)]


def baseline_extract(text: str, matcher: RegexPerAlias, reference: RegexPerAlias | None) -> tuple:
    kind = classify_kind(text)
    candidates = reference.find(text) if reference is not None else []
    return matcher.find(text), kind, extract_figures(text, kind), find_contingents(text), candidates


def posts_per_second(function: Callable[[str], object], posts: Sequence[str]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        for post in posts:
            function(post)
        best = min(best, time.perf_counter() - started)
    return len(posts) / best


def main() -> int:
    started = time.perf_counter()
    dev = dev_posts()
    posts = (dev * (POSTS_PER_RUN // len(dev) + 1))[:POSTS_PER_RUN]
    seed = seed_entries()
    synthetic = synthetic_entries(seed, SYNTHETIC_ALIASES)

    build_started = time.perf_counter()
    synthetic_matcher = PlaceMatcher(synthetic)
    build_seconds = time.perf_counter() - build_started
    seed_matcher = PlaceMatcher(seed)
    reference = reference_matcher()
    reference_list = reference_entries()

    print(f"extract() benchmark: {len(posts):,} posts (the {len(dev)} dev posts repeated), one core,")
    print(f"Python {platform.python_version()} on {platform.machine()}; best of {REPEATS} runs per figure.")
    print(f"PlaceMatcher build: {len(synthetic_matcher):,} aliases in {build_seconds * 1000:.0f} ms\n")
    header = (
        f"{'gazetteer':<34} {'aliases':>8} {'extract() posts/s':>18} {'baseline posts/s':>17} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))

    cases = [
        ("seed", "(a) seed hotspots", seed_matcher, None, seed, None),
        ("synthetic", "(b) synthetic 10,000 aliases", synthetic_matcher, None, synthetic, None),
        ("reference", "(c) seed + reference candidates", seed_matcher, reference, seed, reference_list),
    ]
    results = {}
    for name, label, matcher, ref, entries, ref_entries in cases:
        ours = posts_per_second(lambda text, m=matcher, r=ref: extract(text, m, r), posts)
        naive = RegexPerAlias(entries)
        naive_ref = RegexPerAlias(ref_entries) if ref_entries is not None else None
        sample = posts[: BASELINE_POSTS[name]]
        base = posts_per_second(lambda text, m=naive, r=naive_ref: baseline_extract(text, m, r), sample)
        aliases = len(matcher) + (len(ref) if ref is not None else 0)
        results[name] = (ours, base)
        print(f"{label:<34} {aliases:>8,} {ours:>18,.0f} {base:>17,.0f} {ours / base:>6.1f}x")

    ours, base = results["synthetic"]
    fast_enough = ours >= 5_000
    far_enough = ours / base >= 20
    print(
        f"\ntargets at 10,000 aliases: >= 5,000 posts/s: {'met' if fast_enough else 'NOT met'} "
        f"({ours:,.0f}); >= 20x baseline: {'met' if far_enough else 'NOT met'} ({ours / base:.1f}x)"
    )
    print(f"total time {time.perf_counter() - started:.1f} s")
    # The machine-readable last line bench/run_all.py reads (docs/benchmarks.md).
    cases_out = {
        name: {"posts_per_second": round(o), "baseline_posts_per_second": round(b)}
        for name, (o, b) in results.items()
    }
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "extract",
                "posts": len(posts),
                "cases": cases_out,
                "targets": {"posts_per_second": fast_enough, "vs_baseline": far_enough},
            }
        )
    )
    return 0 if fast_enough and far_enough else 1


if __name__ == "__main__":
    sys.exit(main())
