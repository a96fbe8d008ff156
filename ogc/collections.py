"""The collections OGC API - Features serves: the API's own, read through the API's own views.

A collection names the API viewset that serves it, so a reader sees in /ogc/ exactly what /api/v1/
shows them: the same permission rule, the same `Model.objects.visible_to(user)`, the same serializer.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotspots.api.views import HotspotViewSet
from ingestion.api.views import UpdateViewSet
from operations.api.views import ReportViewSet, TrainingViewSet


@dataclass(frozen=True)
class Collection:
    """One OGC collection: its id, its title and description, the API view behind it, and the field
    its `datetime` parameter and temporal extent read."""

    id: str
    title: str
    description: str
    viewset: type
    time_field: str


COLLECTIONS = {
    c.id: c
    for c in (
        Collection(
            "hotspots",
            "Hotspots",
            "The mission's sites, with how active each one is. Time: when the site was last changed.",
            HotspotViewSet,
            "updated_at",
        ),
        Collection(
            "updates",
            "Updates",
            "Structured updates made from the mission's posts, placed at the first hotspot they name. "
            "Time: when the post was published.",
            UpdateViewSet,
            "published_at",
        ),
        Collection(
            "operation-reports",
            "Operation reports",
            "The mission's operation reports, at their own point or their first hotspot's. "
            "Time: when the operation started.",
            ReportViewSet,
            "started_at",
        ),
        Collection(
            "training-records",
            "HNP training records",
            "Courses given to the Haitian National Police, at their own point or their hotspot's. "
            "Time: the day the course started.",
            TrainingViewSet,
            "starts_on",
        ),
    )
}
