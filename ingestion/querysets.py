"""Which updates, posts and place candidates are released, and to whom
(accounts/releasability.py: `visible_to(user)` from `released_to(level)`)."""

from django.db.models import Count, Max, Q

from accounts.releasability import MembersOnlyQuerySet, Releasability, ReleasableQuerySet

from .choices import ReviewState


class UpdateQuerySet(ReleasableQuerySet):
    def released_to(self, level: str):
        """Updates no reviewer rejected that come from an official channel of the mission or that a
        reviewer confirmed or corrected: unchecked guesses from other sources stay inside.

        An update has no releasability of its own (every one is made from a published post): its
        source's trust and its review decide, alike at every level.
        """
        Releasability(level)
        return self.filter(
            ~Q(review_state=ReviewState.REJECTED)
            & (
                Q(post__source__is_official=True)
                | Q(review_state__in=[ReviewState.CONFIRMED, ReviewState.CORRECTED])
            )
        )

    def counts_per_hotspot(self):
        """(hotspot id, updates, latest publication) for each hotspot these updates name; an update
        naming a hotspot twice (two spans of its text) counts once."""
        return (
            self.filter(mentions__hotspot__isnull=False)
            .order_by()
            .values_list("mentions__hotspot")
            .annotate(n=Count("pk", distinct=True), last=Max("published_at"))
        )


class PostQuerySet(MembersOnlyQuerySet):
    """Raw posts are the mission's working material: members only (partners read updates instead)."""


class PlaceCandidateQuerySet(MembersOnlyQuerySet):
    """Place candidates wait for staff review: members only."""
