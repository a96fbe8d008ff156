"""Which updates, posts and place candidates are released, and to whom
(accounts/releasability.py: `visible_to(user)` from `released_to(level)`)."""

from django.db.models import Q

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


class PostQuerySet(MembersOnlyQuerySet):
    """Raw posts are the mission's working material: members only (partners read updates instead)."""


class PlaceCandidateQuerySet(MembersOnlyQuerySet):
    """Place candidates wait for staff review: members only."""
