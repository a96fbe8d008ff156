"""The schema says what the API does: parameters described with units and defaults, null where null is
served, writes answered in JSON only, unknown parameters refused with 400 naming them."""

import pytest
from rest_framework.test import APIClient

from ingestion.models import PlaceCandidate
from operations.models import OperationReport
from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _parameters(schema, path, method="get"):
    return {p["name"]: p for p in schema["paths"][path][method]["parameters"]}


def test_every_parameter_has_a_description(schema):
    missing = [
        (path, method, parameter["name"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert missing == []


def test_spatial_parameters_say_their_units_order_and_defaults(schema):
    parameters = _parameters(schema, "/api/v1/reports/")
    assert "Metres" in parameters["dist"]["description"] and "1000" in parameters["dist"]["description"]
    assert parameters["dist"]["schema"]["default"] == 1000
    assert "longitude first" in parameters["point"]["description"]
    assert "longitude first" in parameters["in_bbox"]["description"]
    lon, lat = (float(n) for n in parameters["point"]["schema"]["example"].split(","))
    assert (-75 < lon < -71, 17 < lat < 21) == (True, True)  # Haiti, longitude first


def test_time_parameters_keep_their_own_meaning_and_the_time_rule(schema):
    parameters = _parameters(schema, "/api/v1/reports/")
    assert parameters["started_after"]["description"].startswith("Operations started at or after.")
    assert "without an offset is UTC" in parameters["started_after"]["description"]


def test_promoted_to_is_nullable_as_it_is_served(schema, client_for):
    PlaceCandidate.objects.create(name="Bon Repos", normalised="bon repos", origin="gazetteer")
    served = client_for("reporter").get("/api/v1/place-candidates/").json()["results"]
    assert [c["promoted_to"] for c in served] == [None]
    assert schema["components"]["schemas"]["PlaceCandidate"]["properties"]["promoted_to"]["nullable"] is True


def test_writes_are_documented_as_answering_json_only(schema):
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch"):
            for status, response in operations.get(method, {}).get("responses", {}).items():
                assert set(response.get("content", {})) <= {"application/json"}, (method, path, status)


def test_a_write_asking_for_csv_is_answered_in_json(client_for):
    client = client_for("reporter")
    report = {
        "title": "Patrol",
        "operation_kind": "patrol",
        "started_at": "2025-03-04T06:00:00Z",
        "releasability": "partners",
    }
    response = client.post("/api/v1/reports/", report, format="json", HTTP_ACCEPT="text/csv")
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == "Patrol"


@pytest.mark.parametrize("query", ["limit=10", "offset=20", "page=2", "colour=red", "page_size=5&sort=title"])
def test_an_unknown_parameter_of_a_list_is_400_naming_it(client_for, query):
    response = client_for("analyst").get(f"/api/v1/reports/?{query}")
    assert response.status_code == 400
    named = {part.split("=")[0] for part in query.split("&")} - {"page_size"}
    assert set(response.json()) == named


def test_an_unknown_parameter_of_one_record_is_400(client_for):
    report = OperationReportFactory()
    client = client_for("analyst")
    assert client.get(f"/api/v1/reports/{report.pk}/?format=json").status_code == 200
    response = client.get(f"/api/v1/reports/{report.pk}/?fields=title")
    assert response.status_code == 400 and "fields" in response.json()


def test_every_documented_parameter_is_accepted(client_for, schema):
    client = client_for("analyst")
    values = {"cursor": None, "point": "-72.3,18.5", "in_bbox": "-72.4,18.4,-72.2,18.6", "format": "json"}
    for name, parameter in _parameters(schema, "/api/v1/reports/").items():
        if name == "cursor":
            continue  # only a cursor the API gave is taken
        value = values.get(name) or parameter["schema"].get("example") or _a_value(parameter["schema"])
        response = client.get("/api/v1/reports/", {name: value})
        assert response.status_code == 200, (name, value, response.content[:300])


def _a_value(schema):
    schema = schema.get("items", schema)
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 10, "number": 10, "boolean": "true"}.get(schema.get("type"), "patrol")


def test_the_maps_data_endpoints_which_take_tokens_are_in_the_schema(schema):
    for path in ("/map/data/activity/", "/map/data/weekly/"):
        parameters = _parameters(schema, path)
        assert {"published_after", "published_before", "kind", "contingent", "hotspot"} <= set(parameters)
        assert parameters["kind"]["schema"]["items"]["enum"]


def test_the_maps_data_refuses_an_unknown_parameter(client_for):
    client = client_for("analyst")
    assert client.get("/map/data/activity/?kind=incident").status_code == 200
    response = client.get("/map/data/activity/?knd=incident")
    assert response.status_code == 400 and "knd" in response.json()


def test_a_write_naming_another_format_is_refused_before_writing(client_for, schema):
    client = client_for("reporter")
    report = {"title": "Patrol", "operation_kind": "patrol", "started_at": "2025-03-04T06:00:00Z"}
    response = client.post("/api/v1/reports/?format=csv", report, format="json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert not OperationReport.objects.filter(title="Patrol").exists()
    assert _parameters(schema, "/api/v1/reports/", "post")["format"]["schema"]["enum"] == ["json"]


def test_a_time_holding_a_percent_sign_is_refused_not_a_server_error(client_for):
    response = client_for("partner").get("/api/v1/reports/", {"updated_since": "%6 %s"})
    assert response.status_code == 400 and "updated_since" in response.json()


def test_the_maps_data_refuses_an_empty_time_as_the_api_does(client_for):
    response = client_for("analyst").get("/map/data/weekly/?published_before=")
    assert response.status_code == 400 and "published_before" in response.json()


def test_the_maps_data_reads_any_offset_a_time_may_have(client_for):
    # The database keeps offsets within +-15:59; the map's counts once sent this one to it as it was.
    response = client_for("analyst").get(
        "/map/data/activity/", {"published_after": "0064-12-30T10:35:55+19:10"}
    )
    assert response.status_code == 200
    response = client_for("analyst").get("/map/data/weekly/", {"published_after": "1740830400"})
    assert response.status_code == 200
