from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = "Ingestion of the mission's posts"

    def ready(self) -> None:
        from hotspots import activity_cache

        # Registers the hotspot activity count for updates.
        from .api import activity  # noqa: F401
        from .models import Mention, Source, Update

        # Updates and their mentions are hotspot activity: a change drops the cached aggregates.
        activity_cache.invalidate_on_change(
            Update, Mention, Source, m2m=(Update.contingents.through,), part=activity_cache.UPDATES
        )
