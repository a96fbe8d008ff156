"""Hotspots as GeoJSON features: the slug is the feature's id, and unplaced sites have a null geometry."""

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.api.fields import UTCTimesMixin

from ..models import Hotspot
from .activity import annotation_name, counters


class HotspotActivitySerializer(serializers.Serializer):
    """Counts of the records about the hotspot that the reader may see (one per recording app)."""

    def get_fields(self):
        return {
            c.name: serializers.IntegerField(source=annotation_name(c), read_only=True, help_text=c.help_text)
            for c in counters()
        }


class HotspotSerializer(UTCTimesMixin, GeoFeatureModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")
    activity = HotspotActivitySerializer(source="*", read_only=True)

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
