"""Operation reports, training records and contingents in the API.

Serializers only check shapes and turn JSON into values; the rules (who may change what, which
state a report may move to) are in operations.services, which the views call. The views read each
record with its related rows (hotspots, contingents) in one query (the querysets of api/views.py).
"""

from rest_framework import serializers

from accounts.permissions import is_partner_reader
from core.api.fields import PointField, UTCTimesMixin, point
from core.api.related import rows_of
from hotspots.api.places import where
from hotspots.models import Hotspot

from ..models import Contingent, OperationReport, TrainingRecord
from .contingents import contingent_codes


class ContingentSerializer(UTCTimesMixin, serializers.ModelSerializer):
    class Meta:
        model = Contingent
        fields = ["country_code", "name", "name_fr", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class _RecordSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """What reports and training records share: a place, staff names for members of the mission only.

    Their views read each record with its places, contingents and staff names in one query (the
    querysets of ReportViewSet and TrainingViewSet, core/api/related.py); `to_representation`
    writes them from it.
    """

    member_permission = ""

    def _staff_name(self, name: str | None) -> str | None:
        """A username, for members of the mission only (asked once per response: the context is the
        whole list's)."""
        key = f"partner_reader:{self.member_permission}"
        if key not in self.context:
            self.context[key] = is_partner_reader(self, self.member_permission)
        return None if self.context[key] else name


class ReportSerializer(_RecordSerializer):
    member_permission = "operations.view_operationreport"

    hotspots = serializers.SlugRelatedField(
        many=True,
        slug_field="slug",
        queryset=Hotspot.objects.all(),
        required=False,
        help_text="Hotspot slugs.",
    )
    contingents = serializers.SlugRelatedField(
        many=True,
        slug_field="country_code",
        queryset=Contingent.objects.all(),
        required=False,
        help_text="Contingent country codes, e.g. KE.",
    )
    location = PointField(required=False, allow_null=True, help_text="Where, if not a hotspot's point.")
    geometry = PointField(read_only=True, help_text="The report's location, or its first placed hotspot's.")
    department = serializers.CharField(read_only=True, help_text="Department of the first placed hotspot.")
    commune = serializers.CharField(read_only=True, help_text="Commune of the first placed hotspot.")
    author = serializers.CharField(
        read_only=True, allow_null=True, help_text="Username of the author (members of the mission only)."
    )
    approved_by = serializers.CharField(
        read_only=True, allow_null=True, help_text="Username of the approver (members only)."
    )

    class Meta:
        model = OperationReport
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "operation_kind",
            "started_at",
            "ended_at",
            "hotspots",
            "location",
            "geometry",
            "department",
            "commune",
            "contingents",
            "hnp_units",
            *OperationReport.FIGURE_FIELDS,
            "status",
            "releasability",
            "author",
            "submitted_at",
            "approved_by",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "submitted_at", "approved_at", "created_at", "updated_at"]

    def to_representation(self, report):
        places = rows_of(report.places)  # [name, pk, slug, lon, lat, department, commune], by name
        own = point(report.lon, report.lat)
        return self.represent(
            report,
            hotspots=[p[2] for p in places],
            location=own,
            **where(places, own),
            contingents=contingent_codes(report.contingent_codes),
            author=self._staff_name(report.author_name),
            approved_by=self._staff_name(report.approver_name),
        )


class TrainingSerializer(_RecordSerializer):
    member_permission = "operations.view_trainingrecord"

    hotspot = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Hotspot.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the hotspot where the course was held.",
    )
    providing_contingents = serializers.SlugRelatedField(
        many=True,
        slug_field="country_code",
        queryset=Contingent.objects.all(),
        required=False,
        help_text="Country codes of the contingents giving the course.",
    )
    location = PointField(required=False, allow_null=True, help_text="Where, if not the hotspot's point.")
    geometry = PointField(read_only=True, help_text="The course's location, or its hotspot's.")
    department = serializers.CharField(read_only=True, help_text="Department of the hotspot.")
    commune = serializers.CharField(read_only=True, help_text="Commune of the hotspot.")
    author = serializers.CharField(
        read_only=True, allow_null=True, help_text="Username of the author (members of the mission only)."
    )

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "course",
            "topic",
            "hotspot",
            "place_name",
            "location",
            "geometry",
            "department",
            "commune",
            "providing_contingents",
            "starts_on",
            "ends_on",
            "trainees_total",
            "trainees_women",
            "status",
            "releasability",
            "notes",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, record):
        places = [p for p in rows_of(record.places) if p[2] is not None]  # its hotspot, if any
        own = point(record.lon, record.lat)
        return self.represent(
            record,
            hotspot=places[0][2] if places else None,
            location=own,
            **where(places, own),
            providing_contingents=contingent_codes(record.contingent_codes),
            author=self._staff_name(record.author_name),
        )
