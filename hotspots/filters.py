"""Filters over hotspots, shared by the API and the analysts' pages."""

import django_filters

from core.filters import BooleanFilter, ChoicesFilter, OrderingFilter, SpatialFilterSet

from .choices import Confidence, HotspotKind
from .models import Hotspot


class HotspotFilterSet(SpatialFilterSet):
    search_fields = ("name", "slug", "commune", "aliases__text")

    kind = ChoicesFilter(choices=HotspotKind.choices, help_text="Kind of site (repeatable).")
    confidence = ChoicesFilter(choices=Confidence.choices, help_text="Coordinate confidence (repeatable).")
    department = django_filters.CharFilter(lookup_expr="iexact", help_text="Department name (any case).")
    commune = django_filters.CharFilter(lookup_expr="iexact", help_text="Commune name (any case).")
    is_active = BooleanFilter(help_text="true: active sites only; false: inactive ones only.")
    placed = BooleanFilter(
        field_name="location", lookup_expr="isnull", exclude=True, help_text="Placed on the map or not."
    )
    ordering = OrderingFilter(fields=("name", "slug", "updated_at"), default="name")

    class Meta:
        model = Hotspot
        fields = []
