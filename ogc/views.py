"""OGC API - Features, Part 1: Core, with the GeoJSON and OpenAPI 3.0 conformance classes, at /ogc/.

Every request is authenticated as the REST API's are (a Bearer token, or a session), and each
collection is read through the API view that serves it: its permission rule, its queryset narrowed
by `visible_to(user)`, its serializer. So a partner's GIS tool sees exactly what /api/v1/ shows it.
Pages are `limit` features from `offset`, in id order, with `next` and `prev` links.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from accounts.permissions import RolePermission
from core import read_cache
from core.api.renderers import JSONRenderer, to_geojson

from . import params
from .collections import COLLECTIONS, Collection
from .openapi import openapi_document

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


class GeoJSONRenderer(JSONRenderer):
    media_type = GEOJSON
    format = "geojson"


class OpenAPIRenderer(JSONRenderer):
    media_type = OPENAPI
    format = "json"


class OneFormat(DefaultContentNegotiation):
    """Each resource has one representation: it is served whatever Accept says (GIS clients send
    `application/json` for GeoJSON too), rather than refused with 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(exclude=True)  # described by its own OpenAPI document, /ogc/api, not /api/schema/
class OGCView(APIView):
    """What every OGC resource shares: authentication as the API's, one format, unknown parameters refused."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = OneFormat
    permission_classes = [IsAuthenticated]
    query_params = frozenset({"f"})
    formats: tuple[str, ...] = ("json",)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permission, throttle first
        params.refuse_unknown(request.query_params, self.query_params)
        params.check_format(request.query_params, self.formats)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # Errors are JSON documents, whatever the resource's own format.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSON
        return response

    def url(self, name: str, *args) -> str:
        return self.request.build_absolute_uri(reverse(f"ogc:{name}", args=args))

    # -- collections, read through the API's views ------------------------------------------------

    def api_view(self, collection: Collection, *, action: str = "list", **kwargs):
        """The API view that serves ``collection``, for this request; PermissionDenied as the API would."""
        view = collection.viewset(
            request=self.request, args=(), kwargs=kwargs, format_kwarg=None, action=action
        )
        view.headers = {}
        if not RolePermission().has_permission(self.request, view):
            raise PermissionDenied("Your role does not read this collection.")
        return view

    def readable(self) -> list[Collection]:
        permission = RolePermission()
        return [
            c
            for c in COLLECTIONS.values()
            if permission.has_permission(self.request, c.viewset(request=self.request, format_kwarg=None))
        ]

    def collection(self, collection_id: str) -> Collection:
        try:
            return COLLECTIONS[collection_id]
        except KeyError:
            raise NotFound(f"No collection {collection_id!r}: see {self.url('collections')}.") from None

    def describe(self, collection: Collection) -> dict:
        model = collection.viewset.queryset.model
        field = model._meta.get_field(collection.time_field)
        span = model.objects.visible_to(self.request.user).aggregate(
            first=Min(collection.time_field), last=Max(collection.time_field)
        )
        if field.get_internal_type() == "DateField":
            interval = [
                f"{day.isoformat()}T00:00:00Z" if day else None for day in (span["first"], span["last"])
            ]
        else:
            interval = [utc(span["first"]), utc(span["last"])]
        items = self.url("items", collection.id)
        return {
            "id": collection.id,
            "title": collection.title,
            "description": collection.description,
            "itemType": "feature",
            "crs": [CRS84],
            "extent": {
                "spatial": {"bbox": [list(settings.HAITI_EXTENT)], "crs": CRS84},
                "temporal": {"interval": [interval], "trs": GREGORIAN},
            },
            "links": [
                _link(self.url("collection", collection.id), "self", JSON, collection.title),
                _link(items, "items", GEOJSON, f"{collection.title} (GeoJSON)"),
            ],
        }


class LandingPage(OGCView):
    """The entry point: where the API's definition, the conformance list and the collections are."""

    def get(self, request):
        return Response(
            {
                "title": "MSS Operations Portal: OGC API - Features",
                "description": (
                    "The portal's hotspots, updates, operation reports and HNP training records, as "
                    "GeoJSON features. Send the API token as `Authorization: Bearer <token>`."
                ),
                "links": [
                    _link(self.url("landing"), "self", JSON, "This document"),
                    _link(self.url("openapi"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
                    _link(
                        request.build_absolute_uri(reverse("api-docs")),
                        "service-doc",
                        "text/html",
                        "The REST API's documentation",
                    ),
                    _link(self.url("conformance"), "conformance", JSON, "Conformance classes implemented"),
                    _link(self.url("collections"), "data", JSON, "The collections"),
                ],
            }
        )


class Conformance(OGCView):
    def get(self, request):
        return Response({"conformsTo": CONFORMANCE})


class OpenAPIDocument(OGCView):
    renderer_classes = [OpenAPIRenderer]

    def get(self, request):
        return Response(openapi_document(self.url("landing").rstrip("/"), list(COLLECTIONS)))


class Collections(OGCView):
    """The collections this reader may read."""

    def get(self, request):
        return Response(
            {
                "links": [_link(self.url("collections"), "self", JSON, "The collections")],
                "collections": [self.describe(c) for c in self.readable()],
            }
        )


class CollectionView(OGCView):
    def get(self, request, collection_id):
        collection = self.collection(collection_id)
        self.api_view(collection)
        return Response(self.describe(collection))


class Items(OGCView):
    """A page of a collection's features, filtered by `bbox` and `datetime`."""

    renderer_classes = [GeoJSONRenderer]
    query_params = frozenset({"f", "bbox", "datetime", "limit", "offset"})
    formats = ("json", "geojson")

    def get(self, request, collection_id):
        collection = self.collection(collection_id)
        api = self.api_view(collection)
        query = request.query_params
        limit, offset = params.limit_from(query), params.offset_from(query)
        bbox, span = params.bbox_from(query), params.time_range_from(query)

        def narrowed(queryset):
            if bbox is not None:
                # The API's own `in_bbox` filter, over each collection's geometries (its own, its hotspots').
                filterset = api.filterset_class(data={}, queryset=queryset, request=request)
                queryset = filterset.filter_in_bbox(queryset, "in_bbox", bbox)
            if span is not None:
                field = queryset.model._meta.get_field(collection.time_field)
                queryset = queryset.filter(
                    span.condition(collection.time_field, is_date=field.get_internal_type() == "DateField")
                )
            return queryset

        queryset = narrowed(api.get_queryset()).order_by("pk")
        # Counting a collection reads all of it, and a GIS tool asks again with every page: kept under
        # the data version as the API's aggregates are (core/read_cache.py; docs/benchmarks.md). Counted
        # without the API's annotations, whose joins (a report's author, an update's post and source)
        # Django keeps in a count: 116 → 21 ms for a million reports.
        counted = narrowed(queryset.model._default_manager.visible_to(request.user))
        filters = {name: query.getlist(name) for name in ("bbox", "datetime") if name in query}
        matched = read_cache.cached(f"ogc-matched:{collection.id}", request.user, (filters,), counted.count)
        # The page's ids first, then its rows: PostgreSQL computes every column of each row an offset
        # skips, related lists included (docs/benchmarks.md, "fourth pass").
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        page = list(queryset.filter(pk__in=ids)) if ids else []
        features = _features(to_geojson(api.get_serializer(page, many=True).data))

        url = request.build_absolute_uri()
        links = [
            _link(url, "self", GEOJSON, "This page"),
            _link(self.url("collection", collection.id), "collection", JSON, collection.title),
        ]
        if offset + len(page) < matched:
            links.append(
                _link(replace_query_param(url, "offset", offset + limit), "next", GEOJSON, "Next page")
            )
        if offset > 0:
            previous = max(offset - limit, 0)
            previous_url = (
                replace_query_param(url, "offset", previous)
                if previous
                else remove_query_param(url, "offset")
            )
            links.append(_link(previous_url, "prev", GEOJSON, "Previous page"))
        return Response(
            {
                "type": "FeatureCollection",
                "timeStamp": utc(timezone.now()),
                "numberMatched": matched,
                "numberReturned": len(features),
                "links": links,
                "features": features,
            }
        )


class Item(OGCView):
    renderer_classes = [GeoJSONRenderer]
    formats = ("json", "geojson")

    def get(self, request, collection_id, feature_id):
        collection = self.collection(collection_id)
        lookup = collection.viewset.lookup_field
        api = self.api_view(collection, action="retrieve", **{lookup: feature_id})
        feature = to_geojson(api.get_serializer(api.get_object()).data)
        feature["links"] = [
            _link(request.build_absolute_uri(), "self", GEOJSON, "This feature"),
            _link(self.url("collection", collection.id), "collection", JSON, collection.title),
        ]
        return Response(feature)


def utc(value):
    """A time as the API writes it (`2025-03-01T17:00:00Z`); a day as it is; None as null."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return None if value is None else value.isoformat()


def _features(collection) -> list:
    return collection["features"] if isinstance(collection, dict) else collection


def _link(href: str, rel: str, media_type: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": media_type, "title": title}
