"""The hotspot activity counts operations contributes: reports and training records per hotspot."""

from django.db.models import Count

from hotspots.api.activity import ActivityCounter, register

from ..models import OperationReport, TrainingRecord


def _reports(user):
    # Counted on the links alone: every report's (an index-only scan), or those of the reports the
    # reader may see (for a partner, the links merged with report_released_partners_idx's ids),
    # where joining the reports would read the whole report table (docs/benchmarks.md).
    links = OperationReport.hotspots.through.objects.order_by()
    if not OperationReport.objects.all_visible_to(user):
        links = links.filter(operationreport__in=OperationReport.objects.visible_to(user).values("pk"))
    return links.values_list("hotspot").annotate(n=Count("*"))


def _training(user):
    return TrainingRecord.objects.visible_to(user).counts_per_hotspot()


register(ActivityCounter("reports", "Operation reports at the hotspot that you may see.", _reports))
register(
    ActivityCounter("training_records", "Training records held at the hotspot that you may see.", _training)
)
