"""Filters over tombstones (the deleted-records feed)."""

import django_filters

from core.filters import ChoicesFilter, DateTimeFilter, OrderingFilter

from .choices import Resource
from .models import Tombstone


class TombstoneFilterSet(django_filters.FilterSet):
    since = DateTimeFilter(
        field_name="at", lookup_expr="gte", help_text="Deletions at or after this time (ISO 8601)."
    )
    resource = ChoicesFilter(choices=Resource.choices, help_text="Collection (repeatable).")
    ordering = OrderingFilter(fields=("at",), default="at")

    class Meta:
        model = Tombstone
        fields = []
