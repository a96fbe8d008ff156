"""The OpenAPI document and its readers: open to all, served from local files, every status documented."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_the_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= documented, (method, path)
            if method == "get":
                assert "304" in documented, path


def test_bearer_tokens_and_formats_are_documented(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    reports = schema["paths"]["/api/v1/reports/"]["get"]
    names = {p["name"] for p in reports["parameters"]}
    assert {
        "format",
        "cursor",
        "page_size",
        "updated_since",
        "in_bbox",
        "point",
        "dist",
        "hotspot",
        "q",
    } <= names
    content = reports["responses"]["200"]["content"]
    assert {"application/json", "application/geo+json", "text/csv"} <= set(content)  # HXL is a CSV profile
    assert content["application/geo+json"]["schema"]["properties"]["type"]["enum"] == ["FeatureCollection"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_their_scripts_from_this_server(path):
    response = APIClient().get(path)
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    for remote in ("cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com", "fonts.gstatic.com"):
        assert remote not in page
    # The CSP still forbids inline scripts there; only inline styles are let through.
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src


def test_the_swagger_ui_needs_no_inline_script():
    # The page's setup script is a separate file, so the Content-Security-Policy can forbid inline ones.
    page = APIClient().get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script=' in page or "?script=" in page
    script = APIClient().get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
