"""The OpenAPI 3.0 definition of /ogc/ (conformance class oas30), built from the collections served.

Written out rather than generated: the parameters are the standard's own (`bbox` as a comma-separated
array, `datetime` as RFC 3339 instants or intervals), which is what GIS clients read from it.
"""

from __future__ import annotations

from .params import DEFAULT_LIMIT, MAX_LIMIT

_ERROR = {
    "description": "The problem, as JSON.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
_ERRORS = {
    "401": {**_ERROR, "description": "No credentials, or a token that is unknown, expired or revoked."},
    "403": {**_ERROR, "description": "The reader's role does not read this."},
    "429": {**_ERROR, "description": "Too many requests: wait as Retry-After says."},
}
_LINK = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {
        "href": {"type": "string", "format": "uri"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "title": {"type": "string"},
    },
}
_LINKS = {"type": "array", "items": {"$ref": "#/components/schemas/link"}}
_F = {
    "name": "f",
    "in": "query",
    "required": False,
    "description": "The format: JSON (the only one; the default).",
    "schema": {"type": "string", "enum": ["json"]},
}
_F_GEOJSON = {
    **_F,
    "description": "The format: GeoJSON (the only one; the default). `json` is taken as GeoJSON too.",
    "schema": {"type": "string", "enum": ["json", "geojson"]},
}


def _json(schema: dict, description: str, media_type: str = "application/json") -> dict:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def _get(operation_id: str, summary: str, responses: dict, parameters: list | None = None) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["OGC API - Features"],
            "parameters": parameters or [_F],
            "responses": {
                **responses,
                "400": {**_ERROR, "description": "A parameter is wrong or unknown."},
                **_ERRORS,
            },
        }
    }


def openapi_document(base_url: str, collection_ids: list[str]) -> dict:
    collection_id = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "description": "The collection's id.",
        "schema": {"type": "string", "enum": collection_ids},
    }
    feature_id = {
        "name": "featureId",
        "in": "path",
        "required": True,
        "description": "The feature's id: a hotspot's slug, another record's number.",
        "schema": {"type": "string"},
    }
    not_found = {"404": {**_ERROR, "description": "No such collection or feature (for this reader)."}}
    geojson = "application/geo+json"
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "MSS Operations Portal: OGC API - Features",
            "version": "1.0.0",
            "description": (
                "OGC API - Features, Part 1: Core, with GeoJSON. Each reader sees what the REST API "
                "(/api/v1/) shows them, with the same token (`Authorization: Bearer <token>`)."
            ),
        },
        "servers": [{"url": base_url}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/": _get("getLandingPage", "The landing page", {"200": _json({"type": "object"}, "Its links.")}),
            "/conformance": _get(
                "getConformance",
                "The conformance classes implemented",
                {"200": _json({"type": "object"}, "The classes, in `conformsTo`.")},
            ),
            "/api": _get(
                "getAPIDefinition",
                "This document",
                {
                    "200": _json(
                        {"type": "object"}, "OpenAPI 3.0.", "application/vnd.oai.openapi+json;version=3.0"
                    )
                },
            ),
            "/collections": _get(
                "getCollections",
                "The collections the reader may read",
                {"200": _json({"type": "object"}, "Their descriptions, with extents.")},
            ),
            "/collections/{collectionId}": _get(
                "describeCollection",
                "One collection",
                {"200": _json({"type": "object"}, "Its description, with its extent."), **not_found},
                [collection_id, _F],
            ),
            "/collections/{collectionId}/items": _get(
                "getFeatures",
                "A page of a collection's features",
                {
                    "200": _json(
                        {"$ref": "#/components/schemas/featureCollectionGeoJSON"},
                        "A GeoJSON FeatureCollection, with `next` and `prev` links.",
                        geojson,
                    ),
                    **not_found,
                },
                [
                    collection_id,
                    {"$ref": "#/components/parameters/bbox"},
                    {"$ref": "#/components/parameters/datetime"},
                    {"$ref": "#/components/parameters/limit"},
                    {"$ref": "#/components/parameters/offset"},
                    _F_GEOJSON,
                ],
            ),
            "/collections/{collectionId}/items/{featureId}": _get(
                "getFeature",
                "One feature",
                {
                    "200": _json(
                        {"$ref": "#/components/schemas/featureGeoJSON"}, "A GeoJSON Feature.", geojson
                    ),
                    **not_found,
                },
                [collection_id, feature_id, _F_GEOJSON],
            ),
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `manage.py issue_api_token USERNAME`.",
                }
            },
            "parameters": {
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "description": (
                        "Features whose geometry is inside the box minLon,minLat,maxLon,maxLat in degrees "
                        "(CRS84, longitude first), or six numbers with minimum and maximum heights (ignored)."
                    ),
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                    "example": [-72.45, 18.45, -72.2, 18.65],
                },
                "datetime": {
                    "name": "datetime",
                    "in": "query",
                    "required": False,
                    "description": (
                        "An instant (`2025-03-01T12:00:00Z`; a date alone is its whole day) or an interval "
                        "`start/end`, either end open as `..` (`2025-03-01/..`). Times without an offset are "
                        "UTC; Unix epoch seconds are accepted too. Each collection's description says "
                        "which of its times is meant."
                    ),
                    "schema": {"type": "string"},
                    "example": "2025-03-01T00:00:00Z/..",
                },
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "description": (
                        f"Features per page (default {DEFAULT_LIMIT}); more than {MAX_LIMIT} is served as "
                        f"{MAX_LIMIT}."
                    ),
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT,
                    },
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "description": "Features to skip, in id order (default 0): follow the `next` link.",
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                },
            },
            "schemas": {
                "link": _LINK,
                "featureGeoJSON": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                        "geometry": {"type": "object", "nullable": True},
                        "properties": {"type": "object", "nullable": True},
                        "links": _LINKS,
                    },
                },
                "featureCollectionGeoJSON": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/featureGeoJSON"},
                        },
                        "links": _LINKS,
                        "timeStamp": {"type": "string", "format": "date-time"},
                        "numberMatched": {"type": "integer", "minimum": 0},
                        "numberReturned": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    }
