"""The report workflow and new updates, seen from above: each queues its notifications' task after
the commit. The apps that send these signals know nothing of this one."""

from __future__ import annotations

from ingestion.signals import updates_created
from operations.signals import report_workflow_step

from . import services


def connect() -> None:
    report_workflow_step.connect(_report_step, dispatch_uid="notifications-report-step")
    updates_created.connect(_updates_created, dispatch_uid="notifications-updates-created")


def _report_step(sender, report, step, user, reason="", **kwargs) -> None:
    services.queue_report_step(
        report_id=report.pk, step=step, user_id=getattr(user, "pk", None), reason=reason or ""
    )


def _updates_created(sender, pks, **kwargs) -> None:
    if pks:
        services.queue_updates_created(update_ids=pks)
