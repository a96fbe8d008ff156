"""Content negotiation where `?format=` wins outright over the Accept header."""

from __future__ import annotations

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirstContentNegotiation(DefaultContentNegotiation):
    """`?format=hxl` picks the HXL renderer whatever Accept says (DRF would still match Accept, and
    `*/*` never matches a media type with parameters such as `text/csv; profile=hxl`)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if wanted == "":
            raise Http404("Name a format: json, geojson, csv or hxl.")
        if wanted:
            chosen = [renderer for renderer in renderers if renderer.format == wanted]
            if len(chosen) == 1:
                return chosen[0], chosen[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
