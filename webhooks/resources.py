"""The API's collections as the webhooks and tombstones see them: model, id, who may see what.

This app sits above the others (none of them imports it), so it is the one place that knows them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from hotspots.api.activity import annotate_activity
from hotspots.api.serializers import HotspotSerializer
from hotspots.api.views import HotspotViewSet
from hotspots.models import Hotspot
from hotspots.selectors import hotspots_visible_to
from ingestion.api.serializers import UpdateSerializer
from ingestion.api.views import UpdateViewSet
from ingestion.models import PlaceCandidate, Post, Update
from ingestion.selectors import update_is_released, updates_visible_to
from operations.api.serializers import ReportSerializer, TrainingSerializer
from operations.api.views import ReportViewSet, TrainingViewSet
from operations.models import Contingent, OperationReport, TrainingRecord
from operations.selectors import (
    report_is_released,
    reports_visible_to,
    training_is_released,
    training_visible_to,
)

from .choices import Resource


@dataclass(frozen=True)
class ResourceSpec:
    """One collection: its model, the attribute that is its id in the API, and its visibility rules."""

    name: str
    model: type[Model]
    key: str = "pk"
    # Whether partners could see a given record; None: partners never see this collection.
    released: Callable[[int], bool] | None = None
    always_released: bool = False
    # For pushed collections: what a user may see, the queryset the API serializes, and how.
    visible_to: Callable[[object], QuerySet] | None = None
    queryset: Callable[[], QuerySet] | None = None
    serializer: type | None = None
    # Adds what the serializer reads beyond the model (the hotspots' activity counts).
    prepare: Callable[[QuerySet, object], QuerySet] | None = None

    def object_id(self, obj) -> str:
        return str(getattr(obj, self.key))

    def partners_could_see(self, obj) -> bool:
        if self.always_released:
            return True
        return self.released is not None and self.released(obj.pk)


def _viewset_queryset(viewset) -> Callable[[], QuerySet]:
    return lambda: viewset.queryset.all()


RESOURCES: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in [
        ResourceSpec(
            Resource.HOTSPOTS,
            Hotspot,
            key="slug",
            always_released=True,
            visible_to=hotspots_visible_to,
            queryset=_viewset_queryset(HotspotViewSet),
            serializer=HotspotSerializer,
            prepare=annotate_activity,
        ),
        ResourceSpec(
            Resource.REPORTS,
            OperationReport,
            released=report_is_released,
            visible_to=reports_visible_to,
            queryset=_viewset_queryset(ReportViewSet),
            serializer=ReportSerializer,
        ),
        ResourceSpec(
            Resource.TRAINING_RECORDS,
            TrainingRecord,
            released=training_is_released,
            visible_to=training_visible_to,
            queryset=_viewset_queryset(TrainingViewSet),
            serializer=TrainingSerializer,
        ),
        ResourceSpec(
            Resource.UPDATES,
            Update,
            released=update_is_released,
            visible_to=updates_visible_to,
            queryset=_viewset_queryset(UpdateViewSet),
            serializer=UpdateSerializer,
        ),
        ResourceSpec(Resource.CONTINGENTS, Contingent, key="country_code", always_released=True),
        ResourceSpec(Resource.POSTS, Post),
        ResourceSpec(Resource.PLACE_CANDIDATES, PlaceCandidate),
    ]
}
BY_MODEL: dict[type[Model], ResourceSpec] = {spec.model: spec for spec in RESOURCES.values()}
