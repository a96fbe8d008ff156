"""HTTP around the data: conditional GETs (ETag, Last-Modified, 304), throttling (429), gzip."""

import gzip
import json

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils.http import http_date

from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db


def test_a_repeated_get_with_the_etag_is_not_modified(client_for):
    client = client_for("analyst")
    OperationReportFactory()
    first = client.get("/api/v1/reports/")
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/reports/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    # gzip makes the tag weak on the way out; the weak form matches too.
    assert client.get("/api/v1/reports/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304


def test_a_change_changes_the_etag(client_for):
    client = client_for("analyst")
    report = OperationReportFactory()
    etag = client.get("/api/v1/reports/")["ETag"]
    report.title = "changed"
    report.save()
    response = client.get("/api/v1/reports/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_the_etag_depends_on_who_asks(client_for, make_user):
    report = OperationReportFactory(
        status="approved", approved_by=make_user("approver"), releasability="public"
    )
    analyst = client_for("analyst").get(f"/api/v1/reports/{report.pk}/")
    partner = client_for("partner").get(f"/api/v1/reports/{report.pk}/")
    assert analyst["ETag"] != partner["ETag"]  # the partner is not shown staff names
    assert "Authorization" in analyst["Vary"]
    export = client_for("partner").get("/api/v1/reports/", HTTP_ACCEPT="text/csv")
    assert export.streaming and "Authorization" in export["Vary"]  # a streamed export depends on who asks too


def test_one_record_has_a_last_modified_and_answers_if_modified_since(client_for):
    client = client_for("analyst")
    report = OperationReportFactory()
    response = client.get(f"/api/v1/reports/{report.pk}/")
    assert response["Last-Modified"] == http_date(report.updated_at.timestamp())
    again = client.get(f"/api/v1/reports/{report.pk}/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    older = http_date(report.updated_at.timestamp() - 60)
    assert client.get(f"/api/v1/reports/{report.pk}/", HTTP_IF_MODIFIED_SINCE=older).status_code == 200


@pytest.fixture(params=["local-memory", "redis"])
def throttle_cache(request):
    """DRF's throttle counts in either cache: memory, or Redis as in production."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


def _rates(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": rate, "anon": rate},
    }


@pytest.mark.usefixtures("throttle_cache")
def test_too_many_requests_answer_429_with_retry_after(client_for, settings):
    _rates(settings, "3/minute")
    client = client_for("partner")
    statuses = [client.get("/api/v1/contingents/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/contingents/")
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


@pytest.mark.usefixtures("throttle_cache")
def test_a_signed_in_browser_is_throttled_too_and_each_user_has_a_budget(client_for, settings):
    _rates(settings, "2/minute")
    first, second = client_for("analyst"), client_for("analyst")
    assert [first.get("/api/v1/contingents/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/v1/contingents/").status_code == 200


@pytest.mark.usefixtures("throttle_cache")
def test_the_tokens_of_one_user_share_its_budget(client_for, settings, make_user):
    from tests.api.conftest import token_client

    _rates(settings, "2/minute")
    user = make_user("partner")
    first, second = token_client(user), token_client(user)
    assert [first.get("/api/v1/contingents/").status_code for _ in range(2)] == [200, 200]
    assert second.get("/api/v1/contingents/").status_code == 429


def test_without_the_cache_requests_are_let_through_unthrottled(unreachable_cache, client_for, caplog):
    # Inside unreachable_cache's override (not the settings fixture, which would undo it out of order).
    rates = {"user": "1/minute", "anon": "1/minute"}
    with override_settings(
        REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        client = client_for("partner")
        assert [client.get("/api/v1/contingents/").status_code for _ in range(3)] == [200, 200, 200]
    assert "request rates cannot be checked (cache unavailable)" in caplog.text


def test_responses_are_gzipped_for_clients_that_accept_it(client_for):
    client = client_for("analyst")
    for _ in range(5):
        OperationReportFactory(summary="A long summary of what happened. " * 20)
    response = client.get("/api/v1/reports/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["results"]
    csv_export = client.get("/api/v1/reports/?format=csv", HTTP_ACCEPT_ENCODING="gzip")
    assert csv_export["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(csv_export.streaming_content)).startswith(b"id,reference")
