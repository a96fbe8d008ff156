"""The analysts' pages: the map (the portal's home), the list of the same data, the dashboard, a
hotspot's page, sign-in.

Pages are thin: who may open them is MemberPageMixin's rule, what they show comes from the querysets
(`visible_to`) and FilterSets the API uses (analysis.activity), and the map fills itself from the API.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from accounts.two_factor import TwoFactorCodeForm, second_step
from core import read_cache
from hotspots.filters import HotspotFilterSet
from hotspots.models import Hotspot, HotspotAlias
from ingestion.models import Mention, Post
from operations.models import Contingent

from .activity import (
    FilterError,
    as_query,
    cached_activity,
    filtered_updates,
    most_active,
    personnel_by_contingent,
    training_figures,
    weekly_activity,
)
from .pages import (
    PERIOD_STEP,
    PERIODS,
    UPDATE_KINDS,
    MemberPageMixin,
    PageFilters,
    label,
    labels_for_js,
    report_params,
    update_params,
)
from .search import area_hotspots

# How often the map asks whether its data changed (MAP_REFRESH_SECONDS may say otherwise, e.g. in tests).
REFRESH_SECONDS = 60
LIST_PAGE_SIZE = 50
LIST_HOTSPOTS = 100
DASHBOARD_WEEKS = 26


def _filter_choices(request, filters: PageFilters) -> dict:
    """The side panel's choices, with the URL's ones checked."""
    contingents = Contingent.objects.visible_to(request.user).filter(is_active=True).order_by("name")
    return {
        "filters": filters,
        "periods": [
            ("24h", _("Last 24 hours")),
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("90d", _("Last 90 days")),
            ("1y", _("Last 12 months")),
        ],
        "kind_choices": [(value, text, value in filters.kinds) for value, text in UPDATE_KINDS.items()],
        "contingent_choices": [
            (c.country_code, c.local_name(), c.country_code in filters.contingents) for c in contingents
        ],
    }


def _place_slugs(user, place: str) -> list[str] | None:
    """Slugs of the hotspots whose name or alias matches the search, as /api/v1/hotspots/?q= finds them."""
    if not place:
        return None
    found = HotspotFilterSet(data=as_query({"q": place}), queryset=Hotspot.objects.visible_to(user))
    return list(found.qs.order_by("name").values_list("slug", flat=True)[:200])


def export_links(params: dict) -> dict[str, str]:
    """The updates API's exports of these filters, each streamed whole (no page size asked)."""
    url = reverse("api:update-list")
    return {
        fmt: f"{url}?{urlencode({**params, 'format': fmt}, doseq=True)}" for fmt in ("csv", "geojson", "hxl")
    }


def _filtered_slugs(user, filters: PageFilters) -> list[str] | None:
    """The hotspots the place search and the chosen area keep (None: every hotspot)."""
    slugs = _place_slugs(user, filters.place)
    if filters.area:
        inside = area_hotspots(user, filters.area) or []
        slugs = inside if slugs is None else [s for s in slugs if s in set(inside)]
    return slugs


class MapView(MemberPageMixin, TemplateView):
    """`/`: the map. The page is a frame; its script fetches the data (analysis.map_api, the API)."""

    template_name = "analysis/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = PageFilters.from_query(self.request.GET)
        context.update(_filter_choices(self.request, filters))
        slug = "__slug__"
        # The first data request, for the filters in the URL: the page preloads it.
        first_activity = f"{reverse('map-activity')}?{urlencode(update_params(filters), doseq=True)}"
        context["nav"] = "map"
        context["exports"] = export_links(update_params(filters))
        context["map_config"] = {
            "urls": {
                "activity": reverse("map-activity"),
                "firstActivity": first_activity,
                "weekly": reverse("map-weekly"),
                "updates": reverse("api:update-list"),
                "reports": reverse("api:report-list"),
                "hotspots": reverse("api:hotspot-list"),
                "hotspot": reverse("api:hotspot-detail", args=[slug]),
                "hotspotPage": reverse("hotspot-page", args=[slug]),
                "list": reverse("updates"),
                "search": reverse("map-search"),
                "area": reverse("map-area", args=["__pcode__"]),
                "labels": reverse("map-labels"),
                "departments": static("hotspots/data/departments.geojson"),
                "communes": static("hotspots/data/communes.geojson"),
            },
            "periods": {key: int(value.total_seconds()) for key, value in PERIODS.items()},
            "periodStep": int(PERIOD_STEP.total_seconds()),
            "refreshSeconds": getattr(settings, "MAP_REFRESH_SECONDS", REFRESH_SECONDS),
            "timeZone": settings.TIME_ZONE,
            "boundariesAttribution": "Boundaries: OCHA/CNIGS COD-AB 2018-11-29",
            "labels": labels_for_js(),
        }
        return context


class UpdateListView(MemberPageMixin, TemplateView):
    """`/updates/`: the map's data as lists (hotspots by activity, then the updates), same filters."""

    template_name = "analysis/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filters = PageFilters.from_query(self.request.GET)
        context.update(_filter_choices(self.request, filters))
        context["nav"] = "list"
        now = timezone.now()
        u_params, r_params = update_params(filters, now), report_params(filters, now)
        slugs = _filtered_slugs(user, filters)
        if slugs:
            u_params["hotspot"] = r_params["hotspot"] = slugs
        # No hotspot kept, no update: nothing to download either (an empty `hotspot=` would mean all).
        context["exports"] = export_links(u_params) if slugs != [] else None
        try:
            activity = cached_activity(user, as_query(u_params), as_query(r_params))
            updates = filtered_updates(user, as_query(u_params))
        except FilterError as exc:
            context["filter_errors"] = exc.errors
            return context
        if slugs == []:
            # A search that found no place finds no update either (not every update).
            updates = updates.none()
            activity["totals"].update(updates=0, reports=0)
            context["no_place"] = "place" if _place_slugs(user, filters.place) == [] else "area"
        columns = activity["columns"]
        rows = [dict(zip(columns, row, strict=True)) for row in activity["hotspots"]]
        matching = set(slugs) if slugs is not None else None
        active = most_active(r for r in rows if matching is None or r["slug"] in matching)
        # The most active first, LIST_HOTSPOTS of them unless all are asked for (`hotspots=all`): a
        # thousand rows are half a megabyte on a phone's link, and the map and exports have them all.
        context["active_count"] = len(active)
        if self.request.GET.get("hotspots") != "all":
            active = active[:LIST_HOTSPOTS]
        for row in active:
            row["kind_label"] = label("hotspot_kind", row["kind"])
            row["confidence_label"] = label("confidence", row["confidence"])
        context["active_hotspots"] = active
        context["unplaced"] = [r for r in rows if r["lon"] is None]
        context["totals"] = activity["totals"]
        mentions = Mention.objects.select_related("hotspot").only(
            "id", "update_id", "start", "hotspot__id", "hotspot__slug", "hotspot__name", "hotspot__confidence"
        )
        page_qs = (
            updates.select_related("post__source")
            .only(
                "id",
                "kind",
                "published_at",
                "review_state",
                "figures",
                "post__url",
                "post__text",
                "post__language",
                "post__source__name",
            )
            .prefetch_related(
                Prefetch("mentions", queryset=mentions.order_by("start", "pk")),
                Prefetch("contingents", queryset=Contingent.objects.only("id", "country_code", "name")),
                # A repost adds no update of its own: it is shown on the update it reposts.
                Prefetch(
                    "post__reposts",
                    queryset=Post.objects.select_related("source")
                    .only("id", "author", "repost_of_id", "published_at", "source__name")
                    .order_by("published_at", "pk"),
                    to_attr="reposted_by",
                ),
            )
            .order_by("-published_at", "-pk")
        )
        page = Paginator(page_qs, LIST_PAGE_SIZE).get_page(self.request.GET.get("page"))
        for update in page:
            update.kind_label = label("update_kind", update.kind)
            update.review_label = label("review_state", update.review_state)
            seen = {}
            for mention in update.mentions.all():
                seen.setdefault(mention.hotspot_id, mention.hotspot)
            update.places = list(seen.values())
            update.reposted_by = update.post.reposted_by
        context["page"] = page
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        query["hotspots"] = "all"
        context["query_all_hotspots"] = query.urlencode()
        return context


class DashboardView(MemberPageMixin, TemplateView):
    """`/dashboard/`: updates per week by kind, officers trained, personnel per contingent."""

    template_name = "analysis/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        first_monday = today - timedelta(days=today.weekday(), weeks=DASHBOARD_WEEKS - 1)
        since = timezone.make_aware(datetime.combine(first_monday, time.min))

        def compute():
            weekly = weekly_activity(
                user,
                as_query({"published_after": since.isoformat()}),
                as_query({"started_after": since.isoformat()}),
                span=(first_monday, today),
            )
            return weekly, training_figures(user), personnel_by_contingent(user)

        # Every figure reads every week, course and deployment: kept whole under the data version.
        scope = {"since": since.isoformat(), "language": get_language()}
        weekly, training, personnel = read_cache.cached("dashboard", user, (scope,), compute)
        context["nav"] = "dashboard"
        context["weekly"] = weekly
        context["weekly_rows"] = [
            {"week": week, "counts": [weekly["updates"][kind][i] for kind in UPDATE_KINDS]}
            for i, week in enumerate(weekly["weeks"])
        ]
        context["update_kinds"] = list(UPDATE_KINDS.values())
        context["training"] = training
        context["training_rows"] = list(zip(training.months, training.per_month, strict=True))
        context["personnel"] = personnel
        context["dashboard_data"] = {
            "weekly": weekly,
            "training": {"months": training.months, "perMonth": training.per_month},
            "personnel": personnel,
            "labels": labels_for_js(),
        }
        return context


class HotspotDetailView(MemberPageMixin, DetailView):
    """`/hotspots/<slug>/`: a hotspot's details and aliases from here; its activity, timeline and
    training from the API (/api/v1/updates/?hotspot=, /reports/?hotspot=,
    /training-records/?hotspot=), which shows each reader what the reader may see."""

    template_name = "analysis/hotspot.html"
    context_object_name = "hotspot"

    def get_queryset(self):
        aliases = HotspotAlias.objects.only("id", "hotspot_id", "text", "language").order_by("text")
        return (
            Hotspot.objects.visible_to(self.request.user)
            .defer("area")
            .prefetch_related(Prefetch("aliases", queryset=aliases))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hotspot = self.object
        context["nav"] = "map"
        context["kind_label"] = label("hotspot_kind", hotspot.kind)
        context["confidence_label"] = label("confidence", hotspot.confidence)
        context["aliases"] = [
            (alias.text, label("alias_language", alias.language)) for alias in hotspot.aliases.all()
        ]
        context["page_config"] = {
            "slug": hotspot.slug,
            "name": hotspot.name,
            "kind": hotspot.kind,
            "confidence": hotspot.confidence,
            "point": [hotspot.location.y, hotspot.location.x] if hotspot.location else None,
            "urls": {
                "weekly": reverse("map-weekly"),
                "updates": reverse("api:update-list"),
                "reports": reverse("api:report-list"),
                "training": reverse("api:training-record-list"),
            },
            "labels": labels_for_js(),
        }
        return context


class SignInForm(TwoFactorCodeForm, AuthenticationForm):
    """The portal's sign-in: the admin's two-factor rule without its staff-only condition
    (analysts are not staff)."""


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "analysis/sign_in.html"

    def form_valid(self, form):
        # A user with a passkey who left the code empty gives the passkey at the second step.
        return second_step(self.request, super().form_valid(form))


class SignOutView(auth_views.LogoutView):
    next_page = "login"
