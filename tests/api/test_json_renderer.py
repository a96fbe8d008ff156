"""The API's JSON renderer (orjson, core/api/renderers.py) writes what DRF's JSONRenderer writes."""

import json
import uuid
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework import renderers as drf_renderers
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from core.api.renderers import GeoJSONRenderer, JSONRenderer
from tests.factories import ContingentFactory, OperationReportFactory

HAITI = ZoneInfo("America/Port-au-Prince")

# Documents DRF writes compactly and the portal's renderer must write byte for byte the same.
TYPICAL = {
    "empty dict": {},
    "empty list": [],
    "page": {
        "count": 2,
        "next": "https://portal.example.org/api/v1/reports/?cursor=cD0yMDI1",
        "previous": None,
        "results": [
            {
                "id": 1,
                "reference": "OPS-2025-0001",
                "hotspots": ["solino", "delmas"],
                "geometry": {"type": "Point", "coordinates": [-72.335, 18.54]},
                "figures": {"personnel": 120, "arrests": 3},
                "ended_at": None,
            },
            {"id": 2, "hotspots": [], "geometry": None, "nested": [[1, [2, [3, {"deep": [True]}]]]]},
        ],
    },
    "scalars": {
        "none": None,
        "true": True,
        "false": False,
        "zero": 0,
        "negative": -42,
        "int64 max": 2**63 - 1,
        "int64 min": -(2**63),
        "uint64 max": 2**64 - 1,
        "float": 18.5944,
        "negative float": -72.3351234,
        "whole float": 3.0,
        "zero float": 0.0,
        "tenth": 0.1,
        "big float": 1e16,
        "huge float": 1.7976931348623157e308,
    },
    "unicode": {
        "français": "Opération à Pétion-Ville : « sécurité » rétablie; Cité Soleil, Gonaïves",
        "kreyòl": "Lapolis ak sòlda Kenyan yo te rive Solino; moun yo di: « N ap tann lapè »",
        "others": "Ñandú, straße, Ελλάδα, Україна, 日本語, العربية, 🇭🇹 ✓",
        "escapes": 'quote " backslash \\ slash / newline \n return \r tab \t nul \x00 unit \x1f del \x7f',
        "html": "</script><!-- & -->",
        "é as key": "value",
    },
    "datetimes": {
        "utc": datetime(2025, 3, 1, 17, 0, tzinfo=UTC),
        "utc with microseconds": datetime(2025, 3, 1, 17, 0, 0, 5, tzinfo=UTC),
        "utc half second": datetime(2025, 3, 1, 17, 0, 0, 500000, tzinfo=UTC),
        "zoneinfo utc": datetime(2025, 3, 1, 17, 0, 0, 123456, tzinfo=ZoneInfo("UTC")),
        "haiti winter": datetime(2025, 1, 15, 7, 30, tzinfo=HAITI),
        "haiti summer": datetime(2025, 7, 15, 7, 30, 0, 42, tzinfo=HAITI),
        "fixed offset": datetime(2025, 3, 1, 17, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        "naive": datetime(2025, 3, 1, 17, 0),
        "naive with microseconds": datetime(2025, 3, 1, 17, 0, 0, 999999),
    },
    "dates and times": {
        "date": date(2025, 3, 1),
        "old date": date(5, 1, 2),
        "time": time(12, 0, 1),
        "time with microseconds": time(12, 0, 1, 5),
        "duration": timedelta(hours=1, seconds=1),
    },
    "decimals": {"money": Decimal("12.50"), "negative": Decimal("-0.1"), "whole": Decimal("1000")},
    "int keys": {1: "one", 2: {3: "three", -4: [5]}, 0: None},
    "other scalar keys": {True: "yes", None: "nothing", "plain": 1},
    "uuid": {"id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    "tuple and bytes": {"pair": (1, "two"), "bytes": b"raw bytes"},
    "ordered dict": OrderedDict([("b", 1), ("a", 2)]),
    "serializer containers": ReturnDict(
        {"results": ReturnList([{"id": 1}], serializer=None)}, serializer=None
    ),
    "top-level list": [{"id": 1}, {"id": 2}],
    "top-level string": "Pòtoprens",
    "top-level number": 12,
    "top-level bool": False,
}

# Documents whose bytes may differ (orjson and Python's repr write some floats differently, e.g.
# 0.00001 and 1e-05) but which must parse to the same data.
SAME_DATA = {
    "small floats": {"a": 1e-05, "b": 1.5e-7, "c": 5e-324, "d": -2.5e-10},
    "large floats": {"a": 1e22, "b": 1.2345e300, "c": -1e17},
    "small decimal": {"a": Decimal("0.00001"), "b": Decimal("1E+25")},
}


def drf(data, accepted_media_type=None, renderer_context=None) -> bytes:
    return DRFJSONRenderer().render(data, accepted_media_type, renderer_context)


def ours(data, accepted_media_type=None, renderer_context=None) -> bytes:
    return JSONRenderer().render(data, accepted_media_type, renderer_context)


@pytest.mark.parametrize("data", TYPICAL.values(), ids=TYPICAL.keys())
def test_typical_documents_are_written_byte_for_byte_as_drf_writes_them(data):
    expected = drf(data)
    assert b"\n" not in expected  # DRF's compact form
    assert ours(data) == expected
    assert json.loads(ours(data)) == json.loads(expected)


@pytest.mark.parametrize("data", SAME_DATA.values(), ids=SAME_DATA.keys())
def test_unusual_numbers_parse_to_what_drf_writes(data):
    assert json.loads(ours(data)) == json.loads(drf(data))


def test_typical_documents_are_written_without_drf_json_dumps(monkeypatch):
    """The point of the renderer: orjson writes them, DRF's json.dumps is not called (the fallback)."""
    expected = {name: drf(data) for name, data in TYPICAL.items()}

    def fallback(*args, **kwargs):
        raise AssertionError("DRF's JSONRenderer.render was called")

    monkeypatch.setattr(drf_renderers.JSONRenderer, "render", fallback)
    for name, data in TYPICAL.items():
        assert JSONRenderer().render(data) == expected[name], name


def test_output_is_utf8_not_ascii_escaped():
    body = ours({"kreyòl": "Solino, Pétion-Ville, Gonaïves"})
    assert body == '{"kreyòl":"Solino, Pétion-Ville, Gonaïves"}'.encode()
    assert b"\\u00" not in body


@pytest.mark.parametrize("language", ["en", "fr"])
def test_lazy_translations_are_written_in_the_active_language(language):
    data = {
        "detail": gettext_lazy("Not found."),
        "errors": [gettext_lazy("This field is required.")],
        "nested": {"label": gettext_lazy("Invalid input.")},
    }
    with translation.override(language):
        expected = drf(data)
        assert ours(data) == expected
        assert json.loads(ours(data))["detail"] == str(gettext_lazy("Not found."))
    if language == "fr":  # DRF's own catalogue: the string really was translated
        assert json.loads(expected)["detail"] != "Not found."


@pytest.mark.parametrize(
    "text",
    [
        "line\u2028separator",
        "paragraph\u2029separator",
        "\u2028\u2029 both, twice \u2029\u2028",
        "next to other escapes: \u2028\n\u2029\t é",
    ],
    ids=["line", "paragraph", "both", "with other escapes"],
)
def test_line_and_paragraph_separators_are_escaped_as_drf_escapes_them(text):
    data = {"text": text, text: [text]}
    body = ours(data)
    assert body == drf(data)
    assert "\u2028".encode() not in body and "\u2029".encode() not in body
    assert json.loads(body) == data


@pytest.mark.parametrize(
    "data",
    [
        {"big": 2**64},
        {"negative big": -(2**63) - 1},
        {"page": {"results": [{"id": 1, "when": datetime(2025, 3, 1, 17, tzinfo=UTC), "n": 10**30}]}},
        [1, "é", "\u2028", 2**100],
    ],
    ids=["above uint64", "below int64", "nested with a datetime", "in a list with a separator"],
)
def test_an_integer_beyond_64_bits_falls_back_and_renders_as_drf_does(data):
    body = ours(data)
    assert body == drf(data)
    assert json.loads(body) == json.loads(drf(data))


@pytest.mark.parametrize("media_type", ["application/json; indent=4", "application/json; indent=2"])
def test_an_indent_asked_for_gives_drf_indented_output(media_type):
    data = TYPICAL["page"] | {"when": datetime(2025, 3, 1, 17, tzinfo=UTC), "é": "\u2028"}
    body = ours(data, accepted_media_type=media_type)
    assert body == drf(data, accepted_media_type=media_type)
    indent = int(media_type.rsplit("=", 1)[1])
    assert b"\n" + b" " * indent + b'"count": 2' in body


def test_an_indent_in_the_renderer_context_gives_drf_indented_output():
    data = {"a": [1, {"b": None}]}
    context = {"indent": 3}
    assert ours(data, "application/json", context) == drf(data, "application/json", context)
    assert b'\n   "a": [' in ours(data, "application/json", context)


def test_indent_zero_is_compact_as_in_drf():
    data = {"a": [1, 2]}
    assert (
        ours(data, "application/json; indent=0") == drf(data, "application/json; indent=0") == b'{"a":[1,2]}'
    )


def test_none_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""
    assert JSONRenderer().render(None, "application/json; indent=4", {}) == b""
    assert JSONRenderer().render(None) == drf(None)


def test_falsy_documents_are_not_taken_for_none():
    for data in ({}, [], 0, False, ""):
        assert ours(data) == drf(data) != b""


def test_ascii_or_spaced_settings_fall_back_to_drf():
    class Ascii(JSONRenderer):
        ensure_ascii = True

    class DRFAscii(DRFJSONRenderer):
        ensure_ascii = True

    class Spaced(JSONRenderer):
        compact = False

    class DRFSpaced(DRFJSONRenderer):
        compact = False

    data = {"kreyòl": ["lapè", 1], "when": date(2025, 3, 1)}
    assert (
        Ascii().render(data)
        == DRFAscii().render(data)
        == b'{"krey\\u00f2l":["lap\\u00e8",1],"when":"2025-03-01"}'
    )
    assert Spaced().render(data) == DRFSpaced().render(data)
    assert b", " in Spaced().render(data)


def test_what_neither_can_write_is_refused_as_drf_refuses_it():
    class Opaque:
        pass

    with pytest.raises(TypeError):
        drf({"x": Opaque()})
    with pytest.raises(TypeError):
        ours({"x": Opaque()})


def test_geojson_renderer_writes_through_the_same_path():
    data = [{"id": 1, "geometry": {"type": "Point", "coordinates": [-72.335, 18.54]}, "name": "Solino\u2028"}]
    body = GeoJSONRenderer().render(data)
    assert json.loads(body) == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": 1,
                "geometry": {"type": "Point", "coordinates": [-72.335, 18.54]},
                "properties": {"name": "Solino\u2028"},
            }
        ],
    }
    assert "\u2028".encode() not in body
    assert GeoJSONRenderer().render(None) == b""


# -- through the API ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_list_endpoint_answers_json_as_drf_would_write_it(client_for):
    ContingentFactory(country_code="XA", name="Kénya (test)", name_fr="Kenya (essai)")
    ContingentFactory(country_code="XB", name="Ayiti\u2028(test)", name_fr="Haïti")
    response = client_for("analyst").get("/api/v1/contingents/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert {"XA", "XB"} <= {c["country_code"] for c in document}
    assert response.content == drf(response.data)
    assert "\u2028".encode() not in response.content


@pytest.mark.django_db
def test_a_paginated_geo_collection_answers_json_as_drf_would_write_it(client_for):
    OperationReportFactory(title="Opération à Pétion-Ville « sécurité »", summary="Kreyòl: lapè")
    OperationReportFactory(title="Patrouille, Cité Soleil")
    response = client_for("analyst").get("/api/v1/reports/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    titles = {r["title"] for r in document["results"]}
    assert {"Opération à Pétion-Ville « sécurité »", "Patrouille, Cité Soleil"} <= titles
    assert response.content == drf(response.data)
    assert all(r["started_at"].endswith("Z") for r in document["results"])


@pytest.mark.django_db
def test_an_error_document_is_json(client_for):
    response = client_for("analyst").get("/api/v1/no-such-collection/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": "No such endpoint in this API."}


def test_numbers_json_cannot_hold_are_written_as_null_where_drf_would_refuse_them():
    """DRF's strict JSON raises on NaN and infinities (a 500); they are written as null instead."""
    document = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "one": 1.5}
    assert json.loads(JSONRenderer().render(document)) == {"nan": None, "inf": None, "-inf": None, "one": 1.5}
