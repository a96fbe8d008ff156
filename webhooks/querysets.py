"""Who may see tombstones and webhook subscriptions (accounts/releasability.py for the levels)."""

from django.db import models

from accounts.releasability import Releasability, ReleasableQuerySet

# Members of the mission read every collection; reading reports stands for being one.
MEMBER_PERMISSION = "operations.view_operationreport"


class TombstoneQuerySet(ReleasableQuerySet):
    member_permission = MEMBER_PERMISSION

    def released_to(self, level: str):
        """Outside the mission, the tombstones of records partners could see; none for the public
        (a tombstone names a record that may not have been public)."""
        level = Releasability(level)
        if level == Releasability.MISSION:
            return self.all()
        return self.filter(partners=True) if level == Releasability.PARTNERS else self.none()


class WebhookSubscriptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own subscriptions: nobody sees another's through the API."""
        return self.filter(owner=user) if user.is_authenticated else self.none()
