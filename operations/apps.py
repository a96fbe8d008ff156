from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations and training"

    def ready(self) -> None:
        from hotspots import activity_cache

        from . import report_days

        # Registers the hotspot activity counts for reports and training records.
        from .api import activity  # noqa: F401
        from .models import OperationReport, TrainingRecord

        # Reports per hotspot and day follow the reports (operations/report_days.py).
        report_days.connect()
        # Reports and training records are hotspot activity: a change drops the cached aggregates.
        activity_cache.invalidate_on_change(
            OperationReport,
            TrainingRecord,
            m2m=(OperationReport.hotspots.through, OperationReport.contingents.through),
            part=activity_cache.REPORTS,
        )
