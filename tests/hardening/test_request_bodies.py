"""Request bodies at their limits: too deep or too large is a 400 or a 413 naming the problem, never a 500."""

import json

import pytest

from tests.api.conftest import token_client
from tests.factories import OperationReportFactory, TrainingRecordFactory
from webhooks import services as webhook_services

pytestmark = pytest.mark.django_db

DEEP = "[" * 2000 + "]" * 2000  # deeper than Python's recursion limit


@pytest.fixture
def writer(make_user):
    """An admin's token client, and the path of every API endpoint that reads a body."""
    admin = make_user("admin")
    report = OperationReportFactory(author=admin)
    training = TrainingRecordFactory(author=admin)
    subscription, _ = webhook_services.subscription_create(
        owner=admin, url="https://partner.example.org/hook"
    )
    client = token_client(admin)
    client.endpoints = [
        ("post", "/api/v1/reports/"),
        ("put", f"/api/v1/reports/{report.pk}/"),
        ("patch", f"/api/v1/reports/{report.pk}/"),
        ("post", "/api/v1/training-records/"),
        ("put", f"/api/v1/training-records/{training.pk}/"),
        ("patch", f"/api/v1/training-records/{training.pk}/"),
        ("post", "/api/v1/webhooks/"),
        ("put", f"/api/v1/webhooks/{subscription.pk}/"),
        ("patch", f"/api/v1/webhooks/{subscription.pk}/"),
    ]
    return client


def _send(client, method, path, body: str):
    return client.generic(method.upper(), path, body, content_type="application/json")


def test_json_nested_beyond_the_recursion_limit_is_a_400_naming_the_depth(writer):
    for method, path in writer.endpoints:
        response = _send(writer, method, path, DEEP)
        assert response.status_code == 400, (method, path, response.status_code)
        assert "nests deeper than 32 levels" in response.json()["detail"], (method, path)


def test_json_nested_beyond_the_setting_but_parseable_is_a_400(writer, settings):
    settings.API_JSON_MAX_DEPTH = 5
    body = json.dumps({"title": [[[[["too deep"]]]]]})
    response = _send(writer, "post", "/api/v1/reports/", body)
    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON body nests deeper than 5 levels of arrays and objects."


def test_json_at_the_depth_limit_reaches_the_serializer(writer, settings):
    settings.API_JSON_MAX_DEPTH = 2
    response = _send(writer, "post", "/api/v1/webhooks/", json.dumps({"url": "ftp://x", "resources": []}))
    assert response.status_code == 400
    assert "url" in response.json()  # the serializer's own answer, not the parser's


def test_a_body_larger_than_the_upload_limit_is_a_413_naming_both_sizes(writer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "x" * 2000})
    for method, path in writer.endpoints:
        response = _send(writer, method, path, body)
        assert response.status_code == 413, (method, path, response.status_code)
        detail = response.json()["detail"]
        assert f"{len(body)} bytes" in detail and "limit is 1000 bytes" in detail


def test_a_large_form_on_the_sign_in_page_is_refused_without_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    for path in ("/accounts/login/", "/admin/login/"):
        response = client.post(path, {"username": "x" * 5000, "password": "y"})
        assert response.status_code in (400, 413), (path, response.status_code)
