"""The daily digest through a real Celery worker and Redis, to a real SMTP server on loopback: beat's
task queues one digest per watcher, the worker sends it, and sends it again when the mail server
asks to try later."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.roles import sync_roles
from ingestion.models import Update
from notifications.choices import Frequency
from notifications.models import NotificationPreference, Watch
from notifications.tasks import send_daily_digests
from tests.factories import HotspotFactory, PostFactory, UpdateFactory
from tests.integration.conftest import broker, wait_until, worker  # noqa: F401 - fixtures
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only]


@pytest.fixture(autouse=True)
def smtp(monkeypatch):
    # Read by the worker process from its environment (it starts after this fixture); retries a
    # second apart keep the test short.
    with SmtpServer() as server:
        monkeypatch.setenv("EMAIL_URL", server.url)
        monkeypatch.setenv("EMAIL_RETRY_BASE_SECONDS", "1")
        yield server


def _yesterday(update):
    Update.objects.filter(pk=update.pk).update(created_at=timezone.now() - timedelta(hours=5))


def test_the_worker_emails_the_digest_again_after_the_server_refused_it(worker, smtp, make_user):  # noqa: F811
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    analyst = make_user("analyst")
    NotificationPreference.objects.create(user=analyst, language="ht")
    watched, other = HotspotFactory(name="Solino"), HotspotFactory(name="Fort National")
    Watch.objects.create(user=analyst, hotspot=watched, frequency=Frequency.DAILY)
    _yesterday(UpdateFactory(post=PostFactory(text="Patwouy nan Solino"), hotspots=[watched]))
    _yesterday(UpdateFactory(post=PostFactory(text="Patwouy nan Fò Nasyonal"), hotspots=[other]))
    smtp.refuse_next(1)

    send_daily_digests.delay()

    assert wait_until(lambda: smtp.messages, timeout=60), "no digest reached the SMTP server"
    assert smtp.refused == 1
    [message] = smtp.messages
    assert message["To"] == analyst.email
    assert "Rezime chak jou ou : 1 nouvo nouvèl" in message["Subject"]
    body = message.get_content()
    assert "Patwouy nan Solino" in body and "Fò Nasyonal" not in body
    assert f"/hotspots/{watched.slug}/" in body
