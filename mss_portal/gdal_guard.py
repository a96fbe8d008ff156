"""Keep untrusted spatial references away from GDAL (the answer to GeoDjango's gis.W001).

Debian 12's GDAL 3.6 cannot be told to refuse file and network access while it resolves a
spatial reference. GDAL resolves one in two places that user input reaches:

- a GeoJSON ``crs`` member, read by OGR when a geometry form field parses GeoJSON. Django
  (5.2.19 and later) already refuses a crs naming a URL or a file (``ExternalCRSBlocker``); on top
  of that, ``install()`` makes every geometry form widget drop each ``crs`` member before the text
  reaches GDAL, so GDAL never resolves a reference that came from a user. Our geometries are all
  WGS84 lon/lat (SRID 4326), which is what GeoJSON without crs means.
- an SRID written as EWKT (``SRID=32618;POINT(...)``): GDAL builds it with ImportFromEPSG, a
  lookup in PROJ's local database without file or network access. An SRID that lookup does not
  know used to escape as a GDALException (a server error); it is now an ordinary form error, and
  so is broken GeoJSON in a form shown again after another field's error.

The API's geometry fields (djangorestframework-gis) parse GeoJSON through the same Django class
that runs ``ExternalCRSBlocker``. ``tests/hardening/test_gdal_guard.py`` proves each point.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.forms import fields as gis_fields
from django.contrib.gis.forms import widgets as gis_widgets
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geometry import json_regex
from django.core.exceptions import ValidationError

_installed = False


def _is_crs(key: Any) -> bool:
    # GDAL compares member names case-insensitively as C strings, so "CRS" and "crs\0x" count.
    return isinstance(key, str) and key.split("\0", 1)[0].lower() == "crs"


def strip_crs(document: Any) -> Any:
    """The GeoJSON document without any ``crs`` member, at any depth."""
    if isinstance(document, dict):
        return {key: strip_crs(value) for key, value in document.items() if not _is_crs(key)}
    if isinstance(document, list):
        return [strip_crs(item) for item in document]
    return document


def sanitise_geojson(value: Any) -> Any:
    """GeoJSON text with its crs members removed; any other input is returned unchanged."""
    if not isinstance(value, str) or not json_regex.match(value):
        return value
    try:
        document = json.loads(value)
    except (ValueError, RecursionError):
        return value  # not JSON after all: GDAL refuses it as an invalid geometry
    return json.dumps(strip_crs(document))


def install() -> None:
    """Wrap the geometry widgets' parser and the geometry fields' clean (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True

    deserialize = gis_widgets.BaseGeometryWidget.deserialize

    def guarded_deserialize(self, value):
        try:
            return deserialize(self, sanitise_geojson(value))
        except GDALException:
            # GeoJSON that GDAL cannot read. The field already calls it invalid; a form shown again
            # with it (another field had an error) used to fail with a server error instead.
            return None

    gis_widgets.BaseGeometryWidget.deserialize = guarded_deserialize

    clean = gis_fields.GeometryField.clean

    def guarded_clean(self, value):
        try:
            geometry = clean(self, value)
        except GDALException as exc:
            # An SRID that PROJ's database does not know cannot be transformed to ours.
            raise ValidationError(self.error_messages["transform_error"], code="transform_error") from exc
        if geometry is not None and geometry.empty:
            # "POINT EMPTY" and the like parse, but place nothing, and models' checks choke on them.
            raise ValidationError(self.error_messages["invalid_geom"], code="invalid_geom")
        return geometry

    gis_fields.GeometryField.clean = guarded_clean
