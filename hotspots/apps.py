from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotspotsConfig(AppConfig):
    name = "hotspots"
    verbose_name = _("Hotspots and places")

    def ready(self) -> None:
        from core import read_cache

        from .models import Hotspot, HotspotAlias

        # Cached answers list every hotspot the reader may see, with its aliases.
        read_cache.bump_on_change(Hotspot, HotspotAlias)
