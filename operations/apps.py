from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations and training")

    def ready(self) -> None:
        from core import read_cache

        # Registers the hotspot activity counts for reports and training records.
        from .api import activity  # noqa: F401
        from .models import OperationReport, TrainingRecord

        # Cached answers that count reports and training records are dropped when they change.
        read_cache.bump_on_change(
            OperationReport,
            TrainingRecord,
            m2m=(OperationReport.hotspots.through, OperationReport.contingents.through),
        )
