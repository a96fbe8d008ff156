"""Updates (what a post says, in structure), the raw posts, and place candidates in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import PointField, UTCTimesMixin
from core.api.related import rows_of
from hotspots.api.places import where
from operations.api.contingents import contingent_codes

from ..models import PlaceCandidate, Post, Update


class UpdatePostSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """The post an update was made from: where it was published and what it said."""

    source = serializers.CharField(source="source.name", read_only=True)
    source_official = serializers.BooleanField(source="source.is_official", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "source", "source_official", "external_id", "url", "author", "text", "language"]
        read_only_fields = fields


# What an update shows of its post, besides its id and source.
POST_FIELDS = ("external_id", "url", "author", "text", "language")


class UpdateSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """An update with its post. The view reads each update with its post's fields (`post_<name>`),
    mentions (with their hotspots) and contingents in one query; `to_representation` writes them
    from it."""

    hotspots = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Slugs of the hotspots named, in the order named.",
    )
    contingents = serializers.ListField(child=serializers.CharField(), read_only=True)
    geometry = PointField(read_only=True, help_text="The point of the first placed hotspot named.")
    department = serializers.CharField(
        read_only=True, help_text="Department of the first placed hotspot named."
    )
    commune = serializers.CharField(read_only=True, help_text="Commune of the first placed hotspot named.")
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

    def to_representation(self, update):
        # Mentions as [start, pk, slug, lon, lat, department, commune], in the order of the text; a
        # hotspot named twice comes once, where it is first named.
        named: dict[str, list] = {}
        for mention in rows_of(update.named):
            named.setdefault(mention[2], mention)
        named = list(named.values())
        return self.represent(
            update,
            hotspots=[m[2] for m in named],
            **where(named),
            contingents=contingent_codes(update.contingent_codes),
            post={
                "id": update.post_id,
                "source": update.source_name,
                "source_official": update.source_official,
                **{name: getattr(update, f"post_{name}") for name in POST_FIELDS},
            },
        )


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
