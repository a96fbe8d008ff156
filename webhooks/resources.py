"""The API's collections as the webhooks and tombstones see them: model, id, and how the API reads them.

Who may see a record is its model's own rule (`Model.objects.visible_to(user)`, `released_to(level)`,
accounts/releasability.py); this module only asks it. This app sits above the others (none of them
imports it), so it is the one place that knows them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from accounts.releasability import Releasability
from hotspots.api.views import HotspotViewSet
from hotspots.models import Hotspot
from ingestion.api.views import UpdateViewSet
from ingestion.models import Mention, PlaceCandidate, Post, Update
from operations.api.views import ReportViewSet, TrainingViewSet
from operations.models import Contingent, OperationReport, TrainingRecord

from .choices import Resource


@dataclass(frozen=True)
class ResourceSpec:
    """One collection: its model, the attribute that is its id in the API, and for pushed collections
    the API's view of it."""

    name: str
    model: type[Model]
    key: str = "pk"
    # For pushed collections: the API's view, whose queryset and serializer give a record as the API does.
    viewset: type | None = None
    # For records counted in the hotspots' activity: the hotspots the records with these ids are at.
    hotspot_ids: Callable[[list[int]], set[int]] | None = None

    def object_id(self, obj) -> str:
        return str(getattr(obj, self.key))

    def _released_whole(self) -> bool | None:
        """True when partners see every record, False when they see none, None when it depends on the
        record: whether the model's `released_to` narrows anything, read without a query."""
        released = self.model.objects.released_to(Releasability.PARTNERS).query
        if released.is_empty():
            return False
        return None if released.has_filters() else True

    @property
    def withdrawable(self) -> bool:
        """Whether a record partners see may stop being released to them (its release depends on it)."""
        return self._released_whole() is None

    def released(self, pk: int) -> bool:
        """Whether partners may see the record with this id."""
        whole = self._released_whole()
        if whole is not None:
            return whole
        return self.model.objects.released_to(Releasability.PARTNERS).filter(pk=pk).exists()

    def levels_seeing(self, pk: int) -> list[str]:
        """The reader levels that may see the record with this id now (members see every record)."""
        levels = []
        for level in (Releasability.PUBLIC, Releasability.PARTNERS):
            whole = self._released_whole()
            if whole is None:
                whole = self.model.objects.released_to(level).filter(pk=pk).exists()
            if whole:
                levels.append(level)
        return [*levels, Releasability.MISSION]


def _hotspots_of(rows: Callable[[list[int]], QuerySet]) -> Callable[[list[int]], set[int]]:
    return lambda pks: set(rows(pks).exclude(hotspot_id=None).values_list("hotspot_id", flat=True))


RESOURCES: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in [
        ResourceSpec(
            Resource.HOTSPOTS,
            Hotspot,
            key="slug",
            viewset=HotspotViewSet,
        ),
        ResourceSpec(
            Resource.REPORTS,
            OperationReport,
            viewset=ReportViewSet,
            hotspot_ids=_hotspots_of(
                lambda pks: OperationReport.hotspots.through.objects.filter(operationreport_id__in=pks)
            ),
        ),
        ResourceSpec(
            Resource.TRAINING_RECORDS,
            TrainingRecord,
            viewset=TrainingViewSet,
            hotspot_ids=_hotspots_of(lambda pks: TrainingRecord.objects.filter(pk__in=pks)),
        ),
        ResourceSpec(
            Resource.UPDATES,
            Update,
            viewset=UpdateViewSet,
            hotspot_ids=_hotspots_of(lambda pks: Mention.objects.filter(update_id__in=pks)),
        ),
        ResourceSpec(Resource.CONTINGENTS, Contingent, key="country_code"),
        ResourceSpec(Resource.POSTS, Post),
        ResourceSpec(Resource.PLACE_CANDIDATES, PlaceCandidate),
    ]
}
BY_MODEL: dict[type[Model], ResourceSpec] = {spec.model: spec for spec in RESOURCES.values()}
