"""Hotspots as GeoJSON features: the slug is the feature's id, and unplaced sites have a null geometry."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.api.fields import PointField, UTCTimesMixin, point
from core.api.related import rows_of

from ..models import Hotspot
from .activity import activity, counters


class HotspotActivitySerializer(serializers.Serializer):
    """Counts of the records about the hotspot that the reader may see (one per recording app)."""

    def get_fields(self):
        return {c.name: serializers.IntegerField(read_only=True, help_text=c.help_text) for c in counters()}


@extend_schema_field(HotspotActivitySerializer)
class HotspotActivityField(serializers.Field):
    """The hotspot's counts, from the counts of every hotspot the reader may see (`activity`), read
    once per serialization and kept in its context."""

    def __init__(self, **kwargs):
        super().__init__(source="pk", read_only=True, **kwargs)

    def to_representation(self, pk):
        context = self.context
        if "activity" not in context:
            user = context["user"] if "user" in context else context["request"].user
            context["activity"] = activity(user)
        return {name: counts.get(pk, 0) for name, counts in context["activity"].items()}


class HotspotSerializer(UTCTimesMixin, GeoFeatureModelSerializer):
    """A GeoJSON Feature written from the view's query (hotspots.api.views): its point as numbers and its
    aliases as one JSON list, as the reports' serializers read theirs (core/api/related.py). drf-gis
    describes the Feature in the schema; its own writing goes through GDAL and a related manager per
    hotspot (what that cost: docs/benchmarks.md, "The read path, third pass")."""

    location = PointField(read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")
    activity = HotspotActivityField()

    class Meta:
        model = Hotspot
        geo_field = "location"
        id_field = "slug"
        fields = [
            "slug",
            "name",
            "kind",
            "aliases",
            "commune",
            "department",
            "adm1_pcode",
            "adm2_pcode",
            "adm3_pcode",
            "confidence",
            "coordinate_source",
            "description",
            "is_active",
            "activity",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, hotspot):
        properties = self.represent(
            hotspot,
            location=point(hotspot.lon, hotspot.lat),  # drf-gis adds its geo_field to Meta.fields
            aliases=[text for (text,) in rows_of(hotspot.alias_texts)],
            activity=self.fields["activity"].to_representation(hotspot.pk),
        )
        return {
            "id": properties.pop("slug"),
            "type": "Feature",
            "geometry": properties.pop("location"),
            "properties": properties,
        }
