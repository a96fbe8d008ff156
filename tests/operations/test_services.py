from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from operations import services
from operations.models import OperationReport
from tests.factories import OperationReportFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db


def _new_report(**fields):
    return OperationReport(
        title="Patrol in Solino",
        operation_kind="patrol",
        started_at=datetime(2025, 3, 1, tzinfo=UTC),
        **fields,
    )


def test_a_new_report_gets_its_author_and_a_reference(reporter):
    report = services.report_save(report=_new_report(), user=reporter)
    assert report.author == reporter
    assert report.reference == "OPS-2025-0001"
    assert services.report_save(report=_new_report(), user=reporter).reference == "OPS-2025-0002"


def test_an_analyst_cannot_write_reports(analyst):
    with pytest.raises(PermissionDenied):
        services.report_save(report=_new_report(), user=analyst)


def test_the_author_may_edit_a_draft(reporter):
    report = OperationReportFactory(author=reporter)
    report.title = "Corrected"
    services.report_save(report=report, user=reporter)
    report.refresh_from_db()
    assert report.title == "Corrected"


def test_another_reporter_may_not_edit_it(reporter, make_user):
    report = OperationReportFactory(author=reporter)
    with pytest.raises(PermissionDenied, match="Only the author"):
        services.report_save(report=report, user=make_user("reporter"))


def test_an_approved_report_cannot_be_changed_by_its_author(reporter, approver):
    report = OperationReportFactory(author=reporter)
    services.report_submit(report=report, user=reporter)
    services.report_approve(report=report, user=approver)
    report.title = "Changed after approval"
    with pytest.raises(PermissionDenied, match="approved report cannot be changed by its author"):
        services.report_save(report=report, user=reporter)


def test_only_approvers_approve(reporter, make_user):
    report = OperationReportFactory(author=reporter)
    services.report_submit(report=report, user=reporter)
    with pytest.raises(PermissionDenied, match="Only approvers"):
        services.report_approve(report=report, user=make_user("reporter"))


def test_nobody_approves_their_own_report(approver):
    report = OperationReportFactory(author=approver)
    services.report_submit(report=report, user=approver)
    with pytest.raises(PermissionDenied, match="your own report"):
        services.report_approve(report=report, user=approver)


def test_approval_needs_a_submitted_report(reporter, approver):
    report = OperationReportFactory(author=reporter)
    with pytest.raises(ValidationError, match="must be submitted"):
        services.report_approve(report=report, user=approver)


def test_approval_records_who_and_when(reporter, approver):
    report = OperationReportFactory(author=reporter)
    services.report_submit(report=report, user=reporter)
    services.report_approve(report=report, user=approver)
    report.refresh_from_db()
    assert (report.status, report.approved_by) == ("approved", approver)
    assert report.approved_at is not None
    assert [h.status for h in report.history.all()[:3]] == ["approved", "submitted", "draft"]


def test_saving_a_report_as_approved_directly_is_refused(reporter):
    with pytest.raises(ValidationError, match="submit it first"):
        services.report_save(report=_new_report(status="approved"), user=reporter)


def test_training_records_are_edited_by_their_author_only(reporter, make_user):
    record = TrainingRecordFactory(author=reporter)
    with pytest.raises(PermissionDenied):
        services.training_save(record=record, user=make_user("reporter"))
    record.notes = "fine"
    services.training_save(record=record, user=reporter)
