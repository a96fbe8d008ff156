"""Notification emails through a real SMTP server on loopback (aiosmtpd): headers, plain text in the
recipient's language. The retries when the server asks to try again later run on a real worker
(test_digest_worker.py): tasks run in-process here, where Celery does not retry."""

import pytest
from django.conf import settings

from notifications.models import NotificationPreference
from operations import services as operations
from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


def test_a_submission_reaches_the_approver_through_smtp_in_their_language(
    committed, smtp, reporter, approver
):
    NotificationPreference.objects.create(user=approver, language="fr")
    report = OperationReportFactory(author=reporter, title="Patwouy Solino")

    committed(operations.report_submit, report=report, user=reporter)

    [message] = smtp.messages
    assert message["To"] == approver.email
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert (
        message["Subject"].strip() == "Portail des opérations de la MMAS: Un rapport attend d'être approuvé"
    )
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert f"{report.reference} « Patwouy Solino » a été soumis par {reporter.username}" in body
    assert f"http://127.0.0.1:8000/admin/operations/operationreport/{report.pk}/change/" in body
