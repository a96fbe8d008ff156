"""Filters over operation reports, training records and contingents, shared by the API and the pages."""

from core import dates
from core.filters import (
    BooleanFilter,
    ChoicesFilter,
    DateFilter,
    DateTimeFilter,
    MissionFilterSet,
    OrderingFilter,
    SpatialFilterSet,
    ValuesFilter,
)

from .choices import OperationKind, Releasability, ReportStatus, TrainingStatus, TrainingTopic
from .models import Contingent, OperationReport, TrainingRecord


def _hotspots(field_name: str) -> ValuesFilter:
    return ValuesFilter(
        field_name=field_name,
        method="filter_related",
        help_text="Hotspot slugs, comma-separated: any of them.",
    )


def _contingents(field_name: str) -> ValuesFilter:
    return ValuesFilter(
        field_name=field_name,
        method="filter_related",
        help_text="Contingent country codes, comma-separated (e.g. KE,JM): any of them.",
    )


class ReportFilterSet(SpatialFilterSet):
    search_fields = ("reference", "title", "summary", "hnp_units")
    geometry_paths = ("location", "hotspots__location")

    started_after = DateTimeFilter(
        field_name="started_at", lookup_expr="gte", help_text="Operations started at or after."
    )
    started_before = DateTimeFilter(
        field_name="started_at", lookup_expr="lt", help_text="Operations started before."
    )
    hotspot = _hotspots("hotspots__slug")
    contingent = _contingents("contingents__country_code")
    kind = ChoicesFilter(
        field_name="operation_kind",
        choices=OperationKind.choices,
        help_text="Kind of operation (repeatable).",
    )
    status = ChoicesFilter(choices=ReportStatus.choices, help_text="Review state (repeatable).")
    releasability = ChoicesFilter(choices=Releasability.choices)
    ordering = OrderingFilter(fields=("started_at", "updated_at", "created_at"), default="-started_at")

    class Meta:
        model = OperationReport
        fields = []


class TrainingFilterSet(SpatialFilterSet):
    search_fields = ("course", "place_name", "notes")
    geometry_paths = ("location", "hotspot__location")

    starts_after = DateFilter(
        field_name="starts_on",
        lookup_expr="gte",
        ahead=dates.PLANNED_AHEAD,
        help_text="Courses starting on or after (YYYY-MM-DD).",
    )
    starts_before = DateFilter(
        field_name="starts_on",
        lookup_expr="lt",
        ahead=dates.PLANNED_AHEAD,
        help_text="Courses starting before (YYYY-MM-DD).",
    )
    hotspot = _hotspots("hotspot__slug")
    contingent = _contingents("providing_contingents__country_code")
    topic = ChoicesFilter(choices=TrainingTopic.choices, help_text="Topic (repeatable).")
    status = ChoicesFilter(choices=TrainingStatus.choices, help_text="Status (repeatable).")
    releasability = ChoicesFilter(choices=Releasability.choices)
    ordering = OrderingFilter(fields=("starts_on", "updated_at", "created_at"), default="-starts_on")

    class Meta:
        model = TrainingRecord
        fields = []


class ContingentFilterSet(MissionFilterSet):
    search_fields = ("name", "name_fr", "country_code")

    is_active = BooleanFilter(help_text="true: active contingents only; false: inactive ones only.")

    class Meta:
        model = Contingent
        fields = []
