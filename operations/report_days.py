"""Operation reports per hotspot and day (UTC): the map counts weeks of reports by reading days.

The map's first request counts, for every hotspot, the reports of the last days: at a million
reports, a week is ~19,000 of them to look up one by one. `HotspotReportDay` holds those counts per
hotspot and day, kept up to date here:

- a report saved with a start on another day, its hotspots added, removed or cleared (from either
  side), or the report deleted: the (hotspot, day) cells it touches are counted again from the
  reports themselves, in the same transaction, with the hotspots' rows locked so that two
  transactions counting one cell do so one after the other;
- bulk loads that send no signals (seed_demo) call `rebuild()`, and so can staff
  (`manage.py rebuild_report_days`) if rows were ever changed behind Django's back.

`counts_since` answers the map's question for members, who see every report; any other filter
or reader is answered from the reports themselves (analysis/activity.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncDate
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from hotspots.models import Hotspot

from .models import HotspotReportDay, OperationReport

_LINK = OperationReport.hotspots.through
_OLD_DAY = "_report_days_old_day"
_CELLS = "_report_days_cells"


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def refresh(cells) -> None:
    """Count again the reports of these (hotspot id, day) cells, from the reports themselves."""
    by_day: dict[date, set[int]] = {}
    for hotspot_id, day in cells:
        by_day.setdefault(day, set()).add(hotspot_id)
    if not by_day:
        return
    with transaction.atomic():
        _count_again(by_day)


def _count_again(by_day: dict[date, set[int]]) -> None:
    # One transaction at a time per hotspot: the second counts once the first has committed.
    list(
        Hotspot.objects.select_for_update()
        .filter(pk__in=set().union(*by_day.values()))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for day, hotspot_ids in by_day.items():
        counted = (
            _LINK.objects.filter(
                hotspot_id__in=hotspot_ids,
                operationreport__started_at__gte=midnight(day),
                operationreport__started_at__lt=midnight(day + timedelta(days=1)),
            )
            .values("hotspot_id")
            .annotate(n=Count("*"), last=Max("operationreport__started_at"))
        )
        HotspotReportDay.objects.filter(day=day, hotspot_id__in=hotspot_ids).delete()
        HotspotReportDay.objects.bulk_create(
            HotspotReportDay(
                hotspot_id=row["hotspot_id"], day=day, reports=row["n"], last_started_at=row["last"]
            )
            for row in counted
        )


@transaction.atomic
def rebuild(*, link=_LINK, cell=HotspotReportDay) -> int:
    """Count every cell again from all the reports (after a bulk load). Returns how many cells.

    ``link`` and ``cell``: the models, or a migration's historical ones.
    """
    cell.objects.all().delete()
    counted = (
        link.objects.annotate(day=TruncDate("operationreport__started_at", tzinfo=UTC))
        .values("hotspot_id", "day")
        .annotate(n=Count("*"), last=Max("operationreport__started_at"))
        .order_by()
    )
    cells = cell.objects.bulk_create(
        (
            cell(hotspot_id=row["hotspot_id"], day=row["day"], reports=row["n"], last_started_at=row["last"])
            for row in counted.iterator(chunk_size=10_000)
        ),
        batch_size=5_000,
    )
    return len(cells)


def counts_since(start: datetime) -> dict[int, tuple[int, datetime]]:
    """Every report started at or after ``start`` (future ones included), per hotspot: (count, latest).

    Whole days come from the cells. ``start``'s own day is cut at ``start``, from whichever side
    of it is shorter: in the afternoon its reports after ``start`` are added to the following
    days' cells; in the morning its reports before ``start`` are taken from the cells that start
    with its day. Either way at most half a day of reports is read one by one.

    A hotspot's latest time needs no correction when reports are taken away: if any of its
    reports remain, one is at or after ``start``, so the latest of its reports since ``start``'s
    midnight is also the latest since ``start``.
    """
    day = day_of(start)
    if start - midnight(day) <= timedelta(hours=12):
        cells_from, cut, sign = day, (midnight(day), start), -1
    else:
        cells_from, cut, sign = day + timedelta(days=1), (start, midnight(day + timedelta(days=1))), 1
    whole = (
        HotspotReportDay.objects.filter(day__gte=cells_from)
        .values_list("hotspot_id")
        .annotate(n=Sum("reports"), last=Max("last_started_at"))
        .order_by()
    )
    counts: dict[int, tuple[int, datetime]] = {hotspot_id: (n, last) for hotspot_id, n, last in whole}
    if cut[0] == cut[1]:
        return counts  # ``start`` is a midnight: whole days only
    part = (
        _LINK.objects.filter(operationreport__started_at__gte=cut[0], operationreport__started_at__lt=cut[1])
        .values_list("hotspot_id")
        .annotate(n=Count("*"), last=Max("operationreport__started_at"))
        .order_by()
    )
    for hotspot_id, n, last in part:
        before = counts.get(hotspot_id)
        if sign > 0:
            counts[hotspot_id] = (n, last) if before is None else (before[0] + n, max(before[1], last))
        elif before is None:
            continue  # cells behind the reports (changed behind Django's back): rebuild_report_days
        elif before[0] > n:
            counts[hotspot_id] = (before[0] - n, before[1])
        else:
            del counts[hotspot_id]  # all of its reports were before ``start``
    return counts


# --- Keeping the cells up to date ------------------------------------------------------------------


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    old = OperationReport.objects.filter(pk=instance.pk).values_list("started_at", flat=True).first()
    setattr(instance, _OLD_DAY, day_of(old) if old is not None else None)


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    old_day = instance.__dict__.pop(_OLD_DAY, None)
    if raw or created or old_day is None or old_day == day_of(instance.started_at):
        return  # a new report has no hotspots yet; the same day, the same cells
    hotspot_ids = list(instance.hotspots.values_list("pk", flat=True))
    refresh({(h, d) for h in hotspot_ids for d in (old_day, day_of(instance.started_at))})


def _before_delete(sender, instance, **kwargs) -> None:
    day = day_of(instance.started_at)
    setattr(instance, _CELLS, {(h, day) for h in instance.hotspots.values_list("pk", flat=True)})


def _after_delete(sender, instance, **kwargs) -> None:
    refresh(instance.__dict__.pop(_CELLS, set()))


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        # The links about to go: afterwards there is nothing left to read.
        linked = (
            instance.operation_reports.values_list("pk", flat=True)
            if reverse
            else instance.hotspots.values_list("pk", flat=True)
        )
        setattr(instance, _CELLS, set(linked))
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop(_CELLS, set())
    elif action not in ("post_add", "post_remove") or not pk_set:
        return
    if reverse:  # a hotspot's reports changed
        days = OperationReport.objects.filter(pk__in=pk_set).values_list("started_at", flat=True)
        refresh({(instance.pk, day_of(started)) for started in days})
    else:  # a report's hotspots changed
        day = day_of(instance.started_at)
        refresh({(hotspot_id, day) for hotspot_id in pk_set})


def connect() -> None:
    uid = "report-days"
    pre_save.connect(_before_save, sender=OperationReport, dispatch_uid=f"{uid}-pre-save")
    post_save.connect(_after_save, sender=OperationReport, dispatch_uid=f"{uid}-post-save")
    pre_delete.connect(_before_delete, sender=OperationReport, dispatch_uid=f"{uid}-pre-delete")
    post_delete.connect(_after_delete, sender=OperationReport, dispatch_uid=f"{uid}-post-delete")
    m2m_changed.connect(_links_changed, sender=_LINK, dispatch_uid=f"{uid}-links")
