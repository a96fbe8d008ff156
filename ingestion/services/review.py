"""Review: a reviewer confirms, corrects or rejects what the extraction made of a post."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from hotspots.models import Hotspot

from ..choices import ReviewState
from ..models import KindExample, Mention, Update

# What a reviewer decided: processing and a changed text leave these alone, or send them back.
HUMAN_REVIEWED = (ReviewState.CONFIRMED, ReviewState.CORRECTED, ReviewState.REJECTED)


@transaction.atomic
def update_review(
    *,
    update: Update,
    user,
    state: str,
    kind: str | None = None,
    hotspots: Iterable[Hotspot] | None = None,
    figures: dict | None = None,
) -> Update:
    """A reviewer confirms, corrects (kind, hotspots and/or figures) or rejects what the extraction
    guessed.

    A kind the reviewer changes is kept as a labelled example (``KindExample``) that the kind
    classifier learns from at its next training (``kind_model_train``).
    """
    if state not in HUMAN_REVIEWED:
        raise ValueError(f"Unknown review decision {state!r}.")
    guessed = Update.objects.filter(pk=update.pk).values_list("kind", flat=True).first() or update.kind
    if kind is not None:
        update.kind = kind
    if figures is not None:
        update.figures = figures
    if hotspots is not None:
        wanted = {h.pk: h for h in hotspots}
        update.mentions.exclude(hotspot_id__in=wanted).delete()
        kept = set(update.mentions.values_list("hotspot_id", flat=True))
        # A hotspot added by hand has no span in the text: it is recorded as a whole-post mention.
        Mention.objects.bulk_create(
            [
                Mention(update=update, hotspot=h, matched_text="(added by reviewer)", start=0, end=1)
                for pk, h in wanted.items()
                if pk not in kept
            ],
            ignore_conflicts=True,
        )
    update.review_state = state
    update.reviewer = user
    update.reviewed_at = timezone.now()
    update.needs_review = False
    update.save()
    if state != ReviewState.REJECTED and update.kind != guessed:
        KindExample.objects.update_or_create(
            update=update,
            defaults={
                "text": update.post.text,
                "kind": update.kind,
                "guessed_kind": guessed,
                "labelled_by": user if getattr(user, "pk", None) else None,
            },
        )
    return update
