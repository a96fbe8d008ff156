from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """The analysts' pages: the map, the list, hotspot pages, the dashboard and their data."""

    name = "analysis"
    verbose_name = "Analyst pages"

    def ready(self) -> None:
        from hotspots.models import Hotspot
        from ingestion.models import Mention, Source, Update
        from ingestion.signals import updates_changed
        from operations.models import OperationReport, TrainingRecord

        from . import activity_cache

        # The cached aggregates list every hotspot, with the activity that names it: a change to a
        # hotspot, an update (its mentions, contingents, source), a report or a training record
        # drops the aggregates that depend on it. The apps that hold the records know nothing of it.
        activity_cache.invalidate_on_change(Hotspot, part=activity_cache.HOTSPOTS)
        activity_cache.invalidate_on_change(
            OperationReport,
            TrainingRecord,
            m2m=(OperationReport.hotspots.through, OperationReport.contingents.through),
            part=activity_cache.REPORTS,
        )
        activity_cache.invalidate_on_change(
            Update, Mention, Source, m2m=(Update.contingents.through,), part=activity_cache.UPDATES
        )
        # Processing writes updates in bulk, which sends no post_save: ingestion signals it instead.
        activity_cache.invalidate_on(updates_changed, sender=Update, part=activity_cache.UPDATES)
