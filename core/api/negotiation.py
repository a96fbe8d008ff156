"""Content negotiation where `?format=` wins outright over the Accept header."""

from __future__ import annotations

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS


class FormatFirstContentNegotiation(DefaultContentNegotiation):
    """`?format=hxl` picks the HXL renderer whatever Accept says (DRF would still match Accept, and
    `*/*` never matches a media type with parameters such as `text/csv; profile=hxl`)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if request.method not in SAFE_METHODS and hasattr(view, request.method.lower()):
            # A write answers in JSON whatever Accept says: the record it made (with a webhook's secret,
            # shown once) must not be lost to a CSV without it. The schema documents writes so. (A method
            # the view does not take is left to answer 405.)
            json = [renderer for renderer in renderers if renderer.format == "json"]
            if json:
                if wanted not in (None, "json"):
                    raise Http404("A write answers in JSON: leave out `format`, or give json.")
                return json[0], json[0].media_type
        if wanted == "":
            raise Http404("Name a format: json, geojson, csv or hxl.")
        if wanted:
            chosen = [renderer for renderer in renderers if renderer.format == wanted]
            if len(chosen) == 1:
                return chosen[0], chosen[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
