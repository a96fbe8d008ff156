"""The base of every API view: narrowed to the reader, errors in JSON, conditional GETs, streamed exports.

An app's viewset then only names its queryset, its serializer and its FilterSet, NetBox-style: who
sees what is its model's own rule, `Model.objects.visible_to(user)` (accounts/releasability.py).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .pagination import page_size_from
from .renderers import CSVRenderer, GeoJSONRenderer, JSONRenderer

EXPORT_CHUNK = 1000


class MissionViewMixin:
    """What every API view shares.

    - the queryset is narrowed to what the reader may see, by its own `visible_to(user)`;
    - errors are always JSON, whatever format was asked for;
    - a GET's answer says it is private, and one record's its Last-Modified (the ETag and the 304
      are ConditionalGetMiddleware's);
    - in CSV or HXL a collection is streamed whole, in the order and with the filters asked for.
    """

    partner_readable = False
    export_columns = None

    def get_queryset(self):
        queryset = super().get_queryset()
        if not hasattr(queryset, "visible_to"):
            raise ImproperlyConfigured(
                f"{type(self).__name__}: {queryset.model.__name__}'s queryset has no visible_to(user); "
                "every API queryset is narrowed to what its reader may see."
            )
        return queryset.visible_to(self.request.user)

    # -- parameters ------------------------------------------------------------------------------

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions and throttles first
        known = self.known_query_params() if request.method in ("GET", "HEAD") else None
        if known is not None:
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                # `limit`, `offset` or a misspelt filter ignored would answer as if nothing were asked.
                takes = ", ".join(sorted(known))
                raise ValidationError(
                    {name: [f"Not a parameter of this endpoint; it takes {takes}."] for name in unknown}
                )

    def known_query_params(self) -> set[str] | None:
        """The query parameters a read takes, as the schema lists them (None: not checked here)."""
        action = getattr(self, "action", None)
        known = {api_settings.URL_FORMAT_OVERRIDE}
        if action == "retrieve":
            return known
        if action != "list":
            return None  # another action declares its own parameters
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        if self.paginator is not None:
            known |= {self.paginator.cursor_query_param, self.paginator.page_size_query_param}
        return known

    # -- errors ----------------------------------------------------------------------------------

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # A client asking for CSV still gets its error as JSON: the schema documents errors so.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    # -- reading ---------------------------------------------------------------------------------

    def get_object(self):
        instance = super().get_object()
        self.last_modified = getattr(instance, "updated_at", None)
        return instance

    def reread(self, instance):
        """The instance as this view reads it (related rows), after a write changed it."""
        return self.get_queryset().get(pk=instance.pk)

    # -- the response: conditional requests, work left for after it ------------------------------

    def after_response(self, work) -> None:
        """Do ``work`` once the response is sent (the token use log): it costs the client no wait."""
        self._after_response = [*getattr(self, "_after_response", []), work]

    def finalize_response(self, request, response, *args, **kwargs):
        """A GET's answer is private (its body depends on who asks) and asked for again each time; one
        record's says when it last changed. The ETag, and 304 for a client that has the answer already,
        are ConditionalGetMiddleware's (RFC 9110)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        read = request.method in ("GET", "HEAD") and response.status_code == 200
        if read and isinstance(response, Response):  # not a streamed export
            last_modified = getattr(self, "last_modified", None)
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified.timestamp())
            patch_cache_control(response, private=True, no_cache=True)
        for work in getattr(self, "_after_response", []):
            response._resource_closers.append(work)
        self._after_response = []
        return response

    # -- exports ---------------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if isinstance(renderer, CSVRenderer) and self.export_columns:
            return self.export(renderer)
        if isinstance(renderer, GeoJSONRenderer) and self.paginator is not None and not self._paging_asked():
            # A GIS tool reading a GeoJSON URL does not follow links: it gets the whole result.
            return self.export_geojson(renderer)
        return super().list(request, *args, **kwargs)

    def _paging_asked(self) -> bool:
        query = self.request.query_params
        return self.paginator.page_size_query_param in query or self.paginator.cursor_query_param in query

    def export(self, renderer: CSVRenderer) -> StreamingHttpResponse:
        """The whole filtered collection as CSV, streamed: rows are read and written in chunks."""
        response = StreamingHttpResponse(
            renderer.stream(self._export_records(), self.export_columns),
            content_type=f"{renderer.media_type}; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        suffix = "-hxl" if renderer.hxl else ""
        response["Content-Disposition"] = f'attachment; filename="{self.basename}-{stamp}{suffix}.csv"'
        return response

    def export_geojson(self, renderer: GeoJSONRenderer) -> StreamingHttpResponse:
        """The whole filtered collection as one GeoJSON FeatureCollection, streamed as the CSV export is."""
        records = self._export_records()
        return StreamingHttpResponse(renderer.stream(records), content_type=renderer.media_type)

    def _export_records(self):
        """The records of the whole filtered collection, in the order asked for, read in chunks (the
        parameters are checked before the first byte is sent)."""
        queryset = self.filter_queryset(self.get_queryset())
        page_size_from(self.request)  # not used (the export is whole) but refused when wrong, as on a page
        ordering = self._export_ordering()
        if ordering:
            from core.filters import keyset_order

            queryset = queryset.order_by(*keyset_order(ordering))
        serializer = self.get_serializer(many=True)
        child = getattr(serializer, "child", serializer)
        # Read in chunks, each with its related rows (prefetch_related works chunk by chunk).
        return (child.to_representation(obj) for obj in queryset.iterator(chunk_size=EXPORT_CHUNK))

    def _export_ordering(self) -> str | None:
        filterset_class = getattr(self, "filterset_class", None)
        ordering_filter = filterset_class.base_filters.get("ordering") if filterset_class else None
        if ordering_filter is None:
            return None
        return self.request.query_params.get("ordering") or ordering_filter.default


class MissionReadOnlyViewSet(MissionViewMixin, viewsets.ReadOnlyModelViewSet):
    """A collection that is only read through the API."""


class MissionViewSet(
    MissionViewMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A collection staff also write (create, replace, change; no delete through the API)."""
