"""`/briefing/`: the weekly briefing, a printable page of one period and area (its template is
analysis/briefing.html, its print stylesheet in analysis/static/portal)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from hotspots.models import AdminArea
from operations.models import Contingent, TrainingRecord

from .activity import FilterError, as_query, cached_activity, filtered_updates, latest_deployed, most_active
from .pages import UPDATE_KINDS, MemberPageMixin, PageFilters, report_params, update_params
from .views import _filtered_slugs

BRIEFING_TOP = 10


class BriefingView(MemberPageMixin, TemplateView):
    """`/briefing/`: one period (a week by default) and, with `?area=`, one area, on a printable
    page: the most active hotspots, the latest incidents and deployments, training, and personnel by
    contingent as last reported; each figure links to its records on the list page."""

    template_name = "analysis/briefing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filters = PageFilters.from_query(self.request.GET)
        now = timezone.now()
        context.update(nav="briefing", filters=filters)
        after, before = filters.bounds(now)
        context["after"], context["before"] = after, before or now
        if filters.area:
            area = AdminArea.objects.filter(pcode=filters.area).only("name_fr").first()
            context["area_name"] = area.name_fr if area else filters.area
        u_params, r_params = update_params(filters, now), report_params(filters, now)
        slugs = _filtered_slugs(user, filters)
        if slugs:
            u_params["hotspot"] = r_params["hotspot"] = slugs
        try:
            activity = cached_activity(user, as_query(u_params), as_query(r_params))
            updates = filtered_updates(user, as_query(u_params))
        except FilterError as exc:
            context["filter_errors"] = exc.errors
            return context
        if slugs == []:
            updates = updates.none()
            activity["totals"].update(updates=0, reports=0)
            activity["hotspots"] = []
        rows = [dict(zip(activity["columns"], row, strict=True)) for row in activity["hotspots"]]
        context["top_hotspots"] = most_active(rows)[:BRIEFING_TOP]
        # The map of the most active hotspots: name, point, records (placed ones only).
        context["briefing_points"] = [
            [r["name"], r["lat"], r["lon"], r["updates"] + r["reports"]]
            for r in context["top_hotspots"]
            if r["lat"] is not None
        ]
        context["totals"] = activity["totals"]
        query = self.request.GET.copy()
        query.pop("kind", None)
        context["list_url"] = f"{reverse('updates')}?{self.request.GET.urlencode()}"
        sections = []
        for kind in ("incident", "deployment"):
            of_kind = updates.filter(kind=kind)
            query.setlist("kind", [kind])
            sections.append(
                {
                    "kind": kind,
                    "title": UPDATE_KINDS[kind],
                    "count": of_kind.count(),
                    "latest": list(
                        of_kind.select_related("post__source").order_by("-published_at", "-pk")[:BRIEFING_TOP]
                    ),
                    "url": f"{reverse('updates')}?{query.urlencode()}",
                }
            )
        context["sections"] = sections
        context["training"] = _briefing_training(user, after, before or now, slugs)
        # What each contingent's latest deployment in the period said, as the dashboard reads it.
        names = {c.country_code: c.local_name() for c in Contingent.objects.visible_to(user)}
        latest = latest_deployed(updates, set(names))
        context["personnel"] = sorted(
            ({"name": names.get(code, code), **row} for code, row in latest.items()),
            key=lambda row: row["name"],
        )
        return context


def _briefing_training(user, after, before, slugs) -> dict:
    """Training courses running in the period (at the kept hotspots): courses and officers."""
    records = TrainingRecord.objects.visible_to(user).filter(starts_on__lt=timezone.localdate(before))
    if after:
        day = timezone.localdate(after)
        records = records.filter(Q(ends_on__gte=day) | Q(ends_on__isnull=True, starts_on__gte=day))
    if slugs is not None:
        records = records.filter(hotspot__slug__in=slugs)
    totals = records.aggregate(courses=Count("pk"), trainees=Coalesce(Sum("trainees_total"), 0))
    return {**totals, "records": list(records.order_by("-starts_on")[:BRIEFING_TOP])}
