from django.apps import AppConfig


class HotspotsConfig(AppConfig):
    name = "hotspots"
    verbose_name = "Hotspots and places"

    def ready(self) -> None:
        # The map's cached aggregates list every hotspot: a hotspot added, moved or renamed drops them.
        from . import activity_cache
        from .models import Hotspot

        activity_cache.invalidate_on_change(Hotspot, part=activity_cache.HOTSPOTS)
