"""Reads shared by the API, the webhooks and the pages."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import RELEASABLE_PERMISSION

from .models import Hotspot


def hotspots_visible_to(user) -> QuerySet[Hotspot]:
    """Hotspots are the mission's public geography: every reader, partners included, sees them all."""
    if user.has_perm("hotspots.view_hotspot") or user.has_perm(RELEASABLE_PERMISSION):
        return Hotspot.objects.all()
    return Hotspot.objects.none()
