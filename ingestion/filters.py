"""Filters over updates, posts and place candidates, shared by the API and the pages."""

import django_filters

from core.filters import (
    BooleanFilter,
    ChoicesFilter,
    DateTimeFilter,
    MissionFilterSet,
    OrderingFilter,
    SpatialFilterSet,
    ValuesFilter,
)

from .choices import CandidateOrigin, CandidateStatus, PostState, ReviewState, UpdateKind
from .models import PlaceCandidate, Post, Update


class UpdateFilterSet(SpatialFilterSet):
    search_fields = ("post__text",)
    geometry_paths = ("mentions__hotspot__location",)

    published_after = DateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="Published at or after."
    )
    published_before = DateTimeFilter(
        field_name="published_at", lookup_expr="lt", help_text="Published before."
    )
    hotspot = ValuesFilter(
        field_name="mentions__hotspot__slug",
        method="filter_related",
        help_text="Hotspot slugs, comma-separated: any of them.",
    )
    contingent = ValuesFilter(
        field_name="contingents__country_code",
        method="filter_related",
        help_text="Contingent country codes, comma-separated (e.g. KE,JM): any of them.",
    )
    kind = ChoicesFilter(choices=UpdateKind.choices, help_text="Kind of update (repeatable).")
    review_state = ChoicesFilter(choices=ReviewState.choices, help_text="Review state (repeatable).")
    source = django_filters.CharFilter(field_name="post__source__name", help_text="Source name.")
    official = BooleanFilter(
        field_name="post__source__is_official", help_text="From an official mission channel or not."
    )
    ordering = OrderingFilter(fields=("published_at", "updated_at", "created_at"), default="-published_at")

    class Meta:
        model = Update
        fields = []


class PostFilterSet(MissionFilterSet):
    search_fields = ("text", "author")

    published_after = DateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="Published at or after."
    )
    published_before = DateTimeFilter(
        field_name="published_at", lookup_expr="lt", help_text="Published before."
    )
    source = django_filters.CharFilter(field_name="source__name", help_text="Source name.")
    state = ChoicesFilter(choices=PostState.choices, help_text="Processing state.")
    language = django_filters.CharFilter(help_text="Language code, e.g. fr.")
    ordering = OrderingFilter(fields=("published_at", "updated_at", "created_at"), default="-published_at")

    class Meta:
        model = Post
        fields = []


class PlaceCandidateFilterSet(MissionFilterSet):
    search_fields = ("name",)

    status = ChoicesFilter(choices=CandidateStatus.choices)
    origin = ChoicesFilter(choices=CandidateOrigin.choices)
    ordering = OrderingFilter(fields=("occurrences", "name", "updated_at"), default="-occurrences")

    class Meta:
        model = PlaceCandidate
        fields = []
