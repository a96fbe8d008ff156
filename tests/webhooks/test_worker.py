"""Webhooks through a real Celery worker and Redis: fan-out, signed POSTs, retries after failures."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import sync_roles
from operations import services as operations
from tests.factories import OperationReportFactory
from tests.integration.conftest import broker, wait_until, worker  # noqa: F401 - fixtures
from webhooks import services
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only]


@pytest.fixture(autouse=True)
def _worker_may_call_loopback(monkeypatch):
    # Read by the worker process from its environment; retries a second apart keep the test short.
    monkeypatch.setenv("WEBHOOK_ALLOW_HTTP", "true")
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "1")


def test_a_released_report_reaches_the_partner_after_two_failures(worker, receiver, make_user):  # noqa: F811
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    partner = make_user("partner")
    _, receiver.secret = services.subscription_create(owner=partner, url=f"{receiver.url}/hook")
    receiver.fail_next(2, status=503)

    author, approver = make_user("reporter"), make_user("approver")
    report = OperationReportFactory(author=author, releasability="public")
    operations.report_submit(report=report, user=author)
    operations.report_approve(report=report, user=approver)

    assert wait_until(lambda: WebhookDelivery.objects.filter(status="delivered").exists(), timeout=60)
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 3
    assert [a.status_code for a in delivery.attempts_made.order_by("at", "id")] == [503, 503, 200]
    [event] = receiver.events
    assert (event["event"], event["id"]) == ("created", str(report.pk))
