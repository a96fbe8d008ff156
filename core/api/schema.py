"""OpenAPI: every status code the API answers is in the schema (a drf-spectacular postprocessing hook)."""

from __future__ import annotations

from .fields import POINT_SCHEMA

ERROR_COMPONENT = "Error"
# Text never holds a NUL character (the database could not store or compare it): it is refused.
NO_NUL_PATTERN = "^[^\\x00]*$"
VALIDATION_COMPONENT = "ValidationError"

_ERROR = {
    "type": "object",
    "description": "What went wrong, in words (`detail`), and as a code.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
_VALIDATION = {
    "type": "object",
    "description": (
        "Each refused field (or filter, or `non_field_errors` for a rule across fields) with the list of "
        'its problems, e.g. `{"ended_at": ["The end of an operation cannot be before its start."]}`; '
        "or `detail` for a request that could not be read at all."
    ),
    "additionalProperties": True,
}


def _body(component: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}


def _responses_for(method: str) -> dict[str, dict]:
    responses = {
        "400": {
            "description": "A parameter or field was refused; each is named.",
            "content": _body(VALIDATION_COMPONENT),
        },
        "401": {
            "description": "No credentials, or a token that is unknown, expired or revoked.",
            "content": _body(ERROR_COMPONENT),
        },
        "403": {"description": "Your role does not allow this.", "content": _body(ERROR_COMPONENT)},
        "404": {
            "description": "No such record among those you may see (or no such format).",
            "content": _body(ERROR_COMPONENT),
        },
        "429": {
            "description": "Too many requests for this token; wait as many seconds as `Retry-After` says.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
            "content": _body(ERROR_COMPONENT),
        },
        "503": {
            "description": "The database cannot be reached; try again after `Retry-After` seconds.",
            "content": _body(ERROR_COMPONENT),
        },
    }
    if method == "get":
        responses["304"] = {
            "description": "Not modified: your copy (If-None-Match or If-Modified-Since) is current."
        }
        responses["406"] = {
            "description": "None of the formats in Accept is offered.",
            "content": _body(ERROR_COMPONENT),
        }
    return responses


def add_error_responses(result, generator, request, public):
    """Document the error answers every operation may give, next to the success ones.

    Also: a GeoJSON feature's geometry may be null (an unplaced hotspot).
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, _ERROR)
    schemas.setdefault(VALIDATION_COMPONENT, _VALIDATION)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, response in _responses_for(method).items():
                responses.setdefault(status, response)
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                for text in (schema, schema.get("items", {})):
                    if text.get("type") == "string" and not {"enum", "format", "pattern"} & set(text):
                        text["pattern"] = NO_NUL_PATTERN
    for component in schemas.values():
        properties = component.get("properties", {})
        is_feature = {"type", "geometry", "properties"} <= set(properties)
        if is_feature and isinstance(properties["geometry"], dict):
            properties["geometry"]["nullable"] = True
    return result


_FEATURE = {
    "type": "object",
    "description": "A GeoJSON Feature: the record's id, its point (or null), the other fields as properties.",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
        "geometry": {**POINT_SCHEMA, "nullable": True},
        "properties": {"type": "object", "additionalProperties": True},
    },
}
_FEATURE_COLLECTION = {
    "type": "object",
    "description": (
        "A GeoJSON FeatureCollection. Asked for with `page_size` or `cursor`, one page: `next` is the "
        "following page (or null), also in `links` as OGC API - Features has it. Without them, the whole "
        "filtered collection, streamed, with no `next`."
    ),
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "next": {"type": "string", "format": "uri", "nullable": True},
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["href", "rel"],
                "properties": {
                    "href": {"type": "string", "format": "uri"},
                    "rel": {"type": "string", "enum": ["next"]},
                    "type": {"type": "string"},
                },
            },
        },
        "features": {"type": "array", "items": _FEATURE},
    },
}
_LINK_HEADER = {
    "Link": {
        "description": (
            'RFC 8288: `<url>; rel="next", <url>; rel="first"` on every page but the last, in every format.'
        ),
        "schema": {"type": "string"},
    }
}
_CSV = {"type": "string", "description": "CSV: a header row, then one row per record."}
_HXL = {"type": "string", "description": "CSV with a row of HXL hashtags under the header."}


def describe_formats(result, generator, request, public):
    """Give each response format its own shape: GeoJSON features, CSV text (drf-spectacular gives every
    format the JSON schema)."""
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch"):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if not status.startswith("2"):
                    continue
                json_schema = content.get("application/json", {}).get("schema") or {}
                if method == "get" and "/Paginated" in json_schema.get("$ref", ""):
                    response.setdefault("headers", {}).update(_LINK_HEADER)
                for media_type, body in content.items():
                    if media_type.startswith("text/csv"):
                        body["schema"] = _HXL if "hxl" in media_type else _CSV
                    elif media_type == "application/geo+json" and not _is_geojson(
                        body.get("schema"), schemas
                    ):
                        body["schema"] = _FEATURE_COLLECTION if _is_list(body.get("schema")) else _FEATURE
    return result


def _component(schema, schemas) -> dict:
    ref = (schema or {}).get("$ref", "")
    return schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else (schema or {})


def _is_geojson(schema, schemas) -> bool:
    component = _component(schema, schemas)
    return {"type", "geometry", "properties"} <= set(
        component.get("properties", {})
    ) or "features" in component.get("properties", {})


def _is_list(schema) -> bool:
    schema = schema or {}
    return schema.get("type") == "array" or "/Paginated" in schema.get("$ref", "")


_PARAMETER_HELP = {
    "format": (
        "The response format: `json` (the default), `geojson` (where records have a place), `csv` or `hxl` "
        "(the whole filtered collection, streamed); wins over the Accept header."
    ),
}


def describe_parameters(result, generator, request, public):
    """Every query parameter described: a filter with its own schema (a time, a box) gets its FilterSet's
    help text, which drf-spectacular reads only for filters without one; `format` says what it takes."""
    filtersets = {}
    for path, _, method, callback in generator.endpoints or []:
        filterset_class = getattr(getattr(callback, "cls", None), "filterset_class", None)
        if filterset_class is not None:
            filtersets[(path, method.lower())] = filterset_class
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            filterset_class = filtersets.get((path, method))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and not parameter.get("description"):
                    parameter["description"] = f"The record's {parameter['name'].replace('_', ' ')}."
                if parameter.get("in") != "query":
                    continue
                name = parameter["name"]
                filter_ = filterset_class.base_filters.get(name) if filterset_class is not None else None
                help_text = filter_.extra.get("help_text") if filter_ is not None else None
                if help_text and not parameter.get("description"):
                    parameter["description"] = str(help_text)
                elif not parameter.get("description") and name in _PARAMETER_HELP:
                    parameter["description"] = _PARAMETER_HELP[name]
    return result


def json_writes(result, generator, request, public):
    """Writes answer in JSON only, whatever Accept says (core.api.negotiation): say so, not CSV or GeoJSON."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter["name"] == "format":
                    parameter["schema"] = {"type": "string", "enum": ["json"]}
                    parameter["description"] = "Writes answer in JSON only (the default)."
            for response in operation.get("responses", {}).values():
                content = response.get("content")
                if content and "application/json" in content:
                    response["content"] = {"application/json": content["application/json"]}
    return result
