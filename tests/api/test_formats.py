"""Every format, parsed back: JSON, GeoJSON (structure), CSV and HXL (with the csv module)."""

import csv
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.http import StreamingHttpResponse

from hotspots.models import Hotspot
from tests.factories import OperationReportFactory, PostFactory, UpdateFactory

pytestmark = pytest.mark.django_db

GEO_COLLECTIONS = ["hotspots", "reports", "training-records", "updates"]


def _body(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_body(response))))


@pytest.fixture
def analyst(client_for):
    return client_for("analyst")


@pytest.fixture
def placed_records():
    solino = Hotspot.objects.get(slug="solino")
    own = OperationReportFactory(
        title="own point", location=Point(-72.30, 18.55, srid=4326), civilians_killed=2
    )
    at_hotspot = OperationReportFactory(title="at Solino")
    at_hotspot.hotspots.set([solino])
    nowhere = OperationReportFactory(title='=HYPERLINK("http://evil")')
    update = UpdateFactory(
        post=PostFactory(text="Patrol in Solino"), hotspots=[solino], figures={"personnel": 40}
    )
    return {"own": own, "at_hotspot": at_hotspot, "nowhere": nowhere, "update": update}


def _check_feature(feature):
    assert feature["type"] == "Feature"
    assert "id" in feature and isinstance(feature["properties"], dict)
    geometry = feature["geometry"]
    if geometry is not None:
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -75 < lon < -71 and 17 < lat < 21


@pytest.mark.parametrize("collection", GEO_COLLECTIONS)
@pytest.mark.parametrize("how", ["format", "accept"])
def test_geojson_is_a_feature_collection(collection, how, analyst, placed_records):
    if how == "format":
        response = analyst.get(f"/api/v1/{collection}/?format=geojson")
    else:
        response = analyst.get(f"/api/v1/{collection}/", HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    document = json.loads(_body(response))  # a list without page_size is streamed whole
    assert document["type"] == "FeatureCollection"
    for feature in document["features"]:
        _check_feature(feature)


def test_reports_are_placed_at_their_point_or_first_hotspot(analyst, placed_records):
    document = json.loads(_body(analyst.get("/api/v1/reports/?format=geojson")))
    by_title = {f["properties"]["title"]: f for f in document["features"]}
    assert by_title["own point"]["geometry"]["coordinates"] == [-72.3, 18.55]
    assert by_title["at Solino"]["geometry"]["coordinates"] == [-72.3219, 18.5496]
    assert by_title['=HYPERLINK("http://evil")']["geometry"] is None
    update = analyst.get(f"/api/v1/updates/{placed_records['update'].pk}/?format=geojson").json()
    assert update["type"] == "Feature" and update["geometry"]["coordinates"] == [-72.3219, 18.5496]
    assert update["properties"]["hotspots"] == ["solino"]


def test_an_unplaced_hotspot_has_a_null_geometry(analyst):
    document = analyst.get("/api/v1/hotspots/").json()
    unplaced = [f for f in document["features"] if f["id"] == "carrefour-laeroport"]
    assert unplaced and unplaced[0]["geometry"] is None
    assert unplaced[0]["properties"]["confidence"] == "none"


@pytest.mark.parametrize(
    "collection", [*GEO_COLLECTIONS, "contingents", "posts", "place-candidates", "deleted"]
)
def test_csv_parses_back_with_a_header_row(collection, analyst, client_for, placed_records):
    # Place candidates are for staff review: a reporter reads them.
    reader = client_for("reporter") if collection == "place-candidates" else analyst
    response = reader.get(f"/api/v1/{collection}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows and rows[0] and all(rows[0])
    assert all(len(row) == len(rows[0]) for row in rows)


def test_report_csv_has_one_row_per_report_with_its_place(analyst, placed_records):
    response = analyst.get("/api/v1/reports/?format=csv")
    assert isinstance(response, StreamingHttpResponse)  # an export streams, whatever its size
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _rows(response)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    by_title = {r["title"]: r for r in records}
    assert len(records) == 3
    assert by_title["own point"]["lat"] == "18.55" and by_title["own point"]["lon"] == "-72.3"
    assert by_title["own point"]["civilians_killed"] == "2"
    assert by_title["at Solino"]["hotspots"] == "solino"
    assert by_title["at Solino"]["department"] == "Ouest"


def test_a_cell_that_a_spreadsheet_would_run_is_defused(analyst, placed_records):
    header, *rows = _rows(analyst.get("/api/v1/reports/?format=csv"))
    titles = [row[header.index("title")] for row in rows]
    assert '\'=HYPERLINK("http://evil")' in titles
    lons = [row[header.index("lon")] for row in rows if row[header.index("lon")]]
    assert all(lon.startswith("-72") for lon in lons)  # negative numbers are left alone


@pytest.mark.parametrize("how", ["format", "accept"])
def test_hxl_has_a_hashtag_row_under_the_header(how, analyst, placed_records):
    if how == "format":
        response = analyst.get("/api/v1/updates/?format=hxl")
    else:
        response = analyst.get("/api/v1/updates/", HTTP_ACCEPT="text/csv; profile=hxl")
    assert response.status_code == 200
    header, tags, *rows = _rows(response)
    assert all(tag.startswith("#") for tag in tags)
    tagged = dict(zip(tags, zip(header, rows[0], strict=True), strict=True))
    for tag in [
        "#date",
        "#loc+name",
        "#geo+lat",
        "#geo+lon",
        "#adm1+name",
        "#adm2+name",
        "#event+type",
        "#meta+source",
    ]:
        assert tag in tagged, tag
    assert tagged["#loc+name"][1] == "solino"
    assert tagged["#capacity+personnel+num"][1] == "40"
    assert tagged["#adm1+name"][1] == "Ouest"


def test_report_hxl_names_casualties(analyst, placed_records):
    _, tags, *_ = _rows(analyst.get("/api/v1/reports/?format=hxl"))
    assert "#affected+killed+civilians" in tags and "#date+start" in tags


def test_plain_csv_is_chosen_by_accept_without_the_hxl_row(analyst, placed_records):
    response = analyst.get("/api/v1/updates/", HTTP_ACCEPT="text/csv")
    _header, first, *_ = _rows(response)
    assert not first[0].startswith("#")


def test_a_single_record_in_csv(analyst, placed_records):
    response = analyst.get(f"/api/v1/reports/{placed_records['own'].pk}/?format=csv")
    header, row = _rows(response)
    assert dict(zip(header, row, strict=True))["title"] == "own point"


def test_export_keeps_filters_and_ordering(analyst, placed_records):
    header, *rows = _rows(analyst.get("/api/v1/reports/?format=csv&hotspot=solino"))
    assert [row[header.index("title")] for row in rows] == ["at Solino"]


def test_errors_are_json_even_when_csv_was_asked_for(analyst):
    response = analyst.get("/api/v1/reports/?format=csv&kind=picnic")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json") and "kind" in response.json()


def test_an_unknown_format_is_404_and_an_unknown_accept_406(analyst):
    assert analyst.get("/api/v1/reports/?format=xml").status_code == 404
    assert analyst.get("/api/v1/reports/", HTTP_ACCEPT="application/xml").status_code == 406
