"""Reads across the apps for the analysts' map, list and dashboard: activity per hotspot and per week.

Each read starts from what the API starts from (`Model.objects.visible_to(user)`), so a page shows
exactly what the API would show its reader, and filters with the API's own FilterSets, so the same parameters
mean the same thing everywhere. Hotspots know neither updates nor reports, so these reads live
here, in the analyst app above the apps they read, rather than in hotspots.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Exists, FloatField, Func, OuterRef, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from core import read_cache
from hotspots.models import Hotspot
from ingestion.choices import UpdateKind
from ingestion.filters import UpdateFilterSet
from ingestion.models import Update
from operations.choices import TrainingStatus
from operations.filters import ReportFilterSet
from operations.models import Contingent, OperationReport, TrainingRecord

# The map's rows: one list per hotspot, in this order (a compact first request).
MAP_COLUMNS = ("slug", "name", "kind", "confidence", "lon", "lat", "updates", "reports", "last")


class FilterError(ValueError):
    """Parameters a FilterSet refused: `errors` names each one and its problem."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def as_query(params: dict) -> MultiValueDict:
    """Parameters as a FilterSet reads them: each value a list (repeatable parameters)."""
    return MultiValueDict({k: list(v) if isinstance(v, list | tuple) else [v] for k, v in params.items()})


def _filtered(filterset_class, params, queryset):
    filterset = filterset_class(data=params, queryset=queryset)
    if not filterset.is_valid():
        raise FilterError(dict(filterset.errors))
    return filterset.qs.order_by()


def filtered_updates(user, params):
    """The updates ``user`` may see, filtered as /api/v1/updates/ filters them."""
    return _filtered(UpdateFilterSet, params, Update.objects.visible_to(user))


def filtered_reports(user, params):
    """The operation reports ``user`` may see, filtered as /api/v1/reports/ filters them."""
    return _filtered(ReportFilterSet, params, OperationReport.objects.visible_to(user))


def _iso(moment: datetime | None) -> str | None:
    """A time in UTC to the second (`2025-03-01T17:00:00Z`)."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hotspot_places(user) -> list[list]:
    """Every hotspot ``user`` may see, by name: [pk, slug, name, kind, confidence, lon, lat].

    Coordinates come out of the database as numbers (ST_X, ST_Y: PostGIS and SpatiaLite alike),
    rounded there to about a metre (`Degrees`); decoding a thousand points into geometries, or
    rounding two thousand floats in Python, would cost more than the rest of the map's first
    request. Unplaced hotspots have null coordinates.
    """
    rows = (
        Hotspot.objects.visible_to(user)
        .order_by("name", "pk")
        .annotate(lon=Degrees("ST_X", "location"), lat=Degrees("ST_Y", "location"))
        .values_list("pk", "slug", "name", "kind", "confidence", "lon", "lat")
    )
    return [list(row) for row in rows]


class Degrees(Func):
    """``function`` (ST_X or ST_Y) of a point, rounded to 5 decimals (about a metre), as a float.

    Rounded as a float, scaled to a whole number and back: casting to numeric to round costs
    PostgreSQL as much as Python's round(x, 5) costs Python (2 µs a value).
    """

    template = "ROUND(%(function)s(%(expressions)s) * 100000) / 100000"
    output_field = FloatField()

    def __init__(self, function: str, expression, **extra):
        super().__init__(expression, function=function, **extra)


def _counts(records) -> dict:
    """``records`` per hotspot (`hotspots`: {pk: [count, latest ISO time]}) and in all (`total`: a
    record at two hotspots counts once): two queries."""
    per_hotspot = {pk: [n, _iso(last)] for pk, n, last in records.counts_per_hotspot()}
    return {"hotspots": per_hotspot, "total": records.count()}


def hotspot_activity(user, update_params, report_params) -> dict:
    """Every hotspot ``user`` may see with its updates and reports in the filters: five queries.

    Rows follow MAP_COLUMNS; unplaced hotspots have null coordinates. `last` is the latest
    activity's time (UTC, ISO 8601), or null. The pages cache the whole answer (`cached_activity`).
    """
    places = hotspot_places(user)
    by_update = _counts(filtered_updates(user, update_params))
    by_report = _counts(filtered_reports(user, report_params))
    update_rows, report_rows = by_update["hotspots"], by_report["hotspots"]
    none = (0, None)
    rows = []
    for pk, slug, name, kind, confidence, lon, lat in places:
        n_updates, last_update = update_rows.get(pk, none)
        n_reports, last_report = report_rows.get(pk, none)
        # ISO times in UTC, all written alike: the later one is the greater string.
        last = max(last_update or "", last_report or "") or None
        rows.append([slug, name, kind, confidence, lon, lat, n_updates, n_reports, last])
    return {
        "columns": list(MAP_COLUMNS),
        "hotspots": rows,
        "totals": {
            "hotspots": len(rows),
            "placed": sum(1 for r in rows if r[4] is not None),
            # Distinct records: an update naming two hotspots counts once here.
            "updates": by_update["total"],
            "reports": by_report["total"],
        },
    }


def cached_activity(user, update_params, report_params) -> dict:
    """`hotspot_activity`, kept whole in the cache under the data version (core/read_cache.py)."""
    params = (update_params, report_params)
    return read_cache.cached("map", user, params, lambda: hotspot_activity(user, *params))


def most_active(rows) -> list[dict]:
    """The rows (dicts of MAP_COLUMNS) of hotspots with updates or reports, the most active first, then
    by name: the list page's table and the briefing's top hotspots."""
    return sorted(
        (r for r in rows if r["updates"] or r["reports"]),
        key=lambda r: (-(r["updates"] + r["reports"]), r["name"]),
    )


def _week(moment) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def weekly_activity(user, update_params, report_params, *, span: tuple[date, date] | None = None) -> dict:
    """Updates per week and kind, and reports per week, for the filters (weeks start on Monday).

    `weeks` lists every week from the first to the last with activity, or of ``span`` (first and
    last day) when given, empty ones included; each series has one number per week.
    """
    tz = timezone.get_current_timezone()
    updates = (
        filtered_updates(user, update_params)
        .filter(published_at__isnull=False)
        .annotate(week=TruncWeek("published_at", tzinfo=tz))
        .values("week", "kind")
        .annotate(n=Count("pk"))
    )
    reports = (
        filtered_reports(user, report_params)
        .annotate(week=TruncWeek("started_at", tzinfo=tz))
        .values("week")
        .annotate(n=Count("*"))  # COUNT(*): read from report_started_idx alone, COUNT(id) reads the rows
    )
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    for row in updates:
        by_kind[row["kind"]][_week(row["week"])] = row["n"]
    report_weeks = {_week(row["week"]): row["n"] for row in reports}
    if span is not None:
        first, last = (day - timedelta(days=day.weekday()) for day in span)
        weeks = _every_week(first.isoformat(), last.isoformat())
    else:
        seen = sorted({w for counts in by_kind.values() for w in counts} | set(report_weeks))
        weeks = _every_week(seen[0], seen[-1]) if seen else []
    return {
        "weeks": weeks,
        "updates": {kind: [by_kind.get(kind, {}).get(w, 0) for w in weeks] for kind in UpdateKind.values},
        "reports": [report_weeks.get(w, 0) for w in weeks],
    }


def _every_week(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(day).isoformat() for day in range(start.toordinal(), end.toordinal() + 1, 7)]


@dataclass(frozen=True)
class TrainingFigures:
    trained_to_date: int
    women_to_date: int
    courses: int
    months: list[str]  # YYYY-MM
    per_month: list[int]


def training_figures(user) -> TrainingFigures:
    """Officers trained in completed courses ``user`` may see: in all, and per month of the course's end."""
    completed = TrainingRecord.objects.visible_to(user).filter(status=TrainingStatus.COMPLETED).order_by()
    totals = completed.aggregate(
        trained=Coalesce(Sum("trainees_total"), 0),
        women=Coalesce(Sum("trainees_women"), 0),
        courses=Count("pk"),
    )
    monthly = (
        completed.annotate(month=TruncMonth(Coalesce("ends_on", "starts_on")))
        .values("month")
        .annotate(n=Sum("trainees_total"))
        .order_by("month")
    )
    per_month = {row["month"].strftime("%Y-%m"): row["n"] for row in monthly}
    months = _every_month(min(per_month), max(per_month)) if per_month else []
    return TrainingFigures(
        trained_to_date=totals["trained"],
        women_to_date=totals["women"],
        courses=totals["courses"],
        months=months,
        per_month=[per_month.get(m, 0) for m in months],
    )


def _every_month(first: str, last: str) -> list[str]:
    year, month = (int(p) for p in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


_SCANNED = 20_000


def _strength(value) -> bool:
    """A personnel figure worth reporting: a whole number of people (not true/false), above zero."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _linked(model, codes: set[str]) -> set[str]:
    """The codes of ``codes`` whose contingent at least one record of ``model`` names at all (an index
    lookup each): reading the newest records first may stop once each of these has its figure; a
    contingent nothing names has none to find."""
    links = model.contingents.through.objects.filter(contingent=OuterRef("pk"))
    linked = Contingent.objects.filter(country_code__in=codes).filter(Exists(links))
    return set(linked.values_list("country_code", flat=True))


def latest_deployed(updates, codes: set[str]) -> dict[str, dict]:
    """Per contingent code, the latest of ``updates`` giving its personnel (a deployment update's
    whole `personnel` figure): {code: {"personnel", "moment", "source", "url"}}, never a sum of
    mentions (the same arrival is announced many times). Newest first, each contingent's first row
    is its latest; reading stops once every code of ``codes`` that any update names has one
    (`_linked`), or after _SCANNED rows."""
    rows = (
        updates.filter(kind=UpdateKind.DEPLOYMENT, figures__has_key="personnel", published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .values_list(
            "published_at", "figures", "post__source__name", "post__url", "contingents__country_code"
        )
    )
    codes = _linked(Update, codes)
    latest: dict[str, dict] = {}
    for at, figures, source, url, code in rows[:_SCANNED].iterator():
        personnel = (figures or {}).get("personnel")
        if code is not None and code not in latest and _strength(personnel):
            latest[code] = {"personnel": personnel, "moment": at, "source": source, "url": url}
        if latest.keys() >= codes:
            break
    return latest


def personnel_by_contingent(user) -> list[dict]:
    """Per contingent, its latest reported strength, never a sum of mentions: the later of its latest
    deployment update with a whole `personnel` figure (`latest_deployed`) and its latest report with
    personnel deployed, each with its date and source.

    Rows: code, name, personnel, at (ISO time), source (the post's source, or the report's
    reference), kind ("update" or "report"). Only records ``user`` may see are read.
    """
    contingents = Contingent.objects.visible_to(user).order_by()
    codes = {c.country_code for c in contingents}
    latest = {
        code: {**row, "kind": "update"}
        for code, row in latest_deployed(Update.objects.visible_to(user), codes).items()
    }
    reports = (
        OperationReport.objects.visible_to(user)
        .filter(personnel_deployed__gt=0)
        .order_by("-started_at", "-pk")
        .values_list("started_at", "personnel_deployed", "reference", "contingents__country_code")
    )
    reporting = _linked(OperationReport, codes)
    seen: set[str] = set()
    for at, personnel, reference, code in reports[:_SCANNED].iterator():
        if code is not None and code not in seen:
            seen.add(code)
            if code not in latest or at > latest[code]["moment"]:
                latest[code] = {"personnel": personnel, "moment": at, "source": reference, "kind": "report"}
        if seen >= reporting:
            break
    names = {c.country_code: c.local_name() for c in contingents}
    return sorted(
        (
            {"code": code, "name": names.get(code, code), "personnel": row["personnel"],
             "at": _iso(row["moment"]), "source": row["source"], "kind": row["kind"]}
            for code, row in latest.items()
        ),
        key=lambda row: (-row["personnel"], row["code"]),
    )  # fmt: skip
