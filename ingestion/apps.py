from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = "Ingestion of the mission's posts"

    def ready(self) -> None:
        # Registers the hotspot activity count for updates.
        from .api import activity  # noqa: F401
