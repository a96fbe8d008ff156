from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = _("Ingestion of the mission's posts")

    def ready(self) -> None:
        from core import read_cache

        # Registers the hotspot activity count for updates.
        from .api import activity  # noqa: F401
        from .models import Mention, Source, Update
        from .signals import updates_changed

        # Cached answers that count updates are dropped when updates, their mentions, contingents or
        # sources change; processing writes in bulk and sends updates_changed instead of post_save.
        read_cache.bump_on_change(
            Update, Mention, Source, m2m=(Update.contingents.through,), signals=(updates_changed,)
        )
