"""OGC API - Features at /ogc/: a test per requirement of the Core and GeoJSON conformance classes
(requirement names from OGC 17-069r4), and readers seeing what the REST API shows them."""

from datetime import UTC, date, datetime

import jsonschema
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_30

from operations.models import OperationReport, TrainingRecord
from tests.api.conftest import PARTNER_VISIBLE
from tests.factories import OperationReportFactory, TrainingRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
OAS30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
COLLECTIONS = {"hotspots", "updates", "operation-reports", "training-records"}


@pytest.fixture
def partner_client(client_for):
    return client_for("partner")


@pytest.fixture
def admin_client(client_for):
    return client_for("admin")


def links(document, rel):
    return [link for link in document["links"] if link["rel"] == rel]


def href(document, rel) -> str:
    (link,) = links(document, rel)
    return link["href"]


def reports_at(*points, started=None, **extra):
    author, approver = UserFactory(), UserFactory()
    return [
        OperationReportFactory(
            author=author,
            approved_by=approver,
            status="approved",
            releasability="partners",
            location=f"SRID=4326;POINT({lon} {lat})",
            started_at=started or datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
            **extra,
        )
        for lon, lat in points
    ]


# -- /req/core/root-success: the landing page ------------------------------------------------------


def test_landing_page_links_the_api_definition_conformance_and_collections(partner_client):
    response = partner_client.get("/ogc/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    page = response.json()
    assert href(page, "self") == "http://testserver/ogc/"
    assert href(page, "service-desc") == "http://testserver/ogc/api"
    assert links(page, "service-desc")[0]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert href(page, "conformance") == "http://testserver/ogc/conformance"
    assert href(page, "data") == "http://testserver/ogc/collections"


def test_every_resource_answers_401_without_credentials(client):
    for path in (
        "/ogc/",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/updates/items",
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"].startswith("Bearer")


# -- /req/oas30/oas-impl: the API definition -------------------------------------------------------


def test_api_definition_is_a_valid_openapi_30_document_of_every_path(partner_client):
    response = partner_client.get("/ogc/api")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json;version=3.0")
    document = response.json()
    jsonschema.Draft4Validator(OPENAPI_30).validate(document)
    assert document["servers"] == [{"url": "http://testserver/ogc"}]
    assert set(document["paths"]) == {
        "/",
        "/conformance",
        "/api",
        "/collections",
        "/collections/{collectionId}",
        "/collections/{collectionId}/items",
        "/collections/{collectionId}/items/{featureId}",
    }
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 500, 100)


# -- /req/core/conformance-success ------------------------------------------------------------------


def test_conformance_lists_core_geojson_and_oas30(partner_client):
    response = partner_client.get("/ogc/conformance")
    assert response.status_code == 200
    assert set(response.json()["conformsTo"]) == {CORE, GEOJSON, OAS30}


# -- /req/core/fc-md-success, /req/core/fc-md-links, /req/core/fc-md-items, /req/core/fc-md-extent ----


def test_collections_describe_each_collection_with_links_extent_and_crs(partner_client):
    response = partner_client.get("/ogc/collections")
    assert response.status_code == 200
    document = response.json()
    assert href(document, "self") == "http://testserver/ogc/collections"
    described = {c["id"]: c for c in document["collections"]}
    assert set(described) == COLLECTIONS
    for collection_id, collection in described.items():
        assert href(collection, "items") == f"http://testserver/ogc/collections/{collection_id}/items"
        assert links(collection, "items")[0]["type"] == "application/geo+json"
        assert collection["itemType"] == "feature"
        assert collection["crs"] == [CRS84]
        spatial = collection["extent"]["spatial"]
        assert spatial["crs"] == CRS84
        ((min_lon, min_lat, max_lon, max_lat),) = spatial["bbox"]
        assert min_lon < -72.335 < max_lon and min_lat < 18.54 < max_lat  # Port-au-Prince is inside
        assert len(collection["extent"]["temporal"]["interval"][0]) == 2


def test_temporal_extent_spans_the_records_the_reader_sees(partner_client):
    author, approver = UserFactory(), UserFactory()
    for day, releasability in ((2, "partners"), (9, "public"), (20, "mission")):
        OperationReportFactory(
            author=author,
            approved_by=approver,
            status="approved",
            releasability=releasability,
            started_at=datetime(2025, 4, day, 10, 0, tzinfo=UTC),
        )
    TrainingRecordFactory(author=author, releasability="public", starts_on=date(2025, 5, 6))
    document = partner_client.get("/ogc/collections/operation-reports").json()
    assert document["extent"]["temporal"]["interval"] == [["2025-04-02T10:00:00Z", "2025-04-09T10:00:00Z"]]
    document = partner_client.get("/ogc/collections/training-records").json()
    assert document["extent"]["temporal"]["interval"] == [["2025-05-06T00:00:00Z", "2025-05-06T00:00:00Z"]]


def test_a_collection_is_described_alone(partner_client):
    response = partner_client.get("/ogc/collections/updates")
    assert response.status_code == 200
    assert response.json()["id"] == "updates"
    assert href(response.json(), "self") == "http://testserver/ogc/collections/updates"


def test_unknown_collection_is_404(partner_client):
    assert partner_client.get("/ogc/collections/posts").status_code == 404
    assert partner_client.get("/ogc/collections/posts/items").status_code == 404


# -- /req/core/fc-response, /req/geojson/content, /req/geojson/definition ----------------------------


def test_items_are_a_geojson_feature_collection(partner_client):
    reports_at((-72.3, 18.5))
    response = partner_client.get("/ogc/collections/operation-reports/items")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    document = response.json()
    assert document["type"] == "FeatureCollection"
    (feature,) = document["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-72.3, 18.5]}
    assert "title" in feature["properties"]
    assert document["timeStamp"].endswith("Z")


def test_items_are_geojson_whatever_the_client_accepts(partner_client):
    reports_at((-72.3, 18.5))
    response = partner_client.get("/ogc/collections/operation-reports/items", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"


# -- /req/core/fc-links, /req/core/fc-next-1..3, /req/core/fc-rel-type --------------------------------


def test_items_link_self_next_and_prev_and_reach_every_feature_once(partner_client):
    reports = reports_at(*[(-72.3, 18.5)] * 7)
    url = "/ogc/collections/operation-reports/items?limit=3"
    seen, pages = [], []
    while url:
        document = partner_client.get(url).json()
        pages.append(document)
        seen += [feature["id"] for feature in document["features"]]
        assert href(document, "self").endswith(url.removeprefix("http://testserver"))
        url = href(document, "next") if links(document, "next") else None
    assert seen == sorted(r.pk for r in reports)
    assert [len(p["features"]) for p in pages] == [3, 3, 1]
    assert not links(pages[0], "prev")
    assert (
        href(pages[2], "prev") == "http://testserver/ogc/collections/operation-reports/items?limit=3&offset=3"
    )
    assert href(pages[1], "prev") == "http://testserver/ogc/collections/operation-reports/items?limit=3"
    assert links(pages[1], "next")[0]["type"] == "application/geo+json"


# -- /req/core/fc-numberMatched, /req/core/fc-numberReturned ------------------------------------------


def test_number_matched_counts_every_page_and_number_returned_this_one(partner_client):
    reports_at(*[(-72.3, 18.5)] * 5)
    document = partner_client.get("/ogc/collections/operation-reports/items?limit=2").json()
    assert (document["numberMatched"], document["numberReturned"]) == (5, 2)
    document = partner_client.get("/ogc/collections/operation-reports/items?limit=2&offset=4").json()
    assert (document["numberMatched"], document["numberReturned"]) == (5, 1)


def test_number_matched_follows_every_write_and_each_readers_view_and_filters(partner_client, client_for):
    # numberMatched is kept in the read cache: a new, withdrawn or changed record moves it at once, a
    # member counts what a member sees, and each bbox or datetime has its own count.
    reports = reports_at((-72.3, 18.5), (-72.3, 18.5), (-72.0, 19.7))
    (members_only,) = reports_at((-72.3, 18.5))
    OperationReport.objects.filter(pk=members_only.pk).update(releasability="mission")
    url = "/ogc/collections/operation-reports/items"

    def matched(client, query=""):
        return client.get(f"{url}{query}").json()["numberMatched"]

    assert matched(partner_client) == 3
    assert matched(client_for("analyst")) == 4
    assert matched(partner_client, "?bbox=-72.4,18.4,-72.2,18.6") == 2
    reports_at((-72.3, 18.5))
    assert (matched(partner_client), matched(partner_client, "?bbox=-72.4,18.4,-72.2,18.6")) == (4, 3)
    reports[0].releasability = "mission"
    reports[0].save()
    assert matched(partner_client) == 3
    assert matched(partner_client, "?datetime=2025-03-01T08:00:00Z") == 3
    assert matched(partner_client, "?datetime=2024-01-01T00:00:00Z/2024-12-31T00:00:00Z") == 0


# -- /req/core/fc-limit-definition, /req/core/fc-limit-response-1 ------------------------------------


def test_limit_bounds_the_page_and_defaults_to_100(partner_client):
    reports_at(*[(-72.3, 18.5)] * 102)
    assert len(partner_client.get("/ogc/collections/operation-reports/items?limit=4").json()["features"]) == 4
    assert len(partner_client.get("/ogc/collections/operation-reports/items").json()["features"]) == 100


def test_a_limit_over_the_maximum_serves_the_maximum(partner_client):
    reports_at(*[(-72.3, 18.5)] * 3)
    response = partner_client.get("/ogc/collections/operation-reports/items?limit=100000")
    assert response.status_code == 200
    assert response.json()["numberReturned"] == 3


# -- /req/core/fc-bbox-definition, /req/core/fc-bbox-response -----------------------------------------


def test_bbox_keeps_the_features_inside_it(partner_client):
    inside, outside = reports_at((-72.3, 18.5), (-73.0, 19.0))
    document = partner_client.get(
        "/ogc/collections/operation-reports/items?bbox=-72.4,18.4,-72.2,18.6"
    ).json()
    assert [f["id"] for f in document["features"]] == [inside.pk]
    assert document["numberMatched"] == 1
    # Six numbers: heights are ignored.
    document = partner_client.get(
        "/ogc/collections/operation-reports/items?bbox=-72.4,18.4,0,-72.2,18.6,10"
    ).json()
    assert [f["id"] for f in document["features"]] == [inside.pk]
    assert outside.pk not in [f["id"] for f in document["features"]]


def test_bbox_reads_hotspot_places_of_updates(partner_client, records):
    document = partner_client.get("/ogc/collections/updates/items?bbox=-74.5,17.9,-71.6,20.1").json()
    names = {f["properties"]["post"]["text"].split()[1] for f in document["features"]}
    assert names == PARTNER_VISIBLE["updates"]
    document = partner_client.get("/ogc/collections/updates/items?bbox=0,0,1,1").json()
    assert document["features"] == []


# -- /req/core/fc-time-definition, /req/core/fc-time-response ----------------------------------------


@pytest.mark.parametrize(
    ("datetime_param", "expected"),
    [
        ("2025-03-02T08:00:00Z", {2}),  # an instant
        ("2025-03-02", {2}),  # a date: its whole day
        ("2025-03-02T00:00:00Z/2025-03-03T08:00:00Z", {2, 3}),  # a closed interval, ends included
        ("2025-03-02/2025-03-03", {2, 3}),
        ("2025-03-03T00:00:00Z/..", {3, 4}),  # open end
        ("2025-03-03T00:00:00Z/", {3, 4}),
        ("../2025-03-02T08:00:00Z", {1, 2}),  # open start
        ("/2025-03-01", {1}),
        ("2025-03-02T03:00:00-05:00/2025-03-02T03:00:00-05:00", {2}),  # 08:00 UTC, with an offset
        ("2025-03-02T08:00:00", {2}),  # no offset: UTC
        ("1740902400", {2}),  # Unix epoch seconds: 2025-03-02T08:00:00Z
    ],
)
def test_datetime_keeps_the_features_of_the_instant_or_interval(partner_client, datetime_param, expected):
    by_day = {}
    for day in (1, 2, 3, 4):
        (report,) = reports_at((-72.3, 18.5), started=datetime(2025, 3, day, 8, 0, tzinfo=UTC))
        by_day[report.pk] = day
    response = partner_client.get("/ogc/collections/operation-reports/items", {"datetime": datetime_param})
    assert response.status_code == 200, response.content
    assert {by_day[f["id"]] for f in response.json()["features"]} == expected


def test_datetime_on_dates_reads_whole_days(partner_client):
    author = UserFactory()
    records = {
        day: TrainingRecordFactory(author=author, releasability="public", starts_on=date(2025, 3, day)).pk
        for day in (1, 2, 3)
    }
    for param, expected in (
        ("2025-03-02", {2}),
        ("2025-03-02T12:00:00Z", {2}),
        ("2025-03-02T12:00:00Z/..", {2, 3}),
        ("../2025-03-02", {1, 2}),
    ):
        features = partner_client.get("/ogc/collections/training-records/items", {"datetime": param}).json()
        assert {
            day for day, pk in records.items() if pk in {f["id"] for f in features["features"]}
        } == expected


# -- /req/core/query-param-invalid, /req/core/query-param-unknown ------------------------------------


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("offset=-3", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=-72,19,-73,18", "bbox"),  # the lower latitude last
        ("bbox=-200,18,-72,19", "bbox"),
        ("datetime=yesterday", "datetime"),
        ("datetime=2025-03-05/2025-03-01", "datetime"),
        ("datetime=../..", "datetime"),
        ("datetime=2025-02-30", "datetime"),
        ("f=html", "f"),
        ("colour=red", "colour"),
        ("in_bbox=-72.4,18.4,-72.2,18.6", "in_bbox"),
    ],
)
def test_a_wrong_or_unknown_parameter_is_400_naming_it(partner_client, query, named):
    response = partner_client.get(f"/ogc/collections/operation-reports/items?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert named in response.json()


def test_an_unknown_parameter_of_the_landing_page_is_400(partner_client):
    response = partner_client.get("/ogc/?bbox=1,2,3,4")
    assert response.status_code == 400
    assert "bbox" in response.json()


# -- /req/core/f-success, /req/geojson/content: one feature -------------------------------------------


def test_a_feature_is_served_alone_with_its_links(partner_client):
    (report,) = reports_at((-72.3, 18.5))
    response = partner_client.get(f"/ogc/collections/operation-reports/items/{report.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert (feature["type"], feature["id"]) == ("Feature", report.pk)
    assert href(feature, "self") == f"http://testserver/ogc/collections/operation-reports/items/{report.pk}"
    assert href(feature, "collection") == "http://testserver/ogc/collections/operation-reports"


def test_a_hotspot_feature_is_read_by_its_slug(partner_client):
    response = partner_client.get("/ogc/collections/hotspots/items/solino")
    assert response.status_code == 200
    assert response.json()["id"] == "solino"


@pytest.mark.parametrize("feature_id", ["999999", "not-a-number"])
def test_an_unknown_feature_is_404(partner_client, feature_id):
    response = partner_client.get(f"/ogc/collections/operation-reports/items/{feature_id}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# -- each reader sees what the REST API shows it ----------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "api", "kind"),
    [
        ("operation-reports", "/api/v1/reports/", "reports"),
        ("training-records", "/api/v1/training-records/", "training"),
        ("updates", "/api/v1/updates/", "updates"),
    ],
)
def test_a_partner_sees_in_ogc_what_the_api_shows_it(partner_client, records, collection, api, kind):
    ogc = partner_client.get(f"/ogc/collections/{collection}/items").json()
    rest = partner_client.get(api).json()
    assert {f["id"] for f in ogc["features"]} == {r["id"] for r in rest["results"]}
    visible = {getattr(records, kind)[name].pk for name in PARTNER_VISIBLE[kind]}
    assert {f["id"] for f in ogc["features"]} == visible


def test_a_record_the_partner_may_not_see_is_404(partner_client, records):
    hidden = records.reports["approved_mission"]
    assert partner_client.get(f"/ogc/collections/operation-reports/items/{hidden.pk}").status_code == 404
    shown = records.reports["approved_partners"]
    assert partner_client.get(f"/ogc/collections/operation-reports/items/{shown.pk}").status_code == 200


def test_staff_see_every_report(admin_client, records):
    document = admin_client.get("/ogc/collections/operation-reports/items").json()
    assert document["numberMatched"] == OperationReport.objects.count()
    document = admin_client.get("/ogc/collections/training-records/items").json()
    assert document["numberMatched"] == TrainingRecord.objects.count()


def test_hotspots_are_the_apis_hotspots(partner_client):
    ogc = partner_client.get("/ogc/collections/hotspots/items?limit=500").json()
    rest = partner_client.get("/api/v1/hotspots/").json()
    assert {f["id"] for f in ogc["features"]} == {f["id"] for f in rest["features"]}
    assert ogc["numberMatched"] == len(rest["features"]) > 0


def test_a_role_without_the_collection_is_refused_as_by_the_api(client_for):
    # A signed-in user with no role reads no collection: 403 as on /api/v1/, and none listed.
    from django.contrib.auth import get_user_model

    from tests.api.conftest import token_client

    nobody = token_client(get_user_model().objects.create_user("nobody", "n@example.org", "pw-123456789"))
    assert nobody.get("/api/v1/reports/").status_code == 403
    assert nobody.get("/ogc/collections/operation-reports/items").status_code == 403
    assert nobody.get("/ogc/collections").json()["collections"] == []


def test_the_rest_apis_schema_leaves_ogc_to_its_own_document(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert paths and not [path for path in paths if path.startswith("/ogc")]
