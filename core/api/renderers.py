"""The API's formats besides JSON: GeoJSON, CSV and HXL-tagged CSV.

CSV and HXL take their columns from the view (`export_columns`): each column names a header, an
HXL hashtag and a dotted path into the record's JSON form, so every format says the same thing.
Whole collections in CSV are streamed (see core.api.viewsets.MissionViewMixin.export).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.renderers import BaseRenderer
from rest_framework.utils import encoders

from core.spreadsheet import csv_cell


class JSONRenderer(ORJSONRenderer):
    """JSON written by orjson (drf-orjson-renderer). What orjson does not write itself (times, lazy
    translations, decimals) goes through DRF's own encoder: times as DRF writes them, and an object JSON
    cannot hold refused (TypeError) rather than written as null. Keys that are not text (the positions
    in DRF's errors of a list's items) are written as text, as json.dumps does."""

    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    default = staticmethod(encoders.JSONEncoder().default)


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, its HXL hashtag, and where its value is in the record's JSON."""

    header: str
    hxl: str
    path: str


def value_at(record, path: str):
    """The value at a dotted path (`post.source`, `geometry.coordinates.1`); None when absent."""
    value = record
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list | tuple) and part.isdigit():
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            return None
        if value is None:
            return None
    return value


class GeoJSONRenderer(JSONRenderer):
    """GeoJSON: a FeatureCollection for lists (a page with `next` and a `links` entry for the following
    one; a list asked for without `page_size` or `cursor` is streamed whole), a Feature for one record.

    Records carry their point in `geometry` (a report's own location or its first hotspot's);
    everything else goes into the feature's properties.
    """

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return super().render(to_geojson(data), accepted_media_type, renderer_context)

    def stream(self, records: Iterable[dict]) -> Iterator[bytes]:
        """A whole collection as one FeatureCollection, written a feature at a time."""
        yield b'{"type":"FeatureCollection","features":['
        for n, record in enumerate(records):
            feature = JSONRenderer.render(self, _feature(record))
            yield b"," + feature if n else feature
        yield b"]}"


def to_geojson(data):
    if not isinstance(data, dict | list) or (isinstance(data, dict) and data.get("type") in _GEOJSON_TYPES):
        return data
    if isinstance(data, list):
        return {"type": "FeatureCollection", "features": [_feature(item) for item in data]}
    if "results" in data:
        results = data["results"]
        if isinstance(results, dict) and results.get("type") == "FeatureCollection":
            features = results["features"]
        else:
            features = [_feature(item) for item in results]
        collection = {"type": "FeatureCollection", "next": data.get("next"), "features": features}
        if data.get("next"):
            # As OGC API - Features pages link theirs (GDAL's OAPIF reader and QGIS follow it).
            collection["links"] = [{"href": data["next"], "rel": "next", "type": GeoJSONRenderer.media_type}]
        return collection
    if "id" in data and "geometry" in data:
        return _feature(data)
    return data  # an error document


_GEOJSON_TYPES = ("Feature", "FeatureCollection")


def _feature(item: dict) -> dict:
    if item.get("type") == "Feature":
        return item
    properties = {k: v for k, v in item.items() if k not in ("id", "geometry")}
    return {
        "type": "Feature",
        "id": item.get("id"),
        "geometry": item.get("geometry"),
        "properties": properties,
    }


class _Echo:
    """A file-like object whose write() returns what it was given, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


class CSVRenderer(BaseRenderer):
    """Comma-separated values with a header row; one row per record."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    hxl = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = getattr(view, "export_columns", None)
        if data is None:
            return b""
        records = _records(data)
        if not columns:  # a view without export columns: one per field of its serializer
            names = (
                list(view.get_serializer().fields)
                if view is not None and hasattr(view, "get_serializer")
                else []
            )
            names = names or list(dict.fromkeys(k for r in records for k in r))
            columns = [Column(name, "", name) for name in names]
        return "".join(self.stream(records, columns)).encode(self.charset)

    def stream(self, records: Iterable[dict], columns: list[Column]) -> Iterator[str]:
        writer = csv.writer(_Echo(), lineterminator="\r\n")
        yield writer.writerow([c.header for c in columns])
        if self.hxl:
            yield writer.writerow([c.hxl for c in columns])
        for record in records:
            yield writer.writerow([csv_cell(value_at(record, c.path)) for c in columns])


class HXLRenderer(CSVRenderer):
    """CSV with the Humanitarian Exchange Language hashtag row under the header (#date, #loc+name ...)."""

    media_type = "text/csv; profile=hxl"
    format = "hxl"
    hxl = True


def _records(data) -> list[dict]:
    if isinstance(data, dict) and "results" in data:
        data = data["results"]
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        data = data["features"]
    if isinstance(data, dict):
        data = [data]
    return [r for r in data if isinstance(r, dict)]


# Content negotiation tries these in order: HXL (a CSV profile) must come before plain CSV.
TABLE_RENDERERS = [JSONRenderer, HXLRenderer, CSVRenderer]
GEO_RENDERERS = [JSONRenderer, GeoJSONRenderer, HXLRenderer, CSVRenderer]
