"""No input gives a 500: every list endpoint's parameters (as the OpenAPI document lists them), every
write's body (each field of its request schema), the OGC items' parameters and every analyst page's
query string, driven by hypothesis with dates, numbers and strings at their limits, for a member and
a partner, on PostGIS and SpatiaLite."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.api.conftest import session_client, token_client
from tests.factories import OperationReportFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db

# Values at the edges of what each kind of parameter reads, and text a careless user or an
# attacker sends.
EDGE_TIMES = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "1999-12-31T23:59:59Z",
    "2000-01-01T00:00:00",
    "2026-02-30",
    "1970-01-01T00:00:00Z",
    "99999999999",
    "-1",
    "1e308",
    "2025-03-01T12:00:00+99:00",
]
EDGE_NUMBERS = [
    "0",
    "-0",
    "-1",
    "1",
    "2147483648",
    "9223372036854775808",
    "1e308",
    "NaN",
    "inf",
    "0x10",
    "1_000",
]
EDGE_TEXT = [
    "",
    " ",
    "%",
    "%00",
    "'",
    '"',
    "\\",
    "=cmd|' /C calc'!A0",
    "é" * 300,
    "x" * 5000,
    "HT",
    "HT01-",
    "<b>",
]
VALUES = st.one_of(
    st.sampled_from(EDGE_TIMES + EDGE_NUMBERS + EDGE_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

PAGES = [
    "/",
    "/updates/",
    "/dashboard/",
    "/briefing/",
    "/hotspots/solino/",
    "/map/data/activity/",
    "/map/data/weekly/",
]
PAGE_PARAMS = [
    *("period", "from", "to", "week", "kind", "contingent", "place", "area", "page"),
    *("published_after", "published_before", "hotspot", "official", "review_state"),
]
OGC_ITEMS = [
    "/ogc/collections/updates/items",
    "/ogc/collections/reports/items",
    "/ogc/collections/hotspots/items",
]
OGC_PARAMS = ["bbox", "datetime", "limit", "offset", "f"]

# Derandomized: the same examples on every run, so that CI is repeatable.
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _list_endpoints(client: APIClient) -> dict[str, list[str]]:
    """Every GET collection of the API with its query parameters, from its own OpenAPI document."""
    schema = client.get("/api/schema/?format=json").json()
    endpoints = {}
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        endpoints[path] = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"]
    return endpoints


def _assert_no_server_error(client, path: str, query: dict) -> None:
    url = f"{path}?{urlencode(query, doseq=True)}"
    response = client.get(url)
    assert response.status_code < 500, f"{url} answered {response.status_code}"


@pytest.fixture
def readers(make_user):
    return {
        "analyst": token_client(make_user("analyst")),
        "partner": token_client(make_user("partner")),
    }


def test_every_list_endpoint_takes_any_parameter_without_a_500(readers):
    endpoints = _list_endpoints(readers["analyst"])
    assert len(endpoints) >= 8  # reports, training records, updates, posts, ... as the schema lists them

    @EXAMPLES
    @given(data=st.data())
    def check(data):
        path = data.draw(st.sampled_from(sorted(endpoints)), label="path")
        names = endpoints[path] or ["format"]
        chosen = data.draw(
            st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label="names"
        )
        query = {name: data.draw(VALUES, label=name) for name in chosen}
        reader = data.draw(st.sampled_from(sorted(readers)), label="reader")
        _assert_no_server_error(readers[reader], path, query)

    check()


def test_every_page_takes_any_query_string_without_a_500(make_user):
    member = session_client(make_user("analyst"))

    @EXAMPLES
    @given(
        path=st.sampled_from(PAGES),
        query=st.dictionaries(st.sampled_from(PAGE_PARAMS), VALUES, min_size=1, max_size=4),
    )
    def check(path, query):
        _assert_no_server_error(member, path, query)

    check()


def test_every_ogc_items_request_takes_any_parameter_without_a_500(readers):
    @EXAMPLES
    @given(
        path=st.sampled_from(OGC_ITEMS),
        query=st.dictionaries(st.sampled_from(OGC_PARAMS), VALUES, min_size=1, max_size=3),
        reader=st.sampled_from(["analyst", "partner"]),
    )
    def check(path, query, reader):
        _assert_no_server_error(readers[reader], path, query)

    check()


# JSON values of every type at their limits, for the fields of a request body.
BODY_VALUES = st.one_of(
    VALUES,
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63), 10**30, 1e308, -1e308, 0.5, True, False, None]),
    st.lists(VALUES, max_size=3),
    st.dictionaries(st.sampled_from(["type", "coordinates", "x"]), VALUES, max_size=2),
)


def _writes(client: APIClient, ids: dict[str, int]) -> dict[tuple[str, str], list[str]]:
    """Every POST, PUT and PATCH of the API with the fields of its JSON body, from the OpenAPI
    document; a path's `{id}` is one of the writer's own records."""
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    writes = {}
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch"):
            operation = operations.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            fields = sorted(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
            resource = path.split("/")[3]  # /api/v1/<resource>/...
            if "{" in path:
                if resource not in ids:
                    continue
                path = path.replace("{id}", str(ids[resource]))
            writes[(method, path)] = fields or ["x"]
    return writes


def test_every_write_takes_any_body_without_a_500(make_user):
    staff, partner = make_user("approver"), make_user("partner")
    writers = {"staff": token_client(staff), "partner": token_client(partner)}
    own = {
        "reports": OperationReportFactory(author=staff, status="draft").pk,
        "training-records": TrainingRecordFactory(author=staff).pk,
    }
    created = writers["partner"].post(
        "/api/v1/webhooks/", {"url": "https://partner.example.org/hook"}, format="json"
    )
    if created.status_code == 201:
        own["webhooks"] = created.json()["id"]
    writes = _writes(writers["staff"], own)
    assert ("post", "/api/v1/reports/") in writes and ("post", "/api/v1/webhooks/") in writes

    @EXAMPLES
    @given(data=st.data())
    def check(data):
        method, path = data.draw(st.sampled_from(sorted(writes)), label="write")
        chosen = data.draw(
            st.lists(st.sampled_from(writes[(method, path)]), min_size=1, max_size=4, unique=True),
            label="fields",
        )
        body = {name: data.draw(BODY_VALUES, label=name) for name in chosen}
        writer = writers["partner" if "/webhooks/" in path else "staff"]
        response = getattr(writer, method)(path, body, format="json")
        assert response.status_code < 500, f"{method.upper()} {path} {body!r} answered {response.status_code}"

    check()
