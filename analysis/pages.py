"""What every analyst page shares: who may open it, and how its filters read from the URL.

The map, the list, the hotspot pages and the dashboard are for the mission's members: analysts,
staff and admins. Partners read the API only (they get 403 here); anyone not signed in gets the
sign-in page. A session that skipped its user's second factor counts as not signed in; a user whose
role requires a second factor and who has none is sent to set one up.

The pages' URLs carry the filters an analyst chose (`?period=7d&kind=incident&contingent=KE`),
so a view can be shared; `update_params` turns them into the API's own filter parameters
(ingestion.filters.UpdateFilterSet), which the map's JavaScript does in the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone

from accounts.releasability import Releasability
from accounts.two_factor import MISSING, UNVERIFIED, second_factor_gap
from core import dates
from hotspots.choices import AliasLanguage, Confidence, HotspotKind
from ingestion.choices import ReviewState, UpdateKind
from operations.choices import OperationKind, ReportStatus, TrainingStatus, TrainingTopic

# Reading the map's records: analysts, reporters, approvers and admins have both; partners neither.
MEMBER_PERMISSIONS = ("hotspots.view_hotspot", "ingestion.view_update")


def is_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perms(MEMBER_PERMISSIONS))


class MemberPageMixin(AccessMixin):
    """A page for members of the mission: sign-in page for anonymous users, 403 for the others."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        gap = second_factor_gap(user)
        if not user.is_authenticated or gap == UNVERIFIED:
            return redirect_to_login(request.get_full_path(), self.get_login_url())
        if gap == MISSING:
            return redirect("admin:two_factor")  # the user's role requires a second factor: set one up
        if not is_member(user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


# -- filters in the URL ----------------------------------------------------------------------------

PERIODS = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
    "1y": timedelta(days=365),
}
DEFAULT_PERIOD = "7d"
CUSTOM = "custom"
# A relative period starts on a multiple of this in UTC (static/map/js/state.js rounds alike): for
# ten minutes every analyst asks the same question, which the cached aggregates then answer, and
# "the last 7 days" reach back at most ten minutes further.
PERIOD_STEP = timedelta(minutes=10)


def period_start(now: datetime, period: timedelta) -> datetime:
    """The start of the relative ``period`` ending ``now``: ``now - period`` rounded down to PERIOD_STEP."""
    step = int(PERIOD_STEP.total_seconds())
    start = now - period
    return start - timedelta(seconds=int(start.timestamp()) % step, microseconds=start.microsecond)


@dataclass
class PageFilters:
    """The filters of a page's URL, read leniently: a value that makes no sense is dropped."""

    period: str = DEFAULT_PERIOD
    start: date | None = None  # custom period, first day included
    end: date | None = None  # custom period, last day included
    week: date | None = None  # one week of the period (the time slider), its Monday
    kinds: list[str] = field(default_factory=list)
    contingents: list[str] = field(default_factory=list)
    place: str = ""
    area: str = ""  # an area's P-code (a department, commune or section chosen in the search)

    @classmethod
    def from_query(cls, query) -> PageFilters:
        period = query.get("period") or DEFAULT_PERIOD
        if period not in PERIODS and period != CUSTOM:
            period = DEFAULT_PERIOD
        start, end = _day(query.get("from")), _day(query.get("to"))
        if period == CUSTOM and start and end and end < start:
            start, end = end, start
        return cls(
            period=period,
            start=start if period == CUSTOM else None,
            end=end if period == CUSTOM else None,
            week=_day(query.get("week")),
            kinds=[k for k in query.getlist("kind") if k][:20],
            contingents=[c.upper() for c in query.getlist("contingent") if c][:20],
            place=(query.get("place") or "").strip()[:100],
            area=area if re.fullmatch(r"HT[0-9-]{2,14}", area := (query.get("area") or "").strip()) else "",
        )

    def bounds(self, now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
        """The period as [after, before): relative periods run until now, from their length before
        now rounded down to PERIOD_STEP; custom ones on whole local days."""
        now = now or timezone.now()
        if self.period == CUSTOM:
            after = _midnight(self.start) if self.start else None
            before = _midnight(self.end + timedelta(days=1)) if self.end else None
        else:
            after, before = period_start(now, PERIODS[self.period]), None
        if self.week:
            week_start, week_end = _midnight(self.week), _midnight(self.week + timedelta(days=7))
            after = max(after, week_start) if after else week_start
            before = min(before, week_end) if before else week_end
        return after, before


def update_params(filters: PageFilters, now: datetime | None = None) -> dict[str, str | list[str]]:
    """The page's filters as the parameters of the updates API (UpdateFilterSet)."""
    after, before = filters.bounds(now)
    params: dict[str, str | list[str]] = {}
    if after:
        params["published_after"] = utc_text(after)
    if before:
        params["published_before"] = utc_text(before)
    if filters.kinds:
        params["kind"] = filters.kinds
    if filters.contingents:
        params["contingent"] = filters.contingents
    return params


def report_params(filters: PageFilters, now: datetime | None = None) -> dict[str, str | list[str]]:
    """The same period and contingents as the parameters of the reports API (ReportFilterSet)."""
    after, before = filters.bounds(now)
    params: dict[str, str | list[str]] = {}
    if after:
        params["started_after"] = utc_text(after)
    if before:
        params["started_before"] = utc_text(before)
    if filters.contingents:
        params["contingent"] = filters.contingents
    return params


def utc_text(moment: datetime) -> str:
    """A time as the map's script writes it (`Date.toISOString()`): the same question, the same URL."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _day(text: str | None) -> date | None:
    """A day of the URL, or None when it is not a day or is outside the portal's bound (core/dates.py)."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    # Up to today: a custom period's end runs to the next midnight, within the bound of the filters.
    return None if dates.day_problem(day, today=timezone.localdate(), ahead=timedelta(0)) else day


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# -- labels in the reader's language: the apps' own choices, as the admin shows them ---------------

LABELS = {
    group: dict(choices.choices)
    for group, choices in {
        "hotspot_kind": HotspotKind,
        "confidence": Confidence,
        "alias_language": AliasLanguage,
        "update_kind": UpdateKind,
        "review_state": ReviewState,
        "operation_kind": OperationKind,
        "report_status": ReportStatus,
        "releasability": Releasability,
        "training_topic": TrainingTopic,
        "training_status": TrainingStatus,
    }.items()
}
UPDATE_KINDS = LABELS["update_kind"]


def labels_for_js() -> dict[str, dict[str, str]]:
    """Every label, translated now, for the pages' scripts (a JSON data block in the page)."""
    return {group: {value: str(text) for value, text in labels.items()} for group, labels in LABELS.items()}


def label(group: str, value: str) -> str:
    return str(LABELS[group].get(value, value))
