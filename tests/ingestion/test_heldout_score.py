"""The held-out set (ingestion/data/heldout) as a guard: extraction may not fall back on it unnoticed.

The floors are the issue's targets: kinds at least 90 %, every figure right, no hotspot lost.
"""

from ingestion.extraction import evaluation, extract
from tests.ingestion.seed_entries import reference_matcher, seed_matcher


def test_the_held_out_set_scores_at_its_floors():
    matcher, reference = seed_matcher(), reference_matcher()

    def predict(text):
        result = extract(text, matcher, reference)
        return result.kind, {m.key for m in result.mentions}, dict(result.figures)

    score = evaluation.score(evaluation.load_cases(evaluation.default_path()), predict)

    assert score.kind_accuracy >= 0.90, str(score)
    assert score.hotspot_recall == 1.0, str(score)
    assert score.figure_exactness == 1.0, str(score)
