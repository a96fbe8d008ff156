from django.db.models import F

from core.api.related import related_json
from core.api.renderers import GEO_RENDERERS, Column
from core.api.viewsets import MissionReadOnlyViewSet
from hotspots.api.places import place_values
from operations.api.contingents import contingents_json

from ..filters import PlaceCandidateFilterSet, PostFilterSet, UpdateFilterSet
from ..models import Mention, PlaceCandidate, Post, Update
from .serializers import POST_FIELDS, PlaceCandidateSerializer, PostSerializer, UpdateSerializer


class UpdateViewSet(MissionReadOnlyViewSet):
    """Structured updates made from the mission's posts, each with its post.

    Partners see updates no reviewer rejected that come from an official channel or that a
    reviewer confirmed or corrected.
    """

    queryset = Update.objects.only(*(f.name for f in Update._meta.concrete_fields)).annotate(
        **{f"post_{name}": F(f"post__{name}") for name in POST_FIELDS},
        source_name=F("post__source__name"),
        source_official=F("post__source__is_official"),
        named=related_json(Mention, "update", F("start"), F("pk"), *place_values("hotspot")[2:]),
        contingent_codes=contingents_json(Update.contingents.through, "update"),
    )
    serializer_class = UpdateSerializer
    filterset_class = UpdateFilterSet
    partner_readable = True
    renderer_classes = GEO_RENDERERS
    export_columns = [
        Column("id", "#meta+id", "id"),
        Column("published_at", "#date", "published_at"),
        Column("kind", "#event+type", "kind"),
        Column("hotspots", "#loc+name", "hotspots"),
        Column("lat", "#geo+lat", "geometry.coordinates.1"),
        Column("lon", "#geo+lon", "geometry.coordinates.0"),
        Column("department", "#adm1+name", "department"),
        Column("commune", "#adm2+name", "commune"),
        Column("personnel", "#capacity+personnel+num", "figures.personnel"),
        Column("trained", "#reached+trained+num", "figures.trained"),
        Column("killed", "#affected+killed", "figures.killed"),
        Column("contingents", "#org+contingent", "contingents"),
        Column("review_state", "#status+review", "review_state"),
        Column("source", "#meta+source", "post.source"),
        Column("url", "#meta+url", "post.url"),
        Column("text", "#description", "post.text"),
        Column("language", "#meta+lang", "post.language"),
        Column("updated_at", "#date+updated", "updated_at"),
    ]


class PostViewSet(MissionReadOnlyViewSet):
    """Raw posts as received, for members of the mission (partners read updates instead)."""

    queryset = Post.objects.select_related("source", "update")
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    export_columns = [
        Column("id", "#meta+id", "id"),
        Column("published_at", "#date", "published_at"),
        Column("source", "#meta+source", "source"),
        Column("external_id", "#meta+ref", "external_id"),
        Column("url", "#meta+url", "url"),
        Column("author", "#contact+name", "author"),
        Column("language", "#meta+lang", "language"),
        Column("text", "#description", "text"),
        Column("state", "#status", "state"),
        Column("update", "#meta+update", "update"),
        Column("updated_at", "#date+updated", "updated_at"),
    ]


class PlaceCandidateViewSet(MissionReadOnlyViewSet):
    """Place names from posts that are no hotspot, waiting for staff review (members only)."""

    queryset = PlaceCandidate.objects.select_related("promoted_to").defer("promoted_to__area")
    serializer_class = PlaceCandidateSerializer
    filterset_class = PlaceCandidateFilterSet
    export_columns = [
        Column("id", "#meta+id", "id"),
        Column("name", "#loc+name", "name"),
        Column("origin", "#meta+origin", "origin"),
        Column("reference", "#loc+code", "reference"),
        Column("occurrences", "#indicator+mentions+num", "occurrences"),
        Column("status", "#status", "status"),
        Column("promoted_to", "#loc+code+hotspot", "promoted_to"),
        Column("updated_at", "#date+updated", "updated_at"),
    ]
