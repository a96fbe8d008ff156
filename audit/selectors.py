"""The audit trail: every recorded change to the mission's records, as who / when / what.

django-simple-history keeps a historical row per save of operation reports, training records,
hotspots, aliases and updates (review decisions). This module reads those rows back as one
change list, each change against the row before it, for the admin and for CSV export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models

from core.spreadsheet import csv_cell

# The models whose history is the audit trail, as app_label.ModelName.
AUDITED = (
    "operations.OperationReport",
    "operations.TrainingRecord",
    "hotspots.Hotspot",
    "hotspots.HotspotAlias",
    "ingestion.Update",
)
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
CSV_COLUMNS = ["when", "who", "action", "model", "object_id", "object", "changed_fields", "changes", "reason"]
_MAX_VALUE = 200


@dataclass(frozen=True)
class Change:
    """One recorded change of one record."""

    when: datetime
    who: str
    action: str
    model: str
    object_id: str
    object: str
    changed_fields: list[str]
    changes: str
    reason: str

    def as_row(self) -> list[str]:
        return [
            self.when.isoformat(),
            self.who,
            self.action,
            self.model,
            self.object_id,
            self.object,
            ", ".join(self.changed_fields),
            self.changes,
            self.reason,
        ]


def history_model(label: str) -> type[models.Model]:
    """The historical model of an audited model, e.g. 'ingestion.Update'."""
    if label not in AUDITED:
        raise LookupError(f"{label} has no audit trail; choose one of {', '.join(AUDITED)}.")
    return apps.get_model(label).history.model


def _short(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _record_name(row) -> str:
    """The record as it read then (its own __str__), not simple-history's "... as of <date>"."""
    try:
        return str(row.instance)
    except Exception:  # a model whose __str__ needs a relation that is gone
        return f"{row.instance_type._meta.verbose_name} {row.id}"


def describe(record, previous) -> tuple[list[str], str]:
    """The fields a historical row changed against the row before it, and a readable summary."""
    if previous is None:
        return [], ""
    delta = record.diff_against(previous)
    names = [change.field for change in delta.changes]
    summary = "; ".join(f"{c.field}: {_short(c.old)} → {_short(c.new)}" for c in delta.changes)
    return names, summary


def changes(
    *,
    labels: Iterable[str] = AUDITED,
    since: datetime | None = None,
    until: datetime | None = None,
    records: models.QuerySet | None = None,
) -> Iterator[Change]:
    """The recorded changes, model by model, oldest first within each record.

    ``records`` narrows one model's history to a queryset of its historical rows (the admin's
    selection); the row before each is still read, so the first change shown has its diff.
    """
    for label in [records.model.instance_type._meta.label] if records is not None else labels:
        model = history_model(label)
        rows = records if records is not None else model.objects.all()
        if since is not None:
            rows = rows.filter(history_date__gte=since)
        if until is not None:
            rows = rows.filter(history_date__lt=until)
        rows = rows.select_related("history_user").order_by("id", "history_date", "history_id")
        previous = None
        for row in rows.iterator(chunk_size=500):
            if previous is None or previous.id != row.id:
                previous = row.prev_record if row.history_type != "+" else None
            names, summary = describe(row, previous)
            user = row.history_user
            yield Change(
                when=row.history_date,
                who=user.get_username() if user is not None else "",
                action=ACTIONS.get(row.history_type, row.history_type),
                model=label,
                object_id=str(row.id),
                object=_short(_record_name(row)),
                changed_fields=names,
                changes=summary,
                reason=row.history_change_reason or "",
            )
            previous = row


def write_csv(stream, rows: Iterable[Change]) -> int:
    """Write the changes as CSV with a header row; returns how many were written."""
    import csv

    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for change in rows:
        writer.writerow([csv_cell(cell) for cell in change.as_row()])
        count += 1
    return count
