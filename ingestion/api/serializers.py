"""Updates (what a post says, in structure), the raw posts, and place candidates in the API."""

import functools
from collections import defaultdict

from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import PointField, RelatedLoadingListSerializer, UTCTimesMixin, point, utc
from core.api.related import (
    contingent_codes,
    contingents_json,
    ordered_by_the_database,
    related_json,
    sorted_where_unordered,
)
from hotspots.api.places import (
    Place,
    first_placed,
    place_annotations,
    place_columns,
    place_from_json,
    place_json,
)

from ..models import Mention, PlaceCandidate, Post, Update


class UpdatePostSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """The post an update was made from: where it was published and what it said."""

    source = serializers.CharField(source="source.name", read_only=True)
    source_official = serializers.BooleanField(source="source.is_official", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "source", "source_official", "external_id", "url", "author", "text", "language"]
        read_only_fields = fields


class UpdateSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """An update with its post. Written by hand on reads, like reports (see operations.api.serializers)."""

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
        list_serializer_class = RelatedLoadingListSerializer

    # The post's fields, read in the page's own query (see UpdateViewSet.queryset).
    POST_ANNOTATIONS = {
        "api_post_source": F("post__source__name"),
        "api_post_official": F("post__source__is_official"),
        "api_post_external_id": F("post__external_id"),
        "api_post_url": F("post__url"),
        "api_post_author": F("post__author"),
        "api_post_text": F("post__text"),
        "api_post_language": F("post__language"),
    }

    @classmethod
    @functools.cache
    def read_annotations(cls) -> dict:
        """The hotspots named and the contingent codes, read in the query of the updates themselves."""
        return {
            "api_places_json": related_json(
                Mention,
                "update",
                place_json("hotspot", F("start"), F("pk"), F("hotspot_id")),
                order_by=("start", "pk"),
            ),
            "api_contingents_json": contingents_json(Update.contingents.through, "update"),
        }

    @classmethod
    def load_related(cls, updates) -> None:
        """The hotspots named (places, each once, in order named) and contingent codes: from
        `read_annotations` when the query had them, else in two queries."""
        todo = [u for u in updates if not hasattr(u, "api_places")]
        if not todo:
            return
        ordered = ordered_by_the_database()
        for update in [u for u in todo if hasattr(u, "api_places_json")]:
            named: dict[int, Place] = {}
            for row in sorted_where_unordered(
                update.api_places_json or [], lambda row: (row[0], row[1]), ordered
            ):
                named.setdefault(row[2], place_from_json(row, keys=3))
            update.api_places = list(named.values())
            update.api_contingents = contingent_codes(update.api_contingents_json, ordered)
        todo = [u for u in todo if not hasattr(u, "api_places")]
        if not todo:
            return
        ids = [u.pk for u in todo]
        places: dict[int, dict[int, Place]] = defaultdict(dict)
        mentions = (
            Mention.objects.filter(update_id__in=ids)
            .annotate(**place_annotations("hotspot"))
            .order_by("start", "pk")
            .values_list("update_id", "hotspot_id", *place_columns("hotspot"))
        )
        for update_id, hotspot_id, *row in mentions:
            places[update_id].setdefault(hotspot_id, Place(*row))
        codes = defaultdict(list)
        contingents = (
            Update.contingents.through.objects.filter(update_id__in=ids)
            .order_by("contingent__name")
            .values_list("update_id", "contingent__country_code")
        )
        for update_id, code in contingents:
            codes[update_id].append(code)
        for update in todo:
            update.api_places, update.api_contingents = list(places[update.pk].values()), codes[update.pk]

    def _places(self, update) -> list[Place]:
        type(self).load_related([update])
        return update.api_places

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_hotspots(self, update):
        return [p.slug for p in self._places(update)]

    @extend_schema_field(PointField)
    def get_geometry(self, update):
        first = first_placed(self._places(update))
        return point(first.lon, first.lat) if first else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_department(self, update):
        first = first_placed(self._places(update))
        return first.department if first else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_commune(self, update):
        first = first_placed(self._places(update))
        return first.commune if first else ""

    def _post(self, update) -> dict:
        if not hasattr(update, "api_post_text"):
            return UpdatePostSerializer(update.post).data
        return {
            "id": update.post_id,
            "source": update.api_post_source,
            "source_official": update.api_post_official,
            "external_id": update.api_post_external_id,
            "url": update.api_post_url,
            "author": update.api_post_author,
            "text": update.api_post_text,
            "language": update.api_post_language,
        }

    def to_representation(self, update):
        places = self._places(update)
        first = first_placed(places)
        return {
            "id": update.pk,
            "kind": update.kind,
            "published_at": utc(update.published_at),
            "hotspots": [p.slug for p in places],
            "geometry": point(first.lon, first.lat) if first else None,
            "department": first.department if first else "",
            "commune": first.commune if first else "",
            "figures": dict(update.figures or {}),
            "review_state": update.review_state,
            "contingents": list(update.api_contingents),
            "post": self._post(update),
            "created_at": utc(update.created_at),
            "updated_at": utc(update.updated_at),
        }


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
