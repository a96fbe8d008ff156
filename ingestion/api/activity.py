"""The hotspot activity count ingestion contributes: updates naming each hotspot."""

from hotspots.api.activity import ActivityCounter, register

from ..models import Update


def _updates(user):
    return Update.objects.visible_to(user).counts_per_hotspot()


register(ActivityCounter("updates", "Updates naming the hotspot that you may see.", _updates))
