"""Place candidates: places posts name that are no hotspot, recorded for staff, who promote them
to a hotspot or to another name of one."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.text import normalise
from hotspots.models import Hotspot
from hotspots.services import alias_add, hotspot_create_from_reference

from .. import selectors
from ..choices import CandidateOrigin, CandidateStatus
from ..models import CandidateSighting, PlaceCandidate


def candidates_record(*, candidates_by_post: dict[int, list]) -> None:
    """Keep the reference places posts name (and that are no hotspot) for staff to review.

    Called by processing, inside its transaction, with the posts locked.

    Candidates are keyed by the reference place's own name, so "#CiteSoleil" and "Cité Soleil"
    are one candidate, and so are places of the same name in different communes. The posts'
    earlier sightings (a post processed again) make way for the new ones, and each candidate's
    count moves by exactly what was removed and added: increments, which two workers counting the
    same candidate at once cannot lose (a recount could miss the other's uncommitted sightings).
    """
    delta: Counter[int] = Counter()
    earlier = CandidateSighting.objects.filter(post__in=list(candidates_by_post))
    delta.subtract(earlier.values_list("candidate_id", flat=True))
    earlier.delete()
    references = {m.key for matches in candidates_by_post.values() for m in matches}
    names = selectors.reference_place_names(k for k in references if not k.startswith("unknown:"))
    wanted: dict[str, PlaceCandidate] = {}
    sightings: list[tuple[int, str, str]] = []  # post id, candidate key, matched text
    for post_id, matches in candidates_by_post.items():
        seen: set[str] = set()
        for match in matches:
            kind, _, reference = match.key.partition(":")
            if kind == "unknown":  # a capitalised name after a place cue, in no gazetteer
                name, origin, reference = match.text, CandidateOrigin.UNKNOWN, ""
            else:
                name = names.get(match.key, reference)
                origin = CandidateOrigin.PLACE if kind == "place" else CandidateOrigin.COMMUNE
            key = normalise(name)
            if not key or key in seen:
                continue
            seen.add(key)
            wanted.setdefault(
                key, PlaceCandidate(normalised=key, name=name, origin=origin, reference=reference)
            )
            sightings.append((post_id, key, match.text[:300]))
    if wanted:
        PlaceCandidate.objects.bulk_create(wanted.values(), ignore_conflicts=True)
        ids = dict(PlaceCandidate.objects.filter(normalised__in=wanted).values_list("normalised", "pk"))
        # No conflict is possible: the posts are locked and their earlier sightings are gone.
        CandidateSighting.objects.bulk_create(
            [
                CandidateSighting(candidate_id=ids[key], post_id=post_id, matched_text=text)
                for post_id, key, text in sightings
            ]
        )
        delta.update(ids[key] for _, key, _ in sightings)
    _count_candidates(delta)


def _count_candidates(delta: Counter[int]) -> None:
    """Move each candidate's occurrences by its delta: one UPDATE per distinct delta."""
    by_change: dict[int, list[int]] = defaultdict(list)
    for candidate_id, change in delta.items():
        if change:
            by_change[change].append(candidate_id)
    now = timezone.now()
    for change, ids in by_change.items():
        PlaceCandidate.objects.filter(pk__in=ids).update(
            occurrences=F("occurrences") + change, updated_at=now
        )


@transaction.atomic
def candidate_promote_to_hotspot(*, candidate: PlaceCandidate, slug: str, kind: str) -> Hotspot:
    """Make a place candidate a hotspot, placed at its reference point when it has one."""
    hotspot = hotspot_create_from_reference(
        name=candidate.name, slug=slug, kind=kind, reference=candidate.reference, origin=candidate.origin
    )
    candidate.status, candidate.promoted_to = CandidateStatus.PROMOTED, hotspot
    candidate.save(update_fields=["status", "promoted_to", "updated_at"])
    return hotspot


@transaction.atomic
def candidate_promote_to_alias(*, candidate: PlaceCandidate, hotspot: Hotspot, language: str) -> None:
    """The candidate is another name of an existing hotspot."""
    alias_add(hotspot=hotspot, text=candidate.name, language=language)
    candidate.status, candidate.promoted_to = CandidateStatus.PROMOTED, hotspot
    candidate.save(update_fields=["status", "promoted_to", "updated_at"])
