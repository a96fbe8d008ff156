from django.db.models import F
from rest_framework.response import Response

from core import read_cache
from core.api.related import X, Y, related_json
from core.api.renderers import GEO_RENDERERS, Column, CSVRenderer
from core.api.viewsets import MissionReadOnlyViewSet

from ..filters import HotspotFilterSet
from ..models import Hotspot, HotspotAlias
from .serializers import HotspotSerializer


class HotspotViewSet(MissionReadOnlyViewSet):
    """The mission's sites as a GeoJSON FeatureCollection, with how active each one is.

    The list is not paginated: it is short, and a map wants it whole. It is kept whole in the read
    cache under the data version (core/read_cache.py): building its features with their counts of
    every report and update reads every record, where from the cache it is one read (bench/scale.py,
    "api hotspots (whole)", with and without the cache; docs/benchmarks.md).
    """

    queryset = Hotspot.objects.defer("area").annotate(
        lon=X("location"), lat=Y("location"), alias_texts=related_json(HotspotAlias, "hotspot", F("text"))
    )
    serializer_class = HotspotSerializer
    filterset_class = HotspotFilterSet
    partner_readable = True
    pagination_class = None
    lookup_field = "slug"
    renderer_classes = GEO_RENDERERS
    export_columns = [
        Column("slug", "#loc+code", "id"),
        Column("name", "#loc+name", "properties.name"),
        Column("kind", "#loc+type", "properties.kind"),
        Column("aliases", "#loc+name+alt", "properties.aliases"),
        Column("department", "#adm1+name", "properties.department"),
        Column("department_pcode", "#adm1+code", "properties.adm1_pcode"),
        Column("commune", "#adm2+name", "properties.commune"),
        Column("commune_pcode", "#adm2+code", "properties.adm2_pcode"),
        Column("lat", "#geo+lat", "geometry.coordinates.1"),
        Column("lon", "#geo+lon", "geometry.coordinates.0"),
        Column("confidence", "#geo+precision", "properties.confidence"),
        Column("reports", "#activity+reports+num", "properties.activity.reports"),
        Column("training_records", "#activity+training+num", "properties.activity.training_records"),
        Column("updates", "#activity+updates+num", "properties.activity.updates"),
        Column("updated_at", "#date+updated", "properties.updated_at"),
    ]

    def list(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, CSVRenderer):
            return super().list(request, *args, **kwargs)  # exports are streamed

        def compute():
            return super(HotspotViewSet, self).list(request, *args, **kwargs).data

        return Response(read_cache.cached("api-hotspots", request.user, (request.query_params,), compute))
