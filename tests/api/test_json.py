"""The API's JSON (drf-orjson-renderer, core/api/renderers.py) means what DRF's own JSONRenderer writes."""

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from core.api.fields import UTCDateTimeField, utc
from core.api.renderers import GeoJSONRenderer, JSONRenderer
from tests.factories import ContingentFactory, OperationReportFactory


def drf(data) -> object:
    return json.loads(DRFJSONRenderer().render(data))


def ours(data) -> object:
    return json.loads(JSONRenderer().render(data))


def test_times_decimals_and_text_read_as_drf_writes_them():
    data = {
        "utc": datetime(2025, 3, 1, 17, 0, tzinfo=UTC),
        "micro": datetime(2025, 3, 1, 17, 0, 0, 5, tzinfo=UTC),
        "money": Decimal("12.50"),
        "kreyòl": "Lapolis rive Solino « N ap tann lapè »\u2028",
        "nested": [{"a": [1, None, True]}],
    }
    assert ours(data) == drf(data)
    assert ours(data)["utc"] == "2025-03-01T17:00:00Z"


def test_numbered_keys_of_a_list_s_errors_are_written_as_drf_writes_them():
    data = {"resources": {0: ["Not a valid choice."], 2: {"url": ["Enter a valid URL."]}}}
    assert (
        ours(data)
        == drf(data)
        == {"resources": {"0": ["Not a valid choice."], "2": {"url": ["Enter a valid URL."]}}}
    )


@pytest.mark.django_db
def test_an_error_about_a_list_s_items_is_answered_400(client_for):
    response = client_for("partner").post(
        "/api/v1/webhooks/", {"url": "https://example.org/hook", "resources": [{}]}, format="json"
    )
    assert response.status_code == 400, response.content[:300]
    assert "resources" in response.json()


def test_output_is_utf8_not_ascii_escaped():
    body = JSONRenderer().render({"kreyòl": "Pétion-Ville, Gonaïves"})
    assert body == '{"kreyòl":"Pétion-Ville, Gonaïves"}'.encode()


def test_lazy_translations_are_written_in_the_active_language():
    with translation.override("fr"):
        written = ours({"detail": gettext_lazy("Not found.")})["detail"]
        expected = str(gettext_lazy("Not found."))
    assert written == expected != "Not found."  # DRF's own French catalogue


def test_none_is_an_empty_body_and_an_unknown_object_is_refused():
    assert JSONRenderer().render(None) == b""

    class Opaque:
        pass

    with pytest.raises(TypeError):
        JSONRenderer().render({"x": Opaque()})


def test_geojson_renderer_makes_features_of_records():
    data = [{"id": 1, "geometry": {"type": "Point", "coordinates": [-72.335, 18.54]}, "name": "Solino"}]
    assert json.loads(GeoJSONRenderer().render(data)) == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": 1,
                "geometry": {"type": "Point", "coordinates": [-72.335, 18.54]},
                "properties": {"name": "Solino"},
            }
        ],
    }


@pytest.mark.django_db
def test_a_list_endpoint_answers_json_that_means_what_drf_writes(client_for):
    ContingentFactory(country_code="XA", name="Kénya (test)", name_fr="Kenya (essai)")
    response = client_for("analyst").get("/api/v1/contingents/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == drf(response.data)
    assert "XA" in {c["country_code"] for c in json.loads(response.content)}


@pytest.mark.django_db
def test_a_page_of_reports_answers_json_with_times_in_utc(client_for):
    OperationReportFactory(title="Opération à Pétion-Ville « sécurité »")
    response = client_for("analyst").get("/api/v1/reports/")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document == drf(response.data)
    assert document["results"][0]["title"] == "Opération à Pétion-Ville « sécurité »"
    assert all(r["started_at"].endswith("Z") and r["updated_at"].endswith("Z") for r in document["results"])


@pytest.mark.django_db
def test_an_error_document_is_json(client_for):
    response = client_for("analyst").get("/api/v1/no-such-collection/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": "No such endpoint in this API."}


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 3, 1, 17, 0, tzinfo=UTC),
        datetime(2025, 3, 1, 17, 0, 0, 123456, tzinfo=UTC),
        datetime(2025, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=-5))),
        None,
    ],
)
def test_represent_writes_times_as_the_utc_field_does(moment):
    field = UTCDateTimeField()
    assert utc(moment) == (None if moment is None else field.to_representation(moment))
