"""The current extraction scored on the held-out set (``ingestion/data/heldout/posts.jsonl``).

Usage, from the repository root::

    .venv/bin/python bench/heldout.py

No Django and no database: the matchers are built exactly as the extraction tests build them, by
``tests/ingestion/seed_entries.py`` (the seed hotspots with their aliases, and the bundled Haiti
reference gazetteer for the places that are not hotspots), and each post goes through
``ingestion.extraction.extract(text, matcher, reference)``. Prints the score (kind accuracy and
confusion, figure exactness, hotspot recall and precision), then every misclassified post. The set
is for measuring, not for tuning: see ingestion/data/heldout/README.md.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from ingestion.extraction import extract  # noqa: E402
from ingestion.extraction.evaluation import default_path, load_cases, score  # noqa: E402
from tests.ingestion.seed_entries import reference_matcher, seed_matcher  # noqa: E402


def main() -> int:
    started = time.perf_counter()
    cases = load_cases(default_path())
    matcher, reference = seed_matcher(), reference_matcher()

    def predict(text: str) -> tuple[str, set[str], dict[str, int]]:
        result = extract(text, matcher, reference)
        return result.kind, {mention.key for mention in result.mentions}, dict(result.figures)

    result = score(cases, predict)
    texts = {case.id: case.text for case in cases}
    print(f"held-out set: {default_path().relative_to(REPO_ROOT)}\n")
    print(result)
    if result.misclassified:
        print(f"\nmisclassified posts ({len(result.misclassified)})")
        for case_id, gold, predicted in result.misclassified:
            text = " ".join(texts[case_id].split())
            print(f"  {case_id}  gold {gold:<18} predicted {predicted:<18} {text[:90]}")
    print(f"\ntotal time {time.perf_counter() - started:.1f} s")
    # One machine-readable line, as the other benchmarks print (docs/benchmarks.md).
    print(
        "BENCH "
        + json.dumps(
            {
                "bench": "heldout",
                "posts": result.total,
                "kind_accuracy": round(result.kind_accuracy, 4),
                "figure_exactness": round(result.figure_exactness, 4),
                "hotspot_recall": round(result.hotspot_recall, 4),
                "hotspot_precision": round(result.hotspot_precision, 4),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
