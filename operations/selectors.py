"""Reads shared by the API, the webhooks and the pages: who may see which report or training record."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.roles import RELEASABLE_PERMISSION

from .choices import Releasability, ReportStatus
from .models import Contingent, OperationReport, TrainingRecord

RELEASED_LEVELS = (Releasability.PUBLIC, Releasability.PARTNERS)

# A partner sees an approved report released to partners or the public: a draft may still change.
REPORT_RELEASED = Q(status=ReportStatus.APPROVED, releasability__in=RELEASED_LEVELS)
TRAINING_RELEASED = Q(releasability__in=RELEASED_LEVELS)


def reports_visible_to(user) -> QuerySet[OperationReport]:
    """Every report for mission members; what is released for partners; nothing for anyone else."""
    reports = OperationReport.objects.all()
    if user.has_perm("operations.view_operationreport"):
        return reports
    if user.has_perm(RELEASABLE_PERMISSION):
        return reports.filter(REPORT_RELEASED)
    return reports.none()


def training_visible_to(user) -> QuerySet[TrainingRecord]:
    """Every training record for mission members; what is released for partners; nothing otherwise."""
    records = TrainingRecord.objects.all()
    if user.has_perm("operations.view_trainingrecord"):
        return records
    if user.has_perm(RELEASABLE_PERMISSION):
        return records.filter(TRAINING_RELEASED)
    return records.none()


def contingents_visible_to(user) -> QuerySet[Contingent]:
    """Contingents are public knowledge: every reader sees them all."""
    if user.has_perm("operations.view_contingent") or user.has_perm(RELEASABLE_PERMISSION):
        return Contingent.objects.all()
    return Contingent.objects.none()


def report_is_released(pk: int) -> bool:
    return OperationReport.objects.filter(REPORT_RELEASED, pk=pk).exists()


def training_is_released(pk: int) -> bool:
    return TrainingRecord.objects.filter(TRAINING_RELEASED, pk=pk).exists()
