"""/healthz and /readyz, and a database outage answering 503 instead of a traceback."""

import json
import logging

import pytest
from django.db import OperationalError
from django.test import override_settings

from mss_portal import health


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test ("Database access not allowed").
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_a_probe_sent_to_the_pod_address(client):
    # The Host is the pod's IP, which ALLOWED_HOSTS does not list.
    assert client.get("/healthz", HTTP_HOST="10.42.0.7:8000").status_code == 200


@pytest.mark.django_db
def test_readyz_is_ready_with_the_embedded_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "broker": "skipped", "worker": "skipped"}
    assert body["failed"] == []


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_TASK_ALWAYS_EAGER=False)
def test_readyz_names_an_unreachable_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["worker"] == "skipped"  # no broker, no ping
    assert body["duration_ms"] < 5000


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/9", CELERY_TASK_ALWAYS_EAGER=False)
def test_readyz_names_a_missing_worker(client, monkeypatch):
    monkeypatch.setattr(health, "check_worker", lambda: health.FAILED)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["broker"] == "ok"  # the machine's Redis answered


def test_readyz_names_an_unreachable_database(client, monkeypatch):
    monkeypatch.setattr(health, "connections", {"default": _BrokenConnection()})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")

    def close(self):
        pass


@override_settings(ROOT_URLCONF="tests.hardening.urls_db_errors")
@pytest.mark.parametrize("path", ["/api/v1/things/", "/api/v1/closed/"])
def test_a_database_error_in_an_api_view_answers_503_json(client, path):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "database_unavailable"
    assert response["Retry-After"] == "10"
    assert b"Traceback" not in response.content


@override_settings(ROOT_URLCONF="tests.hardening.urls_db_errors")
def test_a_database_error_on_a_page_answers_a_plain_503_page(client):
    response = client.get("/page/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"cannot reach its database" in response.content


@override_settings(ROOT_URLCONF="tests.hardening.urls_db_errors")
def test_a_page_asked_for_as_json_gets_json(client):
    response = client.get("/page/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "database_unavailable"


@override_settings(ROOT_URLCONF="tests.hardening.urls_db_errors", DEBUG=True)
def test_no_debug_page_even_with_debug_on(client):
    response = client.get("/api/v1/things/")
    assert response.status_code == 503
    assert b"Traceback" not in response.content


@override_settings(ROOT_URLCONF="tests.hardening.urls_db_errors")
def test_other_errors_stay_server_errors(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/bug/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error.", "code": "server_error"}


class _FailingSessionMiddleware:
    """Raises as SessionMiddleware does when it saves a session after the database went away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("terminating connection due to administrator command")


def test_a_database_error_in_middleware_answers_503_too(client, settings):
    settings.ROOT_URLCONF = "tests.hardening.urls_db_errors"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.hardening.test_health._FailingSessionMiddleware"]
    client.raise_request_exception = False
    response = client.get("/api/v1/bug/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"


@override_settings(ROOT_URLCONF="tests.hardening.urls_db_errors")
def test_the_503_logs_the_databases_own_words(client, caplog):
    with caplog.at_level(logging.WARNING, logger="mss_portal.middleware"):
        assert client.get("/api/v1/things/").status_code == 503
    (record,) = [r for r in caplog.records if r.name == "mss_portal.middleware"]
    assert record.getMessage() == (
        "database unavailable: GET /api/v1/things/ answered 503: "
        "OperationalError: server closed the connection unexpectedly"
    )


def test_a_503_from_middleware_logs_its_cause_too(client, settings, caplog):
    settings.ROOT_URLCONF = "tests.hardening.urls_db_errors"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.hardening.test_health._FailingSessionMiddleware"]
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING, logger="mss_portal.middleware"):
        assert client.get("/api/v1/bug/").status_code == 503
    messages = [r.getMessage() for r in caplog.records if r.name == "mss_portal.middleware"]
    assert any("terminating connection due to administrator command" in m for m in messages)
