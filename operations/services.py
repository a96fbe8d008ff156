"""The rules for writing operation reports and training records.

The admin and the API both go through these functions, so the rules hold whatever the door.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ReportStatus
from .models import Contingent, OperationReport, TrainingRecord
from .signals import report_workflow_step

APPROVE_PERMISSION = "operations.approve_operationreport"


def user_is_approver(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(APPROVE_PERMISSION))


def approvers():
    """The users `user_is_approver` says yes to: active admins, and active holders of the approve
    permission through a role or their own."""
    app_label, codename = APPROVE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
        )
        .distinct()
    )


def report_edit_refusal(*, report: OperationReport, user) -> str | None:
    """Why this user may not change this report, or None when they may."""
    if user.is_superuser:
        return None
    if not user.has_perm("operations.change_operationreport"):
        return _("You do not have permission to change operation reports.")
    if report.author_id == user.pk:
        if report.status == ReportStatus.APPROVED:
            return _("An approved report cannot be changed by its author; ask an approver.")
        if report.status == ReportStatus.REJECTED:
            return _("A rejected report is closed: its author cannot change it; an approver can.")
        return None
    if user_is_approver(user):
        return None
    return _("Only the author of a report or an approver may change it.")


def _next_reference(started_at) -> str:
    year = (started_at or timezone.now()).year
    prefix = f"OPS-{year}-"
    last = (
        OperationReport.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def report_save(
    *,
    report: OperationReport,
    user,
    hotspots: Iterable | None = None,
    contingents: Iterable[Contingent] | None = None,
) -> OperationReport:
    """Validate and save a new or changed report; the author of a new report is the user."""
    if report.pk is None:
        if not (user.is_superuser or user.has_perm("operations.add_operationreport")):
            raise PermissionDenied(_("You do not have permission to add operation reports."))
        report.author = user
        if report.status == ReportStatus.APPROVED:
            raise ValidationError({"status": _("A new report cannot be approved directly; submit it first.")})
    else:
        stored = OperationReport.objects.select_for_update().get(pk=report.pk)
        refusal = report_edit_refusal(report=stored, user=user)
        if refusal:
            raise PermissionDenied(refusal)
        if report.status == ReportStatus.APPROVED and stored.status != ReportStatus.APPROVED:
            raise ValidationError({"status": _("Use the Approve button: only approvers approve.")})
    if not report.reference:
        report.reference = _next_reference(report.started_at)
    report.full_clean()
    report.save()
    if hotspots is not None:
        report.hotspots.set(hotspots)
    if contingents is not None:
        report.contingents.set(contingents)
    return report


def report_actions(*, report: OperationReport, user) -> list[str]:
    """The workflow steps this user may take on this report now: "submit", or "approve",
    "send_back" and "reject" (approvers, on others' submitted reports)."""
    if report.status == ReportStatus.DRAFT and (report.author_id == user.pk or user_is_approver(user)):
        return ["submit"]
    if report.status == ReportStatus.SUBMITTED and user_is_approver(user) and report.author_id != user.pk:
        return ["approve", "send_back", "reject"]
    return []


def reports_waiting_for(user) -> Q:
    """The reports that wait for this user: others' submitted reports for an approver (to approve,
    send back or reject), one's own drafts for an author (to finish and submit, or to correct after
    a send-back)."""
    if user_is_approver(user):
        return Q(status=ReportStatus.SUBMITTED) & ~Q(author=user)
    return Q(status=ReportStatus.DRAFT, author=user)


def report_last_decision(*, report: OperationReport):
    """The approver's last send-back or rejection of this report, while it stands (the report is a
    draft again, or rejected): the historical row carrying the reason, its user and date; or None."""
    if report.status not in (ReportStatus.DRAFT, ReportStatus.REJECTED):
        return None
    return (
        report.history.exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


def _decide(*, report: OperationReport, user, reason: str, status: str) -> OperationReport:
    if not user_is_approver(user):
        raise PermissionDenied(_("Only approvers may send back or reject operation reports."))
    if report.author_id == user.pk:
        raise PermissionDenied(_("You cannot decide on your own report; another approver must."))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("%(reference)s is not waiting for approval: it is %(status)s.")
            % {"reference": report.reference, "status": report.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the author a reason."))
    report.status = status
    report.submitted_at = None if status == ReportStatus.DRAFT else report.submitted_at
    report._change_reason = reason  # kept in the report's history (simple_history)
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    step = "sent_back" if status == ReportStatus.DRAFT else "rejected"
    report_workflow_step.send(sender=OperationReport, report=report, step=step, user=user, reason=reason)
    return report


@transaction.atomic
def report_send_back(*, report: OperationReport, user, reason: str) -> OperationReport:
    """An approver returns a submitted report to its author as a draft, saying why."""
    return _decide(report=report, user=user, reason=reason, status=ReportStatus.DRAFT)


@transaction.atomic
def report_reject(*, report: OperationReport, user, reason: str) -> OperationReport:
    """An approver closes a submitted report without approving it, saying why."""
    return _decide(report=report, user=user, reason=reason, status=ReportStatus.REJECTED)


@transaction.atomic
def report_submit(*, report: OperationReport, user) -> OperationReport:
    """A draft goes to the approvers."""
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            _("%(reference)s is not a draft: it is %(status)s.")
            % {"reference": report.reference, "status": report.get_status_display().lower()}
        )
    if report.author_id != user.pk and not user_is_approver(user):
        raise PermissionDenied(_("Only the author or an approver may submit a report."))
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    report_workflow_step.send(sender=OperationReport, report=report, step="submitted", user=user, reason="")
    return report


@transaction.atomic
def report_approve(*, report: OperationReport, user) -> OperationReport:
    """An approver approves a submitted report; nobody approves their own (four eyes)."""
    if not user_is_approver(user):
        raise PermissionDenied(_("Only approvers may approve operation reports."))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("%(reference)s must be submitted before it is approved.") % {"reference": report.reference}
        )
    if report.author_id == user.pk:
        raise PermissionDenied(_("You cannot approve your own report; another approver must."))
    report.status = ReportStatus.APPROVED
    report.approved_by = user
    report.approved_at = timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    report_workflow_step.send(sender=OperationReport, report=report, step="approved", user=user, reason="")
    return report


def training_edit_refusal(*, record: TrainingRecord, user) -> str | None:
    """Why this user may not change this training record, or None when they may."""
    if user.is_superuser:
        return None
    if not user.has_perm("operations.change_trainingrecord"):
        return _("You do not have permission to change training records.")
    if record.author_id == user.pk or user_is_approver(user):
        return None
    return _("Only the author of a training record or an approver may change it.")


@transaction.atomic
def training_save(
    *, record: TrainingRecord, user, providing_contingents: Iterable[Contingent] | None = None
) -> TrainingRecord:
    """Validate and save a new or changed training record."""
    if record.pk is None:
        if not (user.is_superuser or user.has_perm("operations.add_trainingrecord")):
            raise PermissionDenied(_("You do not have permission to add training records."))
        record.author = user
    else:
        stored = TrainingRecord.objects.get(pk=record.pk)
        refusal = training_edit_refusal(record=stored, user=user)
        if refusal:
            raise PermissionDenied(refusal)
    record.full_clean()
    record.save()
    if providing_contingents is not None:
        record.providing_contingents.set(providing_contingents)
    return record
