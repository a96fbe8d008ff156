"""Reads shared by the API and the admin."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import RELEASABLE_PERMISSION

from .models import Tombstone, WebhookSubscription

# Members of the mission read every collection; reading reports stands for being one.
MEMBER_PERMISSION = "operations.view_operationreport"


def tombstones_visible_to(user) -> QuerySet[Tombstone]:
    """Every tombstone for members; for partners, those of records they could see."""
    if user.has_perm(MEMBER_PERMISSION):
        return Tombstone.objects.all()
    if user.has_perm(RELEASABLE_PERMISSION):
        return Tombstone.objects.filter(partners=True)
    return Tombstone.objects.none()


def subscriptions_of(user) -> QuerySet[WebhookSubscription]:
    """A user's own subscriptions: nobody sees another's through the API."""
    return WebhookSubscription.objects.filter(owner=user)
