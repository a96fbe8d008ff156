"""Learning from reviewers: the kind classifier trained on their kind corrections."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from .. import selectors
from ..extraction import evaluation
from ..extraction.kinds import classify, train_kind_model
from ..models import KindExample, KindModel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KindTraining:
    """What one training of the kind classifier did: its examples and the held-out kind accuracy
    with the model in use before and with the new one."""

    model: KindModel
    examples: int
    before: float
    after: float
    activated: bool

    def __str__(self) -> str:
        change = self.after - self.before
        verdict = (
            "now in use"
            if self.activated
            else "NOT in use: it scores worse on the held-out set (train with --accept-worse to use it)"
        )
        return (
            f"trained on {self.examples} labelled example(s); held-out kinds {self.before:.1%} before, "
            f"{self.after:.1%} after ({change:+.1%}); {verdict}"
        )


def _heldout_kind_accuracy(model) -> float:
    cases = evaluation.load_cases(evaluation.default_path())
    right = sum(classify(case.text, model).kind == case.kind for case in cases)
    return right / len(cases) if cases else 0.0


@transaction.atomic
def kind_model_train(*, accept_worse: bool = False) -> KindTraining:
    """Train the kind classifier on every reviewer's kind correction (``KindExample``) and use it.

    Each training is kept with the held-out set's kind accuracy before and after. A model that scores
    worse than the one in use is kept but not used, unless ``accept_worse``: a correction never makes
    the held-out score worse without saying so.
    """
    examples = list(KindExample.objects.order_by("pk").values_list("text", "kind"))
    current = selectors.kind_model()
    trained = train_kind_model(examples)
    before, after = _heldout_kind_accuracy(current), _heldout_kind_accuracy(trained)
    activate = after >= before or accept_worse
    note = "" if after >= before else f"held-out kinds {before:.1%} -> {after:.1%}: worse"
    row = KindModel.objects.create(
        examples=len(examples),
        parameters=trained.to_dict(),
        heldout_before=before,
        heldout_after=after,
        note=note + (" (used as asked)" if note and activate else ""),
    )
    if activate:
        KindModel.objects.filter(is_active=True).update(is_active=False)
        KindModel.objects.filter(pk=row.pk).update(is_active=True)
        row.is_active = True
    if after < before:
        log.warning("kind model %s scores worse on the held-out set: %s", row.pk, note)
    return KindTraining(model=row, examples=len(examples), before=before, after=after, activated=activate)
