from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = _("Ingestion of the mission's posts")

    def ready(self) -> None:
        # Registers the hotspot activity count for updates.
        from .api import activity  # noqa: F401
