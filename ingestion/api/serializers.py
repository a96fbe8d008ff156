"""Updates (what a post says, in structure), the raw posts, and place candidates in the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import PointField, UTCTimesMixin
from hotspots.api.places import first_placed
from hotspots.models import Hotspot

from ..models import PlaceCandidate, Post, Update


class UpdatePostSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """The post an update was made from: where it was published and what it said."""

    source = serializers.CharField(source="source.name", read_only=True)
    source_official = serializers.BooleanField(source="source.is_official", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "source", "source_official", "external_id", "url", "author", "text", "language"]
        read_only_fields = fields


class UpdateSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """An update with its post. The view reads its mentions (with their hotspots) and contingents per page."""

    hotspots = serializers.SerializerMethodField(help_text="Slugs of the hotspots named, in the order named.")
    contingents = serializers.SlugRelatedField(many=True, read_only=True, slug_field="country_code")
    geometry = serializers.SerializerMethodField(help_text="The point of the first placed hotspot named.")
    department = serializers.SerializerMethodField(help_text="Department of the first placed hotspot named.")
    commune = serializers.SerializerMethodField(help_text="Commune of the first placed hotspot named.")
    figures = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text='Head counts, e.g. {"personnel": 600}.'
    )
    post = UpdatePostSerializer(read_only=True)

    class Meta:
        model = Update
        fields = [
            "id",
            "kind",
            "published_at",
            "hotspots",
            "geometry",
            "department",
            "commune",
            "figures",
            "review_state",
            "contingents",
            "post",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _named(update) -> list[Hotspot]:
        """The hotspots the update names, each once, in the order named (the mentions' order); gone
        through once per update, though its slugs, geometry, department and commune each ask."""
        if "_named" not in update.__dict__:
            named = {}
            for mention in update.mentions.all():
                named.setdefault(mention.hotspot_id, mention.hotspot)
            update.__dict__["_named"] = list(named.values())
        return update.__dict__["_named"]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_hotspots(self, update):
        return [hotspot.slug for hotspot in self._named(update)]

    @extend_schema_field(PointField)
    def get_geometry(self, update):
        placed = first_placed(self._named(update))
        return PointField().to_representation(placed.location) if placed else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_department(self, update):
        placed = first_placed(self._named(update))
        return placed.department if placed else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_commune(self, update):
        placed = first_placed(self._named(update))
        return placed.commune if placed else ""


class PostSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """A post as received, with its raw payload: for members of the mission only."""

    source = serializers.CharField(source="source.name", read_only=True)
    update = serializers.SerializerMethodField(help_text="The id of the update made from it, if any.")

    class Meta:
        model = Post
        fields = [
            "id",
            "source",
            "external_id",
            "url",
            "author",
            "text",
            "language",
            "published_at",
            "state",
            "update",
            "raw",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_update(self, obj):
        update = getattr(obj, "update", None)  # None when no update was made (yet)
        return update.pk if update is not None else None


class PlaceCandidateSerializer(UTCTimesMixin, serializers.ModelSerializer):
    promoted_to = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The hotspot's slug this name was promoted to; null until staff promote it.",
    )

    class Meta:
        model = PlaceCandidate
        fields = [
            "id",
            "name",
            "origin",
            "reference",
            "occurrences",
            "status",
            "promoted_to",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
