"""Operation reports, training records and contingents in the API.

Serializers only check shapes and turn JSON into values; the rules (who may change what, which
state a report may move to) are in operations.services, which the views call.

Reading is the hot path (a partner pages through 200,000 reports), so the report and training
serializers write their JSON by hand in `to_representation`, from related rows read for a whole
page at once as tuples (`load_related`). The declared fields still describe the JSON (the OpenAPI
schema, the writes), and a test holds the hand-written output equal to what they would give.
"""

import functools
from collections import defaultdict

from django.db.models import F, FloatField, Func
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.permissions import is_partner_reader
from core.api.fields import (
    PointField,
    RelatedLoadingListSerializer,
    UTCTimesMixin,
    point,
    utc,
)
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
    places_by_id,
)
from hotspots.models import Hotspot

from ..models import Contingent, OperationReport, TrainingRecord


class ContingentSerializer(UTCTimesMixin, serializers.ModelSerializer):
    class Meta:
        model = Contingent
        fields = ["country_code", "name", "name_fr", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


# The record's own point, read as numbers in the query (no geometry object per row): see the views.
OWN_POINT = {
    "api_lon": Func(F("location"), function="ST_X", output_field=FloatField()),
    "api_lat": Func(F("location"), function="ST_Y", output_field=FloatField()),
}


def _own_point(record) -> dict | None:
    if hasattr(record, "api_lon"):
        return point(record.api_lon, record.api_lat)
    return point(record.location.x, record.location.y) if record.location is not None else None


class _RecordSerializer(UTCTimesMixin, serializers.ModelSerializer):
    """What reports and training records share: a place (`api_places`), staff names for members only."""

    member_permission = ""

    @classmethod
    def load_related(cls, records) -> None:
        raise NotImplementedError

    def _places(self, record) -> list[Place]:
        type(self).load_related([record])
        return record.api_places

    def _is_member(self) -> bool:
        # Asked once per serializer: a list's items share one.
        if not hasattr(self, "_member"):
            self._member = not is_partner_reader(self, self.member_permission)
        return self._member

    def _staff_name(self, record, annotation: str, relation: str) -> str | None:
        if not self._is_member():
            return None
        if hasattr(record, annotation):
            return getattr(record, annotation)
        user = getattr(record, relation)
        return user.get_username() if user is not None else None

    @extend_schema_field(PointField)
    def get_geometry(self, record):
        first = first_placed(self._places(record))
        return _own_point(record) or (point(first.lon, first.lat) if first else None)

    @extend_schema_field(OpenApiTypes.STR)
    def get_department(self, record) -> str:
        first = first_placed(self._places(record))
        return first.department if first else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_commune(self, record) -> str:
        first = first_placed(self._places(record))
        return first.commune if first else ""


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
        list_serializer_class = RelatedLoadingListSerializer

    @classmethod
    @functools.cache
    def read_annotations(cls) -> dict:
        """The hotspots (as places) and contingent codes, read in the query of the reports themselves."""
        return {
            "api_places_json": related_json(
                OperationReport.hotspots.through,
                "operationreport",
                place_json("hotspot", F("hotspot_id")),
                order_by=("hotspot__name", "hotspot_id"),
            ),
            "api_contingents_json": contingents_json(OperationReport.contingents.through, "operationreport"),
        }

    @classmethod
    def load_related(cls, reports) -> None:
        """The hotspots (as places) and contingent codes of many reports: from `read_annotations` when the
        query had them, else in two queries."""
        todo = [r for r in reports if not hasattr(r, "api_places")]
        if not todo:
            return
        ordered = ordered_by_the_database()
        for report in [r for r in todo if hasattr(r, "api_places_json")]:
            rows = sorted_where_unordered(report.api_places_json or [], lambda row: (row[2], row[0]), ordered)
            report.api_places = [place_from_json(row, keys=1) for row in rows]
            report.api_contingents = contingent_codes(report.api_contingents_json, ordered)
        todo = [r for r in todo if not hasattr(r, "api_places")]
        if not todo:
            return
        ids = [r.pk for r in todo]
        places, codes = defaultdict(list), defaultdict(list)
        links = (
            OperationReport.hotspots.through.objects.filter(operationreport_id__in=ids)
            .annotate(**place_annotations("hotspot"))
            .order_by("hotspot__name", "hotspot_id")
            .values_list("operationreport_id", *place_columns("hotspot"))
        )
        for report_id, *row in links:
            places[report_id].append(Place(*row))
        contingents = (
            OperationReport.contingents.through.objects.filter(operationreport_id__in=ids)
            .order_by("contingent__name")
            .values_list("operationreport_id", "contingent__country_code")
        )
        for report_id, code in contingents:
            codes[report_id].append(code)
        for report in todo:
            report.api_places, report.api_contingents = places[report.pk], codes[report.pk]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_author(self, report):
        return self._staff_name(report, "api_author", "author")

    @extend_schema_field({"type": "string", "nullable": True})
    def get_approved_by(self, report):
        return self._staff_name(report, "api_approver", "approved_by")

    def to_representation(self, report):
        places = self._places(report)
        first = first_placed(places)
        own = _own_point(report)
        return {
            "id": report.pk,
            "reference": report.reference,
            "title": report.title,
            "summary": report.summary,
            "operation_kind": report.operation_kind,
            "started_at": utc(report.started_at),
            "ended_at": utc(report.ended_at),
            "hotspots": [p.slug for p in places],
            "location": own,
            "geometry": own or (point(first.lon, first.lat) if first else None),
            "department": first.department if first else "",
            "commune": first.commune if first else "",
            "contingents": list(report.api_contingents),
            "hnp_units": report.hnp_units,
            "personnel_deployed": report.personnel_deployed,
            "arrests": report.arrests,
            "weapons_seized": report.weapons_seized,
            "personnel_injured": report.personnel_injured,
            "personnel_killed": report.personnel_killed,
            "civilians_injured": report.civilians_injured,
            "civilians_killed": report.civilians_killed,
            "status": report.status,
            "releasability": report.releasability,
            "author": self._staff_name(report, "api_author", "author"),
            "submitted_at": utc(report.submitted_at),
            "approved_by": self._staff_name(report, "api_approver", "approved_by"),
            "approved_at": utc(report.approved_at),
            "created_at": utc(report.created_at),
            "updated_at": utc(report.updated_at),
        }


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
        list_serializer_class = RelatedLoadingListSerializer

    @classmethod
    def load_related(cls, records) -> None:
        """The hotspot (as a place) and contingent codes of many training records, in two queries."""
        todo = [r for r in records if not hasattr(r, "api_places")]
        if not todo:
            return
        places = places_by_id(r.hotspot_id for r in todo)
        codes = defaultdict(list)
        contingents = (
            TrainingRecord.providing_contingents.through.objects.filter(
                trainingrecord_id__in=[r.pk for r in todo]
            )
            .order_by("contingent__name")
            .values_list("trainingrecord_id", "contingent__country_code")
        )
        for record_id, code in contingents:
            codes[record_id].append(code)
        for record in todo:
            place = places.get(record.hotspot_id)
            record.api_places, record.api_contingents = ([place] if place else []), codes[record.pk]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_author(self, record):
        return self._staff_name(record, "api_author", "author")

    def to_representation(self, record):
        places = self._places(record)
        first = first_placed(places)
        own = _own_point(record)
        return {
            "id": record.pk,
            "course": record.course,
            "topic": record.topic,
            "hotspot": places[0].slug if places else None,
            "place_name": record.place_name,
            "location": own,
            "geometry": own or (point(first.lon, first.lat) if first else None),
            "department": first.department if first else "",
            "commune": first.commune if first else "",
            "providing_contingents": list(record.api_contingents),
            "starts_on": record.starts_on.isoformat(),
            "ends_on": record.ends_on.isoformat() if record.ends_on else None,
            "trainees_total": record.trainees_total,
            "trainees_women": record.trainees_women,
            "status": record.status,
            "releasability": record.releasability,
            "notes": record.notes,
            "author": self._staff_name(record, "api_author", "author"),
            "created_at": utc(record.created_at),
            "updated_at": utc(record.updated_at),
        }
