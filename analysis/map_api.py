"""The map's own data: activity per hotspot (its first, small request) and per week.

Everything else the pages show comes from the API itself (/api/v1/updates/, /reports/,
/hotspots/ ...). These two answers are aggregates the API has no collection for; they take the
API's filter parameters, answer with its ETag and 304 rules, and are for members of the mission
only. They are the pages' data, not part of the partner contract; they are still in the OpenAPI
document, as every endpoint that takes an API token is.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import read_cache
from core.api.renderers import JSONRenderer
from core.api.viewsets import MissionViewMixin
from core.filters import TIME_SCHEMA, parse_time
from hotspots.models import Hotspot
from ingestion.filters import UpdateFilterSet

from .activity import FilterError, as_query, cached_activity, weekly_activity
from .pages import MEMBER_PERMISSIONS

# The updates filters the map uses; a report has its own names for the same period and contingent.
_UPDATE_PARAMS = (
    "published_after",
    "published_before",
    "kind",
    "contingent",
    "review_state",
    "official",
    "hotspot",
)
_TIMES = ("published_after", "published_before")
_REPORT_PARAMS = {
    "published_after": "started_after",
    "published_before": "started_before",
    "contingent": "contingent",
}


def _params(request) -> tuple[dict, dict]:
    query = request.query_params.copy()
    for name in _TIMES:
        # Read as the API reads a time (UTC without an offset, epoch seconds), and passed on in UTC: the
        # counts may compare it in SQL as it is, and the database refuses offsets past +-15:59. A value
        # that is no time goes on as it is, for the FilterSet to name with the other refused filters.
        query.setlist(name, [_in_utc(value) for value in query.getlist(name)])
    updates = {name: query.getlist(name) for name in _UPDATE_PARAMS if name in query}
    reports = {target: query.getlist(name) for name, target in _REPORT_PARAMS.items() if name in query}
    if "hotspot" in query:
        reports["hotspot"] = query.getlist("hotspot")
    return updates, reports


def _in_utc(value: str) -> str:
    try:
        return parse_time(value).isoformat().replace("+00:00", "Z")
    except DjangoValidationError:
        return value


def _documented_params() -> list[OpenApiParameter]:
    """The map's parameters, described as the updates API describes them."""
    filters = UpdateFilterSet.base_filters
    many = {"kind", "contingent", "review_state", "hotspot"}
    return [
        OpenApiParameter(
            name,
            {"official": bool, "published_after": TIME_SCHEMA, "published_before": TIME_SCHEMA}.get(
                name, str
            ),
            many=name in many,
            enum=[value for value, _ in filters[name].extra["choices"]]
            if "choices" in filters[name].extra
            else None,
            description=str(filters[name].extra.get("help_text") or filters[name].label),
        )
        for name in _UPDATE_PARAMS
    ]


_MAP_SCHEMA = {"parameters": _documented_params(), "responses": OpenApiTypes.OBJECT, "tags": ["map"]}


class _MapDataView(MissionViewMixin, APIView):
    # RolePermission lets in a reader with any of these; check_permissions then asks for all of them.
    queryset = Hotspot.objects.none()
    read_permissions = list(MEMBER_PERMISSIONS)
    renderer_classes = [JSONRenderer]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.has_perms(MEMBER_PERMISSIONS):
            self.permission_denied(request, message="The map's data is for members of the mission.")

    def read(self, user, update_params, report_params) -> dict:
        raise NotImplementedError

    def known_query_params(self) -> set[str]:
        return set(_UPDATE_PARAMS)

    def get(self, request):
        empty = [
            name
            for name in _UPDATE_PARAMS
            if "" in request.query_params.getlist(name)
            and not isinstance(UpdateFilterSet.base_filters[name], django_filters.CharFilter)
        ]
        if empty:
            # As the API's own filters: an empty time or choice is more likely a bug than a wish.
            raise ValidationError({name: ["Give a value, or leave the parameter out."] for name in empty})
        update_params, report_params = _params(request)
        try:
            data = self.read(request.user, as_query(update_params), as_query(report_params))
        except FilterError as exc:
            raise ValidationError(exc.errors) from exc
        return Response(data)


@extend_schema(
    summary="Every hotspot with its updates and reports under the filters (members of the mission)",
    **_MAP_SCHEMA,
)
class MapActivityView(_MapDataView):
    """Every hotspot with its number of updates and reports under the filters (rows, not features)."""

    def read(self, user, update_params, report_params) -> dict:
        return cached_activity(user, update_params, report_params)


@extend_schema(
    summary="Updates per week and kind, reports per week, under the filters (members of the mission)",
    **_MAP_SCHEMA,
)
class MapWeeklyView(_MapDataView):
    """Updates per week and kind, and reports per week, under the filters (`hotspot=` for one site)."""

    def read(self, user, update_params, report_params) -> dict:
        params = (update_params, report_params)
        return read_cache.cached("weekly", user, params, lambda: weekly_activity(user, *params))
