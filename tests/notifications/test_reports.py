"""The report workflow tells approvers of a submission and authors of a decision, in the portal and
by email (Django's locmem backend), as each chose, in their language, and only if they may read it."""

import pytest
from django.core import mail

from notifications.choices import Kind
from notifications.models import Notification, NotificationPreference
from notifications.selectors import notifications_for
from operations import services as operations
from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db


def _submitted(committed, author):
    report = OperationReportFactory(author=author, title="Patrol in Solino")
    committed(operations.report_submit, report=report, user=author)
    return report


def test_a_submitted_report_reaches_every_approver_but_not_its_author(committed, reporter, make_user):
    approvers = [make_user("approver"), make_user("approver")]
    analyst, other_reporter = make_user("analyst"), make_user("reporter")

    report = _submitted(committed, reporter)

    told = Notification.objects.filter(kind=Kind.REPORT_SUBMITTED, report=report)
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(a.username for a in approvers)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in approvers)
    assert analyst.email not in [m.to[0] for m in mail.outbox]
    assert other_reporter.email not in [m.to[0] for m in mail.outbox]
    assert reporter.email not in [m.to[0] for m in mail.outbox]
    message = mail.outbox[0]
    assert report.reference in message.body and "Patrol in Solino" in message.body
    assert f"/admin/operations/operationreport/{report.pk}/change/" in message.body
    assert message.message().get_content_type() == "text/plain"


def _send_back(report, user):
    return operations.report_send_back(report=report, user=user, reason="Add the units")


def _reject(report, user):
    return operations.report_reject(report=report, user=user, reason="Duplicate")


def _approve(report, user):
    return operations.report_approve(report=report, user=user)


@pytest.mark.parametrize(
    ("decide", "kind", "words"),
    [
        (_send_back, Kind.REPORT_SENT_BACK, "sent back to you by"),
        (_reject, Kind.REPORT_REJECTED, "rejected by"),
        (_approve, Kind.REPORT_APPROVED, "approved by"),
    ],
)
def test_the_author_hears_of_the_decision_with_its_reason(committed, reporter, approver, decide, kind, words):
    report = _submitted(committed, reporter)
    mail.outbox.clear()

    committed(decide, report, approver)

    notification = Notification.objects.get(recipient=reporter)
    assert notification.kind == kind
    assert words in notification.summary() and approver.username in notification.summary()
    [message] = mail.outbox
    assert message.to == [reporter.email]
    assert notification.summary() in message.body
    assert not Notification.objects.filter(recipient=approver, kind=kind).exists()


def test_the_reason_is_in_the_notification(committed, reporter, approver):
    report = _submitted(committed, reporter)
    committed(operations.report_send_back, report=report, user=approver, reason="Add the HNP units")
    assert Notification.objects.get(recipient=reporter).summary().endswith(": Add the HNP units")


def test_an_email_is_in_the_recipients_language(committed, reporter, approver):
    NotificationPreference.objects.create(user=approver, language="fr")
    NotificationPreference.objects.create(user=reporter, language="ht")

    report = _submitted(committed, reporter)
    [to_approver] = mail.outbox
    assert "a été soumis par" in to_approver.body
    committed(operations.report_approve, report=report, user=approver)
    to_author = mail.outbox[-1]
    assert "apwouve pa" in to_author.body


def test_a_member_who_turned_a_channel_off_is_not_told_by_it(committed, reporter, approver, make_user):
    portal_only = approver
    email_only = make_user("approver")
    NotificationPreference.objects.create(user=portal_only, muted=[f"email:{Kind.REPORT_SUBMITTED}"])
    NotificationPreference.objects.create(user=email_only, muted=[f"portal:{Kind.REPORT_SUBMITTED}"])

    _submitted(committed, reporter)

    assert list(Notification.objects.values_list("recipient", flat=True)) == [portal_only.pk]
    assert [m.to for m in mail.outbox] == [[email_only.email]]


def test_an_author_who_may_no_longer_read_reports_is_told_nothing(committed, reporter, approver):
    report = _submitted(committed, reporter)
    reporter.groups.clear()  # the role was taken away while the report waited

    committed(operations.report_approve, report=report, user=approver)

    assert not Notification.objects.filter(recipient=reporter).exists()
    assert reporter.email not in [m.to[0] for m in mail.outbox]


def test_a_notification_leaves_the_list_of_a_member_who_may_no_longer_read_its_report(
    committed, reporter, approver
):
    _submitted(committed, reporter)
    assert notifications_for(approver).count() == 1
    approver.groups.clear()
    approver = type(approver).objects.get(pk=approver.pk)  # permissions are cached on the instance
    assert notifications_for(approver).count() == 0


def test_the_email_is_not_sent_when_the_record_left_the_readers_sight_before_it_went(reporter, approver):
    from notifications.services import email_send

    report = OperationReportFactory(author=reporter)
    approver.groups.clear()
    assert email_send(user_id=approver.pk, kind=Kind.REPORT_SUBMITTED, report_id=report.pk) is False
    assert mail.outbox == []


def test_a_title_with_markup_reaches_the_email_as_plain_text(committed, reporter, approver):
    report = OperationReportFactory(author=reporter, title="<b>Solino</b> & co")
    committed(operations.report_submit, report=report, user=reporter)
    [message] = mail.outbox
    assert "“<b>Solino</b> & co”" in message.body
