"""No spatial reference from a user reaches GDAL (why gis.W001 is silenced in base.py)."""

import json

import pytest
from django.contrib.gis import forms
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.gdal.geojson import ExternalCRSBlocker
from django.core.exceptions import SuspiciousOperation, ValidationError
from leaflet.forms.widgets import LeafletWidget

from mss_portal.gdal_guard import sanitise_geojson, strip_crs

POINT = {"type": "Point", "coordinates": [-72.335, 18.54]}
HOSTILE_CRS = [
    {"type": "name", "properties": {"name": "/etc/passwd"}},
    {"type": "link", "properties": {"href": "http://127.0.0.1:9/crs", "type": "proj4"}},
    {"type": "name", "properties": {"name": "EPSG:32618"}},
]


@pytest.fixture
def gdal_inputs(monkeypatch):
    """Every GeoJSON text handed to GDAL's parser during the test."""
    seen: list[bytes] = []
    original = OGRGeometry._from_json

    def recording(geom_input):
        seen.append(bytes(geom_input))
        return original(geom_input)

    monkeypatch.setattr(OGRGeometry, "_from_json", staticmethod(recording))
    return seen


def _field(widget=None):
    return forms.PointField(srid=4326, widget=widget or LeafletWidget())


@pytest.mark.parametrize("crs", HOSTILE_CRS)
@pytest.mark.parametrize("key", ["crs", "CRS", "crs\u0000padding"])
def test_a_crs_member_never_reaches_gdal(gdal_inputs, crs, key):
    value = json.dumps({**POINT, key: crs})
    point = _field().clean(value)
    assert point.srid == 4326
    assert (round(point.x, 3), round(point.y, 3)) == (-72.335, 18.54)
    assert gdal_inputs, "the GeoJSON went through GDAL's parser"
    assert all(b"crs" not in text.lower() for text in gdal_inputs)


def test_a_crs_inside_a_collection_is_removed_too(gdal_inputs):
    value = json.dumps(
        {
            "type": "GeometryCollection",
            "geometries": [{**POINT, "crs": HOSTILE_CRS[0]}],
            "crs": HOSTILE_CRS[1],
        }
    )
    geometry = forms.GeometryField(srid=4326, widget=LeafletWidget()).clean(value)
    assert geometry.num_geom == 1
    assert all(b"crs" not in text.lower() for text in gdal_inputs)


def test_strip_crs_keeps_everything_else():
    document = {"type": "Feature", "geometry": {**POINT, "crs": {}}, "properties": {"name": "x"}, "Crs": 1}
    assert strip_crs(document) == {"type": "Feature", "geometry": POINT, "properties": {"name": "x"}}


def test_non_json_input_passes_through_untouched():
    assert sanitise_geojson("POINT (-72.3 18.5)") == "POINT (-72.3 18.5)"
    assert sanitise_geojson("{not json") == "{not json"


def test_an_unknown_srid_is_a_form_error_not_a_server_error():
    with pytest.raises(ValidationError) as caught:
        _field().clean("SRID=999999;POINT(-72.3 18.5)")
    assert caught.value.code == "transform_error"


def test_a_known_srid_is_transformed_from_the_local_proj_database():
    point = _field().clean("SRID=32618;POINT(780000 2050000)")  # UTM 18N, near Port-au-Prince
    assert point.srid == 4326
    assert -73 < point.x < -71 and 18 < point.y < 19


@pytest.mark.parametrize("garbage", ["{", "[1,2]", '{"type": "Point"}', "POINT(", "\x00", "{" * 5000])
def test_garbage_is_a_form_error(garbage):
    with pytest.raises(ValidationError):
        _field().clean(garbage)


def test_django_itself_refuses_an_external_crs_elsewhere():
    # The API's GeoJSON (djangorestframework-gis) goes through this class, not the form guard.
    assert hasattr(ExternalCRSBlocker, "check")
    with pytest.raises(SuspiciousOperation):
        OGRGeometry.from_json(json.dumps({**POINT, "crs": HOSTILE_CRS[0]}))


@pytest.mark.parametrize("value", ["POINT EMPTY", '{"type": "Point", "coordinates": []}'])
def test_an_empty_geometry_is_a_form_error(value):
    with pytest.raises(ValidationError) as caught:
        _field().clean(value)
    assert caught.value.code == "invalid_geom"


def test_a_form_shown_again_with_broken_geojson_renders():
    # Another field's error shows the form again with the raw text; GDAL refusing it is no crash.
    html = LeafletWidget().render("location", '{"type": "Point", "coordinates": "x"}', {"id": "id_location"})
    assert 'name="location"' in html
