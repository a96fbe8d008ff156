"""A hotspot's page: its details and aliases from here; its activity, timeline and training from the API.

Hotspots know neither updates nor reports (DESIGN.md): the page's script reads those from the
API (/api/v1/updates/?hotspot=, /reports/?hotspot=, /training-records/?hotspot=), which shows
each reader what the reader may see.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.views.generic import DetailView

from mss_portal.pages import MemberPageMixin, label, labels_for_js

from .models import HotspotAlias
from .selectors import hotspots_visible_to


class HotspotDetailView(MemberPageMixin, DetailView):
    template_name = "hotspots/detail.html"
    context_object_name = "hotspot"

    def get_queryset(self):
        aliases = HotspotAlias.objects.only("id", "hotspot_id", "text", "language").order_by("text")
        return (
            hotspots_visible_to(self.request.user)
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
