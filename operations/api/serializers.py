"""Operation reports, training records and contingents in the API.

Serializers only check shapes and turn JSON into values; the rules (who may change what, which
state a report may move to) are in operations.services, which the views call. The views read each
page's related rows (hotspots, contingents) in one query per relation (`prefetch_related`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.permissions import is_partner_reader
from core.api.fields import PointField, UTCTimesMixin
from hotspots.api.places import first_placed
from hotspots.models import Hotspot

from ..models import Contingent, OperationReport, TrainingRecord


class ContingentSerializer(UTCTimesMixin, serializers.ModelSerializer):
    class Meta:
        model = Contingent
        fields = ["country_code", "name", "name_fr", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class _RecordSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """What reports and training records share: a place, staff names for members of the mission only."""

    member_permission = ""

    def _hotspots(self, record) -> list[Hotspot]:
        raise NotImplementedError

    def _placed(self, record) -> Hotspot | None:
        # Geometry, department and commune each ask: the record's hotspots are gone through once.
        if "_placed" not in record.__dict__:
            record.__dict__["_placed"] = first_placed(self._hotspots(record))
        return record.__dict__["_placed"]

    def _staff_name(self, user) -> str | None:
        if user is None or self._partner_reader():
            return None
        return user.get_username()

    def _partner_reader(self) -> bool:
        """`is_partner_reader`, asked once per response (the context is the whole list's)."""
        key = f"partner_reader:{self.member_permission}"
        if key not in self.context:
            self.context[key] = is_partner_reader(self, self.member_permission)
        return self.context[key]

    @extend_schema_field(PointField)
    def get_geometry(self, record):
        point = record.location
        if point is None:
            placed = self._placed(record)
            point = placed.location if placed else None
        return PointField().to_representation(point)

    @extend_schema_field(OpenApiTypes.STR)
    def get_department(self, record) -> str:
        placed = self._placed(record)
        return placed.department if placed else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_commune(self, record) -> str:
        placed = self._placed(record)
        return placed.commune if placed else ""

    @extend_schema_field({"type": "string", "nullable": True})
    def get_author(self, record):
        return self._staff_name(record.author)


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
    geometry = serializers.SerializerMethodField(
        help_text="The report's location, or its first placed hotspot's."
    )
    department = serializers.SerializerMethodField(help_text="Department of the first placed hotspot.")
    commune = serializers.SerializerMethodField(help_text="Commune of the first placed hotspot.")
    author = serializers.SerializerMethodField(
        help_text="Username of the author (members of the mission only)."
    )
    approved_by = serializers.SerializerMethodField(help_text="Username of the approver (members only).")

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

    def _hotspots(self, report) -> list[Hotspot]:
        return list(report.hotspots.all())

    @extend_schema_field({"type": "string", "nullable": True})
    def get_approved_by(self, report):
        return self._staff_name(report.approved_by)


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
    geometry = serializers.SerializerMethodField(help_text="The course's location, or its hotspot's.")
    department = serializers.SerializerMethodField(help_text="Department of the hotspot.")
    commune = serializers.SerializerMethodField(help_text="Commune of the hotspot.")
    author = serializers.SerializerMethodField(
        help_text="Username of the author (members of the mission only)."
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

    def _hotspots(self, record) -> list[Hotspot]:
        return [record.hotspot] if record.hotspot_id is not None else []
