"""The map's own data: activity per hotspot (its first, small request) and per week.

Everything else the pages show comes from the API itself (/api/v1/updates/, /reports/,
/hotspots/ ...). These two answers are aggregates the API has no collection for; they take the
API's filter parameters, answer with its ETag and 304 rules, and are for members of the mission
only. They are the pages' data, not part of the partner contract, so the OpenAPI document leaves
them out.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import read_cache
from core.api.renderers import JSONRenderer
from core.api.viewsets import MissionViewMixin
from hotspots.models import Hotspot

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
_REPORT_PARAMS = {
    "published_after": "started_after",
    "published_before": "started_before",
    "contingent": "contingent",
}


def _params(request) -> tuple[dict, dict]:
    query = request.query_params
    updates = {name: query.getlist(name) for name in _UPDATE_PARAMS if name in query}
    reports = {target: query.getlist(name) for name, target in _REPORT_PARAMS.items() if name in query}
    if "hotspot" in query:
        reports["hotspot"] = query.getlist("hotspot")
    return updates, reports


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

    def get(self, request):
        update_params, report_params = _params(request)
        try:
            data = self.read(request.user, as_query(update_params), as_query(report_params))
        except FilterError as exc:
            raise ValidationError(exc.errors) from exc
        return Response(data)


@extend_schema(exclude=True)
class MapActivityView(_MapDataView):
    """Every hotspot with its number of updates and reports under the filters (rows, not features)."""

    def read(self, user, update_params, report_params) -> dict:
        return cached_activity(user, update_params, report_params)


@extend_schema(exclude=True)
class MapWeeklyView(_MapDataView):
    """Updates per week and kind, and reports per week, under the filters (`hotspot=` for one site)."""

    def read(self, user, update_params, report_params) -> dict:
        params = (update_params, report_params)
        return read_cache.cached("weekly", user, params, lambda: weekly_activity(user, *params))
